"""The one way a status workflow moves: declared transitions, a guard, a locked save, an audit entry.

A workflow model declares its statuses (`TextChoices`) and a `TRANSITIONS` map (status → the statuses it
may move to). Its service calls :func:`transition`, which locks the row, refuses a move the map does not
allow, lets the service apply what the move changes besides the status (`apply`), saves only those
fields and writes one audit entry `<action>.<to status>` (STYLE.md habit 3).

Views and templates never compare status strings to decide what may be done: the view asks
:func:`allowed_moves` and passes the allowed actions to its template.
"""

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.db import models, transaction

from core import audit
from core.errors import DomainError


class Workflow(Protocol):
    pk: Any
    status: str
    TRANSITIONS: dict[str, set[str]]


def allowed_moves(instance: Workflow) -> frozenset[str]:
    """The statuses `instance` may move to from its current status."""
    return frozenset(instance.TRANSITIONS.get(instance.status, ()))


def transition(
    instance: models.Model,
    *,
    to_status: str,
    actor: Any,
    action: str,
    forbidden: Callable[[models.Model, str], DomainError],
    apply: Callable[[models.Model, dict], Iterable[str]] | None = None,
    reason: str = "",
    audit_action: str = "",
) -> models.Model:
    """Move `instance` to `to_status`; returns `instance`, read again from the saved row.

    The audit entry is `<action>.<to status>`, or `audit_action` when the move needs another word (a move
    that keeps the status, such as a committee passing from one approval level to the next).
    `forbidden(locked, to_status)` builds the error raised when the map does not allow the move.
    `apply(locked, data)` checks the rules of this move (raising a DomainError undoes everything), sets
    the other fields it changes and returns their names; what it puts in `data` goes into the audit entry.
    """
    model = type(instance)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=instance.pk)
        from_status = locked.status
        if to_status not in locked.TRANSITIONS.get(from_status, ()):
            raise forbidden(locked, to_status)
        data: dict = {}
        fields = list(apply(locked, data) or ()) if apply else []
        locked.status = to_status
        update_fields = ["status", *fields]
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            update_fields.append("updated_at")
        locked.save(update_fields=list(dict.fromkeys(update_fields)))
        audit.record(
            actor=actor,
            action=audit_action or f"{action}.{to_status}",
            target=locked,
            from_state=from_status,
            to_state=to_status,
            reason=reason,
            data=data,
        )
    instance.refresh_from_db()
    return instance
