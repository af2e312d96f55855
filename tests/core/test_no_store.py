"""What a shared computer's browser may keep (security probe, issue 12, finding 13): staff pages, downloads
and the public pages showing personal data by code carry `Cache-Control: no-store`; anonymous public pages
stay cacheable."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.models import ReportJob
from events import groups as G
from outcomes import services as outcomes
from participants.views import SESSION_REGISTRATION_KEY
from tests.factories import register, user_in

pytestmark = pytest.mark.django_db


def assert_not_stored(response) -> None:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert "no-store" in directives, response.get("Cache-Control")
    assert "private" in directives and response["Pragma"] == "no-cache"


def test_a_staff_page_is_not_stored(client, lokakarya):
    client.force_login(user_in(G.PANITIA, organized=[lokakarya]))
    response = client.get(reverse("participants:registration_list"))
    assert response.status_code == 200
    assert_not_stored(response)


def test_an_export_download_is_not_stored_even_for_an_anonymous_visitor(client, lokakarya):
    from events.models import AgencyType

    matrix = outcomes.matrix_create(event=lokakarya, agency_types=[AgencyType.objects.get(code="BGP")], actor=None)
    outcomes.matrix_save(matrix=matrix, rows=[outcomes.MatrixRow(title="Sosialisasi")], actor=None)
    outcomes.matrix_agree(matrix=matrix, actor=None)
    response = client.get(reverse("outcomes:matrix_public_pdf", args=[lokakarya.slug]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert_not_stored(response)


def test_a_staff_export_is_not_stored(client, lokakarya):
    client.force_login(user_in(G.PANITIA, organized=[lokakarya]))
    response = client.get(reverse("participants:registration_export"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert_not_stored(response)


def test_a_background_job_file_is_not_stored(client, lokakarya):
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    job = ReportJob.objects.create(
        user=panitia,
        kind="rekap",
        params={"event_id": lokakarya.pk, "file_format": "pdf"},
        status=ReportJob.Status.DONE,
        filename="rekap.pdf",
        content_type="application/pdf",
    )
    job.file.save("rekap.pdf", ContentFile(b"%PDF-1.4 rekap"))
    client.force_login(panitia)
    response = client.get(reverse("core:report_job_file", args=[job.pk]))
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_status_result_confirmation_and_own_data_pages_are_not_stored(client, bima):
    registration = register(bima, "CGP", name="Peserta Rahasia")
    status = client.post(reverse("participants:registration_status"), {"code": registration.code})
    assert status.status_code == 200 and 'id="registration-status"' in status.content.decode()  # the result
    assert_not_stored(status)

    own = client.post(reverse("participants:my_data"), {"code": registration.code})
    assert own.status_code == 200 and "Peserta Rahasia" in own.content.decode()
    assert_not_stored(own)
    assert_not_stored(client.get(reverse("participants:my_data")))  # the same data, from the session

    session = client.session
    session[SESSION_REGISTRATION_KEY] = registration.pk
    session.save()
    confirmation = client.get(reverse("participants:public_confirmation"))
    assert_not_stored(confirmation)


def test_the_public_registration_form_is_not_stored(client, bima):
    response = client.get(reverse("participants:public_register", args=[bima.event.slug, bima.pk]))
    assert_not_stored(response)


def test_a_delegation_edit_link_page_is_not_stored(client, lokakarya):
    plan = outcomes.action_plan_create(event=lokakarya, delegation="Kab. Bima", actor=None)
    response = client.get(reverse("outcomes:plan_edit_by_link", kwargs={"token": plan.edit_token}))
    assert response.status_code == 200
    assert_not_stored(response)


def test_an_anonymous_public_event_page_stays_cacheable(client, lokakarya):
    response = client.get(reverse("events:event_detail", args=[lokakarya.slug]))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "") and "Pragma" not in response
