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


class HeldCheckin(TimeStamped):
    """An offline check-in put aside because its time cannot be recorded as it is (attendance.rules).

    The phone's time stays exactly as scanned; the panitia accepts it (an attendance with that time) or
    drops it with a reason. Both decisions are audited; nothing here is ever edited otherwise.
    """

    class Status(models.TextChoices):
        HELD = "held", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        DROPPED = "dropped", _("Dropped")

    class Reason(models.TextChoices):
        OUTSIDE_DAY = "outside_day", _("Not on the session's day")
        FUTURE = "future", _("The phone's clock is ahead")

    TRANSITIONS = {Status.HELD: {Status.ACCEPTED, Status.DROPPED}}

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="held_checkins"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="held_checkins"
    )
    device_time = models.DateTimeField(_("time on the phone"), help_text=_("As scanned, never changed (UTC)."))
    client_uuid = models.UUIDField(_("device check-in id"), unique=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    device = models.CharField(_("device"), max_length=200, blank=True)
    reason = models.CharField(_("reason held"), max_length=20, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    attendance = models.OneToOneField(
        Attendance,
        verbose_name=_("attendance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_origin",
    )

    class Meta:
        verbose_name = _("held check-in")
        verbose_name_plural = _("held check-ins")
        ordering = ["device_time", "id"]

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.session_id} ({self.status})"
