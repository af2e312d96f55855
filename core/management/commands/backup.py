from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.backup import backup_create


class Command(BaseCommand):
    help = "Write a backup archive (database + uploaded files) to the backups folder."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=str(Path(settings.BASE_DIR) / "backups"))

    def handle(self, *args, **options):
        path = backup_create(output_dir=Path(options["output_dir"]))
        self.stdout.write(str(path))
