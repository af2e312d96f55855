"""The table of the database cache (settings.CACHES, core.cache.DatabaseCache), where the throttles count.

Made by Django's own `createcachetable` so that `migrate` alone sets up a fresh database (SQLite or
PostgreSQL, and the test database pytest-django migrates). The name is written here, not read from
the settings: the table exists whether or not REDIS_URL is set, and switching back needs no extra step.
`createcachetable` skips a table that already exists (a database where it was run by hand).
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "core_cache"


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_export_kit_and_staged_imports"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
