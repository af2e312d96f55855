"""What every bench shares: production-like settings of its own, its own PostgreSQL database, gunicorn, load phases.

A bench runs from a fresh clone with nothing prepared (`.venv/bin/python bench/<name>.py`):

- `bench_environment(name)` sets, before Django is imported, the settings of a production server (DEBUG off)
  with throw-away keys made for this run: SECRET_KEY, FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY only ever
  encrypt the bench's own database, which is made empty at the start and dropped at the end. The database is
  `postgres://postgres@127.0.0.1:5432/bench_<name>` unless BENCH_DATABASE_URL names another one; DATABASE_URL
  is ignored on purpose (the bench drops its database: never the one a developer works with).
- `own_database(url)` creates that database (dropping a leftover of an interrupted run) and drops it on exit.
- `start_gunicorn(...)`, `run_phase(...)` and `report(...)` serve the app on 127.0.0.1 and load it with client
  threads (one connection per request, as browsers and phones at a venue do). Traffic goes only to loopback.

Nothing here asserts a timing: benches print figures, the last line being `ratio=`.
"""

from __future__ import annotations

import atexit
import base64
import importlib.util
import itertools
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def bench_environment(name: str, *, settings: str = "bench.settings_bench") -> str:
    """Set the production-like environment of this run (inherited by every subprocess); returns the database URL."""
    url = os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@{HOST}:5432/bench_{name}"
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("BENCH_DATABASE_URL must name a PostgreSQL database (postgres://...).")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "LOG_LEVEL": "WARNING",
            # Throw-away keys of this run's own database (dropped at the end), the same in every process of the run.
            "SECRET_KEY": secrets.token_urlsafe(40),
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "FIELD_HASH_KEY": secrets.token_urlsafe(32),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
        }
    )
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    # A bench stopped with SIGTERM still stops its gunicorn and drops its database (the atexit handlers).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    return url


def _admin_connection(url: str):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    return psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True), parts.path.lstrip("/")


def _drop(url: str) -> None:
    from psycopg import sql

    connection, name = _admin_connection(url)
    with connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def own_database(url: str) -> None:
    """An empty database of this run (a leftover of an interrupted run is dropped first), dropped at exit."""
    from psycopg import sql

    _drop(url)
    connection, name = _admin_connection(url)
    with connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop_at_exit() -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up; the drop below forces the others out
            pass
        _drop(url)

    atexit.register(drop_at_exit)


def migrate() -> None:
    """Migrate the bench database in a subprocess (as a deployment does) and set up Django here."""
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True)
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, *, workers: int, threads: int) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port with the run's environment; stopped (its whole process group) at exit."""
    if importlib.util.find_spec("gunicorn") is None:
        raise SystemExit("gunicorn is not installed: run `make bench B=<name>` (or make install-dev)")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "psp_koordinasi.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--backlog",
        "256",
        # A worker's first request imports every area (URLs, PDF fonts): on a 2-core machine shared with other
        # jobs that can outlast gunicorn's default 30 s, and the worker would be killed and started again.
        "--timeout",
        "180",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    atexit.register(stop_gunicorn, server)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start within 30 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def csrf_headers(token: str, cookies: str = "") -> dict[str, str]:
    """A CSRF cookie and the same unmasked secret in the header (what a page's form or script sends back)."""
    cookie = f"csrftoken={token}" + (f"; {cookies}" if cookies else "")
    return {"Cookie": cookie, "X-CSRFToken": token}


def post(port: int, path: str, body: str | bytes, headers: dict[str, str]) -> tuple[float, int, bytes]:
    """One POST on a new connection: (seconds, status (0 when the connection failed), body)."""
    import http.client

    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    started = time.perf_counter()
    try:
        connection.request("POST", path, body, headers)
        response = connection.getresponse()
        data = response.read()
        status = response.status
    except OSError:
        status, data = 0, b""
    finally:
        connection.close()
    return time.perf_counter() - started, status, data


def run_phase(
    request: Callable[[], tuple[float, int, bytes]],
    *,
    clients: int,
    seconds: float,
    max_requests: int,
    success: Callable[[int, bytes], bool] = lambda status, data: 200 <= status < 300,
    outcome: Callable[[int, bytes], str] | None = None,
) -> dict:
    """`clients` threads send `request()` until the duration or the request budget runs out.

    Throughput counts the answers `success` accepts (default: 2xx; a form POST succeeds with its redirect);
    `outcome` may name what each answer was (e.g. created / already) for the report.
    """
    latencies: list[float] = []
    statuses: Counter = Counter()
    outcomes: Counter = Counter()
    succeeded = itertools.count()
    lock = threading.Lock()
    budget = itertools.count()
    deadline = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < deadline and next(budget) < max_requests:
            elapsed, status, data = request()
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1
                if success(status, data):
                    next(succeeded)
                if outcome is not None:
                    outcomes[outcome(status, data)] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ok = next(succeeded)
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else 0.0

    return {
        "requests": len(latencies),
        "ok": ok,
        "statuses": dict(statuses),
        "outcomes": dict(outcomes),
        "throughput": ok / wall if wall else 0.0,
        "p50": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p95": percentile(95),
        "p99": percentile(99),
        "wall": wall,
    }


def report(name: str, result: dict) -> None:
    outcomes = f" outcomes={result['outcomes']}" if result["outcomes"] else ""
    print(
        f"{name}: requests={result['requests']} ok={result['ok']} statuses={result['statuses']}{outcomes} "
        f"wall={result['wall']:.1f}s throughput={result['throughput']:.1f}/s "
        f"p50={result['p50']:.1f}ms p95={result['p95']:.1f}ms p99={result['p99']:.1f}ms",
        flush=True,
    )


def machine() -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"cpus={os.cpu_count()}, load average={load}"
