"""A participant self-registers on the public form, looks the code up, and a verifikator verifies it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_self_registration_lookup_and_verification(page, live_server):
    from django.apps import apps

    from events.demo import DEMO_PASSWORD, seed_events_load
    from events.groups import sync_groups
    from events.models import Province, Role
    from events.services.regions import regions_load
    from participants.demo import demo_users_load, practice_event_load
    from participants.models import Registration
    from tests.factories import valid_nik

    sync_groups(apps)  # a transactional test after another one finds the groups of the migrations flushed
    regions_load()
    seed_events_load()
    event = practice_event_load()
    demo_users_load()
    site = event.sites.get()
    role = Role.objects.get(program=event.program, code="CGP")
    ntb = Province.objects.get(code="52")

    # The participant finds the form from the home page (issue 14, item 5): the event, then its site's button.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=event.title).click()
    page.get_by_role("link", name="Daftar di site ini").click()
    page.wait_for_url(f"**/daftar/{event.slug}/{site.pk}/")
    page.get_by_label("Unsur").select_option(str(role.pk))
    page.get_by_label("Nama lengkap dengan gelar").fill("Baiq Contoh Peramban, S.Pd.")
    page.locator("#id_nik").fill(valid_nik(female=True, serial=6543))
    page.get_by_label("Provinsi asal").select_option(str(ntb.pk))
    page.locator("#id_privacy_accepted").check()
    page.get_by_role("button", name="Daftar", exact=True).click()
    page.wait_for_url("**/daftar/terima-kasih/")
    code = page.locator("#registration-code").inner_text().strip()
    assert len(code) == 10 and code not in page.url
    # The QR is big enough to scan from a phone screen at a desk (issue 14, item 6).
    assert page.locator(".qr svg").count() == 1 and page.locator(".qr svg").bounding_box()["width"] >= 200

    page.get_by_role("link", name="Periksa status").click()
    page.get_by_label("Kode pendaftaran").fill(code)
    page.get_by_role("button", name="Cari").click()
    assert page.locator("#registration-status").inner_text() == "Diajukan"
    assert page.locator(".qr svg").bounding_box()["width"] >= 200  # submitted: it already gets the person in
    with page.expect_download() as card:
        page.locator("#card-link").click()
    assert card.value.suggested_filename == "kartu-peserta.pdf"
    page.set_viewport_size({"width": 1280, "height": 800})

    # The verifikator of NTB logs in and verifies it.
    page.goto(f"{live_server.url}/masuk/")
    page.locator("#id_username").fill("verifikator_ntb")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="Peserta").click()  # the grouped menu
    page.get_by_role("link", name="Pendaftaran", exact=True).first.click()
    page.get_by_role("link", name="Baiq Contoh Peramban, S.Pd.").click()
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    assert page.locator("#registration-status").inner_text() == "Terverifikasi"
    assert Registration.objects.get(code=code).status == Registration.Status.VERIFIED

    # The participant sees it on the status page.
    page.goto(f"{live_server.url}/status-pendaftaran/")
    page.get_by_label("Kode pendaftaran").fill(code)
    page.get_by_role("button", name="Cari").click()
    assert page.locator("#registration-status").inner_text() == "Terverifikasi"
    assert page.locator(".qr svg").count() == 1
