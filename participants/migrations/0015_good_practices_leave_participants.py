"""The good practices leave this app for `outcomes` (outcomes 0001 takes them over with their tables and rows):
here they only leave the migration state; nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0014_attendance_leaves_participants"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="goodpracticefile",
                    name="practice",
                ),
                migrations.DeleteModel(
                    name="GoodPractice",
                ),
                migrations.DeleteModel(
                    name="GoodPracticeFile",
                ),
            ],
        ),
    ]
