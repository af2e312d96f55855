"""The Komite Pembelajaran models leave this app for `rosters` (rosters 0001 takes them over with their
tables and rows): here they only leave the migration state; nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0012_move_imports_downloads_jobs_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="committee",
                    name="cohort",
                ),
                migrations.RemoveField(
                    model_name="committee",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="committee",
                    name="decided_by",
                ),
                migrations.RemoveField(
                    model_name="committee",
                    name="phase",
                ),
                migrations.RemoveField(
                    model_name="committee",
                    name="school",
                ),
                migrations.RemoveField(
                    model_name="committeemember",
                    name="committee",
                ),
                migrations.RemoveField(
                    model_name="committeemember",
                    name="cohort",
                ),
                migrations.RemoveField(
                    model_name="committeemember",
                    name="person",
                ),
                migrations.DeleteModel(
                    name="CompositionRule",
                ),
                migrations.RemoveField(
                    model_name="sekolahpenggerak",
                    name="cohort",
                ),
                migrations.RemoveField(
                    model_name="sekolahpenggerak",
                    name="principal",
                ),
                migrations.RemoveField(
                    model_name="sekolahpenggerak",
                    name="school",
                ),
                migrations.DeleteModel(
                    name="Committee",
                ),
                migrations.DeleteModel(
                    name="CommitteeMember",
                ),
                migrations.DeleteModel(
                    name="SekolahPenggerak",
                ),
            ],
        ),
    ]
