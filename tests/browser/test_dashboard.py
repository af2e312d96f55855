import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_reads_the_lokakarya_target_chart(page, live_server):
    from django.contrib.auth import get_user_model

    from events.demo import seed_events_load
    from events.services.regions import regions_load

    regions_load()
    events = {event.slug: event for event in seed_events_load()}
    lokakarya = events["lokakarya-7-angkatan-4-ppgp-ntb-2022"]
    get_user_model().objects.create_superuser("admin", "admin@example.invalid", "pw-admin-123")

    page.goto(live_server.url + "/masuk/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "pw-admin-123")
    page.locator("main form button[type=submit]").click()
    page.goto(live_server.url + "/dasbor/")
    page.get_by_role("link", name=lokakarya.title).click()
    page.wait_for_url(f"**/dasbor/kegiatan/{lokakarya.pk}/")

    chart = page.locator("#chart-targets")
    assert chart.get_attribute("data-total-target") == "251"
    # The numbers beside the chart: the total of the targets column, and one role's row.
    assert page.locator("#numbers-targets tfoot [data-total-target]").inner_text() == "251"
    cgp = page.locator("#numbers-targets tbody tr", has_text="CGP")
    assert cgp.locator("[data-target]").inner_text() == "165"
    # The same figure is drawn beside its bar.
    assert chart.locator(".hbar[data-label='CGP'] .hbar-value").text_content().startswith("0 / 165")
    sites = page.locator("#numbers-sites tbody tr").all_inner_texts()
    assert [row.split("\t")[0] for row in sites] == ["Kab. Lombok Utara", "Kab. Lombok Timur", "Kab. Bima"]


def test_dashboard_bars_are_readable_on_a_390_px_phone(browser, live_server):
    """Issue 14, item 9: every label and figure of every chart lies inside the phone's screen, uncut,
    and no figure overlaps its label."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from attendance.models import Attendance
    from events.demo import seed_events_load
    from events.services.regions import regions_load
    from participants.services import registration_verify
    from tests.factories import register

    regions_load()
    events = {event.slug: event for event in seed_events_load()}
    lokakarya = events["lokakarya-7-angkatan-4-ppgp-ntb-2022"]
    admin = get_user_model().objects.create_superuser("admin", "admin@example.invalid", "pw-admin-123")
    for site in lokakarya.sites.all():
        session = site.sessions.order_by("starts_at").first()
        for index in range(4):
            registration = register(site, "CGP" if index % 2 else "PENGAWAS_SEKOLAH")
            registration_verify(registration=registration, actor=admin)
            if index % 3:
                Attendance.objects.create(
                    registration=registration,
                    session=session,
                    checked_in_at=session.starts_at + dt.timedelta(minutes=index),
                    method="qr",
                )

    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + "/masuk/")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "pw-admin-123")
        page.locator("main form button[type=submit]").click()
        page.goto(f"{live_server.url}/dasbor/kegiatan/{lokakarya.pk}/")
        boxes = page.evaluate(
            """() => Array.from(document.querySelectorAll('.hbar')).map(bar => {
                const box = el => { const r = el.getBoundingClientRect();
                    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                            cut: el.scrollWidth > el.clientWidth + 1, text: el.textContent.trim()}; };
                return {label: box(bar.querySelector('.hbar-label')), value: box(bar.querySelector('.hbar-value')),
                        track: box(bar.querySelector('.hbar-track'))};
            })"""
        )
        assert len(boxes) >= 12
        width = page.evaluate("document.documentElement.clientWidth")
        assert width <= 390
        for bar in boxes:
            for part in ("label", "value"):
                box = bar[part]
                assert box["text"], bar
                assert 0 <= box["left"] and box["right"] <= width, f"{part} off screen: {bar}"
                assert not box["cut"], f"{part} cut: {bar}"
            # The figure sits on the bar's line, below its label, right of the track.
            assert bar["value"]["top"] >= bar["label"]["bottom"] - 1, bar
            assert bar["value"]["left"] >= bar["track"]["right"], bar
            assert bar["track"]["right"] - bar["track"]["left"] >= 60, bar
        # The attendance figure of a day: distinct persons present ÷ verified, never above 100 %.
        figures = page.locator("#chart-attendance .hbar-value").all_text_contents()
        assert "Kab. Bima" in page.locator("#chart-attendance .hbar-label").first.text_content() or figures
        percents = [int(text.split("·")[1].strip().rstrip(" %")) for text in figures if "·" in text]
        assert percents and all(0 <= percent <= 100 for percent in percents)
        # Nothing in a drawing can take the focus (axe nested-interactive).
        assert page.locator(".hbar-chart a, .hbar-chart button, .hbar-chart [tabindex]").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
