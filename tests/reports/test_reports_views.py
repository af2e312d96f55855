"""The reports page, downloads, their scope (404 outside it), the download log and background jobs."""

import pytest
from django.http import Http404
from django.urls import reverse

from core.models import ReportDownload, ReportJob
from events import groups as G
from participants.services import registration_verify
from tests.factories import attend, register, user_in
from tests.reports.reports_helpers import pdf_text


def download_url(event, kind, file_format="pdf", *, site=None, session=None) -> str:
    url = reverse("reports:report_download", args=[event.id, kind, file_format])
    query = [f"site={site.id}"] if site else []
    query += [f"session={session.id}"] if session else []
    return url + ("?" + "&".join(query) if query else "")


@pytest.fixture
def pejabat_ntb(demo):
    return user_in(G.PEJABAT, provinces=["52"])


@pytest.mark.django_db
def test_pejabat_downloads_the_reports_of_its_scope_and_each_download_is_logged(client, lokakarya, pejabat_ntb):
    site = lokakarya.sites.order_by("order").first()
    session = site.sessions.order_by("starts_at").first()
    verifikator = user_in(G.VERIFIKATOR, provinces=["52"])
    registration_verify(registration=register(site, name="Peserta Lombok"), actor=verifikator)
    client.force_login(pejabat_ntb)

    response = client.get(download_url(lokakarya, "daftar_hadir", site=site, session=session))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text, _pages = pdf_text(response.content)
    assert "Peserta Lombok" in text
    log = ReportDownload.objects.get()
    assert (log.user, log.kind, log.file_format) == (pejabat_ntb, "daftar_hadir", "pdf")
    assert log.params == {"event_id": lokakarya.id, "site": site.id, "session": session.id}
    assert site.name in log.description and session.name in log.description

    response = client.get(download_url(lokakarya, "rekap", "xlsx"))
    assert response.status_code == 200
    assert ReportDownload.objects.count() == 2


@pytest.mark.django_db
def test_pejabat_of_ntb_gets_404_for_riau_and_kupang_reports(client, rakor, lokakarya, pejabat_ntb):
    solo = rakor.sites.get(name="Regional Solo")  # serves Riau
    kupang = rakor.sites.get(name="Regional Kupang")
    client.force_login(pejabat_ntb)

    for site in (solo, kupang):
        session = site.sessions.first()
        assert client.get(download_url(rakor, "daftar_hadir", site=site, session=session)).status_code == 404
        assert client.get(download_url(rakor, "badges", site=site)).status_code == 404
    assert client.get(download_url(rakor, "rekap")).status_code == 404
    assert client.get(reverse("reports:report_index", args=[rakor.id])).status_code == 404
    # An NTB site with a Kupang session id is refused as well.
    ntb_site = lokakarya.sites.first()
    assert (
        client.get(download_url(lokakarya, "daftar_hadir", site=ntb_site, session=kupang.sessions.first())).status_code
        == 404
    )
    assert client.get(download_url(lokakarya, "unknown")).status_code == 404
    assert client.get(download_url(lokakarya, "badges", "xlsx", site=ntb_site)).status_code == 404
    assert not ReportDownload.objects.exists()


@pytest.mark.django_db
def test_koordinator_sees_only_its_site_and_verifikator_has_no_reports(client, lokakarya):
    mine, other = list(lokakarya.sites.order_by("order"))[:2]
    koordinator = user_in(G.KOORDINATOR_SITE, sites=[mine])
    client.force_login(koordinator)
    assert client.get(download_url(lokakarya, "badges", site=mine)).status_code == 200
    assert client.get(download_url(lokakarya, "badges", site=other)).status_code == 404

    page = client.get(reverse("reports:report_index", args=[lokakarya.id]))
    assert page.status_code == 200
    assert mine.name in page.content.decode() and other.name not in page.content.decode()

    client.force_login(user_in(G.VERIFIKATOR, provinces=["52"]))
    assert client.get(download_url(lokakarya, "badges", site=mine)).status_code == 403
    assert client.get(reverse("reports:report_events")).status_code == 403


@pytest.mark.django_db
def test_reports_pages_list_events_sites_sessions_and_need_login(client, lokakarya, rakor, pejabat_ntb):
    assert client.get(reverse("reports:report_events")).status_code == 302
    client.force_login(pejabat_ntb)

    listing = client.get(reverse("reports:report_events")).content.decode()
    page = client.get(reverse("reports:report_index", args=[lokakarya.id])).content.decode()

    assert lokakarya.title in listing and rakor.title not in listing
    assert "Kab. Bima" in page and "Hari 2" in page
    site = lokakarya.sites.order_by("order").first()
    session = site.sessions.order_by("starts_at").first()
    # a form per session and sheet: the site and session, and the box that adds the pending registrations
    assert f'action="{download_url(lokakarya, "daftar_hadir")}"' in page
    assert f'name="site" value="{site.id}"' in page and f'name="session" value="{session.id}"' in page
    assert 'type="checkbox" name="pending" value="1"' in page
    assert 'href="/reports/' in client.get(reverse("events:event_list")).content.decode()  # the nav link


@pytest.mark.django_db
def test_large_report_runs_as_a_job_with_progress_and_a_logged_download(
    client, lokakarya, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.REPORTS_LARGE_ROWS = settings.REPORTS_LARGE_SHEET_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    site = lokakarya.sites.order_by("order").first()
    session = site.sessions.order_by("starts_at").first()
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    people = [register(site, name=f"Peserta Besar {index}") for index in range(4)]
    for person in people:
        registration_verify(registration=person, actor=panitia)
    attend(people[0], session)
    client.force_login(panitia)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(download_url(lokakarya, "daftar_hadir_filled", site=site, session=session))

    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:report_job", args=[job.pk])
    assert (job.status, job.progress, job.user) == (ReportJob.Status.DONE, 100, panitia)
    assert not ReportDownload.objects.exists()  # built, not yet downloaded

    status = client.get(reverse("core:report_job_status", args=[job.pk])).content.decode()
    assert "100%" in status and reverse("core:report_job_file", args=[job.pk]) in status
    assert "hx-trigger" not in status  # no more polling once done

    download = client.get(reverse("core:report_job_file", args=[job.pk]))
    assert download.status_code == 200
    text, _pages = pdf_text(b"".join(download.streaming_content))
    assert "Peserta Besar 3" in text and "WITA" in text
    assert ReportDownload.objects.get().kind == "daftar_hadir_filled"
    index = client.get(reverse("reports:report_index", args=[lokakarya.id])).content.decode()
    assert "Daftar hadir dengan jam kehadiran" in index and reverse("core:report_job", args=[job.pk]) in index

    # Another user cannot see or take the job.
    client.force_login(user_in(G.PANITIA, organized=[lokakarya]))
    assert client.get(reverse("core:report_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:report_job_file", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_pending_job_page_polls_every_second(client, lokakarya):
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    job = ReportJob.objects.create(user=panitia, kind="badges", params={"event_id": lokakarya.id})
    client.force_login(panitia)

    page = client.get(reverse("core:report_job", args=[job.pk])).content.decode()

    assert 'hx-trigger="every 1s"' in page and reverse("core:report_job_status", args=[job.pk]) in page
    assert client.get(reverse("core:report_job_file", args=[job.pk])).status_code == 302


@pytest.mark.django_db
def test_a_job_outside_the_users_scope_fails_without_a_file(rakor, pejabat_ntb):
    from core.exports import export_job_run

    kupang = rakor.sites.get(name="Regional Kupang")
    job = ReportJob.objects.create(
        user=pejabat_ntb,
        kind="badges",
        params={"event_id": rakor.id, "site": kupang.id, "file_format": "pdf"},
    )

    with pytest.raises(Http404):
        export_job_run(job_id=str(job.pk))

    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and not job.file
