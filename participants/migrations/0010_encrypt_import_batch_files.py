"""Uploaded import files encrypted at rest like NIK and phone (issue 7); reversible (decrypts them again)."""

from django.db import migrations

import core.fields


def _convert(apps, schema_editor, convert):
    # The historical field is a plain BinaryField here: it reads and writes the stored bytes as they are.
    ImportBatch = apps.get_model("participants", "ImportBatch")
    for batch in ImportBatch.objects.using(schema_editor.connection.alias).only("pk", "data").iterator(chunk_size=20):
        if batch.data:
            ImportBatch.objects.filter(pk=batch.pk).update(data=convert(bytes(batch.data)))


def encrypt_files(apps, schema_editor):
    _convert(apps, schema_editor, core.fields.encrypt_bytes)


def decrypt_files(apps, schema_editor):
    _convert(apps, schema_editor, core.fields.decrypt_bytes)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0009_encrypt_person_identifiers"),
    ]

    operations = [
        migrations.RunPython(encrypt_files, decrypt_files, elidable=False),
        migrations.AlterField(
            model_name="importbatch",
            name="data",
            field=core.fields.EncryptedBinaryField(editable=False, verbose_name="file contents"),
        ),
    ]
