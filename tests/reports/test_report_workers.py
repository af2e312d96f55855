"""The path a multi-server deployment takes (README, "Running it for a province or the whole country"): a large
daftar hadir asked for on the web is queued, built by a SEPARATE worker process against the same database, polled
like the browser polls it, and downloaded.

Two queues: the database one (django-tasks-db, worker `manage.py db_worker`, the production default) and RQ on Redis
(django-tasks-rq, worker `manage.py rqworker --job-class django_tasks_rq.Job`, when REDIS_URL is set). The worker is
another process: it sees only what the web side committed (a transactional test), and the file only through the
storage both share (MEDIA_ROOT here). PostgreSQL only: the test database of SQLite lives in this process's memory.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.urls import reverse
from django_rq import get_queue
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_rq.backend import Job

from core.models import ReportJob
from events import groups as G
from participants.services import registration_verify
from tests.factories import register, user_in
from tests.reports.reports_helpers import pdf_text

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of its own: the queue of this test is emptied before it runs.
RQ_REDIS_URL = os.environ.get("TEST_RQ_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKER_WAIT = 25  # seconds: a worker process starts (Django set-up) and builds a 12-row PDF well within this

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: a worker process cannot reach SQLite's in-memory test database",
    ),
]


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(RQ_REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def worker_environ(media_root: Path, **extra: str) -> dict[str, str]:
    """The app's own settings (not the test ones) against this test's database and media folder."""
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    return {**env, "DATABASE_URL": url, "MEDIA_ROOT": str(media_root), "DB_POOL_DISABLED": "1", **extra}


def start_worker(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own manage.py with the current interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen) -> str:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    return worker.communicate()[0] or ""


def large_daftar_hadir_through_the_web(client, lokakarya, settings, worker: subprocess.Popen) -> bytes:
    """Twelve verified participants (REPORTS_LARGE_SHEET_ROWS 5: a background job); the panitia asks for the daftar
    hadir, polls the job's status like the page does, and downloads the file the worker built."""
    settings.REPORTS_LARGE_SHEET_ROWS = 5
    site = lokakarya.sites.order_by("order").first()
    session = site.sessions.order_by("starts_at").first()
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    for index in range(12):
        registration_verify(registration=register(site, name=f"Peserta Antrean {index:02d}"), actor=panitia)
    client.force_login(panitia)

    url = reverse("reports:report_download", args=[lokakarya.id, "daftar_hadir", "pdf"])
    response = client.get(f"{url}?site={site.id}&session={session.id}")
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:report_job", args=[job.pk])
    assert client.get(response["Location"]).status_code == 200

    status_url = reverse("core:report_job_status", args=[job.pk])
    deadline = time.monotonic() + WORKER_WAIT
    while True:
        status = client.get(status_url).content.decode()
        if "hx-trigger" not in status:  # the page stops polling once the job is done (or failed)
            break
        assert worker.poll() is None, f"the worker stopped: {stop_worker(worker)}"
        assert time.monotonic() < deadline, f"no worker built the job in {WORKER_WAIT} s: {stop_worker(worker)}"
        time.sleep(0.3)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, stop_worker(worker)
    file_url = reverse("core:report_job_file", args=[job.pk])
    assert file_url in status

    download = client.get(file_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    return b"".join(download.streaming_content)


def test_database_queue_a_separate_db_worker_builds_the_large_daftar_hadir(
    transactional_db, client, lokakarya, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.MEDIA_ROOT = tmp_path
    env = worker_environ(tmp_path, TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    worker = start_worker(env, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2")
    try:
        content = large_daftar_hadir_through_the_web(client, lokakarya, settings, worker)
    finally:
        output = stop_worker(worker)
    text, _pages = pdf_text(content)
    assert content.startswith(b"%PDF")
    assert "DAFTAR HADIR" in text and all(f"Peserta Antrean {index:02d}" in text for index in range(12)), output
    # Built by the worker: the queue's row of the task says so, and this process ran nothing.
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.skipif(
    not _redis_answers() and not os.environ.get("REQUIRE_REDIS_TESTS"),
    reason=f"no Redis answers at {RQ_REDIS_URL} (TEST_RQ_REDIS_URL)",
)
def test_redis_queue_a_separate_rq_worker_builds_the_large_daftar_hadir(
    transactional_db, client, lokakarya, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": RQ_REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    settings.MEDIA_ROOT = tmp_path
    queue = get_queue("default")
    queue.empty()  # nothing left over from an earlier run
    env = worker_environ(tmp_path, TASKS_BACKEND="django_tasks_rq.RQBackend", REDIS_URL=RQ_REDIS_URL)
    worker = start_worker(env, "rqworker", "--job-class", "django_tasks_rq.Job", "default")
    try:
        content = large_daftar_hadir_through_the_web(client, lokakarya, settings, worker)
    finally:
        output = stop_worker(worker)
    text, _pages = pdf_text(content)
    assert content.startswith(b"%PDF")
    assert "DAFTAR HADIR" in text and all(f"Peserta Antrean {index:02d}" in text for index in range(12)), output
    # Built by the RQ worker: this job is in the queue's finished registry. The registry keeps finished jobs for
    # their result_ttl (500 s), so an earlier run's jobs may still be there: look for this run's job by its kwargs.
    report_job = str(ReportJob.objects.get().pk)
    finished = [
        Job.fetch(job_id, connection=queue.connection) for job_id in queue.finished_job_registry.get_job_ids()
    ]
    assert len(queue) == 0 and [job.kwargs for job in finished].count({"job_id": report_job}) == 1, finished
