"""Writing thousands of rows in a handful of statements (a roster import of a province, an audit batch).

`insert_rows` writes plain dicts with one `executemany`: no model instances are built, which is most of
`bulk_create`'s cost on a large batch. Encrypted identifiers and their keyed hashes are filled here, as
the fields' own `pre_save` would. `large_batches` lets SQLite take its real parameter limit.

`insert_one` saves one new model instance, for the paths that run on every request of a crowd (the public
registration): the values go through the fields exactly as `save()` sends them, by a statement built once per
model.
"""

import functools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Model

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


@functools.cache
def _insert_statement(model: type[Model], vendor: str) -> tuple[str, tuple]:
    """The INSERT of every concrete field of `model` but its auto primary key (which it returns), and the fields."""
    meta = model._meta
    if meta.parents or meta.auto_field is None:
        raise TypeError(f"insert_one takes models with an auto primary key and no parent model, not {meta.label}.")
    fields = tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated)
    quote = connection.ops.quote_name
    # Table and column names come from the model's meta; the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {quote(meta.auto_field.column)}"
    return sql, fields


def insert_one(instance: Model) -> Model:
    """INSERT a new `instance` (its auto primary key unset) and set its primary key; returns it.

    What `instance.save()` does for a new row of a model without a parent, without building the statement
    each time: every field's `pre_save(instance, add=True)` (auto_now_add dates, the keyed hash columns) and
    `get_db_prep_save` (encryption, JSON, dates), so the row is the one `save()` writes. No save signals are
    sent: use it only for models that no receiver listens to (the registration, its person, audit entries).
    """
    model = type(instance)
    sql, fields = _insert_statement(model, connection.vendor)
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if connection.features.can_return_columns_from_insert:
            pk = cursor.fetchone()[0]
        else:  # pragma: no cover - PostgreSQL and SQLite both return it
            pk = connection.ops.last_insert_id(cursor, model._meta.db_table, model._meta.pk.column)
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def instances_from_rows(model: type[Model], rows: list[tuple]) -> list[Model]:
    """Model instances of rows read by hand (every concrete field, in `_meta.concrete_fields` order, as the first
    columns of each row; see `select_columns`), each value converted from the database as a query would
    (decryption, SQLite's dates); columns after those are kept untouched in the instance's `extra_columns` tuple."""
    if not rows:
        return []
    converters = _converters(model, connection.vendor)
    count = len(model._meta.concrete_fields)
    instances = []
    for row in rows:
        values = list(row[:count])
        for index, convert, column in converters:
            for converter in convert:
                values[index] = converter(values[index], column, connection)
        instance = model.from_db(connection.alias, None, values)
        instance.extra_columns = tuple(row[count:])
        instances.append(instance)
    return instances


@functools.cache
def select_columns(model: type[Model], alias: str) -> str:
    """The column list of every concrete field of `model` (table alias `alias`), in the order
    `instances_from_rows` reads them."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


@functools.cache
def _converters(model: type[Model], vendor: str) -> tuple:
    """The database-to-Python converters of each concrete field that has any, as a query's compiler finds them."""
    found = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.cached_col
        convert = (*connection.ops.get_db_converters(column), *column.get_db_converters(connection))
        if convert:
            found.append((index, convert, column))
    return tuple(found)
