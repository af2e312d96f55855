"""The export kit: one explicit registry of every download, each reachable by its URL, large ones as background
jobs, every download logged (never with personal data), writes done in an explicit step before rendering."""

import io

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from core import views as core_views
from core.exports import CONTENT_TYPES, Exporter, exporter_class, registry
from core.models import ReportDownload, ReportJob
from events.models import AgencyType
from outcomes import services as outcomes
from reports.models import Certificate
from tests.factories import attend, register, user_in

pytestmark = pytest.mark.django_db


def _patterns(resolver: URLResolver | None = None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern


def test_the_registry_is_the_explicit_list_of_settings_with_one_class_per_kind():
    exporters = registry()
    assert len(exporters) == len(settings.EXPORTERS)
    for kind, exporter in exporters.items():
        assert issubclass(exporter, Exporter) and exporter.kind == kind and str(exporter.label)
        assert exporter.formats and set(exporter.formats) <= set(CONTENT_TYPES)


def test_every_exporter_has_a_download_address_and_every_download_address_an_exporter():
    kinds_with_url = set()
    for pattern in _patterns():
        if pattern.callback is core_views.export_download:
            kind = pattern.default_args["kind"]
            assert exporter_class(kind) is not None, pattern
            kinds_with_url.add(kind)
    # Two views wrap the kit's: the reports page's /reports/<event>/<kind>.<format>, and the registration
    # export, which first moves a NIK typed into its address out of it.
    from participants.views import registration_export
    from reports.views import REPORT_KINDS, report_download

    wrappers = {pattern.callback for pattern in _patterns()}
    assert report_download in wrappers and registration_export in wrappers
    assert set(registry()) == kinds_with_url | REPORT_KINDS | {"registration_export"}


def test_a_large_export_becomes_a_job_and_its_file_is_logged_when_taken(
    client, lokakarya, bima, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.REPORTS_LARGE_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    panitia = user_in("Panitia", organized=[lokakarya])
    for index in range(3):
        register(bima, "CGP", name=f"Peserta Ekspor {index}")
    client.force_login(panitia)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("participants:registration_export") + "?q=ekspor")

    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:report_job", args=[job.pk])
    assert (job.kind, job.status, job.params) == ("registration_export", "done", {"q": "ekspor", "file_format": "xlsx"})
    assert not ReportDownload.objects.exists()
    download = client.get(reverse("core:report_job_file", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sorted(row[2].value for row in sheet.iter_rows(min_row=2)) == [f"Peserta Ekspor {n}" for n in range(3)]
    log = ReportDownload.objects.get()
    assert (log.user, log.kind, log.params) == (panitia, "registration_export", {"q": "ekspor"})


def test_an_identifier_search_is_built_at_once_and_never_stored(
    client, lokakarya, bima, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_LARGE_ROWS = 0
    registration = register(bima, "CGP", name="Peserta Dicari")
    panitia = user_in("Panitia", organized=[lokakarya])
    client.force_login(panitia)
    # The list moves the number out of the address (a session token); the export reads the same token.
    listing = client.post(reverse("participants:registration_list"), {"q": registration.person.nik})
    token = listing["Location"].split("qt=")[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("participants:registration_export") + f"?qt={token}")
    assert response.status_code == 200 and not ReportJob.objects.exists()
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == ["Peserta Dicari"]
    log = ReportDownload.objects.get()
    assert registration.person.nik not in str(log.params) + log.description


def test_a_roster_download_and_an_anonymous_public_document_are_logged(client, lokakarya, rakor, superuser):
    from tests.rosters.conftest import good_committee

    good_committee(rakor.cohort, regency="52.06")
    client.force_login(superuser)
    assert client.get(reverse("rosters:roster_xlsx")).status_code == 200
    log = ReportDownload.objects.get()
    assert (log.user, log.kind, log.file_format) == (superuser, "roster_xlsx", "xlsx")

    matrix = outcomes.matrix_create(event=lokakarya, agency_types=[AgencyType.objects.get(code="BGP")], actor=None)
    outcomes.matrix_save(matrix=matrix, rows=[outcomes.MatrixRow(title="Sosialisasi")], actor=None)
    outcomes.matrix_agree(matrix=matrix, actor=None)
    client.logout()
    response = client.get(reverse("outcomes:matrix_public_pdf", args=[lokakarya.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    public = ReportDownload.objects.get(kind="matrix_public_pdf")
    assert public.user is None and lokakarya.title in public.description


def test_certificate_numbers_are_issued_by_the_explicit_step_before_rendering(client, lokakarya, superuser):
    site = lokakarya.sites.order_by("order").first()
    registration = register(site, name="Peserta Bersertifikat")
    for session in site.sessions.all():
        attend(registration, session)
    exporter = exporter_class("certificates")(
        user=superuser, params={"event_id": lokakarya.pk, "site": site.pk}, file_format="pdf"
    )
    assert exporter.row_count() == 1 and not Certificate.objects.exists()  # loading and counting write nothing
    exporter.prepare()
    assert Certificate.objects.get().registration == registration
    first = exporter.render().content
    assert exporter.render().content and Certificate.objects.count() == 1 and first  # rendering writes nothing
