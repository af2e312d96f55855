"""On a phone and on a desktop: the public form of a full role offers the waiting list, keeps what was typed,
and the status page shows the place in the line. With WAITLIST_SCREENSHOTS=<folder>, the pages are saved there."""

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_a_full_role_offers_the_waiting_list_and_the_status_page_shows_the_place(page, live_server, width, height):
    from django.apps import apps

    from events.demo import seed_events_load
    from events.groups import sync_groups
    from events.models import Province, Role
    from events.services.regions import regions_load
    from participants.demo import WAITLIST_WAITING, practice_event_load, waiting_list_load
    from participants.models import Registration
    from tests.factories import valid_nik

    sync_groups(apps)
    regions_load()
    seed_events_load()
    event = practice_event_load()
    waiting_list_load()  # the demo's full Pengawas Sekolah quota, three in line
    site = event.sites.get()
    role = Role.objects.get(program=event.program, code="PENGAWAS_SEKOLAH")
    shots = os.environ.get("WAITLIST_SCREENSHOTS")

    def shoot(name: str) -> None:
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)

    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/daftar/{event.slug}/{site.pk}/")
    page.get_by_label("Unsur").select_option(str(role.pk))
    page.get_by_label("Nama lengkap dengan gelar").fill("Lalu Peramban Antre, S.Pd.")
    nik = valid_nik(serial=6600 + width)
    page.locator("#id_nik").fill(nik)
    page.get_by_label("Provinsi asal").select_option(str(Province.objects.get(code="52").pk))
    page.locator("#id_privacy_accepted").check()
    page.get_by_role("button", name="Daftar", exact=True).click()

    offer = page.locator("#waitlist-offer")
    offer.wait_for()
    assert "sudah terisi" in page.content()
    assert page.locator("#id_full_name").input_value() == "Lalu Peramban Antre, S.Pd."  # nothing typed is lost
    assert page.locator("#id_nik").input_value() == nik
    offer.scroll_into_view_if_needed()
    shoot("full-offer")

    page.locator("#join-waitlist").click()
    page.wait_for_url("**/daftar/terima-kasih/")
    code = page.locator("#registration-code").inner_text().strip()
    assert "nomor 4 dalam daftar tunggu" in page.locator("#waiting-position").inner_text()
    assert Registration.objects.get(code=code).status == Registration.Status.WAITING

    page.goto(f"{live_server.url}/status-pendaftaran/")
    page.get_by_label("Kode pendaftaran").fill(code)
    page.get_by_role("button", name="Cari").click()
    assert page.locator("#registration-status").inner_text() == "Dalam daftar tunggu"
    assert f"nomor {WAITLIST_WAITING + 1} dalam daftar tunggu" in page.locator("#waiting-position").inner_text()
    assert page.locator(".qr svg").count() == 0
    shoot("status-position")
