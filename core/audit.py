"""The one way to write an audit entry."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Record that `actor` did `action` to `target` (call it inside the service's transaction)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


def record_many(*, actor: Any, action: str, targets: list[models.Model], data: dict | None = None) -> int:
    """The same entry for each of `targets` in one INSERT (a list page that shows personal data of many)."""
    if not targets:
        return 0
    content_types = ContentType.objects.get_for_models(*{type(t) for t in targets})
    entries = [
        AuditEntry(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            content_type=content_types[type(target)],
            object_id=str(target.pk),
            data=data or {},
        )
        for target in targets
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)
