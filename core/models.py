"""Cross-cutting models with no domain rules: the timestamped base, the audit trail, staged imports and the
export kit's download log and background jobs."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.audit_labels import action_label, state_label
from core.fields import EncryptedBinaryField


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One state change: who did what to which object, from which state to which, and why.

    Written only through `core.audit.record`; the app never edits or deletes these rows.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField(_("from"), max_length=50, blank=True)
    to_state = models.CharField(_("to"), max_length=50, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action_label} · {self.object_id}"

    @property
    def action_label(self) -> str:
        """The action in words (core.audit_labels), as every page shows it."""
        return action_label(self.action)

    @property
    def from_label(self) -> str:
        return state_label(ContentType.objects.get_for_id(self.content_type_id), self.from_state)

    @property
    def to_label(self) -> str:
        return state_label(ContentType.objects.get_for_id(self.content_type_id), self.to_state)


class ImportBatch(TimeStamped):
    """An uploaded import file between its check and its confirmation (the import kit, `core.imports`).

    The bytes are kept in the database, encrypted, not on a server's disk: the check and the
    confirmation may be served by two application servers. They are dropped once imported, and an
    unconfirmed file after a day. `kind` names the import ("registrations", "rosters"), `scope` what
    the file is for (e.g. {"event_id": 3}); only `created_by` ever sees it.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked, waiting for confirmation")
        IMPORTED = "imported", _("Imported")

    kind = models.CharField(_("import"), max_length=40)
    scope = models.JSONField(_("for"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200)
    # Encrypted like Person.nik: a checked but never confirmed upload would otherwise keep its NIKs in clear.
    data = EncryptedBinaryField(_("file contents"), editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKED)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Excel import")
        verbose_name_plural = _("Excel imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class ReportDownload(models.Model):
    """One download of an export (report, list, roster, template): who took what, when. Never edited.

    `params` are the export's plain parameters (e.g. {"event_id": 2, "site_id": 5}): which objects it was
    about, never personal data; anonymous downloads of a published document have no user.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("report"), max_length=40)
    file_format = models.CharField(_("format"), max_length=10)
    description = models.CharField(_("description"), max_length=300, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("report download")
        verbose_name_plural = _("report downloads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}.{self.file_format} {self.created_at:%Y-%m-%d %H:%M}"


class ReportJob(models.Model):
    """A large export built in the background; the requesting user polls its progress, then downloads it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="report_jobs"
    )
    kind = models.CharField(_("report"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict)
    description = models.CharField(_("description"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.progress}%"

    @property
    def is_running(self) -> bool:
        """Still to be polled: waiting or running."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED
