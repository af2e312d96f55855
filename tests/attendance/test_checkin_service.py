import datetime as dt
import uuid

import pytest
from django.utils import timezone

from attendance.models import Attendance
from attendance.services import CheckinError, attendance_bulk_paper, attendance_record, attendance_sync
from core.models import AuditEntry
from events import groups as G
from participants.services import registration_reject, registration_verify
from tests.factories import register, user_in

Method = Attendance.Method


@pytest.fixture
def day1(bima):
    return bima.sessions.get(name="Hari 1")


@pytest.fixture
def panitia(lokakarya):
    return user_in(G.PANITIA, organized=[lokakarya])


def test_second_checkin_is_harmless_and_keeps_one_row(bima, day1, panitia):
    registration = register(bima, "CGP")
    registration_verify(registration=registration, actor=panitia)
    first, created, warnings = attendance_record(
        registration=registration, session=day1, method=Method.QR, actor=panitia
    )
    assert created and warnings == []
    assert first.recorded_by == panitia and first.method == "qr"
    again, created_again, warnings_again = attendance_record(
        registration=registration, session=day1, method=Method.SEARCH, actor=panitia
    )
    assert again.pk == first.pk and not created_again
    assert [w.code for w in warnings_again] == ["already"]
    assert Attendance.objects.count() == 1
    entry = AuditEntry.objects.get(action="attendance.recorded")
    assert entry.object_id == str(first.pk) and entry.to_state == "qr" and entry.actor == panitia
    assert entry.data["registration"] == registration.code


def test_unverified_registration_is_recorded_with_a_warning(bima, day1, panitia):
    registration = register(bima, "CGP")
    attendance, created, warnings = attendance_record(
        registration=registration, session=day1, method=Method.SEARCH, actor=panitia
    )
    assert created and attendance is not None
    assert [w.code for w in warnings] == ["unverified"]
    assert not warnings[0].blocking


def test_other_site_is_refused_unless_confirmed(bima, sikur, day1, panitia):
    registration = register(sikur, "CGP")
    attendance, created, warnings = attendance_record(
        registration=registration, session=day1, method=Method.QR, actor=panitia
    )
    assert attendance is None and not created
    assert warnings[0].code == "other_site" and warnings[0].blocking
    assert "Kab. Lombok Timur" in warnings[0].message
    assert not Attendance.objects.exists()
    attendance, created, _ = attendance_record(
        registration=registration, session=day1, method=Method.QR, actor=panitia, allow_other_site=True
    )
    assert created and attendance.session == day1
    assert AuditEntry.objects.get(action="attendance.recorded").data["warnings"] == ["other_site", "unverified"]


def test_rejected_is_refused_unless_confirmed(bima, day1, panitia):
    registration = register(bima, "CGP")
    registration_reject(registration=registration, actor=panitia, reason="Bukan CGP")
    attendance, created, warnings = attendance_record(
        registration=registration, session=day1, method=Method.SEARCH, actor=panitia
    )
    assert attendance is None and [w.code for w in warnings] == ["status_rejected"]
    attendance, created, _ = attendance_record(
        registration=registration, session=day1, method=Method.SEARCH, actor=panitia, allow_inactive=True
    )
    assert created


def test_registration_of_another_event_is_an_error(rakor, day1, panitia):
    solo = rakor.sites.get(name="Regional Solo")
    registration = register(solo, "LPMP", province_code="19")
    with pytest.raises(CheckinError) as error:
        attendance_record(registration=registration, session=day1, method=Method.QR, actor=panitia)
    assert error.value.code == "other_event"


def test_offline_time_is_kept(bima, day1, panitia):
    registration = register(bima, "CGP")
    arrived = day1.starts_at + dt.timedelta(minutes=17)
    attendance, created, warnings = attendance_record(
        registration=registration, session=day1, method=Method.OFFLINE, actor=panitia, checked_in_at=arrived
    )
    attendance.refresh_from_db()
    assert attendance.checked_in_at == arrived
    assert [w.code for w in warnings] == ["unverified"]


def test_impossible_offline_times_are_clamped_with_a_finding(bima, day1, panitia):
    future = timezone.now() + dt.timedelta(hours=3)
    attendance, _, warnings = attendance_record(
        registration=register(bima, "CGP"), session=day1, method=Method.OFFLINE, actor=panitia, checked_in_at=future
    )
    assert "time_in_future" in [w.code for w in warnings]
    assert attendance.checked_in_at <= timezone.now()
    long_before = day1.starts_at - dt.timedelta(days=30)
    attendance, _, warnings = attendance_record(
        registration=register(bima, "PP"),
        session=day1,
        method=Method.OFFLINE,
        actor=panitia,
        checked_in_at=long_before,
    )
    assert "time_outside_session" in [w.code for w in warnings]
    assert attendance.checked_in_at == day1.starts_at - dt.timedelta(days=1)
    entry = AuditEntry.objects.filter(action="attendance.recorded").latest("pk")
    assert entry.data["device_time"] == long_before.isoformat()


def test_sync_keeps_original_times_and_is_idempotent(bima, sikur, day1, panitia):
    day2 = bima.sessions.get(name="Hari 2")
    present = register(bima, "CGP")
    elsewhere = register(sikur, "CGP")
    t1 = day1.starts_at + dt.timedelta(minutes=5)
    t2 = (day2.starts_at + dt.timedelta(minutes=9)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    items = [
        {"uuid": str(uuid.uuid4()), "code": present.code, "session": day1.pk, "checked_in_at": t1.isoformat()},
        {"uuid": str(uuid.uuid4()), "code": present.code.lower(), "session": day2.pk, "checked_in_at": t2.isoformat()},
        {"uuid": str(uuid.uuid4()), "code": elsewhere.code, "session": day1.pk, "checked_in_at": t1.isoformat()},
        {"uuid": str(uuid.uuid4()), "code": "ZZZZZZZZZZ", "session": day1.pk, "checked_in_at": t1.isoformat()},
        {"uuid": "not-a-uuid", "code": present.code, "session": day1.pk, "checked_in_at": t1.isoformat()},
        {"uuid": str(uuid.uuid4()), "code": present.code, "session": day1.pk, "checked_in_at": "2022-10-15T08:00"},
    ]
    results = attendance_sync(site=bima, items=items, actor=panitia)
    outcomes = {r.client_uuid: r.outcome for r in results}
    assert [outcomes[i["uuid"]] for i in items[:4]] == ["recorded", "recorded", "refused", "error"]
    assert outcomes["not-a-uuid"] == "error"
    assert outcomes[items[5]["uuid"]] == "error"  # no offset: the time cannot be trusted
    rows = {a.session_id: a for a in Attendance.objects.all()}
    assert set(rows) == {day1.pk, day2.pk}
    assert rows[day1.pk].checked_in_at == t1 and rows[day1.pk].method == "offline"
    assert rows[day2.pk].checked_in_at == t2
    assert str(rows[day1.pk].client_uuid) == items[0]["uuid"]
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 2

    # The phone did not get the answer and sends the same batch again: nothing new.
    again = attendance_sync(site=bima, items=items[:2], actor=panitia)
    assert [r.outcome for r in again] == ["already", "already"]
    assert Attendance.objects.count() == 2
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 2


def test_sync_ignores_sessions_of_other_sites(bima, sikur, panitia):
    registration = register(bima, "CGP")
    other_session = sikur.sessions.first()
    item = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": other_session.pk,
        "checked_in_at": other_session.starts_at.isoformat(),
    }
    [result] = attendance_sync(site=bima, items=[item], actor=panitia)
    assert result.outcome == "error" and not Attendance.objects.exists()


def test_paper_sheet_records_the_ticked_at_once(bima, day1, panitia):
    first, second, third = (register(bima, "CGP") for _ in range(3))
    attendance_record(registration=first, session=day1, method=Method.QR, actor=panitia)
    created = attendance_bulk_paper(session=day1, registrations=[first, second, third], actor=panitia)
    assert {a.registration_id for a in created} == {second.pk, third.pk}
    methods = dict(Attendance.objects.values_list("registration_id", "method"))
    assert methods == {first.pk: "qr", second.pk: "paper", third.pk: "paper"}
    assert Attendance.objects.get(registration=second).checked_in_at == day1.starts_at
    assert AuditEntry.objects.filter(action="attendance.recorded", to_state="paper").count() == 2


def test_paper_sheet_refuses_another_site(bima, sikur, day1, panitia):
    registrations = [register(bima, "CGP"), register(sikur, "CGP")]
    with pytest.raises(CheckinError):
        attendance_bulk_paper(session=day1, registrations=registrations, actor=panitia)
    assert not Attendance.objects.exists()
