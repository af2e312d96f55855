from django.db import migrations


def sync(apps, schema_editor):
    from events.groups import sync_groups

    sync_groups(apps)


class Migration(migrations.Migration):
    """Give the groups the permissions of the outcomes models (matrix, rencana aksi, good practices)."""

    dependencies = [("participants", "0004_practices"), ("events", "0003_outcomes")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
