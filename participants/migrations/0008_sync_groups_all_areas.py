from django.db import migrations


def sync(apps, schema_editor):
    from events.groups import sync_groups

    sync_groups(apps)


class Migration(migrations.Migration):
    """Every area's models exist now: give each group all the permissions groups.py lists."""

    dependencies = [
        ("participants", "0007_merge_roster"),
        ("events", "0004_merge_0003_outcomes_0003_training_phase"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
