"""core.bulk.insert_one and instances_from_rows: the fast path of the public registration writes and reads the rows
`save()` and a query would, field for field (encryption, keyed hashes, defaults, auto_now_add, JSON, dates)."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.forms.models import model_to_dict

from core.bulk import insert_one, instances_from_rows, select_columns
from core.models import AuditEntry
from events.models import Province, SiteQuota
from participants.models import Person
from tests.factories import valid_nik

pytestmark = pytest.mark.django_db


def _stored(model, pk: int) -> dict:
    """The raw columns of a row (ciphertext, hashes), as the database holds them."""
    columns = [field.column for field in model._meta.concrete_fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def _person(serial: int) -> Person:
    return Person(
        full_name="Contoh Sisipan",
        gender="P",
        birth_date=dt.date(1985, 3, 4),
        nik=valid_nik(serial=serial),
        phone="+6281234567890",
        position="Guru",
        province=Province.objects.get(code="52"),
    )


def test_a_person_inserted_is_the_row_save_writes():
    by_save = _person(701)
    by_save.save()
    fast = insert_one(_person(702))

    assert fast.pk and fast.pk != by_save.pk and not fast._state.adding
    loaded, saved = Person.objects.get(pk=fast.pk), Person.objects.get(pk=by_save.pk)
    expected = {**model_to_dict(saved), "id": fast.pk, "nik": valid_nik(serial=702)}
    assert model_to_dict(loaded) == expected  # decrypted values, dates, FKs
    raw_fast, raw_save = _stored(Person, fast.pk), _stored(Person, by_save.pk)
    assert raw_fast["nik"] and raw_fast["nik"] != valid_nik(serial=702)  # encrypted, as save() stores it
    assert raw_fast["phone_hash"] == raw_save["phone_hash"] != ""  # the same keyed hash of the same phone
    assert raw_fast["nik_hash"] not in ("", raw_save["nik_hash"])
    assert loaded.created_at is not None and loaded.updated_at is not None


def test_an_audit_entry_keeps_its_json_and_content_type():
    person = insert_one(_person(703))
    entry = insert_one(
        AuditEntry(
            action="test.inserted",
            content_type=ContentType.objects.get_for_model(Person),
            object_id=str(person.pk),
            data={"site": 7, "review": "", "names": ["Ä", "b"]},
        )
    )
    assert AuditEntry.objects.get(pk=entry.pk).data == {"site": 7, "review": "", "names": ["Ä", "b"]}
    assert AuditEntry.objects.get(pk=entry.pk).created_at is not None


def test_rows_read_by_hand_become_the_instances_a_query_gives(lokakarya):
    people = [insert_one(_person(serial)) for serial in (711, 712)]
    sql = (
        f"SELECT {select_columns(Person, 'p')}, 'extra value' FROM {Person._meta.db_table} p "  # noqa: S608
        "WHERE p.id IN (%s, %s) ORDER BY p.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [people[0].pk, people[1].pk])
        read = instances_from_rows(Person, cursor.fetchall())
    queried = list(Person.objects.filter(pk__in=[p.pk for p in people]).order_by("pk"))
    assert [model_to_dict(p) for p in read] == [model_to_dict(p) for p in queried]
    assert [p.created_at for p in read] == [p.created_at for p in queried]  # aware datetimes on both databases
    assert [p.extra_columns for p in read] == [("extra value",), ("extra value",)]
    assert read[0].nik == valid_nik(serial=711) and not read[0]._state.adding
    assert instances_from_rows(SiteQuota, []) == []
