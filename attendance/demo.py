"""Demo data of the check-in area: day 1 of the Lokakarya with part of its demo participants checked in, and the
check-ins of the demo person with a history across both programs (participants.demo.HISTORY_PERSON).

Uses whatever demo registrations the registration area loaded (none → nothing to do). It fills a session
only while nobody has checked in to it: once a session has check-ins (the demo's or real ones), a later run
adds nothing, whatever registrations have appeared since (tests/test_demo_rerun.py).
"""

import datetime as dt

from attendance.models import Attendance
from attendance.services import attendance_record
from events.models import Event
from participants.demo import HISTORY_PERSON
from participants.models import Person, Registration, identifier_q

LOKAKARYA_SLUG = "lokakarya-7-angkatan-4-ppgp-ntb-2022"
METHODS = [Attendance.Method.QR, Attendance.Method.QR, Attendance.Method.SEARCH, Attendance.Method.PAPER]


def history_person_load() -> None:
    """The demo person with a history across both programs (participants.demo.HISTORY_PERSON) came to the first
    session of each site it is registered at. attendance_record is idempotent: a second run adds nothing."""
    registrations = (
        Registration.objects.filter(person__in=Person.objects.filter(identifier_q("nik", HISTORY_PERSON["nik"])))
        .filter(status__in=Registration.SEAT_STATUSES)
        .select_related("site__venue__regency__province", "event")
    )
    for registration in registrations:
        session = registration.site.sessions.order_by("starts_at").first()
        if session is not None:
            attendance_record(
                registration=registration,
                session=session,
                method=Attendance.Method.QR,
                actor=None,
                checked_in_at=session.starts_at - dt.timedelta(minutes=10),
            )


def load() -> None:
    """Idempotent."""
    lokakarya_day_one_load()
    history_person_load()  # after: a session with a check-in is not filled by the Lokakarya's day one


def lokakarya_day_one_load() -> None:
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
