"""NIK and phone encrypted at rest, found by exact value through keyed hashes, never in URLs, unmasking audited."""

import io
import re

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from core.fields import UndecryptableValue, identifier_hash
from core.identifiers import mask_nik
from core.models import AuditEntry
from participants.models import Person, identifier_q
from participants.services import person_update
from tests.factories import person_data, register, user_in, valid_nik

NEW_KEY = Fernet.generate_key().decode()


def raw_person_row(person) -> tuple[str, str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, phone, nik_hash, phone_hash FROM participants_person WHERE id = %s", [person.pk])
        return cursor.fetchone()


@pytest.fixture
def verifikator(db):
    return user_in("Verifikator", provinces=["52"])


def test_the_database_column_holds_no_plaintext_and_exact_search_finds_the_person(bima):
    nik = valid_nik()
    registration = register(bima, "CGP", nik=nik, phone="+6281234567890")
    raw_nik, raw_phone, nik_hash, phone_hash = raw_person_row(registration.person)
    assert nik not in raw_nik and "1234567890" not in raw_phone and "81234567" not in raw_phone
    assert raw_nik.startswith("gAAAA") and raw_phone.startswith("gAAAA")  # Fernet tokens
    assert nik_hash == identifier_hash(nik, kind="nik") and len(nik_hash) == 64
    assert phone_hash == identifier_hash("0812 3456 7890", kind="phone")  # normalised before hashing
    person = Person.objects.get(identifier_q("nik", nik))
    assert person.pk == registration.person_id and person.nik == nik and person.phone == "+6281234567890"
    other_last_digit = str((int(nik[-1]) + 1) % 10)
    assert not Person.objects.filter(identifier_q("nik", nik[:-1] + other_last_digit)).exists()
    assert not Person.objects.filter(identifier_q("nik", "")).exists()  # empty hash must match nobody


def test_a_lookup_on_the_encrypted_column_is_refused_not_silently_empty(db):
    with pytest.raises(FieldError):
        list(Person.objects.filter(nik="5201011205850001"))


def test_the_hashes_follow_every_way_of_writing_the_identifiers(bima):
    person = register(bima, "CGP", phone="+6281234567890").person
    person.nik = ""
    person.phone = ""
    person.save(update_fields=["nik", "phone"])  # how a purge should blank them
    assert raw_person_row(person) == ("", "", "", "")
    new_nik = valid_nik()
    Person.objects.filter(pk=person.pk).update(nik=new_nik)
    assert raw_person_row(person)[2] == identifier_hash(new_nik, kind="nik")
    person.refresh_from_db()
    person.phone = "+6281299998888"
    Person.objects.bulk_update([person], ["phone"])
    assert Person.objects.filter(identifier_q("phone", "081299998888")).get().pk == person.pk
    created = Person.objects.bulk_create([Person(full_name="Baru", nik=valid_nik())])[0]
    assert raw_person_row(created)[2] == identifier_hash(created.nik, kind="nik")


def test_two_people_cannot_hold_the_same_nik_through_the_hash(bima):
    first = register(bima, "CGP").person
    other = register(bima, "CGP").person
    from participants.services import RegistrationError

    with pytest.raises(RegistrationError) as error:
        person_update(person=other, person_data=person_data(name=other.full_name, nik=first.nik), actor=None)
    assert error.value.code == "identifier_taken"


def test_duplicate_detection_finds_the_person_by_nik(bima):
    first = register(bima, "CGP")
    from participants.services import RegistrationError

    with pytest.raises(RegistrationError) as error:
        register(bima, "CGP", name=first.person.full_name, nik=first.person.nik)
    assert error.value.code == "duplicate"


def test_rotation_re_encrypts_every_row_under_the_new_key(bima, settings):
    person = register(bima, "CGP", phone="+6281234567890").person
    old_token = raw_person_row(person)[0]
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, *old_keys]
    with pytest.raises(CommandError):
        call_command("rotate_field_keys", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)
    # NIK and phone of the person and of the registration's own copy.
    assert "4 value(s) re-encrypted" in out.getvalue()
    call_command("rotate_field_keys", "--check", stdout=io.StringIO())  # nothing left under the old key
    new_token = raw_person_row(person)[0]
    assert new_token != old_token
    Fernet(NEW_KEY.encode()).decrypt(new_token.encode())
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key dropped: everything still reads
    assert Person.objects.get(pk=person.pk).phone == "+6281234567890"
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # a wrong key fails closed
    with pytest.raises(UndecryptableValue):
        Person.objects.get(pk=person.pk)


def test_rehash_recomputes_the_search_columns_after_a_hash_key_change(bima, settings):
    person = register(bima, "CGP").person
    settings.FIELD_HASH_KEY = "another-hash-key"
    assert not Person.objects.filter(identifier_q("nik", person.nik)).exists()
    call_command("rotate_field_keys", "--rehash", stdout=io.StringIO())
    assert Person.objects.get(identifier_q("nik", person.nik)).pk == person.pk


# --- identifiers never in URLs ---------------------------------------------------------------------------


def test_a_nik_search_leaves_no_digit_of_it_in_any_url(client, bima, verifikator):
    registrations = [register(bima, "CGP") for _ in range(3)]
    nik = registrations[1].person.nik
    client.force_login(verifikator)
    response = client.post(reverse("participants:registration_list"), {"q": nik, "status": ""})
    assert response.status_code == 302
    location = response["Location"]
    assert nik not in location and not re.search(r"\d{6,}", location) and "qt=" in location
    page = client.get(location)
    html = page.content.decode()
    assert registrations[1].person.full_name in html and registrations[0].person.full_name not in html
    urls = re.findall(r'(?:href|action|hx-get|src)="([^"]*)"', html)
    assert urls and not any(nik in url or nik[-8:] in url for url in urls)
    # The export link of the same search carries the token and exports that person alone.
    export = next(url for url in urls if "ekspor" in url).replace("&amp;", "&")
    sheet = load_workbook(io.BytesIO(client.get(export).content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [registrations[1].code]


def test_a_url_that_still_carries_a_nik_is_redirected_without_it(client, bima, verifikator):
    registration = register(bima, "CGP")
    client.force_login(verifikator)
    response = client.get(reverse("participants:registration_list"), {"q": registration.person.nik, "page": "1"})
    assert response.status_code == 302 and registration.person.nik not in response["Location"]
    assert registration.person.full_name in client.get(response["Location"]).content.decode()
    response = client.get(reverse("participants:registration_export"), {"q": registration.person.nik})
    assert response.status_code == 302 and registration.person.nik not in response["Location"]


def test_a_name_search_stays_a_plain_bookmarkable_url(client, bima, verifikator):
    registration = register(bima, "CGP", name="Baiq Nurhidayati")
    client.force_login(verifikator)
    response = client.post(reverse("participants:registration_list"), {"q": "Nurhidayati"})
    assert response["Location"].endswith("?q=Nurhidayati")
    assert registration.person.full_name in client.get(response["Location"]).content.decode()


# --- unmasking is an audited act ------------------------------------------------------------------------


def viewed(user, where):
    return AuditEntry.objects.filter(action="personal_data.viewed", actor=user, data__where=where)


def test_the_unmasked_list_and_export_are_audited_per_person_and_masked_ones_are_not(client, bima, verifikator):
    registrations = [register(bima, "CGP") for _ in range(3)]
    panitia = user_in("Panitia", organized=[bima.event])
    client.force_login(panitia)
    client.get(reverse("participants:registration_list"))
    client.get(reverse("participants:registration_export"))
    assert not AuditEntry.objects.filter(action="personal_data.viewed").exists()
    client.force_login(verifikator)
    client.get(reverse("participants:registration_list"))
    client.get(reverse("participants:registration_export"))
    # One entry per registration shown (the copy of the data the page shows).
    expected = sorted(str(r.pk) for r in registrations)
    assert sorted(viewed(verifikator, "registration_list").values_list("object_id", flat=True)) == expected
    assert sorted(viewed(verifikator, "registration_export").values_list("object_id", flat=True)) == expected


def test_the_admin_list_masks_and_the_admin_change_page_is_audited(client, bima, superuser):
    person = register(bima, "CGP").person
    client.force_login(superuser)
    html = client.get(reverse("admin:participants_person_changelist")).content.decode()
    assert person.full_name in html and person.nik not in html
    # The admin searches by GET: an identifier is dropped from the address at once, with a pointer to the
    # registration list; names still work.
    response = client.get(reverse("admin:participants_registration_changelist"), {"q": person.nik})
    assert response.status_code == 302 and person.nik not in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert "registration list" in html or "daftar pendaftaran" in html.lower()
    html = client.get(reverse("admin:participants_registration_changelist"), {"q": person.full_name}).content.decode()
    cells = re.findall(r'<td class="field-nik_shown">([^<]*)</td>', html)
    assert person.full_name in html and cells == [mask_nik(person.nik)]
    assert not viewed(superuser, "admin.person_change").exists()
    html = client.get(reverse("admin:participants_person_change", args=[person.pk])).content.decode()
    assert person.nik in html
    assert list(viewed(superuser, "admin.person_change").values_list("object_id", flat=True)) == [str(person.pk)]


def test_check_in_cards_are_always_masked(client, bima, superuser):
    from attendance.selectors import checkin_search
    from events.models import Session

    registration = register(bima, "CGP")
    session = Session.objects.filter(site=bima).first()
    if session is None:
        pytest.skip("the demo site has no session")
    results = checkin_search(session=session, query=registration.person.nik, user=superuser)
    assert [r["code"] for r in results] == [registration.code]
    assert registration.person.nik not in str(results)
