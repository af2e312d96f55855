"""The one way to write audit entries: one at a time, or a batch in one statement."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from core.bulk import insert_one, insert_rows
from core.models import AuditEntry


def _actor(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


STATE_LENGTH = AuditEntry._meta.get_field("to_state").max_length


def _states(from_state: str, to_state: str, data: dict | None) -> tuple[str, str, dict]:
    """The two state columns and the data of an entry. A state longer than its column (a caption, a citation, a
    number format) is kept whole in the data ("from_text" / "to_text") and shortened, ending in "…", in the column."""
    data = dict(data or {})
    states = []
    for key, state in (("from_text", from_state or ""), ("to_text", to_state or "")):
        state = str(state)
        if len(state) > STATE_LENGTH:
            data[key] = state
            state = state[: STATE_LENGTH - 1] + "…"
        states.append(state)
    return states[0], states[1], data


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
    from_state, to_state, data = _states(from_state, to_state, data)
    return insert_one(
        AuditEntry(
            actor=_actor(actor),
            action=action,
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            data=data or {},
        )
    )


def record_many(
    *,
    actor: Any,
    action: str,
    targets: Iterable[models.Model],
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> int:
    """The same entry for each of `targets`, in one statement whatever their number; returns how many.

    For batches: a list page that shows personal data of many, a roster import of a province.
    """
    entry = {"action": action, "from_state": from_state, "to_state": to_state, "reason": reason, "data": data}
    return record_each(actor=actor, entries=(Entry(target=target, **entry) for target in targets))


@dataclass(frozen=True)
class Entry:
    """One entry of a batch written by `record_each`: what `record` takes for it, but the actor."""

    action: str
    target: models.Model
    from_state: str = ""
    to_state: str = ""
    reason: str = ""
    data: dict | None = None


def record_each(*, actor: Any, entries: Iterable[Entry]) -> int:
    """`record` for many entries of one actor, each with its own action, target, states, reason and data, in one
    statement whatever their number (plus the content types' lookup, cached after the first); returns how many.

    The rows are the ones `record` writes, field for field: for a batch of check-ins sent by a phone.
    """
    entries = list(entries)
    if not entries:
        return 0
    content_types = ContentType.objects.get_for_models(*{type(entry.target) for entry in entries})
    actor = _actor(actor)
    now = timezone.now()
    rows = []
    for entry in entries:
        from_state, to_state, data = _states(entry.from_state, entry.to_state, entry.data)
        rows.append(
            {
                "created_at": now,
                "actor_id": actor.pk if actor else None,
                "action": entry.action,
                "content_type_id": content_types[type(entry.target)].pk,
                "object_id": str(entry.target.pk),
                "from_state": from_state,
                "to_state": to_state,
                "reason": entry.reason,
                "data": data or {},
            }
        )
    insert_rows(AuditEntry, rows)
    return len(rows)
