from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.exists():
            raise CommandError(f"{archive} does not exist")
        if not options["yes"] and input(f"Replace ALL data with {archive}? [y/N] ").strip().lower() != "y":
            raise CommandError("cancelled")
        try:
            manifest = backup_restore(archive_path=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored the backup of {manifest['created_at']} ({manifest['vendor']})")
