"""Purge the personal data of events past their retention date. Dry run unless --execute is given."""

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from reports.services import PurgeError, event_personal_data_purge, events_due


class Command(BaseCommand):
    help = "Remove the personal data of an event's participants (counts stay). Prints counts only, never values."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--event", metavar="SLUG", help="The event to purge.")
        target.add_argument("--all-due", action="store_true", help="Every event past its retention date.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be purged (the default).")
        parser.add_argument("--execute", "--yes", action="store_true", dest="execute", help="Really purge.")
        parser.add_argument(
            "--force", metavar="REASON", default="", help="Purge before the retention date; the reason is audited."
        )

    def handle(self, *args, **options):
        dry_run = not options["execute"] or options["dry_run"]
        if options["all_due"]:
            events = list(events_due())
        else:
            try:
                events = [Event.objects.get(slug=options["event"])]
            except Event.DoesNotExist as error:
                raise CommandError(f"No event with slug {options['event']!r}.") from error
        for event in events:
            try:
                report = event_personal_data_purge(
                    event=event, actor=None, dry_run=dry_run, force_reason=options["force"]
                )
            except PurgeError as error:
                raise CommandError(f"{event.slug}: {error}") from error
            if report.already_purged:
                self.stdout.write(f"{event.slug}: already purged, nothing to do.")
                continue
            verb = "would purge" if dry_run else "purged"
            self.stdout.write(
                f"{event.slug}: {verb} people={report.people} (kept, still in a current event: {report.people_kept}) "
                f"registrations={report.registrations} import_batches={report.import_batches} "
                f"report_files={report.report_files} practice_files={report.practice_files} "
                f"signed_sheets={report.signed_sheets}"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing changed. Run again with --execute to purge.")
