from django.core.management.base import BaseCommand

from events.services.regions import SOURCE, regions_load


class Command(BaseCommand):
    help = "Load or update the 38 provinces and 514 kabupaten/kota (idempotent)."

    def handle(self, *args, **options):
        provinces, regencies = regions_load()
        self.stdout.write(f"Regions: {provinces} provinces, {regencies} kabupaten/kota ({SOURCE}).")
