"""The database cache's table is not written to PostgreSQL's write-ahead log (UNLOGGED).

What it holds can be lost at no cost: the throttles' counts of the current window and the versions of what workers
keep in memory (a lost version only makes every worker compute its copies again). Unlogged, the count a public POST
adds is not logged nor flushed to disk at its commit: a registration link sent to a whole province writes one such
count per POST. After a crash PostgreSQL empties the table, which is then an empty cache. It is not copied to
streaming replicas: a replica promoted to primary starts with an empty cache too. SQLite has no such thing.
"""

from django.db import migrations

TABLE = "core_cache"


def persistence(logged: bool):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            kind = "LOGGED" if logged else "UNLOGGED"
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(TABLE)} SET {kind}")

    return alter


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_cache_table"),
    ]

    operations = [
        migrations.RunPython(persistence(logged=False), persistence(logged=True)),
    ]
