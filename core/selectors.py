"""Reads of the audit trail."""

import datetime as dt

from django.db.models import Q, QuerySet

from core.models import AuditEntry


def audit_entries(
    *,
    actor: str = "",
    action: str = "",
    content_type_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    text: str = "",
) -> QuerySet[AuditEntry]:
    """The audit entries matching the filters, newest first, with actor and object type joined in."""
    entries = AuditEntry.objects.select_related("actor", "content_type")
    if actor:
        entries = entries.filter(actor__username__icontains=actor)
    if action:
        entries = entries.filter(action__icontains=action)
    if content_type_id:
        entries = entries.filter(content_type_id=content_type_id)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    if text:
        entries = entries.filter(Q(reason__icontains=text) | Q(object_id=text))
    return entries.order_by("-created_at", "-id")
