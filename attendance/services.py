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

from attendance.models import Attendance
from core import audit
from core.errors import DomainError
from core.timezones import format_datetime_in_zone
from events.models import EventSite, Session
from participants.models import Registration

# A device clock a little ahead of the server's is normal; more is a wrong clock.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# An offline check-in is expected on the session's day; beyond a day before or after, the clock is wrong.
SESSION_WINDOW_MARGIN = dt.timedelta(days=1)
INACTIVE_STATUSES = (Registration.Status.REJECTED, Registration.Status.WITHDRAWN)


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


def _checked_in_time(*, session: Session, checked_in_at: dt.datetime | None) -> tuple[dt.datetime, list]:
    """The time to store: the client's original time, unless it is impossible (then a finding)."""
    now = timezone.now()
    if checked_in_at is None:
        return now, []
    if timezone.is_naive(checked_in_at):
        raise CheckinError("naive_time", _("The check-in time has no time zone."))
    zone = session.site.time_zone
    if checked_in_at > now + FUTURE_TOLERANCE:
        return now, [
            CheckinWarning(
                "time_in_future",
                _("The device's time (%(time)s) lies in the future; the time of receipt was recorded instead.")
                % {"time": format_datetime_in_zone(checked_in_at, zone)},
            )
        ]
    earliest = session.starts_at - SESSION_WINDOW_MARGIN
    latest = session.ends_at + SESSION_WINDOW_MARGIN
    if not earliest <= checked_in_at <= latest:
        clamped = min(max(checked_in_at, earliest), latest)
        return clamped, [
            CheckinWarning(
                "time_outside_session",
                _("The device's time (%(time)s) is far from the session's day; %(clamped)s was recorded instead.")
                % {
                    "time": format_datetime_in_zone(checked_in_at, zone),
                    "clamped": format_datetime_in_zone(clamped, zone),
                },
            )
        ]
    return checked_in_at, []


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
) -> tuple[Attendance | None, bool, list[CheckinWarning]]:
    """Check a participant in for a session. Returns (attendance, created, warnings).

    Idempotent: a second check-in returns the existing row with created False and an "already"
    warning. A participant of another site, or a rejected/withdrawn registration, is not recorded
    (attendance None) unless the user confirmed it (`allow_other_site`, `allow_inactive`).
    `checked_in_at` is the original time of an offline check-in; None means now.
    """
    if method not in Attendance.Method.values:
        raise CheckinError("method", _("Unknown check-in method."))
    warnings = checkin_warnings(registration=registration, session=session)
    existing = Attendance.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        return existing, False, [*warnings, _already_warning(existing, session)]
    confirmed = {"other_site": allow_other_site, "status_rejected": allow_inactive, "status_withdrawn": allow_inactive}
    if any(warning.blocking and not confirmed.get(warning.code, False) for warning in warnings):
        return None, False, warnings
    time, time_findings = _checked_in_time(session=session, checked_in_at=checked_in_at)
    warnings += time_findings
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
        return existing, False, [*warnings, _already_warning(existing, session)]
    return attendance, True, warnings


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


def attendance_sync(*, site: EventSite, items: list[dict], actor) -> list[SyncResult]:
    """Record a batch of offline check-ins of one site, each with its original time; idempotent per item uuid.

    Each item: {"uuid", "code" (registration code), "session" (id), "checked_in_at" (ISO with offset)}.
    Blocking warnings (another site, a rejected registration) are not overridden here: such items
    come back "refused" for a person to decide on the open screen.
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
    known = {
        attendance.client_uuid: attendance
        for attendance in Attendance.objects.filter(client_uuid__in=[entry[1] for entry in parsed])
    }
    for _item, client_uuid, code, session_id, checked_in_at in parsed:
        key = str(client_uuid)
        if client_uuid in known:
            results.append(SyncResult(key, "already", attendance=known[client_uuid]))
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
