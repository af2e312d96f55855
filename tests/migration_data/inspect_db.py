"""Write, as JSON, the facts of a database that a migration must keep: row counts, registration codes,
certificate numbers, audit and admin log entries with whether their targets exist, content types, group
permissions, staff group memberships.

Run as a script with the project folder to inspect as the working directory, so that the code read is
that folder's: the build runs it in the worktree of the old commit (its facts become `expected.json`),
the test runs it in the current project after `migrate`:

    DATABASE_URL=… python tests/migration_data/inspect_db.py OUT.json '{"registration": "app.Model", …}'

The JSON argument names the models read through the ORM, by their label in the code being inspected
(they move between apps). It uses only Django's own APIs besides those three models, so that it runs the
same against the old code and the new.
"""

import json
import os
import sys

DEFAULT_MODELS = {
    "registration": "participants.Registration",
    "certificate": "participants.Certificate",
    "audit_entry": "core.AuditEntry",
}


def _label(content_type) -> str | None:
    """The model's label ("participants.Registration") in the code, or None for a stale content type."""
    model = content_type.model_class() if content_type is not None else None
    return model._meta.label if model is not None else None


def _target_exists(content_type, object_id: str) -> bool:
    from django.core.exceptions import ObjectDoesNotExist, ValidationError

    if content_type is None or content_type.model_class() is None:
        return False
    try:
        content_type.get_object_for_this_type(pk=object_id)
    except (ObjectDoesNotExist, ValidationError, ValueError):
        return False
    return True


def table_counts() -> dict[str, int]:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 (a table name)
            counts[name] = cursor.fetchone()[0]
    return counts


def content_types() -> list[dict]:
    from django.contrib.contenttypes.models import ContentType

    return [
        {"id": ct.pk, "app_label": ct.app_label, "model": ct.model, "label": _label(ct)}
        for ct in ContentType.objects.order_by("id")
    ]


def entries(model) -> list[dict]:
    """Audit (or admin log) entries: which object each one is about, and whether that object exists."""
    rows = []
    for entry in model._default_manager.select_related("content_type").order_by("id"):
        ct = entry.content_type
        row = {
            "id": entry.pk,
            "app_label": ct.app_label if ct else None,
            "model": ct.model if ct else None,
            "label": _label(ct),
            "object_id": entry.object_id,
            "target_exists": _target_exists(ct, entry.object_id),
        }
        if hasattr(entry, "action"):
            row["action"] = entry.action
        else:
            row["action_flag"] = entry.action_flag
        rows.append(row)
    return rows


def group_permissions() -> tuple[dict[str, list[str]], dict[str, str | None]]:
    """Every group's permissions as "app_label.codename", and the model label of each such permission."""
    from django.contrib.auth.models import Group

    groups, models = {}, {}
    for group in Group.objects.prefetch_related("permissions__content_type").order_by("name"):
        keys = []
        for permission in group.permissions.all():
            key = f"{permission.content_type.app_label}.{permission.codename}"
            label = _label(permission.content_type)
            if models.get(key, label) != label:
                raise SystemExit(f"{key} names permissions of two models: {models[key]} and {label}")
            models[key] = label
            keys.append(key)
        groups[group.name] = sorted(keys)
    return groups, dict(sorted(models.items()))


def memberships() -> list[dict]:
    from django.contrib.auth import get_user_model

    through = get_user_model().groups.through
    return [
        {"id": row.pk, "username": row.user.get_username(), "group": row.group.name}
        for row in through.objects.select_related("user", "group").order_by("id")
    ]


def facts(models: dict[str, str]) -> dict:
    from django.apps import apps
    from django.contrib.admin.models import LogEntry
    from django.db import connection

    Registration = apps.get_model(models["registration"])
    Certificate = apps.get_model(models["certificate"])
    AuditEntry = apps.get_model(models["audit_entry"])
    groups, permission_models = group_permissions()
    certificates = dict(Certificate._default_manager.values_list("registration__code", "number"))
    return {
        "vendor": connection.vendor,
        "tables": table_counts(),
        "registration_codes": sorted(Registration._default_manager.values_list("code", flat=True)),
        "certificate_numbers": sorted(certificates.values()),
        "certificates_by_registration_code": dict(sorted(certificates.items())),
        "audit_entries": entries(AuditEntry),
        "admin_log_entries": entries(LogEntry),
        "content_types": content_types(),
        "group_permissions": groups,
        "permission_models": permission_models,
        "staff_group_memberships": memberships(),
    }


def main(argv: list[str]) -> None:
    out = argv[1]
    models = {**DEFAULT_MODELS, **(json.loads(argv[2]) if len(argv) > 2 else {})}
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psp_koordinasi.settings")
    import django

    django.setup()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(facts(models), handle, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv)
