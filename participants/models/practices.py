"""Good practices (praktik baik) shown at the Festival Panen Hasil Belajar of a workshop.

A participant submits its good practice with its registration code; the panitia publish the
selected ones, and a public gallery per event and site shows them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from participants.models.registration import Registration


def practice_upload_to(instance, filename: str) -> str:
    # The stored name is random: the participant's file name may carry personal data.
    extension = "pdf" if instance.kind == GoodPracticeFile.Kind.PDF else "jpg" if instance.kind == "jpeg" else "png"
    return f"praktik-baik/{instance.practice.registration.event_id}/{uuid.uuid4().hex}.{extension}"


class GoodPractice(TimeStamped):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Not published")

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="good_practice"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=3000)
    changes = models.TextField(_("what changed at the school"), max_length=3000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class GoodPracticeFile(TimeStamped):
    class Kind(models.TextChoices):
        JPEG = "jpeg", _("JPEG photo")
        PNG = "png", _("PNG picture")
        PDF = "pdf", _("PDF document")

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=practice_upload_to, max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("good practice file")
        verbose_name_plural = _("good practice files")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_image(self) -> bool:
        return self.kind in (self.Kind.JPEG, self.Kind.PNG)

    @property
    def content_type(self) -> str:
        return {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}[self.kind]
