"""Caching plumbing: the database cache with a counter that is one statement, and a per-process memo.

`DatabaseCache`: Django's DatabaseCache inherits `incr()` from BaseCache: a get and then a set. Two workers
incrementing at once both read 4 and both write 5 (a throttle then lets every second attempt through),
and the set gives the key the cache's default timeout, so a counter meant to last an hour expires
5 minutes after its last hit. Here `incr()` is one compare-and-swap `UPDATE … WHERE value = <what was
read>`, retried when another worker changed the value in between; it leaves `expires` alone. A single
UPDATE is atomic on SQLite and PostgreSQL alike (on PostgreSQL the second writer waits for the first
one's row lock, then finds the value changed and reads again).

Everything else (the table, get/set/add, culling) is Django's; the table is made by the migration
core/0003 (`createcachetable`), so `manage.py migrate` is the only set-up step.

`count_hit(key, timeout)` is the counter of the throttles (core/throttle.py) on the hot path of every anonymous
POST: one statement for every hit but the first of a window. The counter is stored as plain text (`#<n>`, never
a pickle) so that the database itself adds one: `UPDATE … SET value = '#' || (n + 1) … RETURNING value`; `get()`
reads such a value back as the integer. The first hit of a window inserts the row (`add()`).

`ProcessMemo`: values that change rarely and are read on every public request (an event's site, its roles, the
provinces) kept in each worker's memory, under a version number held in the shared cache: one cheap read of
the version per use instead of the queries, and a `bump()` (on save, see events/apps.py) drops every worker's
copies at its next use. `max_age` bounds what a change that bypasses the signals (a QuerySet.update()) can leave
stale.
"""

import base64
import datetime
import pickle
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router
from django.utils.timezone import now

COUNTER_PREFIX = "#"

# How many times incr() reads again after losing a race; each loss means another worker's
# increment went through, so running out needs this many increments of one key at the same moment.
INCR_ATTEMPTS = 100


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache; `incr()` is atomic across processes and keeps the key's expiry; `count_hit()` is
    a counter in one statement."""

    def get_many(self, keys, version=None):
        """Django's, except that a counter of count_hit() ("#5") is read back as its integer."""
        if not keys:
            return {}
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        db = router.db_for_read(self.cache_model_class)
        connection = connections[db]
        table, key_column, value_column, expires_column = (
            connection.ops.quote_name(name) for name in (self._table, "cache_key", "value", "expires")
        )
        placeholders = ", ".join(["%s"] * len(key_map))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {key_column}, {value_column}, {expires_column} FROM {table} "  # noqa: S608
                f"WHERE {key_column} IN ({placeholders})",
                list(key_map),
            )
            rows = cursor.fetchall()
        result, expired_keys = {}, []
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        current_time = now()
        for key, value, expires in rows:
            for converter in converters:
                expires = converter(expires, expression, connection)
            if expires < current_time:
                expired_keys.append(key)
            else:
                result[key_map.get(key)] = self._decode(connection.ops.process_clob(value))
        self._base_delete_many(expired_keys)
        return result

    def _decode(self, stored: str):
        if stored.startswith(COUNTER_PREFIX):
            return int(stored[len(COUNTER_PREFIX) :])
        return pickle.loads(base64.b64decode(stored.encode()))  # noqa: S301  # nosec B301

    def count_hit(self, key: str, timeout: int) -> int:
        """Add one to the counter `key` (created with 1 and `timeout` seconds of life when missing); its new value.

        One UPDATE … RETURNING while the key lives; the first hit of a window also inserts it (a race with another
        worker's first hit ends in that worker's row, counted again).
        """
        cache_key = self.make_and_validate_key(key)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table, key_column, value_column, expires_column = (
            connection.ops.quote_name(name) for name in (self._table, "cache_key", "value", "expires")
        )
        current_time = connection.ops.adapt_datetimefield_value(now().replace(microsecond=0))
        # The counter's text after its prefix, as an integer, plus one: the same SQL on PostgreSQL and SQLite.
        update = (
            f"UPDATE {table} SET {value_column} = %s || CAST(CAST(SUBSTR({value_column}, 2) AS INTEGER) + 1 AS TEXT) "  # noqa: S608
            f"WHERE {key_column} = %s AND {expires_column} >= %s AND {value_column} LIKE %s RETURNING {value_column}"
        )
        for _attempt in range(INCR_ATTEMPTS):
            with connection.cursor() as cursor:
                cursor.execute(update, [COUNTER_PREFIX, cache_key, current_time, f"{COUNTER_PREFIX}%"])
                row = cursor.fetchone()
            if row is not None:
                return int(connection.ops.process_clob(row[0])[len(COUNTER_PREFIX) :])
            if self._add_counter(cache_key, timeout):
                return 1
        raise RuntimeError(f"Counter '{key}' could neither be counted nor created")

    def _add_counter(self, cache_key: str, timeout: int) -> bool:
        """Insert the counter with 1 unless a live row holds the key (an expired row of the key is replaced).

        Once per key and window: the table is culled here as Django's set/add do (its size read, the expired
        rows deleted when it is full), so counters of many addresses do not pile up.
        """
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table, key_column, value_column, expires_column = (
            connection.ops.quote_name(name) for name in (self._table, "cache_key", "value", "expires")
        )
        current_time = now().replace(microsecond=0)
        expires = connection.ops.adapt_datetimefield_value(
            (current_time + datetime.timedelta(seconds=timeout)).replace(microsecond=0)
        )
        # One statement: an INSERT that replaces only an expired row of the same key (SQLite and PostgreSQL).
        upsert = (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET {value_column} = EXCLUDED.{value_column}, "
            f"{expires_column} = EXCLUDED.{expires_column} WHERE {table}.{expires_column} < %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            entries = cursor.fetchone()[0]
            if entries > self._max_entries:
                self._cull(db, cursor, current_time, entries)
            cursor.execute(
                upsert,
                [cache_key, f"{COUNTER_PREFIX}1", expires, connection.ops.adapt_datetimefield_value(current_time)],
            )
            return cursor.rowcount == 1

    def incr(self, key, delta=1, version=None):
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table, key_column, value_column, expires_column = (
            connection.ops.quote_name(name) for name in (self._table, "cache_key", "value", "expires")
        )
        # Identifiers quoted by the backend, values as parameters.
        select = f"SELECT {value_column} FROM {table} WHERE {key_column} = %s AND {expires_column} >= %s"  # noqa: S608
        update = f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s AND {value_column} = %s"  # noqa: S608
        # Live until `expires` has passed, as add() sees it (so add() and incr() never both miss).
        current_time = connection.ops.adapt_datetimefield_value(now().replace(microsecond=0))
        with connection.cursor() as cursor:
            for _attempt in range(INCR_ATTEMPTS):
                cursor.execute(select, [cache_key, current_time])
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found")
                stored = connection.ops.process_clob(row[0])
                new_value = self._decode(stored) + delta
                if stored.startswith(COUNTER_PREFIX):  # a counter of count_hit() stays one
                    encoded = f"{COUNTER_PREFIX}{new_value}"
                else:
                    encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
                cursor.execute(update, [encoded, cache_key, stored])
                if cursor.rowcount == 1:
                    return new_value
        raise RuntimeError(f"Cache key '{key}' changed {INCR_ATTEMPTS} times during one increment")


class ProcessMemo:
    """Rarely changing values kept in this process's memory, valid while the shared version `name` is unchanged.

    `get(key, compute)` reads the version from the shared cache (one small read: a statement on the database
    cache, none on Redis), unless given the `version()` read earlier in the same request; a changed version empties
    this process's copies, so every worker computes again after any `bump()`. A copy older than `max_age` seconds
    is computed again whatever the version says. Values are shared by the threads of the process: callers must not
    change them.

    With `recheck` (seconds), the version read is itself kept that long: a process then reads the shared version at
    most once per `recheck` seconds, however many requests it answers, and sees another process's `bump()` at most
    `recheck` seconds late (its own at once).
    """

    def __init__(self, name: str, *, max_age: float = 300.0, recheck: float = 0.0):
        self.name = name
        self.max_age = max_age
        self.recheck = recheck
        self._values: dict[Any, tuple[float, Any]] = {}
        self._version: str | None = None
        self._read: tuple[float, str] | None = None  # (when, what) of the last read of the shared version
        self._lock = threading.Lock()

    @property
    def _version_key(self) -> str:
        return f"memo:{self.name}:version"

    def version(self) -> str:
        """The shared version (one read of the cache, none within `recheck` seconds of the last): pass it to several
        `get()` of one request to read it once."""
        read = self._read
        if read is not None and time.monotonic() - read[0] < self.recheck:
            return read[1]
        version = caches["default"].get(self._version_key, "")
        if self.recheck:
            self._read = (time.monotonic(), version)
        return version

    def get(self, key, compute: Callable[[], Any], *, version: str | None = None):
        if version is None:
            version = self.version()
        with self._lock:
            if version != self._version:
                self._values.clear()
                self._version = version
            kept = self._values.get(key)
        if kept is not None and time.monotonic() - kept[0] < self.max_age:
            return kept[1]
        value = compute()
        with self._lock:
            if self._version == version:
                self._values[key] = (time.monotonic(), value)
        return value

    def bump(self) -> None:
        """Something the values are made of changed: every process computes them again at its next use."""
        caches["default"].set(self._version_key, uuid.uuid4().hex, None)
        self.clear()

    def clear(self) -> None:
        """Forget this process's copies (tests; the shared version is left alone)."""
        with self._lock:
            self._values.clear()
            self._version = None
            self._read = None
