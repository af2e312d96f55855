"""Give the staff groups exactly the permissions the group list names, now that every model is in the app of
its area.

The earlier group syncs (participants 0001–0008) run the current group list, which names the moved models'
permissions by their new apps (`attendance.add_attendance`, `rosters.view_committee`, `outcomes.*`): on a new
database those did not exist yet at that point. On a database made before the moves, the groups kept them
through the relabelled content types, and this sync changes nothing there. Depends on the last migration of
every app, so it runs after all of them.
"""

from django.db import migrations


def sync(apps, schema_editor):
    from events.groups import sync_groups

    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("outcomes", "0001_initial"),
        ("attendance", "0001_initial"),
        ("rosters", "0001_initial"),
        ("participants", "0016_certificates_leave_participants"),
        ("events", "0006_outcomes_leave_events"),
        ("core", "0002_export_kit_and_staged_imports"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
