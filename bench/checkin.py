"""Benchmark of the check-in API: SCANNERS phones at once against gunicorn on PostgreSQL, loopback only.

Run from the project folder, with nothing prepared:  .venv/bin/python bench/checkin.py

- Its own database (bench/common.py: postgres://postgres@127.0.0.1:5432/bench_checkin, or BENCH_DATABASE_URL),
  created empty, migrated, dropped at the end; production-like settings (DEBUG off) with throw-away keys.
- Loads the regions and seed events, registers PARTICIPANTS fictitious people at Kab. Bima, moves the site's first
  session to today (the door takes check-ins only on the session's day), and logs a koordinator site in.
- gunicorn (bench/settings_bench.py: the app's middleware and URLs, plus the floor) on 127.0.0.1, two phases under
  the same server and the same session cookie and CSRF token:
  ``bare``: a trivial signed-in POST (login_required, one INSERT) — the floor;
  ``check-in``: POST /checkin/sesi/<id>/hadir/ with each code (one person in ten scanned twice: the second
  answer is the harmless "already").
- Prints throughput and latency of each phase, the outcomes and the rows stored; the last line is
  ``ratio=<check-in throughput / bare throughput>``. Targets: ratio >= 0.5, p95 < 300 ms at 50 scanners.

Not a test: nothing here asserts timings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import secrets
import sys
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

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

SCANNERS = int(os.environ.get("SCANNERS", "50"))
PARTICIPANTS = int(os.environ.get("PARTICIPANTS", "1000"))
PHASE_SECONDS = float(os.environ.get("DURATION", "45"))
# Two sync workers per core, as bench/registration.py: a check-in waits on PostgreSQL only for its own statements
# (measured back to back on 2 cores: gthread 2 × 8 gave 305/s, p95 309 ms; 4 × 4 308/s, p95 326 ms; 4 sync
# workers 334/s, p95 173 ms).
WORKERS = int(os.environ.get("WORKERS", "4"))
THREADS = int(os.environ.get("THREADS", "1"))


def prepare() -> tuple[int, list[str], str]:
    """Seed events, PARTICIPANTS registrations at Kab. Bima, the session moved to today, a koordinator's login."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connections
    from django.test import Client
    from django.utils import timezone

    from events import groups as G
    from events.demo import seed_events_load
    from events.models import EventSite, Role, Session
    from events.services.regions import regions_load
    from participants.models import Registration
    from participants.services import PersonData, registration_create

    regions_load()
    seed_events_load()
    site = EventSite.objects.get(event__slug="lokakarya-7-angkatan-4-ppgp-ntb-2022", name="Kab. Bima")
    session = site.sessions.order_by("starts_at").first()
    zone = ZoneInfo(site.time_zone)
    today = timezone.now().astimezone(zone).date()
    Session.objects.filter(pk=session.pk).update(
        starts_at=dt.datetime.combine(today, dt.time(0), tzinfo=zone),
        ends_at=dt.datetime.combine(today, dt.time(23, 59), tzinfo=zone),
    )
    role = Role.objects.get(program=site.event.program, code="LAINNYA")
    province = site.venue.regency.province
    for number in range(1, PARTICIPANTS + 1):
        registration_create(
            site=site,
            role=role,
            person_data=PersonData(
                full_name=f"Peserta Bench {number:04d}",
                nik=f"520101{12 + 40 * (number % 2):02d}0585{number:04d}",
                province=province,
            ),
            source=Registration.Source.ADMIN,
            actor=None,
        )
    codes = list(Registration.objects.filter(site=site).values_list("code", flat=True))
    user = get_user_model().objects.create_user(username="bench-koordinator", is_staff=True)
    user.groups.add(Group.objects.get(name=G.KOORDINATOR_SITE))
    site.coordinators.add(user)
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    connections.close_all()
    return session.pk, codes, cookie


def main() -> None:
    url = bench_environment("checkin")
    own_database(url)
    migrate()
    session_id, codes, session_cookie = prepare()

    token = secrets.token_hex(16)  # an unmasked CSRF secret, sent as cookie and header
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        **csrf_headers(token, f"sessionid={session_cookie}"),
    }
    path = f"/checkin/sesi/{session_id}/hadir/"
    work = [*codes, *random.sample(codes, len(codes) // 10)]
    random.shuffle(work)
    lock = threading.Lock()

    def check_in():
        with lock:
            code = work.pop() if work else codes[0]
        return post(port, path, json.dumps({"code": code, "method": "qr"}), headers)

    def bare():
        return post(port, "/bench/bare-signed-in/", "{}", headers)

    def answered(status: int, data: bytes) -> bool:
        return status == 200 and json.loads(data).get("recorded", False)

    def outcome(status: int, data: bytes) -> str:
        if status != 200:
            return f"HTTP {status}"
        answer = json.loads(data)
        return "created" if answer.get("created") else ("already" if answer.get("recorded") else "refused")

    port = free_port()
    server = start_gunicorn(port, workers=WORKERS, threads=THREADS)
    requests = len(work)
    try:
        print(
            f"gunicorn {'gthread' if THREADS > 1 else 'sync'} {WORKERS} workers x {THREADS} threads, "
            f"{SCANNERS} scanners, {PARTICIPANTS} people, "
            f"phases of at most {PHASE_SECONDS:.0f} s / {requests} requests, PostgreSQL, {machine()}",
            flush=True,
        )
        run_phase(bare, clients=SCANNERS, seconds=2, max_requests=100, success=lambda s, d: s == 201)  # warm-up
        floor = run_phase(
            bare, clients=SCANNERS, seconds=PHASE_SECONDS, max_requests=requests, success=lambda s, d: s == 201
        )
        report("bare signed-in POST", floor)
        checkin = run_phase(
            check_in,
            clients=SCANNERS,
            seconds=PHASE_SECONDS,
            max_requests=requests,
            success=answered,
            outcome=outcome,
        )
        report("check-in", checkin)
    finally:
        stop_gunicorn(server)

    from attendance.models import Attendance

    print(f"attendance rows stored: {Attendance.objects.filter(session_id=session_id).count()}", flush=True)
    print(f"after the run: {machine()}", flush=True)
    ratio = checkin["throughput"] / floor["throughput"] if floor["throughput"] else 0.0
    print(f"ratio={ratio:.2f}", flush=True)


if __name__ == "__main__":
    main()
