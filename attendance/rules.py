"""When a check-in may be recorded: the one rule of the online screen and of the offline sync.

A check-in belongs to its session's day, counted in the site's own zone (WIB/WITA/WIT): a session of
Sunday 16 October 2022 08.00–16.00 WITA takes check-ins from 00.00 to 23.59 WITA that Sunday (a session
crossing midnight, every day it touches). Online, "now" outside those days is refused with the session's
day in the message. Offline, the phone's time is the evidence of when the person arrived: a time outside
the days, or ahead of the server's clock, is never changed; the item is held for the panitia to decide
(attendance.services.held_checkin_accept / held_checkin_drop).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attendance.models import HeldCheckin
from core.timezones import format_datetime_in_zone, in_zone, zone_label
from events.models import Session

# A device clock a little ahead of the server's is normal; more is a wrong clock.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class TimeProblem:
    """Why a check-in time is not accepted as it is: `code` for the program, `message` for the person."""

    code: str
    message: str


def session_days(session: Session) -> tuple[dt.date, dt.date]:
    """The first and last calendar day of the session in its site's zone."""
    zone = session.site.time_zone
    return in_zone(session.starts_at, zone).date(), in_zone(session.ends_at, zone).date()


def session_day_text(session: Session) -> str:
    """`Minggu, 16 Oktober 2022 (WITA)`, or `… s.d. …` for a session crossing midnight."""
    first, last = session_days(session)
    text = formats.date_format(first, "l, j F Y")
    if last != first:
        text = _("%(first)s to %(last)s") % {"first": text, "last": formats.date_format(last, "l, j F Y")}
    return f"{text} ({zone_label(session.site.time_zone)})"


def is_on_session_day(session: Session, moment: dt.datetime) -> bool:
    first, last = session_days(session)
    return first <= in_zone(moment, session.site.time_zone).date() <= last


def _today_text(session: Session, now: dt.datetime) -> str:
    zone = session.site.time_zone
    return f"{formats.date_format(in_zone(now, zone).date(), 'l, j F Y')} ({zone_label(zone)})"


def online_checkin_problem(session: Session, *, now: dt.datetime | None = None) -> TimeProblem | None:
    """Why the door may not check people in for `session` now (None: it may)."""
    now = now or timezone.now()
    if is_on_session_day(session, now):
        return None
    return TimeProblem(
        HeldCheckin.Reason.OUTSIDE_DAY,
        _(
            "Check-in refused: this session is on %(day)s, and today is %(today)s. "
            "Check-ins are taken only on the session's day; choose the session of today."
        )
        % {"day": session_day_text(session), "today": _today_text(session, now)},
    )


def session_not_today_notice(session: Session, *, now: dt.datetime | None = None) -> str:
    """What the check-in screen says before anyone tries, when the session is not today ("" when it is)."""
    now = now or timezone.now()
    if is_on_session_day(session, now):
        return ""
    return _(
        "This session is on %(day)s; today is %(today)s. The door takes no check-ins for it today: "
        "choose the session of today. Check-ins kept on a phone are sent as usual."
    ) % {"day": session_day_text(session), "today": _today_text(session, now)}


def device_time_problem(
    session: Session, device_time: dt.datetime, *, now: dt.datetime | None = None
) -> TimeProblem | None:
    """Why an offline check-in's original time cannot be recorded as it is (None: it can)."""
    now = now or timezone.now()
    zone = session.site.time_zone
    if device_time > now + FUTURE_TOLERANCE:
        return TimeProblem(
            HeldCheckin.Reason.FUTURE,
            _("The phone's time (%(time)s) lies in the future: its clock is wrong.")
            % {"time": format_datetime_in_zone(device_time, zone)},
        )
    if not is_on_session_day(session, device_time):
        return TimeProblem(
            HeldCheckin.Reason.OUTSIDE_DAY,
            _("The phone's time (%(time)s) is not on the session's day, %(day)s.")
            % {"time": format_datetime_in_zone(device_time, zone), "day": session_day_text(session)},
        )
    return None
