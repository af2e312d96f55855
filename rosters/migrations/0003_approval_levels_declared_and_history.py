"""The approval levels arrive: every existing program declares the default chain (Kabupaten/Kota → Provinsi →
Pusat), the committees waiting for a decision enter its first level, the decision history is filled from the
audit trail (submissions, validations and returns made before the levels, with no level), and the staff groups
get the new permissions (Admin pusat edits the levels, the roster groups read them)."""

from django.db import migrations

# Frozen copy of ApprovalLevel.DEFAULT_LEVELS: order, name, group, scope, may return to previous / to submitter.
DEFAULT_LEVELS = (
    (1, "Kabupaten/Kota", "Verifikator", "regency", False, True),
    (2, "Provinsi", "Verifikator", "province", True, True),
    (3, "Pusat", "Admin pusat", "national", True, True),
)
DECISIONS = {"committee.submitted": "submitted", "committee.validated": "approved", "committee.returned": "returned"}


def forwards(apps, schema_editor):
    Program = apps.get_model("events", "Program")
    ApprovalLevel = apps.get_model("rosters", "ApprovalLevel")
    Committee = apps.get_model("rosters", "Committee")
    CommitteeDecision = apps.get_model("rosters", "CommitteeDecision")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for program in Program.objects.exclude(pk__in=ApprovalLevel.objects.values("program_id")):
        ApprovalLevel.objects.bulk_create(
            ApprovalLevel(
                program=program,
                order=order,
                name=name,
                group=group,
                scope=scope,
                may_return_to_previous=previous,
                may_return_to_submitter=submitter,
            )
            for order, name, group, scope, previous, submitter in DEFAULT_LEVELS
        )
    for committee in Committee.objects.filter(status="submitted", level__isnull=True):
        committee.level = 1
        committee.level_since = committee.submitted_at or committee.updated_at
        committee.save(update_fields=["level", "level_since"])
    content_type = ContentType.objects.filter(app_label="rosters", model="committee").first()
    if content_type is None:
        return
    entries = AuditEntry.objects.filter(content_type=content_type, action__in=list(DECISIONS)).order_by("pk")
    CommitteeDecision.objects.bulk_create(
        CommitteeDecision(
            committee_id=int(entry.object_id),
            decision=DECISIONS[entry.action],
            returned_to="submitter" if entry.action == "committee.returned" else "",
            actor_id=entry.actor_id,
            decided_at=entry.created_at,
            reason=entry.reason,
        )
        for entry in entries
        if entry.object_id.isdigit() and Committee.objects.filter(pk=int(entry.object_id)).exists()
    )


def sync(apps, schema_editor):
    from events.groups import sync_groups

    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("rosters", "0002_approval_levels"),
        ("core", "0003_cache_table"),
        ("events", "0008_role_full_name"),
        ("participants", "0017_registration_keeps_its_personal_data"),
        ("attendance", "0002_held_checkin"),
        ("outcomes", "0002_action_plan_link_expiry"),
        ("reports", "0004_papers_required_and_piagam"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
