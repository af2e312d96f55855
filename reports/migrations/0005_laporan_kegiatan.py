"""The laporan kegiatan: the narrative of an event or a site (ActivityReport), the documentation photos of a site
and the signed daftar hadir scan of a session."""

import django.db.models.deletion
import reports.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_role_full_name"),
        ("reports", "0004_papers_required_and_piagam"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentationPhoto",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "kind",
                    models.CharField(
                        choices=[("jpeg", "JPEG photo"), ("png", "PNG picture"), ("pdf", "PDF document")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "file",
                    models.FileField(max_length=200, upload_to=reports.models.laporan_upload_to, verbose_name="file"),
                ),
                ("size", models.PositiveIntegerField(verbose_name="size (bytes)")),
                ("caption", models.CharField(max_length=300, verbose_name="caption")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documentation_photos",
                        to="events.eventsite",
                        verbose_name="site",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "documentation photo",
                "verbose_name_plural": "documentation photos",
                "ordering": ["site", "order", "id"],
            },
        ),
        migrations.CreateModel(
            name="SignedAttendanceSheet",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "kind",
                    models.CharField(
                        choices=[("jpeg", "JPEG photo"), ("png", "PNG picture"), ("pdf", "PDF document")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "file",
                    models.FileField(max_length=200, upload_to=reports.models.laporan_upload_to, verbose_name="file"),
                ),
                ("size", models.PositiveIntegerField(verbose_name="size (bytes)")),
                (
                    "session",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signed_sheet",
                        to="events.session",
                        verbose_name="session",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "signed attendance sheet",
                "verbose_name_plural": "signed attendance sheets",
            },
        ),
        migrations.CreateModel(
            name="ActivityReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "background",
                    models.TextField(blank=True, max_length=10000, verbose_name="background (latar belakang)"),
                ),
                (
                    "legal_basis",
                    models.TextField(blank=True, max_length=5000, verbose_name="legal basis (dasar hukum)"),
                ),
                ("conclusion", models.TextField(blank=True, max_length=10000, verbose_name="conclusion (kesimpulan)")),
                (
                    "recommendations",
                    models.TextField(blank=True, max_length=10000, verbose_name="recommendations (saran)"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("final", "Final")],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.event",
                        verbose_name="event",
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.eventsite",
                        verbose_name="site",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="last saved by",
                    ),
                ),
            ],
            options={
                "verbose_name": "activity report narrative",
                "verbose_name_plural": "activity report narratives",
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("site__isnull", True)),
                        fields=("event",),
                        name="activity_report_one_per_event",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("site__isnull", False)),
                        fields=("event", "site"),
                        name="activity_report_one_per_site",
                    ),
                ],
            },
        ),
    ]
