"""Issue 18, part B: the check-in screen reopens with no network (service worker), keeps its list and queue in
IndexedDB, and sends the offline check-ins with their original times when the connection returns."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELD = "Nama, kode pendaftaran, atau NIK/NIP"


@pytest.fixture(autouse=True)
def groups():
    from django.apps import apps

    from events.groups import sync_groups

    sync_groups(apps)


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    page.context.add_cookies([cookie])


def door(hours_before: int = 1):
    """The Kab. Bima site of the seed Lokakarya with a session open now, and a Panitia of the event."""
    from events import groups as G
    from events.demo import seed_events_load
    from events.models import Event, Session
    from events.services.regions import regions_load
    from tests.factories import user_in

    regions_load()
    seed_events_load()
    event = Event.objects.get(slug="lokakarya-7-angkatan-4-ppgp-ntb-2022")
    site = event.sites.get(name="Kab. Bima")
    now = timezone.now()
    session = Session.objects.create(
        site=site,
        name="Sesi uji",
        starts_at=now - dt.timedelta(hours=hours_before),
        ends_at=now + dt.timedelta(hours=6),
    )
    return site, session, user_in(G.PANITIA, organized=[event])


def open_and_keep(page, live_server, session):
    """Open the screen online and wait until the service worker is active and has kept the page."""
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/checkin/sesi/{session.pk}/")
    page.wait_for_function("() => navigator.serviceWorker.ready.then(r => !!r.active)")
    expect(page.get_by_test_id("offline-ready")).to_have_text(
        "Layar ini dapat dibuka kembali di perangkat ini tanpa koneksi."
    )


def search_offline(page, query):
    field = page.get_by_label(FIELD)
    field.fill(query)
    field.press("Enter")


def test_reload_offline_then_four_checkins_sync_with_their_original_times(page, live_server):
    from playwright.sync_api import expect

    from attendance.models import Attendance
    from participants.services import registration_verify
    from tests.factories import register

    site, session, panitia = door()
    people = [
        register(site, "CGP", name="Lalu Muhammad Zaini, S.Pd."),
        register(site, "CGP", name="Baiq Rahmawati"),
        register(site, "PP", name="Made Wirawan"),
        register(site, "CGP", name="Siti Nurhaliza"),
    ]
    for registration in people:
        registration_verify(registration=registration, actor=panitia)
    log_in(page, live_server, panitia)

    open_and_keep(page, live_server, session)
    expect(page.locator("#roster-status")).to_contain_text("4 peserta")

    page.context.set_offline(True)
    page.reload()
    # The page came back from the service worker's copy, and runs.
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    expect(page.locator("#net-status")).to_have_text("Luring")
    expect(page.locator("#roster-status")).to_have_text("Luring: memakai daftar yang tersimpan di ponsel ini.")
    expect(page.get_by_test_id("queue-count")).to_have_text("0 menunggu dikirim")
    # Paper fallback: the blank daftar hadir kept while online opens from this device's copy.
    paper = page.locator("#paper-pdf")
    expect(paper).to_have_attribute("href", re.compile(r"^blob:"))
    kept = page.evaluate(
        """async () => {
        const url = JSON.parse(document.getElementById('checkin-config').textContent).urls.paperPdf;
        const answer = await caches.match(url, {ignoreVary: true});
        const bytes = new Uint8Array(await answer.arrayBuffer());
        return {type: answer.headers.get('Content-Type'), head: String.fromCharCode(...bytes.slice(0, 5))};
    }"""
    )
    assert kept == {"type": "application/pdf", "head": "%PDF-"}

    results = page.locator("#checkin-results")
    for query, name in (("zaini", people[0].full_name), ("rahmawati", "Baiq Rahmawati"), ("wirawan", "Made Wirawan")):
        search_offline(page, query)
        expect(results).to_contain_text(name)
        results.get_by_role("button", name="Hadir").click()
        expect(page.locator("#checkin-result")).to_contain_text(name)
    # The code its QR holds, typed (or read by a hand scanner) into the same field.
    search_offline(page, people[3].code)
    expect(page.locator("#checkin-result")).to_contain_text("Siti Nurhaliza")
    expect(page.get_by_test_id("queue-count")).to_have_text("4 menunggu dikirim")
    expect(page.get_by_test_id("queued-items").locator("li")).to_have_count(4)

    queued = page.evaluate("window.pspCheckin.queue()")
    assert sorted(item["code"] for item in queued) == sorted(p.code for p in people)
    assert all(item["state"] == "queued" for item in queued)
    # Nothing is in localStorage any more: the queue is in IndexedDB.
    assert page.evaluate("localStorage.length") == 0
    assert not Attendance.objects.exists()

    page.context.set_offline(False)
    expect(page.get_by_test_id("queue-count")).to_have_text("0 menunggu dikirim")
    expect(page.locator("#net-status")).to_have_text("Daring")

    rows = {a.registration.code: a for a in Attendance.objects.select_related("registration")}
    assert len(rows) == 4
    for item in queued:
        attendance = rows[item["code"]]
        # The time the device recorded while offline, not the time the server received it.
        assert attendance.checked_in_at == parse_datetime(item["checked_in_at"])
        assert str(attendance.client_uuid) == item["uuid"]
        assert attendance.session == session and attendance.method == Attendance.Method.OFFLINE
    assert page.evaluate("window.pspCheckin.queue()") == []


def test_offline_only_pages_kept_before_open(page, live_server):
    """The network is really cut for the worker too: a check-in page never opened here does not open offline,
    while the screen and the session list (kept) do."""
    from playwright.sync_api import Error, expect

    _site, session, panitia = door()
    log_in(page, live_server, panitia)
    open_and_keep(page, live_server, session)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/checkin/")
    page.get_by_role("link", name="Sesi uji").first.click()
    expect(page.locator("h1")).to_contain_text("Sesi uji")
    expect(page.locator("#net-status")).to_have_text("Luring")
    with pytest.raises(Error):
        page.goto(f"{live_server.url}/checkin/ditahan/")


def test_a_refused_offline_checkin_stays_listed_as_failed_on_the_device(page, live_server):
    from playwright.sync_api import expect

    from attendance.models import Attendance
    from tests.factories import register

    site, session, panitia = door()
    stranger = register(site.event.sites.get(name="Kab. Lombok Timur"), "CGP", name="Muhammad Rizal")
    register(site, "CGP", name="Siti Aminah")
    log_in(page, live_server, panitia)
    open_and_keep(page, live_server, session)

    page.context.set_offline(True)
    page.reload()
    search_offline(page, stranger.code)
    expect(page.get_by_test_id("queue-count")).to_have_text("1 menunggu dikirim")
    page.context.set_offline(False)
    expect(page.get_by_test_id("queue-count")).to_have_text("0 menunggu dikirim")
    failed = page.get_by_test_id("failed-items")
    expect(failed).to_contain_text("Terdaftar di situs lain: Kab. Lombok Timur.")
    assert not Attendance.objects.exists()
    # Kept on this device across a reload, until cleared.
    page.reload()
    expect(page.get_by_test_id("failed-items")).to_contain_text(stranger.code)
    page.get_by_role("button", name="Kosongkan daftar ini").click()
    expect(page.get_by_test_id("failed-items")).to_have_count(0)
    assert page.evaluate("window.pspCheckin.queue()") == []


def test_five_thousand_rows_load_in_one_request_and_are_searched_offline(page, live_server):
    from playwright.sync_api import expect

    from events.models import Role
    from participants.models import Person, Registration

    site, session, panitia = door()
    role = Role.objects.get(program=site.event.program, code="CGP")
    first = ["Ahmad", "Siti", "Made", "Ni Luh", "Baiq", "Lalu", "Muhammad", "Nurul", "Dewi", "Rahmat"]
    last = ["Hidayat", "Lestari", "Saputra", "Wulandari", "Kurniawan", "Rahmawati", "Pratama", "Sari"]
    people = Person.objects.bulk_create(
        [Person(full_name=f"{first[i % 10]} {last[i % 8]} {i:04d}, S.Pd.") for i in range(5000)], batch_size=1000
    )
    Registration.objects.bulk_create(
        [
            Registration(
                person=p,
                event=site.event,
                site=site,
                role=role,
                source="import",
                submitted_at=timezone.now(),
                status=Registration.Status.VERIFIED,
                full_name=p.full_name,
            )
            for p in people
        ],
        batch_size=1000,
    )
    rosters = []
    page.on("request", lambda request: "peserta.json" in request.url and rosters.append(request.url))
    log_in(page, live_server, panitia)
    open_and_keep(page, live_server, session)
    expect(page.locator("#roster-status")).to_contain_text("5000 peserta")
    assert len(rosters) == 1  # the whole list in one request

    page.context.set_offline(True)
    page.reload()
    page.wait_for_function("() => window.pspCheckin && window.pspCheckin.rosterSize() === 5000")
    timing = page.evaluate(
        """() => {
        const started = performance.now();
        const found = window.pspCheckin.searchLocal("rahmat sari 4999");
        const one = performance.now() - started;
        const again = performance.now();
        const many = window.pspCheckin.searchLocal("wulandari");
        return {one, many: performance.now() - again, found: found.map(r => r.name), count: many.length};
    }"""
    )
    print(f"\noffline name search over 5,000 rows: {timing['one']:.2f} ms (one hit), {timing['many']:.2f} ms (20 hits)")
    assert timing["found"] == ["Rahmat Sari 4999, S.Pd."]
    assert timing["count"] == 20
    search_offline(page, "sari 4999")
    expect(page.locator("#checkin-results")).to_contain_text("Rahmat Sari 4999, S.Pd.")


def qr_camera_file(text: str, path) -> None:
    """A Y4M video (what Chromium's fake camera plays) showing the QR code of `text` on white, 640 × 480."""
    import io

    import segno
    from PIL import Image

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    frame = Image.new("L", (640, 480), 255)
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    chroma = bytes([128]) * (320 * 240)
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            video.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def test_a_qr_code_shown_to_the_camera_checks_in_offline(browser, live_server, tmp_path):
    """The fourth way in: the camera reads the code the participant's QR holds (Chromium's fake camera plays a
    video of that QR), with no network; the check-in is sent with its time once the connection returns."""
    from playwright.sync_api import expect

    from attendance.models import Attendance
    from participants.services import registration_verify
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.factories import register

    site, session, panitia = door()
    shown = register(site, "CGP", name="Ni Luh Putu Ayu")
    registration_verify(registration=shown, actor=panitia)
    video = tmp_path / "qr.y4m"
    qr_camera_file(shown.code, video)
    camera_args = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
    camera = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *camera_args, f"--use-file-for-fake-video-capture={video}"]
    )
    try:
        context = camera.new_context(locale="id-ID", permissions=["camera"])
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in(page, live_server, panitia)
        open_and_keep(page, live_server, session)
        context.set_offline(True)
        page.reload()
        expect(page.locator("#net-status")).to_have_text("Luring")

        page.locator("#scan-start").click()
        expect(page.locator("#checkin-result")).to_contain_text("Ni Luh Putu Ayu")
        queued = page.evaluate("window.pspCheckin.queue()")
        assert [item["code"] for item in queued] == [shown.code]
        assert not Attendance.objects.exists()

        context.set_offline(False)
        expect(page.get_by_test_id("queue-count")).to_have_text("0 menunggu dikirim")
        attendance = Attendance.objects.get()
        assert attendance.registration == shown and attendance.session == session
        assert attendance.checked_in_at == parse_datetime(queued[0]["checked_in_at"])
    finally:
        camera.close()
