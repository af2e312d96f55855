"""Check-in: attendance per registration × session (a day or part of a day), however it is recorded.

Every write is idempotent — a participant checked in twice keeps one row, a batch of offline
check-ins sent twice is recorded once — and audited ("attendance.recorded").
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from attendance import rules
from attendance.models import Attendance, HeldCheckin
from core import audit
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


def _hold(
    *,
    registration: Registration,
    session: Session,
    device_time: dt.datetime,
    client_uuid: uuid.UUID,
    problem: rules.TimeProblem,
    actor,
    device: str,
) -> HeldCheckin:
    with transaction.atomic():
        held = HeldCheckin.objects.create(
            registration=registration,
            session=session,
            device_time=device_time,
            client_uuid=client_uuid,
            sent_by=actor if getattr(actor, "is_authenticated", False) else None,
            device=device[:200],
            reason=problem.code,
        )
        audit.record(
            actor=actor,
            action="attendance.held",
            target=held,
            to_state=HeldCheckin.Status.HELD,
            reason=problem.message,
            data={
                "registration": registration.code,
                "session": session.pk,
                "device_time": device_time.isoformat(),
                "client_uuid": str(client_uuid),
                "device": device[:200],
            },
        )
    return held


def attendance_sync(*, site: EventSite, items: list[dict], actor, device: str = "") -> list[SyncResult]:
    """Record a batch of offline check-ins of one site, each with its original time; idempotent per item uuid.

    Each item: {"uuid", "code" (registration code), "session" (id), "checked_in_at" (ISO with offset)}.
    Blocking warnings (another site, a rejected registration) are not overridden here: such items
    come back "refused" for a person to decide on the open screen. An item whose time is not on the
    session's day (attendance.rules) comes back "held": kept with its time as scanned, for the panitia.
    `device` says which phone sent the batch (its browser's user agent).
    """
    parsed, results = [], []
    for item in items:
        try:
            parsed.append((item, *_parse_sync_item(item)))
        except CheckinError as error:
            results.append(
                SyncResult(
                    str(item.get("uuid", "")) if isinstance(item, dict) else "",
                    "error",
                    [CheckinWarning(error.code, error.message, blocking=True)],
                )
            )
    sessions = {
        session.pk: session
        for session in Session.objects.select_related("site__venue__regency__province").filter(
            site=site, pk__in=[entry[3] for entry in parsed]
        )
    }
    registrations = {
        registration.code: registration
        for registration in Registration.objects.select_related("site").filter(
            event_id=site.event_id, code__in=[entry[2] for entry in parsed]
        )
    }
    uuids = [entry[1] for entry in parsed]
    known = {attendance.client_uuid: attendance for attendance in Attendance.objects.filter(client_uuid__in=uuids)}
    held_before = {held.client_uuid: held for held in HeldCheckin.objects.filter(client_uuid__in=uuids)}
    for _item, client_uuid, code, session_id, checked_in_at in parsed:
        key = str(client_uuid)
        if client_uuid in known:
            results.append(SyncResult(key, "already", attendance=known[client_uuid]))
            continue
        if client_uuid in held_before:
            results.append(SyncResult(key, "held", [_held_warning(held_before[client_uuid])]))
            continue
        session = sessions.get(session_id)
        registration = registrations.get(code)
        if session is None:
            results.append(SyncResult(key, "error", [CheckinWarning("session", _("Unknown session."), True)]))
            continue
        if registration is None:
            results.append(SyncResult(key, "error", [CheckinWarning("code", _("Unknown registration code."), True)]))
            continue
        try:
            problem = rules.device_time_problem(session, checked_in_at)
            if problem is not None:
                results.append(
                    _hold_or_answer(
                        registration=registration,
                        session=session,
                        device_time=checked_in_at,
                        client_uuid=client_uuid,
                        problem=problem,
                        actor=actor,
                        device=device,
                    )
                )
                continue
            attendance, created, warnings = attendance_record(
                registration=registration,
                session=session,
                method=Attendance.Method.OFFLINE,
                actor=actor,
                checked_in_at=checked_in_at,
                client_uuid=client_uuid,
            )
        except CheckinError as error:
            results.append(SyncResult(key, "error", [CheckinWarning(error.code, error.message, True)]))
            continue
        if attendance is None:
            outcome = "refused"
        else:
            outcome = "recorded" if created else "already"
            known[client_uuid] = attendance
        results.append(SyncResult(key, outcome, warnings, attendance))
    return results


def _hold_or_answer(
    *,
    registration: Registration,
    session: Session,
    device_time: dt.datetime,
    client_uuid: uuid.UUID,
    problem: rules.TimeProblem,
    actor,
    device: str,
) -> SyncResult:
    """An item with a time that cannot be recorded: refused or already there like any other, else held."""
    key = str(client_uuid)
    warnings = checkin_warnings(registration=registration, session=session)
    if any(warning.blocking for warning in warnings):
        return SyncResult(key, "refused", warnings)
    existing = Attendance.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        return SyncResult(key, "already", [_already_warning(existing, session)], existing)
    try:
        held = _hold(
            registration=registration,
            session=session,
            device_time=device_time,
            client_uuid=client_uuid,
            problem=problem,
            actor=actor,
            device=device,
        )
    except IntegrityError:
        # The same item arrived twice at once: one row was kept.
        held = HeldCheckin.objects.get(client_uuid=client_uuid)
    return SyncResult(key, "held", [_held_warning(held, problem.message)])


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

    The sheet says who was there, not when: the time is now while the session runs, else its start.
    """
    now = timezone.now()
    time = now if session.starts_at <= now <= session.ends_at else session.starts_at
    created = []
    with transaction.atomic():
        present = set(
            Attendance.objects.filter(session=session, registration__in=registrations).values_list(
                "registration_id", flat=True
            )
        )
        for registration in registrations:
            if registration.pk in present:
                continue
            if registration.site_id != session.site_id:
                raise CheckinError("other_site", _("The sheet lists only this site's participants."))
            attendance, was_created, _warnings = attendance_record(
                registration=registration,
                session=session,
                method=Attendance.Method.PAPER,
                actor=actor,
                checked_in_at=time,
                allow_inactive=True,
            )
            if was_created:
                created.append(attendance)
    return created
