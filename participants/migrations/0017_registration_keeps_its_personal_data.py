"""Each registration keeps the person's data as it was entered for it (issue 12, finding 1), correction values
are encrypted at rest (finding 10), public registrations that conflict wait flagged for the organizer
(finding 5), and a new agency typed in the public form is a proposal (finding 14).

Existing registrations get a copy of their person's current data (what staff saw until now); NIK and phone
are read and written through the encrypted fields, so they stay encrypted. Correction values are encrypted
in the same steps as the person's identifiers were (0009): plain text column, encrypt the rows, then the field
is declared encrypted.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

import core.fields

COPIED = (
    "full_name",
    "gender",
    "birth_date",
    "nik",
    "nip",
    "nuptk",
    "position",
    "agency_id",
    "school_id",
    "province_id",
    "phone",
    "email",
)


def copy_person_data(apps, schema_editor):
    Registration = apps.get_model("participants", "Registration")
    registrations = Registration.objects.using(schema_editor.connection.alias).select_related("person")
    batch = []
    for registration in registrations.order_by("pk").iterator(chunk_size=500):
        for name in COPIED:
            setattr(registration, name, getattr(registration.person, name))
        registration.nik_hash = core.fields.identifier_hash(registration.nik, kind="nik")
        registration.phone_hash = core.fields.identifier_hash(registration.phone, kind="phone")
        batch.append(registration)
        if len(batch) == 500:
            Registration.objects.bulk_update(batch, [*COPIED, "nik_hash", "phone_hash"])
            batch = []
    if batch:
        Registration.objects.bulk_update(batch, [*COPIED, "nik_hash", "phone_hash"])


def encrypt_correction_values(apps, schema_editor):
    # The historical model sees correct_value as a plain TextField here: it reads plaintext, writes tokens.
    CorrectionRequest = apps.get_model("participants", "CorrectionRequest")
    rows = list(CorrectionRequest.objects.using(schema_editor.connection.alias).only("correct_value"))
    for row in rows:
        row.correct_value = core.fields.encrypt_value(row.correct_value)
    CorrectionRequest.objects.bulk_update(rows, ["correct_value"], batch_size=500)


def decrypt_correction_values(apps, schema_editor):
    CorrectionRequest = apps.get_model("participants", "CorrectionRequest")
    rows = list(CorrectionRequest.objects.using(schema_editor.connection.alias).only("correct_value"))
    for row in rows:
        row.correct_value = core.fields.decrypt_value(row.correct_value)
    CorrectionRequest.objects.bulk_update(rows, ["correct_value"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_outcomes_leave_events"),
        ("participants", "0016_certificates_leave_participants"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="full_name",
            field=models.CharField(default="", max_length=200, verbose_name="full name with academic titles"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="registration",
            name="gender",
            field=models.CharField(
                blank=True, choices=[("L", "Male"), ("P", "Female")], max_length=1, verbose_name="gender"
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="birth_date",
            field=models.DateField(blank=True, null=True, verbose_name="birth date"),
        ),
        migrations.AddField(
            model_name="registration",
            name="nik",
            field=core.fields.EncryptedCharField(blank=True, max_length=16, verbose_name="NIK"),
        ),
        migrations.AddField(
            model_name="registration",
            name="nik_hash",
            field=core.fields.KeyedHashField(kind="nik", source="nik"),
        ),
        migrations.AddField(
            model_name="registration",
            name="nip",
            field=models.CharField(blank=True, max_length=18, verbose_name="NIP"),
        ),
        migrations.AddField(
            model_name="registration",
            name="nuptk",
            field=models.CharField(blank=True, max_length=16, verbose_name="NUPTK"),
        ),
        migrations.AddField(
            model_name="registration",
            name="position",
            field=models.CharField(blank=True, max_length=200, verbose_name="position (jabatan)"),
        ),
        migrations.AddField(
            model_name="registration",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="events.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="school",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="participants.school",
                verbose_name="school",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="province",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="events.province",
                verbose_name="province of origin",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="phone",
            field=core.fields.EncryptedCharField(
                blank=True, help_text="E.164, e.g. +6281234567890.", max_length=20, verbose_name="phone"
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="phone_hash",
            field=core.fields.KeyedHashField(kind="phone", source="phone"),
        ),
        migrations.AddField(
            model_name="registration",
            name="email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="e-mail"),
        ),
        migrations.RunPython(copy_person_data, migrations.RunPython.noop),
        migrations.AddField(
            model_name="registration",
            name="review",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Nothing to review"),
                    ("identity", "The NIK/NIP/NUPTK is recorded under another name"),
                    ("duplicate", "The person is already registered for this event"),
                ],
                default="",
                max_length=10,
                verbose_name="to review",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="proposed_agency_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="proposed agency"),
        ),
        migrations.AddField(
            model_name="registration",
            name="proposed_agency_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="events.agencytype",
                verbose_name="type of the proposed agency",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="registration",
            name="registration_one_active_per_person_and_event",
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=Q(("status", "withdrawn"), _negated=True) & Q(("review", "")),
                fields=("person", "event"),
                name="registration_one_active_per_person_and_event",
            ),
        ),
        migrations.AlterField(
            model_name="correctionrequest",
            name="correct_value",
            field=models.TextField(verbose_name="correct value"),
        ),
        migrations.RunPython(encrypt_correction_values, decrypt_correction_values),
        migrations.AlterField(
            model_name="correctionrequest",
            name="correct_value",
            field=core.fields.EncryptedCharField(max_length=200, verbose_name="correct value"),
        ),
        migrations.AlterField(
            model_name="person",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="events.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="province",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="events.province",
                verbose_name="province of origin",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="school",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="participants.school",
                verbose_name="school",
            ),
        ),
    ]
