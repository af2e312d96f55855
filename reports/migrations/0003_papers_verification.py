"""Certificates get a public verification key, revocation, and numbers from a per-event series; the piagam
penghargaan arrives.

Existing certificates keep their printed numbers; their sequences are made per event (in site order, then their
old sequence), each gets a verification key, and its event's certificate series starts after them."""

import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import reports.models


def per_event(apps, schema_editor):
    Certificate = apps.get_model("reports", "Certificate")
    NumberSeries = apps.get_model("reports", "NumberSeries")
    last: dict[int, int] = {}
    for certificate in Certificate.objects.select_related("site").order_by("site__event_id", "site__order", "sequence", "pk"):
        event_id = certificate.site.event_id
        last[event_id] = last.get(event_id, 0) + 1
        certificate.event_id = event_id
        certificate.sequence = last[event_id]
        certificate.token = secrets.token_urlsafe(24)
        certificate.save(update_fields=["event", "sequence", "token"])
    for event_id, sequence in last.items():
        NumberSeries.objects.create(
            event_id=event_id, kind="certificate", number_format="{seq:04}/{organizer}/SERT/{year}", last_sequence=sequence
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_sync_groups"),
        ("events", "0008_role_full_name"),
        ("participants", "0017_registration_keeps_its_personal_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NumberSeries",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("certificate", "certificate"), ("piagam", "piagam penghargaan")],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "number_format",
                    models.CharField(
                        help_text="Fields: {seq} (the sequence, e.g. {seq:04} for 0001), {year} (of the event's end), "
                        "{organizer} (the organizer's short name). Example: {seq:04}/BGP-NTB/LK7/{year}.",
                        max_length=100,
                        validators=[reports.models.validate_number_format],
                        verbose_name="number format",
                    ),
                ),
                (
                    "last_sequence",
                    models.PositiveIntegerField(default=0, editable=False, verbose_name="last sequence issued"),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="number_series",
                        to="events.event",
                        verbose_name="event",
                    ),
                ),
            ],
            options={
                "verbose_name": "number series",
                "verbose_name_plural": "number series",
                "ordering": ["event", "kind"],
                "constraints": [models.UniqueConstraint(fields=("event", "kind"), name="number_series_unique_kind")],
            },
        ),
        migrations.RemoveConstraint(model_name="certificate", name="certificate_unique_sequence"),
        migrations.AlterModelOptions(
            name="certificate",
            options={"ordering": ["event", "sequence"], "verbose_name": "certificate", "verbose_name_plural": "certificates"},
        ),
        migrations.AddField(
            model_name="certificate",
            name="event",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="certificates",
                to="events.event",
                verbose_name="event",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="verification key"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="revoked by",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="revocation_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="reason for revocation"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="number",
            field=models.CharField(max_length=100, unique=True, verbose_name="number"),
        ),
        migrations.RunPython(per_event, migrations.RunPython.noop),
    ]
