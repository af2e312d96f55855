import os

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from attendance import demo as attendance_demo
from events.demo import DEMO_PASSWORD, seed_events_load
from outcomes import demo as outcomes_demo
from participants import demo as participants_demo
from reports import demo as reports_demo
from rosters import demo as rosters_demo

# Each area's demo loader is idempotent; in this order, as each builds on the ones before.
AREAS = (participants_demo, rosters_demo, attendance_demo, reports_demo, outcomes_demo)

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD_DEFAULT = "psp-demo-2026"  # noqa: S105 - the demo login that `make run` prints


class Command(BaseCommand):
    help = "Load regions, the two seed events, the demo data of every area and a demo admin account (idempotent)."

    def handle(self, *args, **options):
        call_command("load_regions", stdout=self.stdout)
        events = seed_events_load(logos=True)
        for event in events:
            self.stdout.write(f"Event: {event.title} ({event.sites.count()} sites)")
        for area in AREAS:
            area.load()
        User = get_user_model()
        password = os.environ.get("DEMO_ADMIN_PASSWORD", DEMO_ADMIN_PASSWORD_DEFAULT)
        if not User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
            User.objects.create_superuser(DEMO_ADMIN_USERNAME, "admin@example.invalid", password)
        self.stdout.write("")
        self.stdout.write("Demo logins (passwords as set when each was first created):")
        self.stdout.write(f"  {DEMO_ADMIN_USERNAME:<18} {password:<16} Admin pusat (superuser): everything, /admin/")
        for area in AREAS:
            for username, label in getattr(area, "LOGINS", ()):
                self.stdout.write(f"  {username:<18} {DEMO_PASSWORD:<16} {label}")
