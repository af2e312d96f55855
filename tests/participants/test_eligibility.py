"""Participation rules on history: Lokakarya 7 takes only those who attended Lokakarya 6 (Event.required_event),
checked the same way on every channel — public form, organizer form, Excel import (check and confirm), the
service itself — with a message that names the required event."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events import groups as G
from events.models import Event, EventSite, Province, Role, Session
from participants.imports import import_batch_confirm, import_batch_create, import_check
from participants.models import Registration
from participants.services import RegistrationError, registration_create
from tests.factories import attend, person_data, register, user_in, valid_nik
from tests.participants.test_imports import row, workbook_bytes

L6_TITLE = "Lokakarya 6 Angkatan 4 Program Pendidikan Guru Penggerak (contoh)"


@pytest.fixture
def lokakarya6(lokakarya):
    """An earlier Lokakarya of the same program at the same venue, with one session; Lokakarya 7 requires it."""
    bima = lokakarya.sites.get(name="Kab. Bima")
    start = lokakarya.start_date - dt.timedelta(days=60)
    event = Event.objects.create(
        program=lokakarya.program,
        cohort=lokakarya.cohort,
        title=L6_TITLE,
        slug="lokakarya-6-contoh",
        kind=Event.Kind.LOKAKARYA,
        organizer=lokakarya.organizer,
        start_date=start,
        end_date=start,
        status=Event.Status.PUBLISHED,
    )
    site = EventSite.objects.create(event=event, name="Kab. Bima", venue=bima.venue, start_date=start, end_date=start)
    zone = dt.timezone(dt.timedelta(hours=8))
    Session.objects.create(
        site=site,
        name="Hari 1",
        starts_at=dt.datetime.combine(start, dt.time(8), tzinfo=zone),
        ends_at=dt.datetime.combine(start, dt.time(16), tzinfo=zone),
    )
    lokakarya.required_event = event
    lokakarya.save()
    return event


@pytest.fixture
def people(lokakarya6):
    """One who attended Lokakarya 6, one registered there who never came, one never registered."""
    site = lokakarya6.sites.get()
    came = register(site, "CGP", name="Baiq Hadir Contoh", nik=valid_nik(serial=9101))
    attend(came, site.sessions.get())
    absent = register(site, "CGP", name="Lalu Absen Contoh", nik=valid_nik(serial=9102))
    return {
        "came": ("Baiq Hadir Contoh", came.nik),
        "absent": ("Lalu Absen Contoh", absent.nik),
        "new": ("Siti Baru Contoh", valid_nik(serial=9103)),
    }


def _refused_message(lokakarya6) -> str:
    return f"Hanya peserta yang hadir di {lokakarya6.title} yang boleh mendaftar kegiatan ini"


def test_the_service_refuses_who_did_not_attend(lokakarya, lokakarya6, people):
    bima = lokakarya.sites.get(name="Kab. Bima")
    role = Role.objects.get(program=lokakarya.program, code="CGP")
    for key in ("absent", "new"):
        name, nik = people[key]
        with pytest.raises(RegistrationError) as refused:
            registration_create(
                site=bima, role=role, person_data=person_data(name=name, nik=nik), source=Registration.Source.FORM
            )
        assert refused.value.code == "not_eligible"
        assert lokakarya6.title in refused.value.message
    name, nik = people["came"]
    registration = registration_create(
        site=bima, role=role, person_data=person_data(name=name, nik=nik), source=Registration.Source.FORM
    )
    assert registration.person.registrations.filter(event=lokakarya6).exists()
    # The attended NIK under another name proves nothing: refused too.
    with pytest.raises(RegistrationError):
        registration_create(
            site=lokakarya.sites.get(name="Kab. Lombok Timur"),
            role=role,
            person_data=person_data(name="Orang Lain", nik=nik),
            source=Registration.Source.FORM,
        )
    assert Registration.objects.filter(event=lokakarya).count() == 1


def test_public_form(client, open_lokakarya, lokakarya6, people):
    bima = open_lokakarya.sites.get(name="Kab. Bima")
    url = reverse("participants:public_register", kwargs={"slug": open_lokakarya.slug, "site_id": bima.pk})

    def post(key):
        name, nik = people[key]
        return client.post(
            url,
            {
                "role": Role.objects.get(program=open_lokakarya.program, code="CGP").pk,
                "full_name": name,
                "nik": nik,
                "province": Province.objects.get(code="52").pk,
                "privacy_accepted": "on",
            },
        )

    refused = post("absent")
    assert refused.status_code == 200
    assert _refused_message(lokakarya6) in refused.content.decode()
    assert not Registration.objects.filter(event=open_lokakarya).exists()
    assert post("came").status_code == 302
    assert Registration.objects.filter(event=open_lokakarya, full_name="Baiq Hadir Contoh").count() == 1


def test_organizer_form(client, lokakarya, lokakarya6, people):
    client.force_login(user_in(G.PANITIA, organized=[lokakarya]))
    bima = lokakarya.sites.get(name="Kab. Bima")

    def post(key):
        name, nik = people[key]
        return client.post(
            reverse("participants:registration_new"),
            {
                "site": bima.pk,
                "role": Role.objects.get(program=lokakarya.program, code="CGP").pk,
                "full_name": name,
                "nik": nik,
                "province": Province.objects.get(code="52").pk,
            },
        )

    refused = post("new")
    assert refused.status_code == 200
    assert _refused_message(lokakarya6) in refused.content.decode()
    assert not Registration.objects.filter(event=lokakarya).exists()
    assert post("came").status_code == 302
    assert Registration.objects.filter(event=lokakarya).count() == 1


def test_excel_import_check_and_confirm(lokakarya, lokakarya6, people):
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    rows = [row(name, nik=nik, province="52") for name, nik in (people["came"], people["absent"], people["new"])]
    data = workbook_bytes(rows)
    check = import_check(event=lokakarya, user=panitia, data=data)
    refused = {(f.row, f.code) for f in check.findings if f.code == "not_eligible"}
    assert refused == {(3, "not_eligible"), (4, "not_eligible")}
    assert all(lokakarya6.title in f.message for f in check.findings if f.code == "not_eligible")

    batch = import_batch_create(user=panitia, event=lokakarya, filename="peserta.xlsx", data=data)
    result = import_batch_confirm(batch=batch, actor=panitia, clean_only=True)
    assert [r.full_name for r in result.registrations] == ["Baiq Hadir Contoh"]
    assert result.refused == 2
    assert list(Registration.objects.filter(event=lokakarya).values_list("full_name", flat=True)) == [
        "Baiq Hadir Contoh"
    ]


def test_an_event_without_the_rule_takes_everyone(lokakarya, people):
    lokakarya.required_event = None
    lokakarya.save()
    name, nik = people["new"]
    registration = register(lokakarya.sites.get(name="Kab. Bima"), "CGP", name=name, nik=nik)
    assert registration.event_id == lokakarya.pk


def test_the_rule_is_checked_when_the_event_is_saved(lokakarya, lokakarya6):
    lokakarya6.required_event = lokakarya  # a later event
    with pytest.raises(ValidationError) as later:
        lokakarya6.full_clean()
    assert "required_event" in later.value.message_dict
    lokakarya.required_event = lokakarya
    with pytest.raises(ValidationError):
        lokakarya.full_clean()


def test_the_admin_offers_the_field(client, lokakarya, lokakarya6):
    client.force_login(user_in(G.ADMIN_PUSAT))
    html = client.get(reverse("admin:events_event_change", args=[lokakarya.pk])).content.decode()
    assert 'name="required_event"' in html and L6_TITLE in html
