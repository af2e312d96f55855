"""Benchmark of the check-in API: 50 scanners at once against gunicorn on PostgreSQL, loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h5a .venv/bin/python bench/checkin.py

It migrates the database, loads the seed events, registers PARTICIPANTS demo people at one site,
starts gunicorn on 127.0.0.1 (a free port), and lets SCANNERS threads check people in through
POST /checkin/sesi/<id>/hadir/ (one person in ten is scanned twice: the second answer is the
harmless "already"). Bounded: at most PARTICIPANTS × 1.1 requests and DURATION seconds.
Prints throughput and latency percentiles; no threshold (figures, not a test).
"""

import datetime as dt
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCANNERS = int(os.environ.get("SCANNERS", "50"))
PARTICIPANTS = int(os.environ.get("PARTICIPANTS", "1000"))
DURATION = float(os.environ.get("DURATION", "45"))
WORKERS = os.environ.get("WORKERS", "2")
THREADS = os.environ.get("THREADS", "8")
HOST = "127.0.0.1"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psp_koordinasi.settings")
# The same production-like settings here (where the login session is made) and in gunicorn.
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(40),
    "ALLOWED_HOSTS": HOST,
    "SECURE_SSL_REDIRECT": "0",
    # Production refuses to start without encryption keys: throw-away keys of the bench's own database.
    "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS10aHJvdy1hd2F5LWZpZWxkLWtleSE=",
    "FIELD_HASH_KEY": "bench-only-throw-away-hash-key",
}
os.environ.update(SERVER_ENV)
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/h5a).")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prepare() -> tuple[int, list[str], str]:
    """Database with the seed events, PARTICIPANTS registrations at Kab. Bima, and a koordinator's login."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from attendance.models import Attendance
    from events import groups as G
    from events.demo import seed_events_load
    from events.models import EventSite, Role, Session
    from events.services.regions import regions_load
    from participants.models import Person, Registration
    from participants.services import PersonData, registration_create

    call_command("migrate", verbosity=0)
    regions_load()
    seed_events_load()
    site = EventSite.objects.get(event__slug="lokakarya-7-angkatan-4-ppgp-ntb-2022", name="Kab. Bima")
    session = site.sessions.order_by("starts_at").first()
    # The door takes check-ins only on the session's day (attendance.rules): the bench's session is today,
    # 08.00–16.00 in the site's zone (this is the bench's own database).
    zone = ZoneInfo(site.time_zone)
    today = timezone.now().astimezone(zone).date()
    Session.objects.filter(pk=session.pk).update(
        starts_at=dt.datetime.combine(today, dt.time(8), tzinfo=zone),
        ends_at=dt.datetime.combine(today, dt.time(16), tzinfo=zone),
    )
    Attendance.objects.filter(session__site=site).delete()
    role = Role.objects.get(program=site.event.program, code="LAINNYA")
    have = Registration.objects.filter(site=site, full_name__startswith="Peserta Bench").count()
    for number in range(have + 1, PARTICIPANTS + 1):
        nik = f"520101{12 + 40 * (number % 2):02d}0585{number:04d}"
        registration_create(
            site=site,
            role=role,
            person_data=PersonData(
                full_name=f"Peserta Bench {number:04d}", nik=nik, province=site.venue.regency.province
            ),
            source=Registration.Source.ADMIN,
            actor=None,
        )
    codes = list(
        Registration.objects.filter(site=site, full_name__startswith="Peserta Bench").values_list("code", flat=True)[
            :PARTICIPANTS
        ]
    )
    user, _ = get_user_model().objects.get_or_create(username="bench-koordinator", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=G.KOORDINATOR_SITE))
    site.coordinators.add(user)
    client = Client()
    client.force_login(user)
    assert Person.objects.filter(full_name__startswith="Peserta Bench").count() >= PARTICIPANTS
    return session.pk, codes, client.cookies["sessionid"].value


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ, **SERVER_ENV)
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "psp_koordinasi.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        WORKERS,
        "--worker-class",
        "gthread",
        "--threads",
        THREADS,
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def main() -> None:
    session_id, codes, session_cookie = prepare()
    port = free_port()
    server = start_server(port)
    csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret, sent as cookie and header
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Cookie": f"sessionid={session_cookie}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
    }
    path = f"/checkin/sesi/{session_id}/hadir/"
    work = [(code, "qr") for code in codes] + [(code, "qr") for code in random.sample(codes, len(codes) // 10)]
    random.shuffle(work)
    lock = threading.Lock()
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    stop_at = time.monotonic() + DURATION

    def scanner() -> None:
        while time.monotonic() < stop_at:
            with lock:
                if not work:
                    return
                code, method = work.pop()
            body = json.dumps({"code": code, "method": method})
            started = time.perf_counter()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                status = response.status
            except OSError as error:
                status, data = type(error).__name__, b"{}"
            finally:
                connection.close()
            elapsed = time.perf_counter() - started
            if status == 200:
                answer = json.loads(data)
                kind = "created" if answer.get("created") else ("already" if answer.get("recorded") else "refused")
            else:
                kind = f"HTTP {status}"
            with lock:
                latencies.append(elapsed)
                outcomes[kind] = outcomes.get(kind, 0) + 1

    threads = [threading.Thread(target=scanner) for _ in range(SCANNERS)]
    wall = time.perf_counter()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        wall = time.perf_counter() - wall
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    from attendance.models import Attendance

    stored = Attendance.objects.filter(session_id=session_id).count()
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    print(f"check-in API, {SCANNERS} concurrent scanners, gunicorn gthread {WORKERS}×{THREADS}, PostgreSQL")
    print(f"requests: {len(latencies)} in {wall:.1f} s = {len(latencies) / wall:.0f} req/s")
    print(f"outcomes: {json.dumps(outcomes, sort_keys=True)}; attendance rows stored: {stored}")
    print(
        f"latency ms: p50 {percentile(50):.1f}  p95 {percentile(95):.1f}  p99 {percentile(99):.1f}  "
        f"max {latencies[-1] * 1000:.1f}  mean {statistics.mean(latencies) * 1000:.1f}"
    )


if __name__ == "__main__":
    main()
