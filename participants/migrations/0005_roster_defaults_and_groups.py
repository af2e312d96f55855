"""Default composition rules per school level (editable by Admin pusat) and the roster permissions of the groups."""

from django.db import migrations


def load_defaults(apps, schema_editor):
    from rosters.rules import composition_defaults_load

    composition_defaults_load(apps.get_model("participants", "CompositionRule"))


def sync(apps, schema_editor):
    from events.groups import sync_groups

    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("participants", "0004_roster"), ("events", "0003_training_phase")]

    operations = [
        migrations.RunPython(load_defaults, migrations.RunPython.noop),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
