"""Check-in: attendance per registration × session (a day or part of a day), however it is recorded.

Every write is idempotent — a participant checked in twice keeps one row, a batch of offline
check-ins sent twice is recorded once — and audited ("attendance.recorded").
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, Q, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from attendance import rules
from attendance.models import Attendance, HeldCheckin
from core import audit
from core.bulk import large_batches
from core.errors import DomainError
from core.timezones import format_datetime_in_zone
from core.workflow import transition
from events.models import EventSite, Session
from participants.models import Registration

# Registrations whose code gets nobody in: rejected, withdrawn, and still on the waiting list (no seat yet; the
# organizer gives one from the waiting list page, which is then a registration like any other).
INACTIVE_STATUSES = (Registration.Status.REJECTED, Registration.Status.WITHDRAWN, Registration.Status.WAITING)


@dataclass(frozen=True)
class CheckinWarning:
    """Something the person at the door must see. A blocking warning stops the check-in until confirmed."""

    code: str
    message: str
    blocking: bool = False

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "blocking": self.blocking}


@dataclass
class SyncResult:
    """The answer for one offline item: recorded, already (recorded before), refused (needs a person) or error."""

    client_uuid: str
    outcome: str
    warnings: list[CheckinWarning] = field(default_factory=list)
    attendance: Attendance | None = None

    def as_dict(self) -> dict:
        return {
            "uuid": self.client_uuid,
            "outcome": self.outcome,
            "warnings": [warning.as_dict() for warning in self.warnings],
            "checked_in_at": self.attendance.checked_in_at.isoformat() if self.attendance else None,
        }


class CheckinError(DomainError):
    def __init__(self, code: str, message):
        super().__init__(message, code=code)


def _checked_in_time(*, session: Session, checked_in_at: dt.datetime | None, accept_device_time: bool) -> dt.datetime:
    """The time to store: now for the door, the original time of an offline or typed-in check-in.

    Both go through attendance.rules: a time that is not on the session's day is refused, never moved.
    `accept_device_time` is the panitia's decision on a held item (held_checkin_accept).
    """
    if checked_in_at is None:
        problem = rules.online_checkin_problem(session)
        if problem is not None:
            raise CheckinError(problem.code, problem.message)
        return timezone.now()
    if timezone.is_naive(checked_in_at):
        raise CheckinError("naive_time", _("The check-in time has no time zone."))
    problem = rules.device_time_problem(session, checked_in_at)
    if problem is not None and not accept_device_time:
        raise CheckinError(problem.code, problem.message)
    return checked_in_at


def checkin_warnings(*, registration: Registration, session: Session) -> list[CheckinWarning]:
    """What the door must know about this registration for this session (without the 'already' warning)."""
    if registration.event_id != session.site.event_id:
        raise CheckinError("other_event", _("This registration is for another event."))
    warnings = []
    if registration.site_id != session.site_id:
        warnings.append(
            CheckinWarning(
                "other_site",
                _("Registered at another site: %(site)s.") % {"site": registration.site.name},
                blocking=True,
            )
        )
    if registration.status in INACTIVE_STATUSES:
        warnings.append(
            CheckinWarning(
                f"status_{registration.status}",
                _("The registration is %(status)s.") % {"status": registration.get_status_display().lower()},
                blocking=True,
            )
        )
    elif registration.status == Registration.Status.SUBMITTED:
        warnings.append(CheckinWarning("unverified", _("The registration has not been verified yet.")))
    return warnings


def _already_warning(attendance: Attendance, session: Session) -> CheckinWarning:
    return CheckinWarning(
        "already",
        _("Already checked in at %(time)s.")
        % {"time": format_datetime_in_zone(attendance.checked_in_at, session.site.time_zone, "H.i")},
    )


# `existing` of attendance_record when the caller has not read it: the service looks it up.
LOOK_UP = object()


def attendance_record(
    *,
    registration: Registration,
    session: Session,
    method: str,
    actor,
    checked_in_at: dt.datetime | None = None,
    allow_other_site: bool = False,
    allow_inactive: bool = False,
    client_uuid: uuid.UUID | None = None,
    accept_device_time: bool = False,
    existing: Attendance | None | object = LOOK_UP,
) -> tuple[Attendance | None, bool, list[CheckinWarning]]:
    """Check a participant in for a session. Returns (attendance, created, warnings).

    Idempotent: a second check-in returns the existing row with created False and an "already"
    warning. A participant of another site, or a rejected/withdrawn registration, is not recorded
    (attendance None) unless the user confirmed it (`allow_other_site`, `allow_inactive`).
    `checked_in_at` is the original time of an offline check-in; None means now. Either must lie on the
    session's day (attendance.rules), else CheckinError: nothing is recorded and no time is moved.
    `existing` is the registration's attendance of the session when the caller read it with the registration
    (attendance.selectors.registration_for_checkin; None: none yet), which saves a query.
    """
    if method not in Attendance.Method.values:
        raise CheckinError("method", _("Unknown check-in method."))
    warnings = checkin_warnings(registration=registration, session=session)
    time = _checked_in_time(session=session, checked_in_at=checked_in_at, accept_device_time=accept_device_time)
    if existing is LOOK_UP:
        existing = Attendance.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        existing = _keep_earliest(existing, time=time if checked_in_at else None, actor=actor, client_uuid=client_uuid)
        return existing, False, [*warnings, _already_warning(existing, session)]
    confirmed = {"other_site": allow_other_site, "status_rejected": allow_inactive, "status_withdrawn": allow_inactive}
    if any(warning.blocking and not confirmed.get(warning.code, False) for warning in warnings):
        return None, False, warnings
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                registration=registration,
                session=session,
                checked_in_at=time,
                method=method,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                client_uuid=client_uuid,
            )
            audit.record(
                actor=actor,
                action="attendance.recorded",
                target=attendance,
                to_state=method,
                reason="; ".join(warning.message for warning in warnings),
                data={
                    "registration": registration.code,
                    "session": session.pk,
                    "checked_in_at": time.isoformat(),
                    "device_time": checked_in_at.isoformat() if checked_in_at else None,
                    "client_uuid": str(client_uuid) if client_uuid else None,
                    "warnings": [warning.code for warning in warnings],
                },
            )
    except IntegrityError:
        # Another scanner checked the same person in at the same moment (or the same offline item
        # arrived twice at once): the database kept one row, which is the answer.
        existing = Attendance.objects.filter(registration=registration, session=session).first()
        if existing is None and client_uuid is not None:
            existing = Attendance.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        existing = _keep_earliest(existing, time=time if checked_in_at else None, actor=actor, client_uuid=client_uuid)
        return existing, False, [*warnings, _already_warning(existing, session)]
    return attendance, True, warnings


def _keep_earliest(
    existing: Attendance, *, time: dt.datetime | None, actor, client_uuid: uuid.UUID | None
) -> Attendance:
    """The same person checked in on two devices (one of them offline): the attendance keeps the earliest time.

    `time` is the other check-in's original time (None for a check-in made now, which is never earlier).
    """
    if time is None or time >= existing.checked_in_at:
        return existing
    previous = existing.checked_in_at
    with transaction.atomic():
        # Conditional, so two devices syncing at once can only move the time earlier.
        moved = Attendance.objects.filter(pk=existing.pk, checked_in_at__gt=time).update(checked_in_at=time)
        if moved:
            audit.record(
                actor=actor,
                action="attendance.earlier_time",
                target=existing,
                reason=_("Checked in earlier on another device."),
                data={
                    "from": previous.isoformat(),
                    "to": time.isoformat(),
                    "client_uuid": str(client_uuid) if client_uuid else None,
                },
            )
    existing.refresh_from_db(fields=["checked_in_at"])
    return existing


def _parse_sync_item(item: dict) -> tuple[uuid.UUID, str, int, dt.datetime]:
    try:
        client_uuid = uuid.UUID(str(item["uuid"]))
        code = str(item["code"]).strip().upper()
        session_id = int(item["session"])
        checked_in_at = parse_datetime(str(item["checked_in_at"]))
    except (KeyError, TypeError, ValueError) as error:
        raise CheckinError("bad_item", _("The check-in could not be read.")) from error
    if checked_in_at is None or timezone.is_naive(checked_in_at):
        raise CheckinError("bad_item", _("The check-in time must carry its time zone."))
    return client_uuid, code, session_id, checked_in_at


def _held_warning(held: HeldCheckin, problem_message: str = "") -> CheckinWarning:
    message = problem_message or str(held.get_reason_display())
    return CheckinWarning(
        f"held_{held.reason}",
        _("%(problem)s Put aside, unchanged, for the panitia to accept or drop.") % {"problem": message},
        blocking=True,
    )


def _held_entry(
    held: HeldCheckin, *, registration: Registration, problem: rules.TimeProblem, device_time: dt.datetime
) -> audit.Entry:
    """The audit entry of an offline item put aside (`device_time` as the phone sent it)."""
    return audit.Entry(
        action="attendance.held",
        target=held,
        to_state=HeldCheckin.Status.HELD,
        reason=problem.message,
        data={
            "registration": registration.code,
            "session": held.session_id,
            "device_time": device_time.isoformat(),
            "client_uuid": str(held.client_uuid),
            "device": held.device,
        },
    )


def _recorded_entry(
    attendance: Attendance,
    *,
    registration: Registration,
    warnings: list[CheckinWarning],
    device_time: dt.datetime | None = None,
) -> audit.Entry:
    """The audit entry of a check-in recorded in a batch (an offline item: `device_time` as the phone sent it; a
    paper sheet's tick: none), as attendance_record writes it."""
    return audit.Entry(
        action="attendance.recorded",
        target=attendance,
        to_state=attendance.method,
        reason="; ".join(warning.message for warning in warnings),
        data={
            "registration": registration.code,
            "session": attendance.session_id,
            "checked_in_at": attendance.checked_in_at.isoformat(),
            "device_time": device_time.isoformat() if device_time else None,
            "client_uuid": str(attendance.client_uuid) if attendance.client_uuid else None,
            "warnings": [warning.code for warning in warnings],
        },
    )


@dataclass
class _SyncItem:
    """One readable offline item on its way through attendance_sync."""

    client_uuid: uuid.UUID
    time: dt.datetime
    registration: Registration | None
    session: Session | None
    outcome: str = ""
    warnings: list[CheckinWarning] = field(default_factory=list)
    # recorded: the row to insert, then the row stored; already: the row of the person for the session; held: the
    # held item to insert, then the one stored.
    row: Attendance | HeldCheckin | None = None
    # How an "already" came about: "sent" (this uuid was recorded before), "pair" (the person was checked in: the
    # earliest time is kept, the answer warns), "held" (a time that cannot be recorded, the person already there).
    already: str = ""
    problem: rules.TimeProblem | None = None
    first: "_SyncItem | None" = None  # the earlier item of this batch with the same uuid

    @property
    def pair(self) -> tuple[int, int]:
        return self.registration.pk, self.session.pk


def _sync_decide(item: _SyncItem, *, known: dict, held_before: dict, seen: dict, rows: dict, new: dict) -> None:
    """What becomes of one item, from what the database held and the batch's earlier items (no query).

    The same rules as attendance_record and the held path, in the same order.
    """
    if item.client_uuid in known:
        item.outcome, item.row, item.already = "already", known[item.client_uuid], "sent"
        return
    if item.client_uuid in held_before:
        held = held_before[item.client_uuid]
        item.outcome, item.row, item.warnings = "held", held, [_held_warning(held)]
        return
    if item.client_uuid in seen:
        item.first = seen[item.client_uuid]
        return
    seen[item.client_uuid] = item
    if item.session is None:
        item.outcome, item.warnings = "error", [CheckinWarning("session", _("Unknown session."), True)]
        return
    if item.registration is None:
        item.outcome, item.warnings = "error", [CheckinWarning("code", _("Unknown registration code."), True)]
        return
    try:
        warnings = checkin_warnings(registration=item.registration, session=item.session)
    except CheckinError as error:
        item.outcome, item.warnings = "error", [CheckinWarning(error.code, error.message, True)]
        return
    existing = rows.get(item.pair)
    item.problem = rules.device_time_problem(item.session, item.time)
    if item.problem is not None:
        # A time that cannot be recorded: refused or already there like any other item, else held.
        if any(warning.blocking for warning in warnings):
            item.outcome, item.warnings = "refused", warnings
        elif existing is not None:
            item.outcome, item.row, item.already = "already", existing, "held"
        else:
            item.outcome = "held"
            item.row = new[item.client_uuid] = HeldCheckin(
                registration=item.registration,
                session=item.session,
                device_time=item.time,
                client_uuid=item.client_uuid,
                reason=item.problem.code,
            )
        return
    item.warnings = warnings
    if existing is not None:
        item.outcome, item.row, item.already = "already", existing, "pair"
    elif any(warning.blocking for warning in warnings):
        item.outcome = "refused"
    else:
        item.outcome = "recorded"
        item.row = rows[item.pair] = Attendance(
            registration=item.registration,
            session=item.session,
            checked_in_at=item.time,
            method=Attendance.Method.OFFLINE,
            client_uuid=item.client_uuid,
        )


def attendance_sync(*, site: EventSite, items: list[dict], actor, device: str = "") -> list[SyncResult]:
    """Record a batch of offline check-ins of one site, each with its original time; idempotent per item uuid.

    Each item: {"uuid", "code" (registration code), "session" (id), "checked_in_at" (ISO with offset)}.
    Blocking warnings (another site, a rejected registration) are not overridden here: such items
    come back "refused" for a person to decide on the open screen. An item whose time is not on the
    session's day (attendance.rules) comes back "held": kept with its time as scanned, for the panitia.
    A person already checked in keeps the earliest time, as with attendance_record; several items of the batch for
    one person move the time once, to the earliest of them (one "attendance.earlier_time" entry), and every answer
    names the time stored at the end. `device` says which phone sent the batch (its browser's user agent).

    A constant number of statements whatever the number of items: the sessions, the registrations, the rows
    already there (by uuid or by person × session) and the held items are read once; the new rows, the held items
    and every audit entry are inserted in bulk in one transaction, the earlier times moved in one UPDATE. Another
    request sending the same people or items at the same moment: the database keeps one row per person × session
    and per uuid (the inserts skip conflicts), and what this request really inserted is read back, so that only
    those are answered "recorded" and audited.
    """
    results, parsed = [], []
    for raw in items:
        try:
            parsed.append(_parse_sync_item(raw))
        except CheckinError as error:
            results.append(
                SyncResult(
                    str(raw.get("uuid", "")) if isinstance(raw, dict) else "",
                    "error",
                    [CheckinWarning(error.code, error.message, blocking=True)],
                )
            )
    sessions = {
        session.pk: session
        for session in Session.objects.select_related("site__venue__regency__province").filter(
            site=site, pk__in={session_id for _uuid, _code, session_id, _time in parsed}
        )
    }
    registrations = {
        registration.code: registration
        for registration in Registration.objects.select_related("site").filter(
            event_id=site.event_id, code__in={code for _uuid, code, _session, _time in parsed}
        )
    }
    batch = [
        _SyncItem(client_uuid, time, registrations.get(code), sessions.get(session_id))
        for client_uuid, code, session_id, time in parsed
    ]
    uuids = [item.client_uuid for item in batch]
    present = Attendance.objects.filter(
        Q(client_uuid__in=uuids)
        | Q(registration__in=[registration.pk for registration in registrations.values()], session__in=list(sessions))
    )
    rows, known = {}, {}
    for row in present:
        rows[(row.registration_id, row.session_id)] = row
        if row.client_uuid is not None:
            known[row.client_uuid] = row
    held_before = {held.client_uuid: held for held in HeldCheckin.objects.filter(client_uuid__in=uuids)}
    seen, new_rows, new_held = {}, {}, {}
    for item in batch:
        _sync_decide(item, known=known, held_before=held_before, seen=seen, rows=rows, new=new_held)
        if item.outcome == "recorded":
            new_rows[item.pair] = item.row
    earlier = [item for item in batch if item.already == "pair" and item.time < item.row.checked_in_at]
    if new_rows or new_held or earlier:
        with transaction.atomic(), large_batches():
            entries = _sync_insert(batch, new_rows=new_rows, actor=actor)
            entries += _sync_keep_earliest(batch)
            entries += _sync_hold(batch, new_held=new_held, actor=actor, device=device)
            audit.record_each(actor=actor, entries=entries)
    for item in batch:
        results.append(_sync_result(item))
    return results


def _sync_insert(batch: list[_SyncItem], *, new_rows: dict, actor) -> list[audit.Entry]:
    """Insert the new attendance rows in one statement, read back which this request stored (a concurrent one may
    have stored the person or the item first: those become "already"); their audit entries."""
    if not new_rows:
        return []
    recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    for row in new_rows.values():
        row.recorded_by = recorded_by
    # In the order of the unique index: two requests inserting overlapping rows wait for each other in the same
    # order (no deadlock).
    Attendance.objects.bulk_create([new_rows[pair] for pair in sorted(new_rows)], ignore_conflicts=True)
    stored = Attendance.objects.filter(
        Q(client_uuid__in=[row.client_uuid for row in new_rows.values()])
        | Q(registration__in={pair[0] for pair in new_rows}, session__in={pair[1] for pair in new_rows})
    )
    by_pair, by_uuid = {}, {}
    for row in stored:
        by_pair[(row.registration_id, row.session_id)] = row
        by_uuid[row.client_uuid] = row
    entries = []
    for item in batch:
        if item.outcome == "already" and item.row.pk is None:  # a later item of the batch for the same person
            item.row = by_pair[item.pair]
        if item.outcome != "recorded":
            continue
        mine = item.row
        row = by_pair.get(item.pair) or by_uuid[item.client_uuid]
        if row.client_uuid == mine.client_uuid and row.created_at == mine.created_at:
            item.row = row
            entries.append(
                _recorded_entry(row, registration=item.registration, warnings=item.warnings, device_time=item.time)
            )
        else:
            # Stored a moment ago by another request (another phone, or this same item sent twice at once).
            item.outcome, item.row, item.already = "already", row, "pair"
    return entries


def _sync_keep_earliest(batch: list[_SyncItem]) -> list[audit.Entry]:
    """The people checked in before whose item of this batch is earlier: their time moved to it in one conditional
    UPDATE (another request can only move it earlier still), read back; an audit entry per row moved."""
    earliest: dict[int, _SyncItem] = {}
    for item in batch:
        if item.already != "pair" or item.time >= item.row.checked_in_at:
            continue
        if item.row.pk not in earliest or item.time < earliest[item.row.pk].time:
            earliest[item.row.pk] = item
    if not earliest:
        return []
    condition = Q()
    for pk, item in earliest.items():
        condition |= Q(pk=pk, checked_in_at__gt=item.time)
    Attendance.objects.filter(condition).update(
        checked_in_at=Case(
            *(When(pk=pk, then=Value(item.time)) for pk, item in earliest.items()), output_field=DateTimeField()
        )
    )
    now = {row.pk: row for row in Attendance.objects.filter(pk__in=list(earliest))}
    entries = []
    for pk, item in earliest.items():
        if now[pk].checked_in_at == item.time:
            entries.append(
                audit.Entry(
                    action="attendance.earlier_time",
                    target=now[pk],
                    reason=_("Checked in earlier on another device."),
                    data={
                        "from": item.row.checked_in_at.isoformat(),
                        "to": item.time.isoformat(),
                        "client_uuid": str(item.client_uuid),
                    },
                )
            )
    for item in batch:
        if item.already and item.row is not None and item.row.pk in now:
            item.row = now[item.row.pk]
    return entries


def _sync_hold(batch: list[_SyncItem], *, new_held: dict, actor, device: str) -> list[audit.Entry]:
    """Put aside the items whose time cannot be recorded, in one statement; read back which this request stored;
    their audit entries."""
    if not new_held:
        return []
    sent_by = actor if getattr(actor, "is_authenticated", False) else None
    for held in new_held.values():
        held.sent_by, held.device = sent_by, device[:200]
    HeldCheckin.objects.bulk_create([new_held[key] for key in sorted(new_held)], ignore_conflicts=True)
    stored = {held.client_uuid: held for held in HeldCheckin.objects.filter(client_uuid__in=list(new_held))}
    entries = []
    for item in batch:
        if item.outcome != "held" or item.client_uuid not in new_held or item.row is not new_held[item.client_uuid]:
            continue
        mine, item.row = item.row, stored[item.client_uuid]
        item.warnings = [_held_warning(item.row, item.problem.message)]
        if item.row.created_at == mine.created_at:
            entries.append(
                _held_entry(item.row, registration=item.registration, problem=item.problem, device_time=item.time)
            )
    return entries


def _sync_result(item: _SyncItem) -> SyncResult:
    key = str(item.client_uuid)
    if item.first is not None:  # the same uuid earlier in the batch: its answer
        first = item.first
        if first.outcome in ("recorded", "already"):
            return SyncResult(key, "already", attendance=first.row)
        return SyncResult(key, first.outcome, first.warnings)
    if item.outcome == "already":
        if item.already == "sent":
            return SyncResult(key, "already", attendance=item.row)
        if item.already == "held":
            return SyncResult(key, "already", [_already_warning(item.row, item.session)], item.row)
        return SyncResult(key, "already", [*item.warnings, _already_warning(item.row, item.session)], item.row)
    if item.outcome == "recorded":
        return SyncResult(key, "recorded", item.warnings, item.row)
    return SyncResult(key, item.outcome, item.warnings)


def _held_forbidden(held: HeldCheckin, to_status: str) -> CheckinError:
    return CheckinError(
        "held_decided", _("This check-in was already decided: %(status)s.") % {"status": held.get_status_display()}
    )


def held_checkin_accept(*, held: HeldCheckin, actor) -> HeldCheckin:
    """The panitia accepts a held offline check-in: an attendance with the phone's time exactly, audited."""

    def apply(locked: HeldCheckin, data: dict) -> list[str]:
        registration = Registration.objects.select_related("site").get(pk=locked.registration_id)
        session = Session.objects.select_related("site__venue__regency__province").get(pk=locked.session_id)
        attendance, created, warnings = attendance_record(
            registration=registration,
            session=session,
            method=Attendance.Method.OFFLINE,
            actor=actor,
            checked_in_at=locked.device_time,
            client_uuid=locked.client_uuid,
            accept_device_time=True,
        )
        if attendance is None:
            raise CheckinError(
                "held_blocked", " ".join(str(warning.message) for warning in warnings if warning.blocking)
            )
        if not created:
            raise CheckinError(
                "already",
                _("%(name)s is already checked in for this session at %(time)s: drop this one.")
                % {
                    "name": registration.full_name,
                    "time": format_datetime_in_zone(attendance.checked_in_at, session.site.time_zone),
                },
            )
        locked.attendance = attendance
        locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.decided_at = timezone.now()
        data.update({"attendance": attendance.pk, "checked_in_at": attendance.checked_in_at.isoformat()})
        return ["attendance", "decided_by", "decided_at"]

    return transition(
        held,
        to_status=HeldCheckin.Status.ACCEPTED,
        actor=actor,
        action="attendance.held",
        forbidden=_held_forbidden,
        apply=apply,
    )


def held_checkin_drop(*, held: HeldCheckin, actor, reason: str) -> HeldCheckin:
    """The panitia drops a held offline check-in, with a reason: no attendance, audited."""
    reason = (reason or "").strip()
    if not reason:
        raise CheckinError("reason", _("Say why this check-in is dropped."))

    def apply(locked: HeldCheckin, data: dict) -> list[str]:
        locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        return ["decided_by", "decided_at", "decision_reason"]

    return transition(
        held,
        to_status=HeldCheckin.Status.DROPPED,
        actor=actor,
        action="attendance.held",
        forbidden=_held_forbidden,
        apply=apply,
        reason=reason,
    )


def attendance_bulk_paper(*, session: Session, registrations: list[Registration], actor) -> list[Attendance]:
    """Record the ticks of a paper attendance sheet at once (method paper); those already present stay as they are.

    The sheet says who was there, not when: the time is now while the session runs, else its start. A sheet lists
    this site's participants only: a registration of another site refuses the whole sheet. The same statements for
    3 ticks as for 300: who is present already, the new rows in one insert (skipping a person another scanner
    checked in at the same moment), the rows this request stored read back, and their audit entries in one insert.
    """
    now = timezone.now()
    time = now if session.starts_at <= now <= session.ends_at else session.starts_at
    recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        present = set(
            Attendance.objects.filter(session=session, registration__in=registrations).values_list(
                "registration_id", flat=True
            )
        )
        ticked = {registration.pk: registration for registration in registrations if registration.pk not in present}
        if any(registration.site_id != session.site_id for registration in ticked.values()):
            raise CheckinError("other_site", _("The sheet lists only this site's participants."))
        warnings = {pk: checkin_warnings(registration=reg, session=session) for pk, reg in ticked.items()}
        mine = {
            pk: Attendance(
                registration=registration,
                session=session,
                checked_in_at=time,
                method=Attendance.Method.PAPER,
                recorded_by=recorded_by,
            )
            for pk, registration in ticked.items()
        }
        with large_batches():
            # In the order of the unique index, as the offline sync inserts (no deadlock between the two).
            Attendance.objects.bulk_create([mine[pk] for pk in sorted(mine)], ignore_conflicts=True)
        stored = Attendance.objects.filter(session=session, registration__in=list(mine)).order_by("registration_id")
        # This request's rows: a person another scanner checked in at the same moment kept that row instead.
        created = [
            row
            for row in stored
            if row.method == Attendance.Method.PAPER and row.created_at == mine[row.registration_id].created_at
        ]
        audit.record_each(
            actor=actor,
            entries=(
                _recorded_entry(row, registration=ticked[row.registration_id], warnings=warnings[row.registration_id])
                for row in created
            ),
        )
    return created
