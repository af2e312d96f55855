"""Two scanners check the same person in at the same moment: one row, both told it is recorded."""

import threading

import pytest
from django.db import connection, connections

from attendance.models import Attendance
from attendance.services import attendance_record
from events import groups as G
from tests.factories import register, sessions_from_today, user_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"),
]


def test_simultaneous_checkins_of_one_person_keep_one_row(lokakarya):
    from django.apps import apps

    from events.groups import sync_groups

    sync_groups(apps)  # a transactional test starts from a flushed database
    bima = lokakarya.sites.get(name="Kab. Bima")
    sessions_from_today(bima)  # the door checks people in on the session's day only
    session = bima.sessions.select_related("site").get(name="Hari 1")
    registration = register(bima, "CGP")
    scanners = [user_in(G.KOORDINATOR_SITE, sites=[bima]) for _ in range(6)]
    barrier = threading.Barrier(len(scanners))
    answers, errors = [], []

    def scan(user):
        try:
            barrier.wait()
            attendance, created, _ = attendance_record(
                registration=registration, session=session, method="qr", actor=user
            )
            answers.append((attendance.pk, created))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(user,)) for user in scanners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Attendance.objects.count() == 1
    assert len(answers) == len(scanners) and len({pk for pk, _ in answers}) == 1
    assert sum(created for _, created in answers) == 1
