"""Registration benchmark: concurrent public self-registration POSTs against gunicorn + PostgreSQL.

Run from the project folder, with nothing prepared:  .venv/bin/python bench/registration.py

- Its own database (bench/common.py: postgres://postgres@127.0.0.1:5432/bench_registration, or
  BENCH_DATABASE_URL), created empty, migrated, loaded with the regions, the seed events and an open bench event
  with one site whose quotas close when full (so every registration takes the quota row lock); dropped at the end.
  Production-like settings (DEBUG off) with throw-away keys of this run.
- gunicorn serves the app with bench/settings_bench.py (the app's middleware and URLs, plus the floor) on
  127.0.0.1. Two phases under the same server: ``bare`` (an anonymous POST that inserts one row) and
  ``registration`` (the public form's POST, /daftar/<event>/<site>/, with CSRF token and the throttle's count:
  exactly what a participant's browser sends; success is its redirect to the confirmation).
- CLIENTS client threads (one connection per request), each phase bounded by a request count and a duration.
  Prints throughput and p50/p95 latency of each phase; the last line is
  ``ratio=<registration throughput / bare throughput>``. Targets: ratio >= 0.5, p95 < 250 ms at 50 clients.

Not a test: nothing here asserts timings. Traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import itertools
import os
import secrets
import sys
import threading
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    bench_environment,
    csrf_headers,
    free_port,
    machine,
    migrate,
    own_database,
    post,
    report,
    run_phase,
    start_gunicorn,
    stop_gunicorn,
)

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE_SECONDS", "12"))
PHASE_MAX_REQUESTS = int(os.environ.get("BENCH_PHASE_MAX_REQUESTS", "5000"))
# Two sync workers per core: a registration waits on PostgreSQL only for its statements (the quota lock holds no
# other registration back since issue 16), so more workers than that only add switching (measured: 8 workers gave
# 214/s, p95 258 ms; 4 gave 239/s, p95 233 ms, back to back on 2 cores).
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
BENCH_EVENT_SLUG = "bench-pendaftaran-mandiri"
ROLE_CODES = ["CGP", "PP", "KEPALA_SEKOLAH", "PENGAWAS_SEKOLAH"]
# Quotas closed when full make every registration lock its quota row (the strict path, default).
CLOSE_WHEN_FULL = os.environ.get("BENCH_CLOSE_WHEN_FULL", "1") != "0"


def prepare() -> tuple[str, list[int], int]:
    """The minimal data: regions, seed events, the open bench event. Returns its form path, role ids, province id."""
    import datetime as dt

    from django.db import connections, transaction
    from django.urls import reverse
    from django.utils import timezone

    from events.demo import seed_events_load
    from events.models import Event, EventSite, Province, Role, SiteQuota, Venue
    from events.services.regions import regions_load

    regions_load()
    seeds = {event.slug: event for event in seed_events_load()}
    model = seeds["lokakarya-7-angkatan-4-ppgp-ntb-2022"]
    today = timezone.localdate()
    with transaction.atomic():
        event = Event.objects.create(
            slug=BENCH_EVENT_SLUG,
            program=model.program,
            cohort=model.cohort,
            title="Bench: pendaftaran mandiri",
            kind=Event.Kind.LOKAKARYA,
            organizer=model.organizer,
            start_date=today + dt.timedelta(days=30),
            end_date=today + dt.timedelta(days=31),
            status=Event.Status.PUBLISHED,
            registration_opens_at=timezone.now() - dt.timedelta(days=1),
            registration_closes_at=timezone.now() + dt.timedelta(days=20),
        )
        site = EventSite.objects.create(
            event=event,
            name="Bench Site",
            venue=Venue.objects.get(name="SMPN 3 Woha"),
            start_date=event.start_date,
            end_date=event.end_date,
        )
        province = Province.objects.get(code="52")
        site.provinces_served.set([province])
        roles = list(Role.objects.filter(program=event.program, code__in=ROLE_CODES))
        for role in roles:
            SiteQuota.objects.update_or_create(
                site=site, role=role, defaults={"target": 1_000_000, "close_when_full": CLOSE_WHEN_FULL}
            )
    path = reverse("participants:public_register", kwargs={"slug": event.slug, "site_id": site.pk})
    connections.close_all()
    return path, [role.pk for role in roles], province.pk


_numbers = itertools.count(1)
_numbers_lock = threading.Lock()


def next_nik() -> tuple[int, str]:
    """A unique NIK that passes the format rules (Lombok Barat, birth dates spread over 1980–1999)."""
    with _numbers_lock:
        number = next(_numbers)
    day, month, year = 1 + number % 28, 1 + (number // 28) % 12, 80 + (number // 336) % 20
    serial = 1 + number // 6720
    return number, f"520101{day:02d}{month:02d}{year:02d}{serial:04d}"


def registration_body(role_ids: list[int], province_id: int) -> str:
    number, nik = next_nik()
    return urllib.parse.urlencode(
        {
            "role": role_ids[number % len(role_ids)],
            "full_name": f"Bench Peserta {number}",
            "nik": nik,
            "gender": "L",
            "position": "Guru",
            "province": province_id,
            "phone": "0812-3456-7890",
            "email": "",
            "privacy_accepted": "on",
        }
    )


def main() -> None:
    url = bench_environment("registration")
    own_database(url)
    migrate()
    path, role_ids, province_id = prepare()

    token = secrets.token_hex(16)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **csrf_headers(token)}
    port = free_port()
    server = start_gunicorn(port, workers=WORKERS, threads=THREADS)

    def bare():
        return post(port, "/bench/bare/", "note=bench", headers)

    def register():
        return post(port, path, registration_body(role_ids, province_id), headers)

    def registered(status: int, data: bytes) -> bool:
        return status == 302  # to the confirmation page; 200 would be the form shown again with an error

    try:
        print(
            f"gunicorn: {WORKERS} workers x {THREADS} threads, {CLIENTS} clients, phases of at most "
            f"{PHASE_SECONDS:.0f} s / {PHASE_MAX_REQUESTS} requests, quota lock={'on' if CLOSE_WHEN_FULL else 'off'}, "
            f"PostgreSQL, {machine()}",
            flush=True,
        )
        run_phase(bare, clients=CLIENTS, seconds=2, max_requests=100)  # warm-up: pools, imports, caches
        run_phase(register, clients=CLIENTS, seconds=2, max_requests=100, success=registered)
        floor = run_phase(bare, clients=CLIENTS, seconds=PHASE_SECONDS, max_requests=PHASE_MAX_REQUESTS)
        report("bare", floor)
        registration = run_phase(
            register, clients=CLIENTS, seconds=PHASE_SECONDS, max_requests=PHASE_MAX_REQUESTS, success=registered
        )
        report("registration", registration)
    finally:
        stop_gunicorn(server)
    print(f"after the run: {machine()}", flush=True)
    ratio = registration["throughput"] / floor["throughput"] if floor["throughput"] else 0.0
    print(f"ratio={ratio:.2f}", flush=True)


if __name__ == "__main__":
    main()
