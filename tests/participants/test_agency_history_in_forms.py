"""The registration forms offer the agency types and agencies of the event's date (issue 14, item 12): a 2027
event does not offer "Balai Guru Penggerak" (ended 2024) or LPMP (ended 2021) but their successors; a 2022
event offers the names of 2022."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Agency, AgencyType, Province, Role
from participants.forms import PublicRegistrationForm
from participants.models import Registration
from tests.factories import valid_nik


@pytest.fixture
def open_2027(lokakarya):
    """Lokakarya 7 moved to 2027, registration open now."""
    now = timezone.now()
    lokakarya.start_date, lokakarya.end_date = dt.date(2027, 3, 1), dt.date(2027, 3, 2)
    lokakarya.registration_opens_at = now - dt.timedelta(days=1)
    lokakarya.registration_closes_at = now + dt.timedelta(days=1)
    lokakarya.save()
    return lokakarya


def type_codes(form) -> set[str]:
    offered = {str(value) for value, _label in form.fields["agency_type"].widget.choices if value}
    return set(AgencyType.objects.filter(pk__in=offered).values_list("code", flat=True))


def test_the_form_offers_the_agency_types_of_the_event_date(lokakarya, open_2027):
    site = open_2027.sites.get(name="Kab. Bima")
    codes = type_codes(PublicRegistrationForm(site=site))
    assert {"BGTK", "BPMP", "DINAS_PROV", "SEKOLAH"} <= codes
    assert not codes & {"BGP", "BBGP", "LPMP", "BP_PAUD_DIKMAS", "LPPKSPS"}
    open_2027.start_date = dt.date(2022, 10, 15)
    assert {"BGP", "BPMP"} <= type_codes(PublicRegistrationForm(site=site))
    assert not type_codes(PublicRegistrationForm(site=site)) & {"BGTK", "LPMP"}


def test_the_agency_list_holds_the_names_of_the_event_date(client, open_2027):
    bgp = Agency.objects.get(name="Balai Guru Penggerak Provinsi Nusa Tenggara Barat")
    bgtk = bgp.successor
    ntb = Province.objects.get(code="52")
    url = reverse("participants:agency_options")
    html_2027 = client.get(url, {"province": ntb.pk, "on": "2027-03-01"}).content.decode()
    html_2022 = client.get(url, {"province": ntb.pk, "on": "2022-10-15"}).content.decode()
    assert bgtk.name in html_2027 and bgp.name not in html_2027
    assert bgp.name in html_2022 and bgtk.name not in html_2022
    # Typed dates that are not dates are ignored, never a 500.
    assert client.get(url, {"province": ntb.pk, "on": "2027-13-45"}).status_code == 200
    assert client.get(url, {"province": ntb.pk, "on": "x" * 500}).status_code == 200


def test_an_agency_of_another_date_is_refused_with_a_message_and_nothing_is_lost(client, open_2027):
    site = open_2027.sites.get(name="Kab. Bima")
    bgp_type = AgencyType.objects.get(code="BGP")
    data = {
        "role": Role.objects.get(program=open_2027.program, code="CGP").pk,
        "full_name": "Peserta Tanggal Lain",
        "nik": valid_nik(serial=7711),
        "province": Province.objects.get(code="52").pk,
        "agency_type": bgp_type.pk,
        "new_agency_name": "Balai Lama",
        "privacy_accepted": "on",
    }
    url = reverse("participants:public_register", kwargs={"slug": open_2027.slug, "site_id": site.pk})
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Peserta Tanggal Lain" in html  # what was typed is kept
    assert not Registration.objects.filter(full_name="Peserta Tanggal Lain").exists()
    assert "Balai Guru Penggerak tidak berlaku pada 1 Maret 2027, tanggal kegiatan" in html


def test_public_pages_name_the_organizer_as_on_the_event_date(client, open_2027):
    """The event page, the list and the form's privacy notice (the controller of the data) name the organizer
    of 2027, not the Balai Guru Penggerak of the seed."""
    successor = open_2027.organizer.successor.name
    site = open_2027.sites.get(name="Kab. Bima")
    pages = [
        reverse("events:event_detail", kwargs={"slug": open_2027.slug}),
        reverse("events:event_list"),
        reverse("participants:public_register", kwargs={"slug": open_2027.slug, "site_id": site.pk}),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert successor in html or "BGTK Provinsi NTB" in html, url
        assert "Balai Guru Penggerak Provinsi Nusa Tenggara Barat" not in html, url


def test_the_kept_option_queries_show_agencies_added_and_ended_since(client, open_2027):
    """The forms' agency querysets are built once per process (participants.forms): what they list still comes
    from the database at each request, so an agency added, renamed or ended since shows at once."""
    ntb = Province.objects.get(code="52")
    url = reverse("participants:agency_options")
    query = {"province": ntb.pk, "on": "2027-03-01"}
    before = client.get(url, query).content.decode()
    bgtk = Agency.objects.get(name="Balai Guru Penggerak Provinsi Nusa Tenggara Barat").successor
    assert bgtk.name in before and "Balai Uji Baru NTB" not in before
    Agency.objects.create(type=bgtk.type, name="Balai Uji Baru NTB", province=ntb)
    bgtk.valid_to = dt.date(2026, 12, 31)
    bgtk.save()
    after = client.get(url, query).content.decode()
    assert "Balai Uji Baru NTB" in after and bgtk.name not in after
    site = open_2027.sites.get(name="Kab. Bima")
    form = PublicRegistrationForm(site=site, data={"province": ntb.pk, "agency_type": bgtk.type_id})
    assert "Balai Uji Baru NTB" in [agency.name for agency in form.fields["agency"].queryset]
