import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from freezegun import freeze_time

from attendance import rules
from attendance.models import Attendance, HeldCheckin
from attendance.services import (
    CheckinError,
    attendance_bulk_paper,
    attendance_record,
    attendance_sync,
    held_checkin_accept,
    held_checkin_drop,
)
from core.models import AuditEntry
from events import groups as G
from participants.services import registration_reject, registration_verify
from tests.factories import at_noon_of_today, register, sessions_from_today, user_in

Method = Attendance.Method


@pytest.fixture
def day1(bima):
    with at_noon_of_today(bima):
        sessions_from_today(bima)
        yield bima.sessions.select_related("site").get(name="Hari 1")


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


def test_online_checkin_outside_the_sessions_day_is_refused_with_the_day(bima, panitia):
    # The seed session of Saturday 15 October 2022 (WITA), checked in "now" (years later): refused, no row.
    past = bima.sessions.get(name="Hari 1")
    registration = register(bima, "CGP")
    with pytest.raises(CheckinError) as error:
        attendance_record(registration=registration, session=past, method=Method.QR, actor=panitia)
    assert error.value.code == "outside_day"
    with translation.override("id"):
        message = rules.online_checkin_problem(past).message
    assert "Sabtu, 15 Oktober 2022 (WITA)" in message and "Check-in ditolak" in message
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(action="attendance.recorded").exists()


def test_session_day_is_counted_in_the_sites_zone(bima):
    session = bima.sessions.get(name="Hari 1")  # 15 Oct 2022 08.00–16.00 WITA = 00.00–08.00 UTC
    wita = ZoneInfo("Asia/Makassar")
    assert rules.session_days(session) == (dt.date(2022, 10, 15), dt.date(2022, 10, 15))
    # 23.30 WITA on the 15th is 15.30 UTC: still the session's day; 00.10 WITA on the 16th is not.
    assert rules.is_on_session_day(session, dt.datetime(2022, 10, 15, 23, 30, tzinfo=wita))
    assert rules.is_on_session_day(session, dt.datetime(2022, 10, 15, 0, 5, tzinfo=wita))
    assert not rules.is_on_session_day(session, dt.datetime(2022, 10, 16, 0, 10, tzinfo=wita))
    assert not rules.is_on_session_day(session, dt.datetime(2022, 10, 14, 23, 50, tzinfo=wita))
    # The same instant, 16.30 UTC on the 15th, is the 16th in WITA.
    assert not rules.is_on_session_day(session, dt.datetime(2022, 10, 15, 16, 30, tzinfo=dt.UTC))


def test_offline_item_outside_the_day_is_held_with_its_exact_time_then_accepted(bima, panitia):
    session = bima.sessions.get(name="Hari 1")
    registration = register(bima, "CGP")
    scanned = dt.datetime(2022, 10, 16, 7, 58, 13, 250000, tzinfo=ZoneInfo("Asia/Makassar"))  # the day after
    item = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": session.pk,
        "checked_in_at": scanned.isoformat(),
    }
    [result] = attendance_sync(site=bima, items=[item], actor=panitia, device="Android Chrome")
    assert result.outcome == "held" and result.warnings[0].blocking
    assert not Attendance.objects.exists()
    held = HeldCheckin.objects.get()
    assert held.device_time == scanned and held.reason == "outside_day" and held.status == "held"
    assert held.sent_by == panitia and held.device == "Android Chrome" and str(held.client_uuid) == item["uuid"]
    assert AuditEntry.objects.get(action="attendance.held").data["device_time"] == scanned.isoformat()
    # Sent again (the phone missed the answer): still one held item.
    [again] = attendance_sync(site=bima, items=[item], actor=panitia)
    assert again.outcome == "held" and HeldCheckin.objects.count() == 1

    held_checkin_accept(held=held, actor=panitia)
    held.refresh_from_db()
    attendance = Attendance.objects.get()
    assert attendance.checked_in_at == scanned and attendance.method == "offline"
    assert held.status == "accepted" and held.attendance == attendance and held.decided_by == panitia
    assert AuditEntry.objects.get(action="attendance.held.accepted").actor == panitia
    with pytest.raises(CheckinError):
        held_checkin_drop(held=held, actor=panitia, reason="salah")
    # Once accepted the item's uuid is an attendance: sending it again changes nothing.
    [late] = attendance_sync(site=bima, items=[item], actor=panitia)
    assert late.outcome == "already" and Attendance.objects.count() == 1


def test_held_item_dropped_leaves_no_attendance(bima, panitia):
    session = bima.sessions.get(name="Hari 2")
    registration = register(bima, "PP")
    scanned = timezone.now() - dt.timedelta(hours=2)
    item = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": session.pk,
        "checked_in_at": scanned.isoformat(),
    }
    [result] = attendance_sync(site=bima, items=[item], actor=panitia)
    assert result.outcome == "held"
    held = HeldCheckin.objects.get()
    with pytest.raises(CheckinError):
        held_checkin_drop(held=held, actor=panitia, reason="  ")
    held_checkin_drop(held=held, actor=panitia, reason="Jam ponsel salah, peserta tidak hadir")
    held.refresh_from_db()
    assert held.status == "dropped" and held.device_time == scanned and held.attendance is None
    assert not Attendance.objects.exists()
    entry = AuditEntry.objects.get(action="attendance.held.dropped")
    assert entry.reason == "Jam ponsel salah, peserta tidak hadir" and entry.actor == panitia
    with pytest.raises(CheckinError):
        held_checkin_accept(held=held, actor=panitia)
    assert not Attendance.objects.exists()


def test_offline_time_in_the_future_is_held_not_replaced(bima, day1, panitia):
    registration = register(bima, "CGP")
    future = timezone.now() + dt.timedelta(hours=3)
    item = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": day1.pk,
        "checked_in_at": future.isoformat(),
    }
    [result] = attendance_sync(site=bima, items=[item], actor=panitia)
    assert result.outcome == "held"
    assert HeldCheckin.objects.get().device_time == future and not Attendance.objects.exists()
    with pytest.raises(CheckinError) as error:
        attendance_record(
            registration=registration, session=day1, method=Method.OFFLINE, actor=panitia, checked_in_at=future
        )
    assert error.value.code == "future"


def test_held_item_of_another_site_or_rejected_is_refused_not_held(bima, sikur, panitia):
    session = bima.sessions.get(name="Hari 1")
    elsewhere = register(sikur, "CGP")
    rejected = register(bima, "CGP")
    registration_reject(registration=rejected, actor=panitia, reason="Bukan CGP")
    scanned = session.starts_at + dt.timedelta(days=3)
    items = [
        {"uuid": str(uuid.uuid4()), "code": r.code, "session": session.pk, "checked_in_at": scanned.isoformat()}
        for r in (elsewhere, rejected)
    ]
    assert [r.outcome for r in attendance_sync(site=bima, items=items, actor=panitia)] == ["refused", "refused"]
    assert not HeldCheckin.objects.exists()


def test_sync_keeps_original_times_and_is_idempotent(bima, sikur, panitia):
    # Sent long after the event (the 2022 sessions as seeded): times on the session's day are kept.
    day1 = bima.sessions.get(name="Hari 1")
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
    # The clock is at noon, while the session runs: the ticks are recorded now (outside it, at its start).
    ticked = Attendance.objects.get(registration=second).checked_in_at
    assert day1.starts_at < ticked < day1.ends_at and abs(timezone.now() - ticked) < dt.timedelta(minutes=1)
    assert AuditEntry.objects.filter(action="attendance.recorded", to_state="paper").count() == 2


def test_paper_sheet_refuses_another_site(bima, sikur, day1, panitia):
    registrations = [register(bima, "CGP"), register(sikur, "CGP")]
    with pytest.raises(CheckinError):
        attendance_bulk_paper(session=day1, registrations=registrations, actor=panitia)
    assert not Attendance.objects.exists()


def test_paper_ticks_after_the_session_are_recorded_at_its_start(bima, day1, panitia):
    registration = register(bima, "CGP")
    with freeze_time(day1.ends_at + dt.timedelta(hours=2)):
        (created,) = attendance_bulk_paper(session=day1, registrations=[registration], actor=panitia)
    assert Attendance.objects.get(pk=created.pk).checked_in_at == day1.starts_at


def test_same_person_on_two_devices_keeps_the_earliest_time(bima, panitia):
    """Issue 18: two devices checked the same person in; whichever syncs first, the earliest time stays."""
    day1 = bima.sessions.get(name="Hari 1")
    registration = register(bima, "CGP")
    early = day1.starts_at + dt.timedelta(minutes=3)
    late = day1.starts_at + dt.timedelta(minutes=20)
    phone_a = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": day1.pk,
        "checked_in_at": late.isoformat(),
    }
    phone_b = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": day1.pk,
        "checked_in_at": early.isoformat(),
    }

    [first] = attendance_sync(site=bima, items=[phone_a], actor=panitia)
    assert first.outcome == "recorded"
    [second] = attendance_sync(site=bima, items=[phone_b], actor=panitia)
    assert second.outcome == "already"
    attendance = Attendance.objects.get()
    assert attendance.checked_in_at == early  # the earlier device's time, sent second
    assert str(attendance.client_uuid) == phone_a["uuid"]  # still the one row
    moved = AuditEntry.objects.get(action="attendance.earlier_time")
    assert moved.data == {"from": late.isoformat(), "to": early.isoformat(), "client_uuid": phone_b["uuid"]}

    # A later one (a third device, or phone A again) moves nothing.
    phone_c = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": day1.pk,
        "checked_in_at": late.isoformat(),
    }
    [third] = attendance_sync(site=bima, items=[phone_c], actor=panitia)
    assert third.outcome == "already"
    assert Attendance.objects.get().checked_in_at == early
    assert AuditEntry.objects.filter(action="attendance.earlier_time").count() == 1
