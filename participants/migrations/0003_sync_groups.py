from django.db import migrations


def sync(apps, schema_editor):
    from events.groups import sync_groups

    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_people_registrations_attendance")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
