"""One person across events: the staff page lists the registrations, attendance, certificates and committee seats
the viewer may see — and only those —, masked as elsewhere, every view on record, in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from events import groups as G
from events.models import Regency
from participants.models import Person, School
from participants.services import registration_transition
from reports.models import Certificate
from rosters.models import Committee, CommitteeMember
from tests.factories import attend, register, user_in, valid_nik

NAME = "Yohana Riwayat Contoh, S.Pd."


@pytest.fixture
def history(lokakarya, rakor):
    """One person: Lokakarya 7 at Kab. Bima (NTB), the Rakor at Regional Solo (from Riau), both attended, a
    certificate of the Lokakarya, a seat on a Komite Pembelajaran of a Riau school."""
    nik = valid_nik(serial=7001)
    bima = lokakarya.sites.get(name="Kab. Bima")
    solo = rakor.sites.get(name="Regional Solo")
    at_lokakarya = register(bima, "PENGAWAS_SEKOLAH", name=NAME, nik=nik, province_code="52")
    at_rakor = register(solo, "DINAS_KABKOTA", name=NAME, nik=nik, province_code="14")
    assert at_lokakarya.person_id == at_rakor.person_id
    attend(at_lokakarya, bima.sessions.order_by("starts_at").first())
    attend(at_rakor, solo.sessions.order_by("starts_at").first())
    Certificate.objects.create(
        registration=at_lokakarya, event=lokakarya, site=bima, sequence=1, number="0001/RIWAYAT/2022", token="riwayat-1"
    )
    school = School.objects.create(
        npsn="69977001", name="SD Negeri Riwayat Pekanbaru", level="SD", regency=Regency.objects.get(code="14.71")
    )
    committee = Committee.objects.create(school=school, cohort=rakor.cohort)
    CommitteeMember.objects.create(
        committee=committee, cohort=rakor.cohort, person=at_rakor.person, position="pengawas"
    )
    return {"person": at_rakor.person, "lokakarya": at_lokakarya, "rakor": at_rakor, "nik": nik}


def _page(client, user, person):
    client.force_login(user)
    return client.get(reverse("participants:person_detail", args=[person.pk]))


def test_admin_pusat_sees_everything_across_both_programs(client, history, lokakarya, rakor):
    response = _page(client, user_in(G.ADMIN_PUSAT), history["person"])
    assert response.status_code == 200
    html = response.content.decode()
    assert lokakarya.title in html and rakor.title in html
    assert [r.pk for r in response.context["page"].registrations] == [history["lokakarya"].pk, history["rakor"].pk]
    sections = {shown.section.key: shown.rows for shown in response.context["page"].sections}
    assert {a.registration_id for a in sections["attendance"]} == {history["lokakarya"].pk, history["rakor"].pk}
    assert [c.number for c in sections["certificates"]] == ["0001/RIWAYAT/2022"]
    assert [m.committee.school.name for m in sections["committees"]] == ["SD Negeri Riwayat Pekanbaru"]
    assert "SD Negeri Riwayat Pekanbaru" in html and "0001/RIWAYAT/2022" in html


def test_a_scoped_user_sees_only_the_events_of_its_scope(client, history, lokakarya, rakor):
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    response = _page(client, panitia, history["person"])
    assert response.status_code == 200
    html = response.content.decode()
    assert lokakarya.title in html
    assert rakor.title not in html  # the out-of-scope event's registration is absent, and its check-in
    assert reverse("participants:registration_detail", args=[history["rakor"].pk]) not in html
    sections = {shown.section.key: shown.rows for shown in response.context["page"].sections}
    assert [a.registration_id for a in sections["attendance"]] == [history["lokakarya"].pk]
    assert sections["committees"] == []  # a Panitia sees no roster
    assert "SD Negeri Riwayat Pekanbaru" not in html

    # A Verifikator of Riau: the Rakor registration (from Riau) and the Riau committee, not the Lokakarya.
    riau = user_in(G.VERIFIKATOR, provinces=["14"])
    html = _page(client, riau, history["person"]).content.decode()
    assert rakor.title in html and "SD Negeri Riwayat Pekanbaru" in html
    assert lokakarya.title not in html and "0001/RIWAYAT/2022" not in html


def test_nothing_in_scope_is_404_and_other_roles_403(client, history):
    kupang = user_in(G.VERIFIKATOR, provinces=["53"])
    assert _page(client, kupang, history["person"]).status_code == 404
    assert _page(client, user_in(G.OPERATOR_DINAS, provinces=["14"]), history["person"]).status_code == 403
    assert _page(client, user_in(G.ADMIN_PUSAT), Person(pk=999999)).status_code == 404
    client.logout()
    response = client.get(reverse("participants:person_detail", args=[history["person"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_identifiers_are_masked_for_who_may_not_see_them_and_every_view_is_recorded(client, history, lokakarya):
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    html = _page(client, panitia, history["person"]).content.decode()
    assert history["nik"] not in html
    assert history["nik"][:2] + "*" * 14 in html  # the masked NIK, as on every other page
    verifikator = user_in(G.VERIFIKATOR, provinces=["52"])  # may see identifiers: shown in full
    assert history["nik"] in _page(client, verifikator, history["person"]).content.decode()
    views = AuditEntry.objects.filter(action="personal_data.viewed", object_id=str(history["person"].pk))
    assert sorted(views.values_list("actor__username", flat=True)) == sorted([panitia.username, verifikator.username])
    assert {entry.data["where"] for entry in views} == {"person_page"}
    assert all(history["nik"] not in str(entry.data) for entry in views)


def test_links_from_the_registration_pages(client, history):
    client.force_login(user_in(G.ADMIN_PUSAT))
    url = reverse("participants:person_detail", args=[history["person"].pk])
    detail = reverse("participants:registration_detail", args=[history["lokakarya"].pk])
    assert url in client.get(detail).content.decode()
    assert url in client.get(reverse("participants:registration_list")).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_page_costs_the_same_whatever_the_history(client, history, lokakarya):
    bima = lokakarya.sites.get(name="Kab. Bima")
    sessions = list(bima.sessions.order_by("starts_at"))
    url = reverse("participants:person_detail", args=[history["person"].pk])
    admin = user_in(G.ADMIN_PUSAT)
    client.force_login(admin)
    client.get(url)
    before = _queries(client, url)

    # Three more registrations at the Lokakarya (each withdrawn before the next), each checked in everywhere.
    for _round in range(3):
        current = history["person"].registrations.get(event=lokakarya, status__in=["submitted", "verified"])
        registration_transition(registration=current, to_status="withdrawn", actor=admin)
        again = register(bima, "PENGAWAS_SEKOLAH", name=NAME, nik=history["nik"], province_code="52")
        for session in sessions:
            attend(again, session)
    page = client.get(url).context["page"]
    assert len(page.registrations) == 5
    assert _queries(client, url) == before
