"""The check-in screen keeps working with the network cut, and sends the check-in with its original time."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def groups():
    """A transactional test flushes the groups the data migration made: make them again."""
    from django.apps import apps

    from events.groups import sync_groups

    sync_groups(apps)


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    page.context.add_cookies([cookie])


def test_offline_checkin_is_queued_then_synced_with_its_time(page, live_server):
    from playwright.sync_api import expect

    from attendance.models import Attendance
    from events import groups as G
    from events.demo import seed_events_load
    from events.models import Event, Session
    from events.services.regions import regions_load
    from participants.services import registration_verify
    from tests.factories import register, user_in

    regions_load()
    seed_events_load()
    event = Event.objects.get(slug="lokakarya-7-angkatan-4-ppgp-ntb-2022")
    site = event.sites.get(name="Kab. Bima")
    now = timezone.now()
    session = Session.objects.create(
        site=site, name="Sesi uji", starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=6)
    )
    panitia = user_in(G.PANITIA, organized=[event])
    registration = register(site, "CGP", name="Lalu Muhammad Zaini, S.Pd.")
    registration_verify(registration=registration, actor=panitia)
    register(site, "PP", name="Baiq Rahmawati")

    log_in(page, live_server, panitia)

    page.goto(f"{live_server.url}/checkin/sesi/{session.pk}/")
    expect(page.locator("#roster-status")).to_contain_text("2 peserta")
    expect(page.get_by_test_id("queue-count")).to_have_text("0 menunggu dikirim")

    page.context.set_offline(True)
    expect(page.locator("#net-status")).to_have_text("Luring")
    page.get_by_label("Nama, kode pendaftaran, atau NIK/NIP").fill("zaini")
    page.get_by_label("Nama, kode pendaftaran, atau NIK/NIP").press("Enter")
    results = page.locator("#checkin-results")
    expect(results).to_contain_text("Lalu Muhammad Zaini, S.Pd.")
    expect(results).not_to_contain_text("Baiq Rahmawati")
    results.get_by_role("button", name="Hadir").click()
    expect(page.get_by_test_id("queue-count")).to_have_text("1 menunggu dikirim")
    saved = re.compile(r"Disimpan di ponsel ini pukul \d\d[.:]\d\d WITA")
    expect(page.locator("#checkin-result")).to_contain_text(saved)
    queued = page.evaluate("window.pspCheckin.queue()")  # kept in IndexedDB
    assert [item["code"] for item in queued] == [registration.code]
    assert not Attendance.objects.exists()

    page.context.set_offline(False)
    expect(page.get_by_test_id("queue-count")).to_have_text("0 menunggu dikirim")
    expect(page.locator("#net-status")).to_have_text("Daring")

    attendance = Attendance.objects.get()
    assert attendance.registration == registration and attendance.session == session
    assert attendance.method == Attendance.Method.OFFLINE and attendance.recorded_by == panitia
    # The time the phone recorded while offline, not the time the server received it.
    assert attendance.checked_in_at == parse_datetime(queued[0]["checked_in_at"])
    assert str(attendance.client_uuid) == queued[0]["uuid"]
    expect(page.get_by_test_id("count-present")).to_have_text("1")


def test_online_code_and_search_with_other_site_confirmation(page, live_server):
    from playwright.sync_api import expect

    from attendance.models import Attendance
    from events import groups as G
    from events.demo import seed_events_load
    from events.models import Event
    from events.services.regions import regions_load
    from tests.factories import register, sessions_from_today, user_in

    regions_load()
    seed_events_load()
    event = Event.objects.get(slug="lokakarya-7-angkatan-4-ppgp-ntb-2022")
    site = event.sites.get(name="Kab. Bima")
    sessions_from_today(site)  # the door checks people in on the session's day only
    session = site.sessions.get(name="Hari 1")
    koordinator = user_in(G.KOORDINATOR_SITE, sites=[site])
    register(site, "CGP", name="Siti Aminah, S.Pd.")
    stranger = register(event.sites.get(name="Kab. Lombok Timur"), "CGP", name="Muhammad Rizal")

    log_in(page, live_server, koordinator)
    page.goto(f"{live_server.url}/checkin/sesi/{session.pk}/")
    field = page.get_by_label("Nama, kode pendaftaran, atau NIK/NIP")

    field.fill("aminah")
    field.press("Enter")
    page.locator("#checkin-results").get_by_role("button", name="Hadir").click()
    result = page.locator("#checkin-result")
    expect(result).to_contain_text("Sudah check-in")
    expect(result).to_contain_text("Pendaftaran belum diverifikasi.")
    expect(page.get_by_test_id("count-present")).to_have_text("1")

    # A code typed (or read by a hand scanner) goes the same way as the camera's.
    field.fill(stranger.code)
    field.press("Enter")
    expect(result).to_contain_text("Tidak dicatat hadir")
    expect(result).to_contain_text("Terdaftar di situs lain: Kab. Lombok Timur.")
    assert Attendance.objects.count() == 1
    result.get_by_role("button", name="Tetap catat hadir").click()
    expect(result).to_contain_text("Sudah check-in")
    assert sorted(Attendance.objects.values_list("method", flat=True)) == ["search", "search"]


def test_door_on_another_day_refuses_with_the_sessions_day(page, live_server):
    """Issue 14, item 3: the seed session of Saturday 15 October 2022, opened years later, refuses the check-in
    and says which day the session is, in the site's zone; nothing is recorded."""
    from playwright.sync_api import expect

    from attendance.models import Attendance
    from events import groups as G
    from events.demo import seed_events_load
    from events.models import Event
    from events.services.regions import regions_load
    from tests.factories import register, user_in

    regions_load()
    seed_events_load()
    event = Event.objects.get(slug="lokakarya-7-angkatan-4-ppgp-ntb-2022")
    site = event.sites.get(name="Kab. Bima")
    session = site.sessions.get(name="Hari 1")
    koordinator = user_in(G.KOORDINATOR_SITE, sites=[site])
    register(site, "CGP", name="Siti Aminah, S.Pd.")

    log_in(page, live_server, koordinator)
    page.goto(f"{live_server.url}/checkin/sesi/{session.pk}/")
    expect(page.get_by_test_id("day-problem")).to_contain_text("Sabtu, 15 Oktober 2022 (WITA)")
    field = page.get_by_label("Nama, kode pendaftaran, atau NIK/NIP")
    field.fill("aminah")
    field.press("Enter")
    page.locator("#checkin-results").get_by_role("button", name="Hadir").click()
    result = page.locator("#checkin-result")
    expect(result).to_contain_text("Check-in ditolak: sesi ini berlangsung pada Sabtu, 15 Oktober 2022 (WITA)")
    assert not Attendance.objects.exists()
