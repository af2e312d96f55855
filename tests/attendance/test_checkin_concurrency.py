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


def test_two_phones_syncing_overlapping_queues_at_once_keep_one_row_each_and_the_earliest_time(lokakarya):
    """Issue 16: phone A and phone B send their queues at the same moment. B checked in half of A's people too (its own
    uuids, some earlier, some later) and sends ten of A's very items again (the same uuids): one row per person and
    per uuid, the earliest time of each person, one "recorded" answer and one audit entry per row stored."""
    import datetime as dt
    import uuid

    from django.apps import apps

    from attendance.services import attendance_sync
    from core.models import AuditEntry
    from events.groups import sync_groups

    sync_groups(apps)  # a transactional test starts from a flushed database
    bima = lokakarya.sites.get(name="Kab. Bima")
    session = bima.sessions.get(name="Hari 1")  # as seeded, in 2022: the times of its day are recorded as sent
    people = [register(bima, "CGP") for _ in range(60)]
    start = session.starts_at + dt.timedelta(minutes=10)

    def item(registration, minutes, client_uuid=None):
        return {
            "uuid": client_uuid or str(uuid.uuid4()),
            "code": registration.code,
            "session": session.pk,
            "checked_in_at": (start + dt.timedelta(minutes=minutes)).isoformat(),
        }

    queue_a = [item(person, number) for number, person in enumerate(people[:40])]
    # B: people 20..59 (20..39 also on A: even ones earlier than A, odd ones later), and A's first ten items again.
    queue_b = [item(person, 20 + (-5 if number % 2 == 0 else 5)) for number, person in enumerate(people[20:40])]
    queue_b += [item(person, 50) for person in people[40:]]
    queue_b += [dict(entry) for entry in queue_a[:10]]
    earliest = {}
    for entry in queue_a + queue_b:
        time = dt.datetime.fromisoformat(entry["checked_in_at"])
        earliest[entry["code"]] = min(time, earliest.get(entry["code"], time))

    phones = [user_in(G.KOORDINATOR_SITE, sites=[bima]) for _ in range(2)]
    barrier = threading.Barrier(2)
    answers, errors = {}, []

    def sync(name, user, queue):
        try:
            barrier.wait()
            answers[name] = attendance_sync(site=bima, items=queue, actor=user, device=name)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=sync, args=("A", phones[0], queue_a)),
        threading.Thread(target=sync, args=("B", phones[1], queue_b)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    rows = list(Attendance.objects.select_related("registration"))
    assert len(rows) == 60 and len({row.registration_id for row in rows}) == 60
    assert len({row.client_uuid for row in rows}) == 60
    assert {row.registration.code: row.checked_in_at for row in rows} == earliest
    outcomes = [result.outcome for name in "AB" for result in answers[name]]
    assert set(outcomes) <= {"recorded", "already"}
    recorded = [result for name in "AB" for result in answers[name] if result.outcome == "recorded"]
    assert len(recorded) == 60 and {result.attendance.pk for result in recorded} == {row.pk for row in rows}
    # Only the rows really stored are audited, each once; every time moved earlier has its entry.
    entries = AuditEntry.objects.filter(action="attendance.recorded")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(str(row.pk) for row in rows)
    moved = AuditEntry.objects.filter(action="attendance.earlier_time")
    assert {entry.object_id for entry in moved} <= {str(row.pk) for row in rows}
    for row in rows:
        if row.checked_in_at != dt.datetime.fromisoformat(
            next(e["checked_in_at"] for e in queue_a + queue_b if e["uuid"] == str(row.client_uuid))
        ):
            assert moved.filter(object_id=str(row.pk)).exists()
