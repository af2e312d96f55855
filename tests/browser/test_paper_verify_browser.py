"""The public verification page of a certificate, as a phone opens it from the QR code: readable at 390 px (no
sideways scrolling) and at 1280 px, with the status first."""

import pytest

from events.demo import seed_events_load
from events.services.regions import regions_load
from reports.services import certificate_revoke, certificates_issue
from tests.factories import attend, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_verification_page_fits_a_phone_and_a_desktop(page, live_server, width):
    regions_load()
    (lokakarya,) = [event for event in seed_events_load() if event.slug.startswith("lokakarya")]
    site = lokakarya.sites.order_by("order").first()
    registration = register(site, name="Prof. Dr. H. Lalu Muhammad Zainul Arifin Wirasaputra, M.Pd., Ph.D.")
    for session in site.sessions.all():
        attend(registration, session)
    (certificate,) = certificates_issue(site=site, actor=None)
    page.set_viewport_size({"width": width, "height": 800})

    response = page.goto(f"{live_server.url}/sertifikat/{certificate.token}/")
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    status = page.get_by_role("status")
    assert "BERLAKU" in status.inner_text()
    assert page.get_by_text(certificate.number).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    certificate_revoke(certificate=certificate, actor=None, reason="Contoh")
    page.reload()
    assert "DICABUT" in page.get_by_role("status").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
