"""Attendance leaves this app for `attendance` (attendance 0001 takes it over with its table and rows): here it
only leaves the migration state; nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0013_rosters_leave_participants"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Attendance",
                ),
            ],
        ),
    ]
