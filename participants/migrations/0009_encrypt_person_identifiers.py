"""NIK and phone encrypted at rest, searchable through keyed-hash columns (issue 7).

Order matters: the unique constraint leaves the encrypted column first (tokens are all different, so
it would prove nothing); the columns become plain text wide enough for a token; the data step encrypts
every row and fills the hashes; only then is the field declared encrypted (no schema change: the column
is already text). Reversible: going back decrypts every row into the plain columns again (with the keys
in the environment at that time).
"""

from django.db import migrations, models
from django.db.models import Q

import core.fields


def encrypt_rows(apps, schema_editor):
    # The historical model sees nik/phone as plain TextFields here, so it reads plaintext and writes tokens.
    Person = apps.get_model("participants", "Person")
    rows = Person.objects.using(schema_editor.connection.alias).exclude(nik="", phone="").only("nik", "phone")
    batch = []
    for person in rows.iterator(chunk_size=1000):
        person.nik_hash = core.fields.identifier_hash(person.nik, kind="nik")
        person.phone_hash = core.fields.identifier_hash(person.phone, kind="phone")
        person.nik = core.fields.encrypt_value(person.nik)
        person.phone = core.fields.encrypt_value(person.phone)
        batch.append(person)
        if len(batch) == 1000:
            Person.objects.bulk_update(batch, ["nik", "phone", "nik_hash", "phone_hash"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["nik", "phone", "nik_hash", "phone_hash"])


def decrypt_rows(apps, schema_editor):
    Person = apps.get_model("participants", "Person")
    rows = Person.objects.using(schema_editor.connection.alias).exclude(nik="", phone="").only("nik", "phone")
    batch = []
    for person in rows.iterator(chunk_size=1000):
        person.nik = core.fields.decrypt_value(person.nik)
        person.phone = core.fields.decrypt_value(person.phone)
        batch.append(person)
        if len(batch) == 1000:
            Person.objects.bulk_update(batch, ["nik", "phone"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["nik", "phone"])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0008_sync_groups_all_areas"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="person", name="person_unique_nik"),
        migrations.AddField(
            model_name="person",
            name="nik_hash",
            field=core.fields.KeyedHashField(kind="nik", source="nik"),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_hash",
            field=core.fields.KeyedHashField(kind="phone", source="phone"),
        ),
        migrations.AlterField(model_name="person", name="nik", field=models.TextField(blank=True, verbose_name="NIK")),
        migrations.AlterField(model_name="person", name="phone", field=models.TextField(blank=True, verbose_name="phone")),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
        migrations.AlterField(
            model_name="person",
            name="nik",
            field=core.fields.EncryptedCharField(blank=True, max_length=16, verbose_name="NIK"),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=core.fields.EncryptedCharField(
                blank=True, help_text="E.164, e.g. +6281234567890.", max_length=20, verbose_name="phone"
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=Q(("nik_hash", ""), _negated=True), fields=("nik_hash",), name="person_unique_nik"
            ),
        ),
    ]
