"""Registration benchmark: concurrent self-registration POSTs against gunicorn + PostgreSQL.

Run from the project folder:  .venv/bin/python bench/registration.py

- DATABASE_URL (default postgres://postgres@127.0.0.1:5432/h3b_bench): created when missing, migrated,
  loaded with the regions, the seed events and an open bench event with one site (quotas closed when
  full, so every registration takes the quota row lock); earlier bench registrations are removed.
- gunicorn serves the app with bench/settings_bench.py (the same middleware; bench URLs only) on
  127.0.0.1. Two phases under the same server: ``bare`` (a view that inserts one row) and
  ``registration`` (a form POST with the self-registration fields → registration_create).
- 50 client threads (http.client, one connection per request), each phase bounded by a request count
  and a duration. Prints throughput and p50/p95 latency of each phase; the last line is
  ``ratio=<registration throughput / bare throughput>``. Targets: ratio >= 0.5, p95 < 250 ms.

Not a test: nothing here asserts timings. Traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import itertools
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/h3b_bench"
HOST = "127.0.0.1"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE_SECONDS", "12"))
PHASE_MAX_REQUESTS = int(os.environ.get("BENCH_PHASE_MAX_REQUESTS", "5000"))
# Sync workers spend much of a registration waiting on PostgreSQL: more workers than cores pays.
WORKERS = int(os.environ.get("BENCH_WORKERS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
BENCH_EVENT_SLUG = "bench-pendaftaran-mandiri"
ROLE_CODES = ["CGP", "PP", "KEPALA_SEKOLAH", "PENGAWAS_SEKOLAH"]
# Quotas closed when full make every registration lock its quota row (the strict path, default).
CLOSE_WHEN_FULL = os.environ.get("BENCH_CLOSE_WHEN_FULL", "1") != "0"


def ensure_database(url: str) -> None:
    """Create the benchmark database when it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(env: dict[str, str]) -> tuple[list[int], list[int]]:
    """Migrate and load the minimal data; returns the bench site ids and role ids."""
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    import django

    django.setup()
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from core.models import AuditEntry
    from events.demo import seed_events_load
    from events.models import Event, EventSite, Province, Role, SiteQuota, Venue
    from events.services.regions import regions_load
    from participants.models import Person, Registration

    if Province.objects.count() < 38:
        regions_load()
    seeds = {event.slug: event for event in seed_events_load()}
    model = seeds["lokakarya-7-angkatan-4-ppgp-ntb-2022"]
    today = timezone.localdate()
    with transaction.atomic():
        event, _ = Event.objects.update_or_create(
            slug=BENCH_EVENT_SLUG,
            defaults={
                "program": model.program,
                "cohort": model.cohort,
                "title": "Bench: pendaftaran mandiri",
                "kind": Event.Kind.LOKAKARYA,
                "organizer": model.organizer,
                "start_date": today + dt.timedelta(days=30),
                "end_date": today + dt.timedelta(days=31),
                "status": Event.Status.PUBLISHED,
                "registration_opens_at": timezone.now() - dt.timedelta(days=1),
                "registration_closes_at": timezone.now() + dt.timedelta(days=20),
            },
        )
        site, _ = EventSite.objects.update_or_create(
            event=event,
            name="Bench Site",
            defaults={
                "venue": Venue.objects.get(name="SMPN 3 Woha"),
                "start_date": event.start_date,
                "end_date": event.end_date,
            },
        )
        site.provinces_served.set(Province.objects.filter(code="52"))
        roles = list(Role.objects.filter(program=event.program, code__in=ROLE_CODES))
        for role in roles:
            SiteQuota.objects.update_or_create(
                site=site, role=role, defaults={"target": 1_000_000, "close_when_full": CLOSE_WHEN_FULL}
            )
        old = Registration.objects.filter(event=event)
        people = list(old.values_list("person_id", flat=True))
        old.delete()
        Person.objects.filter(pk__in=people, registrations__isnull=True).delete()
        AuditEntry.objects.filter(action="bench.bare").delete()
    connection.close()
    return [site.pk], [role.pk for role in roles]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "psp_koordinasi.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--worker-class",
        "gthread" if THREADS > 1 else "sync",
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - fixed argv, loopback only
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 20 s")


def post(port: int, path: str, body: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    started = time.perf_counter()
    try:
        connection.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return time.perf_counter() - started, status


_numbers = itertools.count(1)
_numbers_lock = threading.Lock()


def next_nik() -> tuple[int, str]:
    """A unique NIK that passes the format rules (Lombok Barat, birth dates spread over 1980–1999)."""
    with _numbers_lock:
        number = next(_numbers)
    day, month, year = 1 + number % 28, 1 + (number // 28) % 12, 80 + (number // 336) % 20
    serial = 1 + number // 6720
    return number, f"520101{day:02d}{month:02d}{year:02d}{serial:04d}"


def registration_body(site_ids: list[int], role_ids: list[int]) -> str:
    number, nik = next_nik()
    return urllib.parse.urlencode(
        {
            "site": site_ids[number % len(site_ids)],
            "role": role_ids[number % len(role_ids)],
            "full_name": f"Bench Peserta {number}",
            "nik": nik,
            "gender": "L",
            "position": "Guru",
            "province": "52",
            "phone": "0812-3456-7890",
            "email": "",
            "consent": "on",
        }
    )


def bare_body() -> str:
    return "note=bench"


def run_phase(port: int, path: str, body, *, seconds: float, max_requests: int) -> dict:
    """CLIENTS threads POST until the duration or the request budget runs out."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    budget = itertools.count()
    deadline = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < deadline and next(budget) < max_requests:
            elapsed, status = post(port, path, body())
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ok = sum(count for status, count in statuses.items() if 200 <= status < 300)
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "ok": ok,
        "statuses": dict(statuses),
        "throughput": ok / wall if wall else 0.0,
        "p50": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000 if ordered else 0.0,
        "wall": wall,
    }


def report(name: str, result: dict) -> None:
    print(
        f"{name}: requests={result['requests']} ok={result['ok']} statuses={result['statuses']} "
        f"wall={result['wall']:.1f}s throughput={result['throughput']:.1f}/s "
        f"p50={result['p50']:.1f}ms p95={result['p95']:.1f}ms",
        flush=True,
    )


def main() -> None:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    if not env["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database(env["DATABASE_URL"])
    site_ids, role_ids = prepare(env)

    port = free_port()
    server = start_server(env, port)
    try:
        print(
            f"gunicorn: {WORKERS} workers x {THREADS} threads, {CLIENTS} clients, phases of at most "
            f"{PHASE_SECONDS:.0f} s / {PHASE_MAX_REQUESTS} requests, cpus={os.cpu_count()}, "
            f"quota lock={'on' if CLOSE_WHEN_FULL else 'off'}, load average={os.getloadavg()[0]:.1f}",
            flush=True,
        )
        for path, body in (
            ("/bench/bare/", bare_body),
            ("/bench/register/", lambda: registration_body(site_ids, role_ids)),
        ):
            run_phase(port, path, body, seconds=2, max_requests=100)  # warm-up: pools, imports, caches
        bare = run_phase(port, "/bench/bare/", bare_body, seconds=PHASE_SECONDS, max_requests=PHASE_MAX_REQUESTS)
        report("bare", bare)
        registration = run_phase(
            port,
            "/bench/register/",
            lambda: registration_body(site_ids, role_ids),
            seconds=PHASE_SECONDS,
            max_requests=PHASE_MAX_REQUESTS,
        )
        report("registration", registration)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    ratio = registration["throughput"] / bare["throughput"] if bare["throughput"] else 0.0
    print(f"ratio={ratio:.2f}", flush=True)


if __name__ == "__main__":
    main()
