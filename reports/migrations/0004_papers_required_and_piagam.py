"""The certificates' event and verification key are filled (0003): they become required and unique; the piagam
penghargaan arrives. Apart from 0003 so that PostgreSQL alters the table in a transaction without pending
updates."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_papers_verification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="event",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="certificates",
                to="events.event",
                verbose_name="event",
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="token",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="verification key"),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(fields=("event", "sequence"), name="certificate_unique_event_sequence"),
        ),
        migrations.CreateModel(
            name="Appreciation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(editable=False, max_length=64, unique=True, verbose_name="verification key")),
                ("sequence", models.PositiveIntegerField(verbose_name="sequence")),
                ("number", models.CharField(max_length=100, unique=True, verbose_name="number")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked at")),
                (
                    "revocation_reason",
                    models.CharField(blank=True, max_length=300, verbose_name="reason for revocation"),
                ),
                ("citation", models.CharField(max_length=300, verbose_name="citation")),
                ("selected_at", models.DateTimeField(auto_now_add=True, verbose_name="selected at")),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="appreciations",
                        to="events.event",
                        verbose_name="event",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="participants.person",
                        verbose_name="person",
                    ),
                ),
                (
                    "registration",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="participants.registration",
                        verbose_name="registration",
                    ),
                ),
                (
                    "school",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="participants.school",
                        verbose_name="school",
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="revoked by",
                    ),
                ),
                (
                    "selected_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="selected by",
                    ),
                ),
            ],
            options={
                "verbose_name": "piagam penghargaan",
                "verbose_name_plural": "piagam penghargaan",
                "ordering": ["event", "sequence"],
                "constraints": [
                    models.UniqueConstraint(fields=("event", "person"), name="appreciation_unique_person"),
                    models.UniqueConstraint(fields=("event", "sequence"), name="appreciation_unique_event_sequence"),
                ],
            },
        ),
    ]
