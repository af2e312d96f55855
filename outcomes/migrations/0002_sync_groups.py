"""Give the staff groups the permissions of the models that moved to their area's app.

The earlier group syncs (participants 0001–0008) run the current group list, which names these permissions
by their new app (`attendance.add_attendance`, `rosters.view_committee`): on a new database they did not
exist yet at that point. On a database made before the move, the groups kept them through the relabelled
content types; this sync changes nothing there.
"""

from django.db import migrations


def sync(apps, schema_editor):
    from participants.groups import sync_groups

    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
        ("attendance", "0001_initial"),
        ("rosters", "0001_initial"),
        ("core", "0002_export_kit_and_staged_imports"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
