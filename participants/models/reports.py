"""Reports: the download log, background report jobs, and the certificates issued (with their numbers)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, EventSite, Session
from participants.models.registration import Registration


class ReportDownload(models.Model):
    """One download of a report: who took what, when. Written for every download, never edited."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("report"), max_length=40)
    file_format = models.CharField(_("format"), max_length=10)
    event = models.ForeignKey(
        Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    site = models.ForeignKey(
        EventSite, verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report download")
        verbose_name_plural = _("report downloads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}.{self.file_format} {self.created_at:%Y-%m-%d %H:%M}"


class ReportJob(models.Model):
    """A large report built in the background; the requesting user polls its progress, then downloads it."""

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


class Certificate(models.Model):
    """A certificate (sertifikat) issued to a registration. Its number is given once and kept on reprints.

    Number: `<sequence>/<event id>/<site order>/<year>` (e.g. `0007/2/1/2022`); the sequence runs per
    site in the order the certificates are issued (by name at the first issue).
    """

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="certificate"
    )
    site = models.ForeignKey(EventSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="certificates")
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=60, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["site", "sequence"]
        constraints = [models.UniqueConstraint(fields=["site", "sequence"], name="certificate_unique_sequence")]

    def __str__(self) -> str:
        return self.number
