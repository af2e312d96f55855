"""The database cache of the app: Django's DatabaseCache with an `incr()` that counters can rely on.

Django's DatabaseCache inherits `incr()` from BaseCache: a get and then a set. Two workers
incrementing at once both read 4 and both write 5 (a throttle then lets every second attempt through),
and the set gives the key the cache's default timeout, so a counter meant to last an hour expires
5 minutes after its last hit. Here `incr()` is one compare-and-swap `UPDATE … WHERE value = <what was
read>`, retried when another worker changed the value in between; it leaves `expires` alone. A single
UPDATE is atomic on SQLite and PostgreSQL alike (on PostgreSQL the second writer waits for the first
one's row lock, then finds the value changed and reads again).

Everything else (the table, get/set/add, culling) is Django's; the table is made by the migration
core/0003 (`createcachetable`), so `manage.py migrate` is the only set-up step.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now

# How many times incr() reads again after losing a race; each loss means another worker's
# increment went through, so running out needs this many increments of one key at the same moment.
INCR_ATTEMPTS = 100


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache; `incr()` is atomic across processes and keeps the key's expiry."""

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
                new_value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301  # nosec B301
                encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
                cursor.execute(update, [encoded, cache_key, stored])
                if cursor.rowcount == 1:
                    return new_value
        raise RuntimeError(f"Cache key '{key}' changed {INCR_ATTEMPTS} times during one increment")
