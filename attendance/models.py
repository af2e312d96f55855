"""Attendance: one row per registration × session, however it was recorded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from events.models import Session
from participants.models import Registration


class Attendance(TimeStamped):
    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        SEARCH = "search", _("Name search")
        OFFLINE = "offline", _("Offline, sent later")
        PAPER = "paper", _("Paper sheet")

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="attendances"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), help_text=_("When the person arrived (UTC)."))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set by the check-in screen for a check-in made without network: sending it twice records it once.
    client_uuid = models.UUIDField(_("device check-in id"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["checked_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="attendance_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.session_id}"
