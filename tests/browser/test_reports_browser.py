import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_job_page_polls_until_the_report_is_ready_then_downloads_it(page, live_server, settings, tmp_path):
    from django.test import Client

    from core.exports import export_job_run
    from core.models import ReportJob
    from events import groups as G
    from events.demo import seed_events_load
    from events.groups import sync_groups
    from events.services.regions import regions_load
    from tests.factories import register, user_in

    settings.MEDIA_ROOT = tmp_path
    regions_load()
    from django.apps import apps

    sync_groups(apps)  # transaction tests flush the groups the data migration made
    lokakarya = next(e for e in seed_events_load() if e.slug.startswith("lokakarya"))
    site = lokakarya.sites.order_by("order").first()
    register(site, name="Peserta Peramban")
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    params = {"event_id": lokakarya.id, "site": site.id, "file_format": "pdf"}
    job = ReportJob.objects.create(user=panitia, kind="badges", params=params)  # queued, no worker yet
    client = Client()
    client.force_login(panitia)
    session_cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session_cookie, "url": live_server.url}])

    page.goto(f"{live_server.url}/reports/jobs/{job.pk}/")
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "0"
    export_job_run(job_id=str(job.pk))  # the worker finishes; the page learns it by polling
    link = page.get_by_role("link", name="Unduh")
    link.wait_for()
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
