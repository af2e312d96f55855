"""The responsibility matrix and the action plans leave this app for `outcomes` (outcomes 0001 takes them over
with their tables and rows): here they only leave the migration state; nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_event_personal_data_purged_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="actionplanitem",
                    name="plan",
                ),
                migrations.RemoveField(
                    model_name="actionplanfollowup",
                    name="item",
                ),
                migrations.RemoveField(
                    model_name="actionplanfollowup",
                    name="recorded_by",
                ),
                migrations.RemoveField(
                    model_name="responsibility",
                    name="matrix",
                ),
                migrations.RemoveField(
                    model_name="responsibilitycell",
                    name="responsibility",
                ),
                migrations.RemoveField(
                    model_name="responsibilitycell",
                    name="column",
                ),
                migrations.RemoveField(
                    model_name="responsibilitycolumn",
                    name="agency_type",
                ),
                migrations.RemoveField(
                    model_name="responsibilitycolumn",
                    name="matrix",
                ),
                migrations.RemoveField(
                    model_name="responsibilitymatrix",
                    name="agency_types",
                ),
                migrations.RemoveField(
                    model_name="responsibilitymatrix",
                    name="agreed_by",
                ),
                migrations.RemoveField(
                    model_name="responsibilitymatrix",
                    name="event",
                ),
                migrations.DeleteModel(
                    name="ActionPlan",
                ),
                migrations.DeleteModel(
                    name="ActionPlanItem",
                ),
                migrations.DeleteModel(
                    name="ActionPlanFollowUp",
                ),
                migrations.DeleteModel(
                    name="Responsibility",
                ),
                migrations.DeleteModel(
                    name="ResponsibilityCell",
                ),
                migrations.DeleteModel(
                    name="ResponsibilityColumn",
                ),
                migrations.DeleteModel(
                    name="ResponsibilityMatrix",
                ),
            ],
        ),
    ]
