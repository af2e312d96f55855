"""Scale benchmark: do the staff pages stay flat from 1,000 to 20,000 registrations?

Run from the project folder:  .venv/bin/python bench/scale.py

- Its own PostgreSQL database (BENCH_SCALE_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_scale):
  dropped and created at the start, dropped at the end; throw-away keys (production-like settings: DEBUG off).
- Migrates, loads the regions and the seed events, gives the Rakor PSP event five sites, then fills it in two
  steps with fictitious people (valid-looking NIKs, encrypted and hashed by the app's own fields through
  bulk_create): 1,000 registrations and 125 Komite Pembelajaran (with their members), then up to 20,000 and
  2,500. After each step (and an ANALYZE) it times, through the test Client as staff users of the right scope
  (the event's Panitia; a Verifikator of the committees' provinces): the registration list (first page, a
  status + site filter, a search by NIK), the committee list, the event dashboard, the rekap (PDF), and the
  Excel export of every registration of the event.
- Prints each pair (the best wall time of several runs: the machine is shared), the export pair with its ratio
  (target: 20k <= 25 x 1k, linear), and last ``ratio=`` = the worst 20k / 1k among the pages (target <= 1.5:
  pages do not grow with data).

Not a test: nothing here asserts timings. Traffic goes nowhere (the test Client calls the app in-process).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
import urllib.parse
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_scale")
SMALL, LARGE = 1_000, 20_000
COMMITTEES_PER_REGISTRATION = 2_500 / 20_000
SITES = 5
PAGE_RUNS = int(os.environ.get("BENCH_PAGE_RUNS", "7"))
EXPORT_RUNS = int(os.environ.get("BENCH_EXPORT_RUNS", "1"))

# Production-like settings (DEBUG off: no query log kept in memory), throw-away keys of this database only.
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "psp_koordinasi.settings"
os.environ["DEBUG"] = "0"
os.environ["SECRET_KEY"] = "bench-only-not-a-secret"  # noqa: S105 - a throw-away database
os.environ["FIELD_ENCRYPTION_KEYS"] = "YmVuY2gtb25seS10aHJvdy1hd2F5LWZpZWxkLWtleSE="
os.environ["FIELD_HASH_KEY"] = "bench-only-throw-away-hash-key"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
# The export is built in the request (the same code a worker runs), the job queue is the in-process one.
os.environ["REPORTS_LARGE_ROWS"] = str(10**9)
os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
os.environ.pop("REDIS_URL", None)
warnings.filterwarnings("ignore", message="No directory at")


def admin_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts._replace(path="/postgres").geturl()


def database_recreate() -> None:
    import psycopg
    from psycopg import sql

    name = urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/")
    with psycopg.connect(admin_url(DATABASE_URL), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop() -> None:
    import psycopg
    from psycopg import sql

    name = urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/")
    with psycopg.connect(admin_url(DATABASE_URL), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def main() -> None:
    database_recreate()
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()
        if not os.environ.get("BENCH_SCALE_KEEP"):  # kept for a look at the query plans
            database_drop()


def run() -> None:  # noqa: PLR0915 - one linear script
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from attendance.models import Attendance
    from events import groups as G
    from events.demo import seed_events_load
    from events.models import Agency, EventSite, Province, Regency, Role, UserScope
    from events.services.regions import regions_load
    from participants.models import Person, Registration, School
    from rosters.models import Committee, CommitteeMember, Position, SekolahPenggerak

    setup_test_environment()  # the test Client's response.context; no effect on the app's settings otherwise
    # No collectstatic for a bench: the plain static storage (the manifest one needs collected files).
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    call_command("migrate", "--no-input", verbosity=0)
    regions_load()
    events = {event.slug: event for event in seed_events_load()}
    event = next(e for e in events.values() if e.cohort_id and e.program.code == "PSP")
    sites = list(event.sites.order_by("order"))
    for number in range(len(sites), SITES):
        template = sites[number % len(sites)]
        sites.append(
            EventSite.objects.create(
                event=event,
                name=f"Regional Tambahan {number + 1}",
                order=number + 1,
                venue=template.venue,
                start_date=template.start_date,
                end_date=template.end_date,
            )
        )
    roles = list(Role.objects.filter(program=event.program).order_by("order"))
    provinces = list(Province.objects.filter(code__in=["14", "18", "19", "21", "53", "81", "82"]).order_by("code"))
    agencies = list(Agency.objects.all()[:20]) or [None]
    sessions = {site.pk: list(site.sessions.order_by("starts_at")) for site in sites}
    cohort = event.cohort

    users = get_user_model().objects
    panitia = users.create_user("bench-panitia", password=None, is_staff=True)
    panitia.groups.add(Group.objects.get(name=G.PANITIA))
    event.organizers.add(panitia)
    verifikator = users.create_user("bench-verifikator", password=None, is_staff=True)
    verifikator.groups.add(Group.objects.get(name=G.VERIFIKATOR))
    UserScope.objects.create(user=verifikator).provinces.set(provinces)

    first = ["Ahmad", "Siti", "Made", "Ni Luh", "Baiq", "Lalu", "Muhammad", "Nurul", "Dewi", "Rahmat", "Yohanes"]
    last = ["Hidayat", "Lestari", "Saputra", "Wulandari", "Kurniawan", "Rahmawati", "Pratama", "Sari", "Fanggidae"]

    def nik(serial: int, province_code: str) -> str:
        """A NIK that passes the format rules: PP RR CC DDMMYY SSSS, a unique (date, serial) per person."""
        day = serial % 28 + 1 + (40 if serial % 2 else 0)
        month = serial // 28 % 12 + 1
        year = 60 + serial // 336 % 40
        return f"{province_code}0101{day:02d}{month:02d}{year:02d}{serial // 13_440 + 1:04d}"

    def people(start: int, count: int) -> list[Person]:
        built = []
        for i in range(start, start + count):
            province = provinces[i % len(provinces)]
            built.append(
                Person(
                    full_name=f"{first[i % len(first)]} {last[i // 7 % len(last)]} {i}, S.Pd.",
                    gender="P" if i % 2 else "L",
                    nik=nik(i, province.code),
                    nip=f"1985051220100{i:05d}" if i % 3 == 0 else "",
                    position="Guru Kelas" if i % 2 else "Kepala Sekolah",
                    province=province,
                    phone=f"+62812{i:08d}",
                )
            )
        return Person.objects.bulk_create(built, batch_size=2_000)

    state = {"registrations": 0, "committees": 0, "people": 0}

    def fill_registrations(upto: int) -> None:
        count = upto - state["registrations"]
        batch = people(state["people"], count)
        state["people"] += count
        now = timezone.now()
        statuses = [Registration.Status.VERIFIED] * 6 + [Registration.Status.SUBMITTED] * 3
        statuses.append(Registration.Status.REJECTED)
        registrations = [
            Registration(
                person=person,
                event=event,
                site=sites[(state["registrations"] + n) % SITES],
                role=roles[(state["registrations"] + n) % len(roles)],
                source=Registration.Source.IMPORT,
                status=statuses[n % len(statuses)],
                submitted_at=now - dt.timedelta(minutes=state["registrations"] + n),
                full_name=person.full_name,
                gender=person.gender,
                nik=person.nik,
                nip=person.nip,
                position=person.position,
                province=person.province,
                phone=person.phone,
                agency=agencies[n % len(agencies)],
            )
            for n, person in enumerate(batch)
        ]
        Registration.objects.bulk_create(registrations, batch_size=2_000)
        state["registrations"] = upto
        # Half the verified ones checked in to their site's first session.
        attendances = [
            Attendance(
                registration=registration,
                session=sessions[registration.site_id][0],
                checked_in_at=sessions[registration.site_id][0].starts_at,
                method=Attendance.Method.QR,
            )
            for n, registration in enumerate(registrations)
            if registration.status == Registration.Status.VERIFIED and n % 2 and sessions[registration.site_id]
        ]
        Attendance.objects.bulk_create(attendances, batch_size=2_000)

    regencies = {p.pk: list(Regency.objects.filter(province=p).order_by("code")[:5]) for p in provinces}

    def fill_committees(upto: int) -> None:
        start = state["committees"]
        count = upto - start
        schools = School.objects.bulk_create(
            [
                School(
                    npsn=f"9{i:07d}",
                    name=f"SD Negeri {i} Bench",
                    level=School.Level.SD,
                    regency=regencies[provinces[i % len(provinces)].pk][i % 5],
                )
                for i in range(start, upto)
            ],
            batch_size=2_000,
        )
        members_per_committee = 4
        members = people(state["people"], count * members_per_committee)
        state["people"] += count * members_per_committee
        SekolahPenggerak.objects.bulk_create(
            [
                SekolahPenggerak(school=school, cohort=cohort, principal=members[n * members_per_committee])
                for n, school in enumerate(schools)
            ],
            batch_size=2_000,
        )
        statuses = [Committee.Status.SUBMITTED, Committee.Status.VALIDATED, Committee.Status.DRAFT]
        committees = Committee.objects.bulk_create(
            [
                Committee(school=school, cohort=cohort, status=statuses[n % len(statuses)], submitted_at=timezone.now())
                for n, school in enumerate(schools)
            ],
            batch_size=2_000,
        )
        positions = [Position.KEPALA_SEKOLAH, Position.GURU, Position.GURU, Position.PENGAWAS]
        classes = ["", "Kelas 1", "Kelas 4", ""]
        CommitteeMember.objects.bulk_create(
            [
                CommitteeMember(
                    committee=committee,
                    cohort=cohort,
                    person=members[n * members_per_committee + k],
                    position=positions[k],
                    class_taught=classes[k],
                    order=k,
                )
                for n, committee in enumerate(committees)
                for k in range(members_per_committee)
            ],
            batch_size=2_000,
        )
        state["committees"] = upto

    staff = Client()
    staff.force_login(panitia)
    verifier = Client()
    verifier.force_login(verifikator)
    search_nik = {}

    def search_url() -> str:
        # The list takes a NIK by POST (never in the URL) and redirects to a token kept in the session.
        response = staff.post(reverse("participants:registration_list"), {"q": search_nik["nik"]})
        assert response.status_code == 302, response.status_code
        return response["Location"]

    def pages() -> dict[str, tuple]:
        registrations = reverse("participants:registration_list")
        return {
            "registration list, first page": (staff, registrations),
            "registration list, status + site filter": (
                staff,
                f"{registrations}?status=verified&site={sites[2].pk}",
            ),
            "registration list, search by NIK": (staff, search_url()),
            "committee list": (verifier, f"{reverse('rosters:roster_list')}?cohort={cohort.pk}"),
            "event dashboard": (staff, reverse("reports:dashboard_event", kwargs={"event_id": event.pk})),
            "rekap (PDF)": (
                staff,
                reverse(
                    "reports:report_download", kwargs={"event_id": event.pk, "kind": "rekap", "file_format": "pdf"}
                ),
            ),
        }

    def timed(client, url: str, runs: int) -> float:
        response = client.get(url)  # warm-up (and a check that the page answers)
        assert response.status_code == 200, (url, response.status_code)
        durations = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            durations.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        return min(durations)  # the best run: what the page costs, without the other jobs of a shared machine

    def measure() -> dict[str, float]:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum keeps up on a running server
        wanted = Registration.objects.order_by("pk")[state["registrations"] // 2]
        search_nik["nik"] = wanted.nik
        found = staff.get(search_url())
        assert found.status_code == 200 and wanted.full_name in found.content.decode(), "the NIK search found nobody"
        figures = {name: timed(client, url, PAGE_RUNS) for name, (client, url) in pages().items()}
        export_url = reverse("participants:registration_export")
        started = time.perf_counter()
        export = staff.get(export_url)
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml"), export
        figures["export"] = timed(staff, export_url, EXPORT_RUNS) if EXPORT_RUNS else time.perf_counter() - started
        return figures

    load_started = time.perf_counter()
    fill_registrations(SMALL)
    fill_committees(round(SMALL * COMMITTEES_PER_REGISTRATION))
    small = measure()
    fill_registrations(LARGE)
    fill_committees(round(LARGE * COMMITTEES_PER_REGISTRATION))
    large = measure()
    loaded = time.perf_counter() - load_started

    load = os.getloadavg()[0]
    print(f"PostgreSQL {DATABASE_URL.rsplit('/', 1)[-1]}, {os.cpu_count()} cores, load average {load:.2f}")
    print(f"filled and measured in {loaded:.0f} s; best of {PAGE_RUNS} runs per page")
    worst = 0.0
    for name in small:
        if name == "export":
            continue
        ratio = large[name] / small[name]
        worst = max(worst, ratio)
        pair = f"{SMALL:>6,}: {small[name] * 1000:7.1f} ms   {LARGE:,}: {large[name] * 1000:7.1f} ms"
        print(f"{name:45s} {pair}   x{ratio:.2f}")
    export_ratio = large["export"] / small["export"]
    print(
        f"{'Excel export of every registration':45s} {SMALL:>6,}: {small['export'] * 1000:7.1f} ms   "
        f"{LARGE:,}: {large['export'] * 1000:7.1f} ms   x{export_ratio:.2f} (target <= 25: linear)"
    )
    print(f"ratio={worst:.2f}")


if __name__ == "__main__":
    main()
