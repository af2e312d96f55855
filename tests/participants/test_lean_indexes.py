"""The indexes a registration writes (participants/0022): no unused twin, and every uniqueness still enforced.

A public registration inserts a person and a registration; each index of their tables is written on every insert.
PostgreSQL's varchar_pattern_ops twins (for LIKE 'x%') of the keyed hashes and of the code, and the single-column
indexes on event and site that composite indexes already lead with, are gone. What the database must still refuse
(a second holder of a NIK, a second registration code) it refuses.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from participants.models import Person, Registration
from tests.factories import register

TABLES = ("participants_person", "participants_registration")


def _indexes(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="operator classes are PostgreSQL's")
@pytest.mark.django_db
def test_no_pattern_ops_twin_is_left_and_each_searched_column_keeps_one_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s) AND indexdef LIKE %s",
            [list(TABLES), "%pattern_ops%"],
        )
        assert cursor.fetchall() == []
    person, registration = (_indexes(table) for table in TABLES)
    # The look-ups by NIK or phone (identifier_q) and by code each have their b-tree.
    for indexes, column in (
        (person, "nik_hash"),
        (person, "phone_hash"),
        (registration, "nik_hash"),
        (registration, "phone_hash"),
        (registration, "code"),
    ):
        found = [info for info in indexes.values() if (info["index"] or info["unique"]) and info["columns"] == [column]]
        assert found, column
    # The event's and the site's registrations are found through the composite indexes that lead with them.
    assert registration["registration_event_status"]["columns"][0] == "event_id"
    assert registration["registration_site_role_status"]["columns"][0] == "site_id"
    alone = [info["columns"] for info in registration.values() if info["index"]]
    assert ["event_id"] not in alone and ["site_id"] not in alone


@pytest.mark.django_db
def test_the_database_still_refuses_a_second_holder_of_a_nik_and_a_second_code(lokakarya):
    assert _indexes("participants_person")["person_unique_nik"]["unique"]
    assert _indexes("participants_registration")["registration_unique_code"]["unique"]
    site = lokakarya.sites.order_by("pk").first()
    first, other = register(site), register(site)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(full_name="Orang Lain", nik=first.person.nik)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=other.pk).update(code=first.code)
    # A person without a NIK is not held to it: many have none.
    Person.objects.create(full_name="Tanpa NIK Satu", nip="198001012005011001")
    Person.objects.create(full_name="Tanpa NIK Dua", nip="198001012005011002")
    assert Person.objects.filter(nik_hash="").count() >= 2
