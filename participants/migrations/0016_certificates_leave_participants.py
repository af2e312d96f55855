"""The certificates leave this app for `reports` (reports 0001 takes them over with their table and rows): here
they only leave the migration state; nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0015_good_practices_leave_participants"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Certificate",
                ),
            ],
        ),
    ]
