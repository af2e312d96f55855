"""A participant's request to correct what is stored about it (UU 27/2022: the right to rectification)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from participants.models.registration import Registration


class CorrectionRequest(TimeStamped):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Corrected")
        REFUSED = "refused", _("Refused")

    class Field(models.TextChoices):
        FULL_NAME = "full_name", _("full name with academic titles")
        NIK = "nik", "NIK"
        NIP = "nip", "NIP"
        NUPTK = "nuptk", "NUPTK"
        BIRTH_DATE = "birth_date", _("birth date")
        GENDER = "gender", _("gender")
        POSITION = "position", _("position (jabatan)")
        AGENCY = "agency", _("agency")
        PHONE = "phone", _("phone")
        EMAIL = "email", _("e-mail")
        OTHER = "other", _("Other")

    TRANSITIONS: dict[str, set[str]] = {
        Status.OPEN: {Status.DONE, Status.REFUSED},
        Status.DONE: set(),
        Status.REFUSED: set(),
    }

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="correction_requests"
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    correct_value = models.CharField(_("correct value"), max_length=200)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.field} ({self.status})"
