"""Statements of the door (issue 16): a check-in POST runs a fixed number; an offline sync of a queue runs the same
number for 5 items as for 500."""

import datetime as dt
import json
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attendance.models import Attendance
from attendance.services import attendance_bulk_paper
from core.models import AuditEntry
from events import groups as G
from events.models import Role
from participants.models import Person, Registration
from tests.factories import at_noon_of_today, register, sessions_from_today, user_in

# A check-in at the door, once the worker knows the user and the session (attendance.selectors.DOOR_MEMO): the
# session row and the user (as for any signed-in POST), the version of the door's memory, the registration with
# its attendance of the session (one query on the code), then the attendance and its audit entry inserted in one
# transaction. No permission or scope query, no savepoint.
CHECKIN_POST_STATEMENTS = 6
# Scanned again: the same reads, nothing written (the answer is "already", with the time).
CHECKIN_AGAIN_STATEMENTS = 4


def _transaction_control(sql: str) -> bool:
    return sql.startswith(("BEGIN", "COMMIT", "ROLLBACK"))


def _post(client, path: str, data: dict) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, json.dumps(data), content_type="application/json")
    assert response.status_code == 200, response.content.decode()[:500]
    return response.json(), [q["sql"] for q in queries]


def _many_registrations(site, count: int) -> list[Registration]:
    """`count` registrations at the site in two statements (registration_create one by one would take minutes)."""
    role = Role.objects.get(program=site.event.program, code="CGP")
    people = Person.objects.bulk_create([Person(full_name=f"Peserta Antrean {n:04d}") for n in range(count)])
    now = timezone.now()
    return Registration.objects.bulk_create(
        [
            Registration(
                person=person,
                event=site.event,
                site=site,
                role=role,
                full_name=person.full_name,
                source=Registration.Source.ADMIN,
                status=Registration.Status.VERIFIED,
                submitted_at=now,
            )
            for person in people
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_checkin_post_runs_six_statements(client, bima):
    """Outside any test transaction, as in production: what the count shows is what the server sends."""
    with at_noon_of_today(bima):
        sessions_from_today(bima)
        session = bima.sessions.get(name="Hari 1")
        first, second = register(bima, "CGP"), register(bima, "CGP")
        client.force_login(user_in(G.KOORDINATOR_SITE, sites=[bima]))
        path = reverse("attendance:checkin_record", args=[session.pk])
        _post(client, path, {"code": first.code, "method": "qr"})  # the worker learns the user and the session

        answer, statements = _post(client, path, {"code": second.code, "method": "qr"})
        assert answer["created"] and answer["person"]["present"]
        assert not [sql for sql in statements if "SAVEPOINT" in sql], "a nested atomic block costs two statements"
        assert not [sql for sql in statements if "auth_permission" in sql or "auth_group" in sql]
        work = [sql for sql in statements if not _transaction_control(sql)]
        print(f"check-in POST: {len(work)} statements")
        assert len(work) == CHECKIN_POST_STATEMENTS, "\n".join(sql[:150] for sql in work)
        assert [sql.split()[2] for sql in work if sql.startswith("INSERT")] == [
            '"attendance_attendance"',
            '"core_auditentry"',
        ]

        again, statements = _post(client, path, {"code": second.code, "method": "qr"})
        assert not again["created"] and again["recorded"]
        assert [w["code"] for w in again["warnings"]] == ["unverified", "already"]
        assert len(statements) == CHECKIN_AGAIN_STATEMENTS, "\n".join(sql[:150] for sql in statements)
        assert Attendance.objects.filter(session=session).count() == 2
        assert AuditEntry.objects.filter(action="attendance.recorded").count() == 2


@pytest.fixture
def day1(bima):
    with at_noon_of_today(bima):
        sessions_from_today(bima)
        yield bima.sessions.select_related("site").get(name="Hari 1")


def _queue(registrations, session, *, start: dt.datetime) -> list[dict]:
    return [
        {
            "uuid": str(uuid.uuid4()),
            "code": registration.code,
            "session": session.pk,
            "checked_in_at": (start + dt.timedelta(seconds=number)).isoformat(),
        }
        for number, registration in enumerate(registrations)
    ]


def test_sync_of_500_items_runs_the_statements_of_5(client, bima, day1):
    client.force_login(user_in(G.KOORDINATOR_SITE, sites=[bima]))
    path = reverse("attendance:checkin_sync", args=[bima.pk])
    start = day1.starts_at + dt.timedelta(minutes=1)
    small, large = _many_registrations(bima, 5), _many_registrations(bima, 500)
    client.post(path, json.dumps({"items": []}), content_type="application/json")  # the worker learns the user
    ContentType.objects.get_for_model(Attendance)  # cached in a running server after its first audit entry

    answer, five = _post(client, path, {"items": _queue(small, day1, start=start)})
    assert [result["outcome"] for result in answer["results"]] == ["recorded"] * 5
    queue = _queue(large, day1, start=start)
    answer, five_hundred = _post(client, path, {"items": queue})
    print(f"sync: {len(five)} statements for 5 items, {len(five_hundred)} for 500")
    assert len(five_hundred) == len(five), "\n".join(sql[:150] for sql in five_hundred)
    assert [result["outcome"] for result in answer["results"]] == ["recorded"] * 500

    rows = {str(row.client_uuid): row for row in Attendance.objects.filter(registration__in=large)}
    assert len(rows) == 500
    for item in queue:
        row = rows[item["uuid"]]
        assert row.checked_in_at == dt.datetime.fromisoformat(item["checked_in_at"]) and row.method == "offline"
    entries = AuditEntry.objects.filter(action="attendance.recorded", object_id__in=[str(r.pk) for r in rows.values()])
    assert entries.count() == 500
    times = {entry.data["client_uuid"]: entry.data["checked_in_at"] for entry in entries}
    assert times == {item["uuid"]: item["checked_in_at"] for item in queue}

    # Another phone checked the same 500 people in earlier: their times move, in as many statements for 500 as for 5.
    earlier = day1.starts_at + dt.timedelta(seconds=10)
    _answer, five_again = _post(client, path, {"items": _queue(small, day1, start=earlier)})
    answer, five_hundred_again = _post(client, path, {"items": _queue(large, day1, start=earlier)})
    assert len(five_hundred_again) == len(five_again), "\n".join(sql[:150] for sql in five_hundred_again)
    assert [result["outcome"] for result in answer["results"]] == ["already"] * 500
    assert all(w["code"] == "already" for result in answer["results"] for w in result["warnings"])
    assert Attendance.objects.filter(session=day1).count() == 505
    moved = Attendance.objects.filter(registration__in=large).order_by("registration_id")
    assert [row.checked_in_at for row in moved] == [earlier + dt.timedelta(seconds=n) for n in range(500)]
    assert AuditEntry.objects.filter(action="attendance.earlier_time").count() == 505

    # The same queue sent again (the phone missed the answer): nothing written, the answers name the stored times.
    answer, resent = _post(client, path, {"items": queue})
    assert not [sql for sql in resent if sql.startswith(("INSERT", "UPDATE"))]
    assert [result["outcome"] for result in answer["results"]] == ["already"] * 500
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 505


def test_the_doors_memory_follows_changes_of_scope_permission_and_session(client, bima, sikur, day1):
    """What each worker keeps (attendance.selectors.DOOR_MEMO) is dropped when what it is made of is saved: a
    koordinator taken off the site gets 404 at the next scan, a user taken out of the group 403, a session moved to
    another day refuses the door."""
    from django.contrib.auth.models import Group

    koordinator = user_in(G.KOORDINATOR_SITE, sites=[bima, sikur])
    client.force_login(koordinator)
    path = reverse("attendance:checkin_record", args=[day1.pk])
    people = [register(bima, "CGP") for _ in range(4)]

    def scan(registration):
        return client.post(path, json.dumps({"code": registration.code}), content_type="application/json")

    assert scan(people[0]).status_code == 200  # the user and the session are now in the worker's memory
    bima.coordinators.remove(koordinator)
    assert scan(people[1]).status_code == 404
    bima.coordinators.add(koordinator)
    assert scan(people[1]).status_code == 200
    koordinator.groups.remove(Group.objects.get(name=G.KOORDINATOR_SITE))
    assert scan(people[2]).status_code == 403
    koordinator.groups.add(Group.objects.get(name=G.KOORDINATOR_SITE))
    assert scan(people[2]).status_code == 200
    day1.starts_at -= dt.timedelta(days=3)
    day1.ends_at -= dt.timedelta(days=3)
    day1.save()
    assert scan(people[3]).status_code == 409  # not the session's day
    assert Attendance.objects.filter(session=day1).count() == 3


def test_a_paper_sheet_of_300_ticks_runs_the_statements_of_3(bima, day1):
    """attendance_bulk_paper: who is present already, one insert, the stored rows read back, one audit insert."""
    panitia = user_in(G.PANITIA, organized=[bima.event])
    small, large = _many_registrations(bima, 3), _many_registrations(bima, 300)
    already = large[:10]
    attendance_bulk_paper(session=day1, registrations=already, actor=panitia)  # signed on an earlier sheet
    ContentType.objects.get_for_model(Attendance)  # cached in a running server after its first audit entry

    with CaptureQueriesContext(connection) as three:
        created_small = attendance_bulk_paper(session=day1, registrations=small, actor=panitia)
    with CaptureQueriesContext(connection) as three_hundred:
        created_large = attendance_bulk_paper(session=day1, registrations=large, actor=panitia)
    print(f"paper sheet: {len(three)} statements for 3 ticks, {len(three_hundred)} for 300")
    assert len(three_hundred) == len(three), "\n".join(q["sql"][:150] for q in three_hundred.captured_queries)

    # Everyone ticked is present once, by paper, at the sheet's time; the ten present already are not recorded again.
    assert len(created_small) == 3 and len(created_large) == 290
    assert {row.registration_id for row in created_large} == {r.pk for r in large[10:]}
    rows = Attendance.objects.filter(session=day1)
    assert rows.count() == 303 and set(rows.values_list("method", flat=True)) == {Attendance.Method.PAPER}
    assert all(row.pk for row in created_large)
    # One audit entry per row recorded, the shape attendance_record writes.
    entries = AuditEntry.objects.filter(action="attendance.recorded", object_id__in=[str(r.pk) for r in created_large])
    assert entries.count() == 290
    entry = entries.get(object_id=str(created_large[0].pk))
    assert entry.to_state == "paper" and entry.actor_id == panitia.pk
    assert entry.data == {
        "registration": Registration.objects.get(pk=created_large[0].registration_id).code,
        "session": day1.pk,
        "checked_in_at": created_large[0].checked_in_at.isoformat(),
        "device_time": None,
        "client_uuid": None,
        "warnings": [],
    }
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 303
