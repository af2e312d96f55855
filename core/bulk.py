"""Writing thousands of rows in a handful of statements (a roster import of a province, an audit batch).

`insert_rows` writes plain dicts with one `executemany`: no model instances are built, which is most of
`bulk_create`'s cost on a large batch. Encrypted identifiers and their keyed hashes are filled here, as
the fields' own `pre_save` would. `large_batches` lets SQLite take its real parameter limit.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from core.fields import EncryptedCharField, KeyedHashField, encrypt_value, identifier_hash


@contextmanager
def large_batches() -> Iterator[None]:
    """Let bulk inserts use SQLite's real parameter limit instead of Django's conservative 999.

    Django splits a bulk insert into batches of 999 parameters on SQLite, i.e. one INSERT per ~70
    people; the SQLite library in use (3.32+) accepts 32766, so a file of thousands of rows stays a
    handful of statements. PostgreSQL is not affected.
    """
    features = connection.features
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    previous = features.__dict__.get("max_query_params")
    features.max_query_params = max(limit, 999)
    try:
        yield
    finally:
        if previous is None:
            del features.max_query_params
        else:
            features.max_query_params = previous


def insert_rows(model, rows: list[dict]) -> None:
    """Insert many rows of `model` (dicts keyed by attname, all with the same keys) with one executemany."""
    if not rows:
        return
    fields = {f.attname: f for f in model._meta.concrete_fields}
    # Encrypted identifiers bypass save(): their hash columns are filled here, the values encrypted below.
    hashes = [f for f in fields.values() if isinstance(f, KeyedHashField) and f.source in rows[0]]
    if hashes:
        rows = [{**row, **{h.attname: identifier_hash(row[h.source], kind=h.kind) for h in hashes}} for row in rows]
    encrypted = {name for name, f in fields.items() if isinstance(f, EncryptedCharField)}
    columns = list(rows[0])
    quote = connection.ops.quote_name
    # Table and column names come from the model's meta; the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(fields[name].column) for name in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        prepare = [fields[name].get_db_prep_save for name in columns]
        memo: dict[tuple[int, int], object] = {}

        def to_db(index: int, value):
            # Text, numbers and NULL go as they are; other values (datetimes, JSON) through the field, once each.
            if columns[index] in encrypted:
                return encrypt_value(value)
            if value is None or isinstance(value, str | int):
                return value
            key = (index, id(value))
            if key not in memo:
                memo[key] = prepare[index](value, connection)
            return memo[key]

        cursor.executemany(sql, [[to_db(i, row[name]) for i, name in enumerate(columns)] for row in rows])
