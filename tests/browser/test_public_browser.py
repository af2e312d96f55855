import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_to_lokakarya_totals_row(page, live_server):
    from events.demo import seed_events_load
    from events.services.regions import regions_load

    regions_load()
    seed_events_load()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Lokakarya 7 Angkatan 4 Program Pendidikan Guru Penggerak").click()
    page.wait_for_url("**/kegiatan/lokakarya-7-angkatan-4-ppgp-ntb-2022/")
    totals = page.locator("#targets-total td").all_inner_texts()
    assert totals == ["76", "90", "85", "251"]
    assert page.locator("#targets-total th").inner_text() == "Total"
