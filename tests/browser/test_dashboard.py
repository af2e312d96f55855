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
    # The same figure is drawn in the SVG.
    assert chart.locator("svg g.bar[data-label='CGP'] text.bar-value").text_content() == "0 / 165"
    sites = page.locator("#numbers-sites tbody tr").all_inner_texts()
    assert [row.split("\t")[0] for row in sites] == ["Kab. Lombok Utara", "Kab. Lombok Timur", "Kab. Bima"]
