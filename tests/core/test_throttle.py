"""The throttle kit (core/throttle.py) and the cache it counts in (core/cache.py, settings.CACHES).

Counts are per client address and window, in the database cache (or Redis), so that every worker and
every restart sees them: the tests read them back through new cache connections, other processes and
concurrent threads, not only through the object that wrote them.
"""

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import types
import uuid
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

import core.throttle
from core.cache import DatabaseCache
from core.throttle import FAILED_LOOKUPS, PUBLIC_POSTS, Throttle, client_bucket, throttled
from psp_koordinasi import urls as project_urls
from psp_koordinasi.settings import base as base_settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# 2026-12-02 10:30:00 UTC: the middle of an hourly window, the start of a 10-minute one.
FIXED_NOW = 1_796_207_400

pytestmark = pytest.mark.django_db

factory = RequestFactory()


def from_address(address: str = "203.0.113.7", **headers):
    return factory.post("/", REMOTE_ADDR=address, **headers)


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand: `clock.now` seconds since the epoch."""
    fake = types.SimpleNamespace(now=FIXED_NOW)
    fake.time = lambda: fake.now
    monkeypatch.setattr(core.throttle, "time", fake)
    return fake


def test_the_cache_is_the_database_cache_with_its_table():
    assert isinstance(caches["default"], DatabaseCache)
    assert caches["default"]._table == "core_cache"
    assert "core_cache" in connection.introspection.table_names()


def test_counts_and_blocks_at_the_limit(clock):
    throttle = Throttle("test", limit=3, window_seconds=60)
    request = from_address()
    assert throttle.count(request) == 0 and not throttle.is_blocked(request)
    assert [throttle.hit(request) for _ in range(3)] == [True, True, True]
    assert throttle.count(request) == 3 and throttle.is_blocked(request)
    assert throttle.hit(request) is False
    assert throttle.count(request) == 4


def test_the_count_resets_when_the_window_ends(clock):
    throttle = Throttle("test", limit=2, window_seconds=600)
    request = from_address()
    throttle.hit(request), throttle.hit(request)
    assert throttle.is_blocked(request)
    assert throttle.retry_after(request) == 600 - FIXED_NOW % 600
    clock.now += throttle.retry_after(request) - 1
    assert throttle.is_blocked(request) and throttle.retry_after(request) == 1
    clock.now += 1
    assert throttle.count(request) == 0 and not throttle.is_blocked(request)
    assert throttle.retry_after(request) == 600
    assert throttle.hit(request)


@pytest.mark.slow
def test_migrate_alone_creates_the_cache_table(tmp_path):
    """`make run` runs only migrate (and load_demo): the table must come from a migration, and go with it."""
    database = tmp_path / "fresh.sqlite3"
    env = _worker_env(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="psp_koordinasi.settings")

    def manage(*args):
        result = subprocess.run(  # noqa: S603 - our own manage.py with the current interpreter
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def tables():
        with sqlite3.connect(database) as db:
            return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    manage("migrate", "core", "--no-input")
    assert "core_cache" in tables()
    manage("migrate", "core", "0002", "--no-input")
    assert "core_cache" not in tables()


def test_incr_keeps_the_expiry_of_the_window():
    """Django's own DatabaseCache.incr() is a get and a set: the set gives the key the default timeout
    (300 s) at every hit. Ours leaves the expiry the window gave the key."""

    def stored():
        with connection.cursor() as cursor:
            cursor.execute("SELECT value, expires FROM core_cache")
            return cursor.fetchall()

    cache = caches["default"]
    cache.add("counter", 1, timeout=5000)
    [(_value, expires)] = stored()
    assert cache.incr("counter") == 2 and cache.incr("counter", 5) == 7 and cache.decr("counter") == 6
    assert cache.get("counter") == 6
    assert stored()[0][1] == expires
    with pytest.raises(ValueError):
        cache.incr("no-such-counter")


@pytest.mark.slow
def test_a_short_window_ends_in_real_time():
    throttle = Throttle("test", limit=1, window_seconds=2)
    request = from_address()
    for _attempt in range(5):  # a window that turned between the two calls (a slow machine): start again
        throttle.hit(request)
        if throttle.is_blocked(request):
            break
    assert throttle.is_blocked(request)
    time.sleep(throttle.retry_after(request) + 0.1)
    assert not throttle.is_blocked(request) and throttle.hit(request)


def test_per_client_address(clock):
    throttle = Throttle("test", limit=1, window_seconds=60)
    throttle.hit(from_address("203.0.113.7"))
    assert throttle.is_blocked(from_address("203.0.113.7"))
    assert not throttle.is_blocked(from_address("203.0.113.8"))
    assert throttle.hit(from_address("203.0.113.8"))


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(clock, settings):
    throttle = Throttle("test", limit=1, window_seconds=60)
    throttle.hit(from_address("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1"))
    # A client that makes up an X-Forwarded-For is still the address that connected.
    assert throttle.is_blocked(from_address("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2"))

    settings.TRUSTED_PROXY_COUNT = 1  # behind our proxy: the address the proxy appended counts
    assert not throttle.is_blocked(from_address("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2"))
    throttle.hit(from_address("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2"))
    assert throttle.is_blocked(from_address("10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.2"))
    assert not throttle.is_blocked(from_address("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.3"))


def test_ipv6_clients_count_by_their_64_network(clock):
    assert client_bucket(from_address("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert client_bucket(from_address("::ffff:203.0.113.7")) == "203.0.113.7"
    throttle = Throttle("test", limit=1, window_seconds=60)
    throttle.hit(from_address("2001:db8:1:2:aaaa::1"))
    assert throttle.is_blocked(from_address("2001:db8:1:2:ffff:ffff:ffff:ffff"))
    assert not throttle.is_blocked(from_address("2001:db8:1:3::1"))


def test_scopes_and_subjects_count_apart(clock):
    lookups, posts = Throttle("a", limit=1, window_seconds=60), Throttle("b", limit=1, window_seconds=60)
    request = from_address()
    lookups.hit(request)
    assert lookups.is_blocked(request) and not posts.is_blocked(request)
    posts.hit(request, subject="plan:1")
    assert posts.is_blocked(request, subject="plan:1") and not posts.is_blocked(request, subject="plan:2")
    posts.reset(request, subject="plan:1")
    assert posts.count(request, subject="plan:1") == 0


def test_keys_hold_no_address(clock):
    throttle = Throttle("test", limit=5, window_seconds=60)
    throttle.hit(from_address("203.0.113.77"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM core_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert len(keys) == 1 and "203.0.113" not in keys[0] and keys[0].startswith(":1:throttle:test:")


def test_the_count_survives_a_restart(clock):
    """A new cache connection (a restarted or another worker) reads the count the first one wrote."""
    throttle = Throttle("test", limit=3, window_seconds=60)
    request = from_address()
    for _ in range(3):
        throttle.hit(request)
    before = caches["default"]
    del caches["default"]  # this thread's cache object is gone: nothing is kept in process memory
    assert caches["default"] is not before
    assert throttle.count(request) == 3 and throttle.is_blocked(request)
    fresh = caches.create_connection("default")
    assert fresh.get(throttle._key(request, throttle._window()[0], "")) == 3


def test_settings_throttles_read_their_limits_at_each_use(settings):
    settings.THROTTLE_LOOKUP_LIMIT, settings.THROTTLE_LOOKUP_WINDOW = 7, 120
    settings.THROTTLE_POST_LIMIT, settings.THROTTLE_POST_WINDOW = 9, 30
    assert (FAILED_LOOKUPS.limit, FAILED_LOOKUPS.window_seconds) == (7, 120)
    assert (PUBLIC_POSTS.limit, PUBLIC_POSTS.window_seconds) == (9, 30)
    with pytest.raises(ValueError):
        Throttle("no-limit")


def test_default_limits():
    assert (base_settings.THROTTLE_LOOKUP_LIMIT, base_settings.THROTTLE_LOOKUP_WINDOW) == (20, 3600)
    # Room for a venue's or a mobile operator's shared address in a registration rush (README, Throttles).
    assert (base_settings.THROTTLE_POST_LIMIT, base_settings.THROTTLE_POST_WINDOW) == (60, 600)


# --- the decorator and the 429 answer, through a view of its own (and the project's pages for base.html) ---

DEMO = Throttle("demo-view", limit=2, window_seconds=600)


@throttled(DEMO)
def counted_view(request):
    return HttpResponse("ok")


@throttled(DEMO, count=False, methods=None)
def lookup_view(request):
    if request.GET.get("code") != "BENAR":
        DEMO.hit(request)
        return HttpResponse("no such code", status=404)
    return HttpResponse("found")


urlpatterns = [
    path("coba/hitung/", counted_view),
    path("coba/cari/", lookup_view),
    *project_urls.urlpatterns,
]


@pytest.mark.urls(__name__)
def test_the_decorator_counts_posts_and_answers_429_in_indonesian(client, clock):
    assert client.get("/coba/hitung/").status_code == 200  # a GET is not counted
    assert [client.post("/coba/hitung/").status_code for _ in range(3)] == [200, 200, 429]
    blocked = client.post("/coba/hitung/")
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == str(600 - FIXED_NOW % 600)
    html = blocked.content.decode()
    assert "Terlalu banyak percobaan dari alamat Anda. Coba lagi dalam 10 menit." in html
    assert 'lang="id"' in html
    assert client.post("/coba/hitung/", REMOTE_ADDR="198.51.100.9").status_code == 200  # another address


@pytest.mark.urls(__name__)
def test_the_429_is_json_for_a_client_that_asks_for_json(client, clock):
    for _ in range(2):
        client.post("/coba/hitung/")
    clock.now += 600 - FIXED_NOW % 600 - 90  # 90 s left: rounded up to 2 minutes
    response = client.post("/coba/hitung/", HTTP_ACCEPT="application/json")
    assert response.status_code == 429 and response["Retry-After"] == "90"
    assert response.json() == {
        "error": "Terlalu banyak percobaan dari alamat Anda. Coba lagi dalam 2 menit.",
        "retry_after": 90,
    }


@pytest.mark.urls(__name__)
def test_count_false_blocks_only_after_the_failures_the_view_counted(client, clock):
    for _ in range(5):
        assert client.get("/coba/cari/", {"code": "BENAR"}).status_code == 200  # successes do not count
    assert client.get("/coba/cari/", {"code": "salah"}).status_code == 404
    assert client.get("/coba/cari/", {"code": "salah"}).status_code == 404
    assert client.get("/coba/cari/", {"code": "BENAR"}).status_code == 429  # blocked, even with a right code
    clock.now += 600
    assert client.get("/coba/cari/", {"code": "BENAR"}).status_code == 200


# --- shared by processes and workers ---


def _worker_env(**extra) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    return env | extra


WORKER = textwrap.dedent(
    """
    import sys, types
    import django
    django.setup()
    import core.throttle
    from django.core.management import call_command
    from django.test import RequestFactory
    from core.throttle import Throttle

    core.throttle.time = types.SimpleNamespace(time=lambda: {now})  # every worker in the same window
    call_command("createcachetable", "core_cache", verbosity=0)
    throttle = Throttle("{scope}", limit=1000, window_seconds=3600)
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    for _ in range(int(sys.argv[1])):
        throttle.hit(request)
    print(throttle.count(request))
    """
)


def run_workers(hits: list[int], env: dict[str, str], scope: str) -> list[int]:
    """Start one Python process per entry of `hits` at once, each hitting the throttle that many times;
    the count each saw at its end."""
    script = WORKER.format(now=FIXED_NOW, scope=scope)
    processes = [
        subprocess.Popen(  # noqa: S603 - our own code, the current interpreter
            [sys.executable, "-c", script, str(count)],
            cwd=ROOT,
            env=env | {"DJANGO_SETTINGS_MODULE": "psp_koordinasi.settings"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for count in hits
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(int(out.strip().splitlines()[-1]))
    return results


@pytest.mark.slow
def test_processes_share_one_database_cache_count(tmp_path):
    """Separate processes (workers, or the app before and after a restart) on one database share the
    count, and hits made at the same moment are all counted (incr is atomic)."""
    env = _worker_env(DATABASE_URL=f"sqlite:///{tmp_path / 'workers.sqlite3'}")
    assert run_workers([5], env, "processes") == [5]
    assert run_workers([3], env, "processes") == [8]  # a new process ("restart") carries on from 5
    at_once = run_workers([100, 100, 100], env, "processes")
    assert max(at_once) == 308
    assert run_workers([0], env, "processes") == [308]  # not one of the 300 concurrent hits lost


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads on one database need PostgreSQL")
def test_concurrent_connections_lose_no_hit_on_postgresql(clock):
    throttle = Throttle("threads", limit=10_000, window_seconds=3600)
    request = from_address()
    barrier = threading.Barrier(8)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=30)
            for _ in range(40):
                throttle.hit(request)
        except Exception as error:  # noqa: BLE001 - shown by the assertion
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert throttle.count(request) == 320


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means: no Redis here
        return False


@pytest.mark.slow
# CI (.ci/run) starts Redis and sets REQUIRE_REDIS_TESTS: there a missing Redis fails instead of skipping.
@pytest.mark.skipif(
    not _redis_answers() and not os.environ.get("REQUIRE_REDIS_TESTS"),
    reason=f"no Redis answers at {REDIS_URL} (TEST_REDIS_URL)",
)
def test_redis_configuration_shares_the_count_between_workers(settings, clock):
    """REDIS_URL set: Django's RedisCache; two cache connections (two workers) and another process see one count."""
    settings.CACHES = {"default": base_settings.cache_config(REDIS_URL)}
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    scope = f"redis-test-{uuid.uuid4().hex[:8]}"  # apart from anything else in this Redis
    throttle = Throttle(scope, limit=5, window_seconds=3600)
    request = from_address()
    worker_one, worker_two = caches.create_connection("default"), caches.create_connection("default")
    assert worker_one._cache is not worker_two._cache  # each its own client and connection pool
    try:
        key = throttle._key(request, throttle._window()[0], "")
        for _ in range(3):
            throttle.hit(request)
        assert worker_one.get(key) == 3 == worker_two.get(key)
        worker_one.incr(key)
        assert worker_two.get(key) == 4
        worker_two.incr(key)
        assert throttle.is_blocked(request)

        # A separate process with REDIS_URL set: the settings pick Redis, and its hits add up with ours.
        env = _worker_env(REDIS_URL=REDIS_URL, DATABASE_URL="sqlite:///:memory:")
        assert run_workers([2], env, scope) == [7]
        assert throttle.count(request) == 7
    finally:
        worker_one.delete(key)


def test_an_unreachable_redis_lets_requests_through_logged_never_a_500(settings, caplog):
    """The throttle guards the public forms; a cache server that is down must not close them."""
    settings.CACHES = {"default": base_settings.cache_config("redis://127.0.0.1:1/0")}  # nothing listens there
    throttle = Throttle("unreachable", limit=1, window_seconds=60)
    request = from_address()
    assert throttle.hit(request) and throttle.hit(request)  # over the limit, but nothing can count it
    assert throttle.count(request) == 0 and not throttle.is_blocked(request)
    view = throttled(throttle)(lambda request: HttpResponse("ok"))
    assert view(from_address()).status_code == 200
    assert "cannot be reached" in caplog.text and "203.0.113.7" not in caplog.text
