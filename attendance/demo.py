"""Demo data of the check-in area: day 1 of the Lokakarya with part of its demo participants checked in.

Uses whatever demo registrations the registration area loaded (none → nothing to do). It fills a session
only while nobody has checked in to it: once a session has check-ins (the demo's or real ones), a later run
adds nothing, whatever registrations have appeared since (tests/test_demo_rerun.py).
"""

import datetime as dt

from attendance.models import Attendance
from attendance.services import attendance_record
from events.models import Event
from participants.models import Registration

LOKAKARYA_SLUG = "lokakarya-7-angkatan-4-ppgp-ntb-2022"
METHODS = [Attendance.Method.QR, Attendance.Method.QR, Attendance.Method.SEARCH, Attendance.Method.PAPER]


def load() -> None:
    """Idempotent."""
    event = Event.objects.filter(slug=LOKAKARYA_SLUG).first()
    if event is None:
        return
    for site in event.sites.all():
        session = site.sessions.order_by("starts_at").first()
        if session is None or Attendance.objects.filter(session=session).exists():
            continue
        expected = list(
            Registration.objects.filter(site=site, status__in=Registration.SEAT_STATUSES)
            .select_related("site", "site__venue__regency__province")
            .order_by("id")
        )
        # Two thirds arrived, from half an hour before the start, one every two minutes.
        for index, registration in enumerate(expected[: len(expected) * 2 // 3]):
            attendance_record(
                registration=registration,
                session=session,
                method=METHODS[index % len(METHODS)],
                actor=None,
                checked_in_at=session.starts_at - dt.timedelta(minutes=30) + dt.timedelta(minutes=2 * index),
            )
