"""The data migration encrypts the NIK/phone already stored and fills the hashes; going back decrypts them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.fields import identifier_hash

BEFORE = [("participants", "0008_sync_groups_all_areas")]
AFTER = [("participants", "0009_encrypt_person_identifiers")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def raw_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, nik, phone, nik_hash, phone_hash FROM participants_person ORDER BY full_name")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_and_hashed_and_the_way_back_decrypts_them():
    old_apps = migrate(BEFORE)
    try:
        Person = old_apps.get_model("participants", "Person")
        Person.objects.create(full_name="A Lama", nik="5201011205850001", phone="+6281234567890")
        Person.objects.create(full_name="B Tanpa", nik="", phone="")
        migrate(AFTER)
        (a_name, a_nik, a_phone, a_nik_hash, a_phone_hash), b = raw_rows()
        assert a_nik.startswith("gAAAA") and "5201011205850001" not in a_nik and "1234567890" not in a_phone
        assert a_nik_hash == identifier_hash("5201011205850001", kind="nik")
        assert a_phone_hash == identifier_hash("+6281234567890", kind="phone")
        assert b == ("B Tanpa", "", "", "", "")
        migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT nik, phone FROM participants_person ORDER BY full_name")
            assert cursor.fetchall() == [("5201011205850001", "+6281234567890"), ("", "")]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
