"""The Content-Security-Policy (no inline scripts) breaks no page: the key screens load with the demo data
and the browser reports no CSP violation and no script error."""

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_key_pages_raise_no_csp_violation(page, live_server, migration_data):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from events.models import Event, Session

    now = timezone.now()
    open_event = Event.objects.filter(registration_opens_at__lte=now, registration_closes_at__gt=now).first()
    assert open_event is not None, "the demo has an open practice event"
    open_site = open_event.sites.first()
    lokakarya = Event.objects.get(slug="lokakarya-7-angkatan-4-ppgp-ntb-2022")
    session = Session.objects.filter(site__event=lokakarya).order_by("starts_at").first()

    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))

    public = [
        "/",
        f"/kegiatan/{lokakarya.slug}/",
        f"/daftar/{open_event.slug}/{open_site.pk}/",
        "/status-pendaftaran/",
    ]
    for path in public:
        assert page.goto(live_server.url + path).status == 200, path

    page.goto(live_server.url + "/masuk/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "psp-demo-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    staff = [
        f"/dasbor/kegiatan/{lokakarya.pk}/",
        "/pendaftaran/",
        "/roster/",
        f"/checkin/sesi/{session.pk}/",
        "/reports/",
        "/admin/",
    ]
    for path in staff:
        assert page.goto(live_server.url + path).status == 200, path
        page.wait_for_load_state("networkidle")
    # The check-in screen ran its script (a CSP block would leave it inert).
    page.goto(live_server.url + f"/checkin/sesi/{session.pk}/")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("document.getElementById('roster-status').textContent.trim() !== ''")
    assert not problems, problems
