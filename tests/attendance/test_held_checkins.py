"""Issue 14 item 3: the door refuses a check-in outside the session's day; the offline sync puts such an item
aside, with its time untouched, for the panitia of its site to accept or drop."""

import datetime as dt
import json
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import Attendance, HeldCheckin
from attendance.services import attendance_sync
from core.models import AuditEntry
from events import groups as G
from tests.factories import register, sessions_from_today, user_in

WITA = ZoneInfo("Asia/Makassar")


def url(name, *args):
    return reverse(f"attendance:{name}", args=args)


def post_json(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


@pytest.fixture
def koordinator(bima):
    return user_in(G.KOORDINATOR_SITE, sites=[bima])


def hold(site, session, registration, when, actor):
    item = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": session.pk,
        "checked_in_at": when.isoformat(),
    }
    [result] = attendance_sync(site=site, items=[item], actor=actor)
    assert result.outcome == "held"
    return HeldCheckin.objects.get(client_uuid=item["uuid"])


def test_door_refuses_a_session_of_another_day_with_its_day_in_the_site_zone(client, koordinator, bima):
    session = bima.sessions.get(name="Hari 1")  # Sabtu, 15 Oktober 2022, WITA; today is years later
    registration = register(bima, "CGP")
    client.force_login(koordinator)
    screen = client.get(url("checkin_screen", session.pk)).content.decode()
    assert 'data-testid="day-problem"' in screen and "Sesi ini berlangsung pada Sabtu, 15 Oktober 2022 (WITA)" in screen
    response = post_json(client, url("checkin_record", session.pk), {"code": registration.code, "method": "qr"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error.startswith("Check-in ditolak") and "Sabtu, 15 Oktober 2022 (WITA)" in error
    assert not Attendance.objects.exists()


def test_sync_view_holds_the_item_with_the_time_and_phone(client, koordinator, bima):
    session = bima.sessions.get(name="Hari 2")
    registration = register(bima, "CGP")
    scanned = dt.datetime(2026, 12, 2, 9, 41, 7, tzinfo=WITA)
    item = {
        "uuid": str(uuid.uuid4()),
        "code": registration.code,
        "session": session.pk,
        "checked_in_at": scanned.isoformat(),
    }
    client.force_login(koordinator)
    response = client.post(
        url("checkin_sync", bima.pk),
        json.dumps({"items": [item]}),
        content_type="application/json",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Chrome/131",
    )
    [result] = response.json()["results"]
    assert result["outcome"] == "held" and "Minggu, 16 Oktober 2022 (WITA)" in result["warnings"][0]["message"]
    held = HeldCheckin.objects.get()
    assert held.device_time == scanned and held.sent_by == koordinator and "Android 14" in held.device
    assert not Attendance.objects.exists()


def test_panitia_accepts_and_drops_on_the_held_list(client, lokakarya, bima, koordinator):
    session = bima.sessions.get(name="Hari 1")
    first, second = register(bima, "CGP", name="Baiq Nurul Aini"), register(bima, "PP", name="Lalu Ahmad")
    scanned = dt.datetime(2026, 12, 2, 7, 15, 30, tzinfo=WITA)
    held_first = hold(bima, session, first, scanned, koordinator)
    held_second = hold(bima, session, second, scanned + dt.timedelta(minutes=2), koordinator)
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    client.force_login(panitia)
    page = client.get(url("held_list")).content.decode()
    assert "Baiq Nurul Aini" in page and "Lalu Ahmad" in page
    assert "Rabu, 2 Desember 2026 07.15 WITA" in page and "Bukan pada hari sesi" in page
    assert "outside_day" not in page

    assert client.post(url("held_accept", held_first.pk)).status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.registration == first and attendance.checked_in_at == scanned
    # A drop needs a reason; without one nothing changes.
    client.post(url("held_drop", held_second.pk), {"reason": ""})
    held_second.refresh_from_db()
    assert held_second.status == "held"
    client.post(url("held_drop", held_second.pk), {"reason": "Peserta tidak datang"})
    held_second.refresh_from_db()
    assert held_second.status == "dropped" and Attendance.objects.count() == 1
    assert AuditEntry.objects.filter(action__in=["attendance.held.accepted", "attendance.held.dropped"]).count() == 2
    # Deciding again changes nothing and is no error page.
    response = client.post(url("held_accept", held_second.pk), follow=True)
    assert response.status_code == 200 and Attendance.objects.count() == 1


def test_another_sites_panitia_can_neither_see_nor_act(client, bima, sikur, rakor, koordinator):
    session = bima.sessions.get(name="Hari 1")
    held = hold(
        bima,
        session,
        register(bima, "CGP", name="Rahmat Hidayat"),
        session.starts_at + dt.timedelta(days=2),
        koordinator,
    )
    for outsider in (user_in(G.KOORDINATOR_SITE, sites=[sikur]), user_in(G.PANITIA, organized=[rakor])):
        client.force_login(outsider)
        assert "Rahmat Hidayat" not in client.get(url("held_list")).content.decode()
        assert client.post(url("held_accept", held.pk)).status_code == 404
        assert client.post(url("held_drop", held.pk), {"reason": "x"}).status_code == 404
    for reader in (user_in(G.PEJABAT, provinces=["52"]), user_in(G.VERIFIKATOR, provinces=["52"])):
        client.force_login(reader)
        assert client.get(url("held_list")).status_code == 403
        assert client.post(url("held_accept", held.pk)).status_code == 403
    held.refresh_from_db()
    assert held.status == "held" and not Attendance.objects.exists()


def test_held_list_query_count_is_constant(client, lokakarya, bima, sikur, koordinator):
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    client.force_login(panitia)
    sessions = [bima.sessions.get(name="Hari 1"), sikur.sessions.get(name="Hari 2")]

    def add(count):
        for index in range(count):
            site = bima if index % 2 else sikur
            session = sessions[0] if index % 2 else sessions[1]
            held = hold(site, session, register(site, "CGP"), session.starts_at + dt.timedelta(days=3), panitia)
            if index % 3 == 0:
                client.post(url("held_drop", held.pk), {"reason": "Ganda"})

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("held_list"))
        assert response.status_code == 200
        return len(queries)

    add(3)
    small = count_queries()
    add(12)
    assert count_queries() == small


def test_a_session_of_today_takes_check_ins_at_the_door(client, koordinator, bima):
    sessions_from_today(bima)
    session = bima.sessions.get(name="Hari 1")
    registration = register(bima, "CGP")
    client.force_login(koordinator)
    assert 'data-testid="day-problem"' not in client.get(url("checkin_screen", session.pk)).content.decode()
    response = post_json(client, url("checkin_record", session.pk), {"code": registration.code, "method": "qr"})
    assert response.status_code == 200 and response.json()["recorded"]
    assert Attendance.objects.get().session == session
    # Tomorrow's session (day 2) is not today: refused.
    tomorrow = bima.sessions.get(name="Hari 2")
    assert post_json(client, url("checkin_record", tomorrow.pk), {"code": registration.code}).status_code == 409
    assert Attendance.objects.count() == 1
