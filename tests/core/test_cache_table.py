"""The database cache's table (core/0004): unlogged on PostgreSQL, and still a working cache."""

import pytest
from django.core.cache import caches
from django.db import connection


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="UNLOGGED tables are PostgreSQL's")
@pytest.mark.django_db
def test_the_cache_table_is_unlogged_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = %s", ["core_cache"])
        assert cursor.fetchone() == ("u",)  # unlogged; the application's other tables stay logged ("p")
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = %s", ["participants_registration"])
        assert cursor.fetchone() == ("p",)


@pytest.mark.django_db
def test_the_cache_still_keeps_and_counts():
    cache = caches["default"]
    cache.set("table-check", {"kept": 1}, 60)
    assert cache.get("table-check") == {"kept": 1}
    assert [cache.count_hit("table-check-count", 60) for _ in range(3)] == [1, 2, 3]
