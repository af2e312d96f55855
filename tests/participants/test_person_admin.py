"""The person's admin page validates identifiers as every form does and saves through the services (audited)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import AuditEntry
from participants.models import Person
from tests.factories import register, valid_nik

pytestmark = pytest.mark.django_db


def _form(person: Person, **changes) -> dict:
    data = {
        "full_name": person.full_name,
        "gender": person.gender,
        "birth_date": "",
        "nik": person.nik,
        "nip": person.nip,
        "nuptk": person.nuptk,
        "position": person.position,
        "agency": person.agency_id or "",
        "school": person.school_id or "",
        "province": person.province_id or "",
        "phone": person.phone,
        "email": person.email,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nik", "5208011508900000", "0000"),  # serial 0000
        ("nik", "12345", "16"),
        ("nip", "198609262015053001", "15"),  # gender digit (the 15th) is 3
        ("phone", "12345", ""),
    ],
)
def test_an_invalid_identifier_is_refused_with_the_forms_message_and_nothing_changes(
    client, lokakarya, superuser, field, value, message
):
    person = register(lokakarya.sites.first(), name="Peserta Admin").person
    client.force_login(superuser)
    response = client.post(
        reverse("admin:participants_person_change", args=[person.pk]), _form(person, **{field: value})
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and message in " ".join(errors[field])
    before = getattr(person, field)
    person.refresh_from_db()
    assert getattr(person, field) == before
    assert not AuditEntry.objects.filter(action="person.updated").exists()


def test_an_identifier_of_another_person_is_refused(client, lokakarya, superuser):
    site = lokakarya.sites.first()
    person, other = register(site).person, register(site).person
    client.force_login(superuser)
    response = client.post(reverse("admin:participants_person_change", args=[person.pk]), _form(person, nik=other.nik))
    assert response.status_code == 200 and "nik" in response.context["adminform"].form.errors


def test_a_valid_change_is_normalised_saved_through_the_service_and_audited(client, lokakarya, superuser):
    person = register(lokakarya.sites.first(), name="Peserta Admin").person
    new_nik = valid_nik(serial=4242)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:participants_person_change", args=[person.pk]),
        _form(person, nik=f"{new_nik[:6]} {new_nik[6:12]} {new_nik[12:]}", phone="0812-3456-7890"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.nik, person.phone) == (new_nik, "+6281234567890")
    entry = AuditEntry.objects.get(
        action="person.updated", content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
    )
    assert entry.actor == superuser and sorted(entry.data["fields"]) == ["nik", "phone"]
    assert new_nik not in str(entry.data)  # the values never go into the audit trail


def test_a_person_added_in_the_admin_is_created_through_the_service(client, lokakarya, superuser):
    client.force_login(superuser)
    nik = valid_nik(serial=4343)
    data = _form(Person(full_name="Orang Baru"), nik=nik)
    response = client.post(reverse("admin:participants_person_add"), data)
    assert response.status_code == 302
    person = Person.objects.get(full_name="Orang Baru")
    assert person.nik == nik
    assert AuditEntry.objects.filter(action="person.created", object_id=str(person.pk)).exists()
    response = client.post(reverse("admin:participants_person_add"), _form(Person(full_name="Tanpa Nomor")))
    assert response.status_code == 200 and not Person.objects.filter(full_name="Tanpa Nomor").exists()
