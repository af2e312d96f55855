"""Registrations of people for an event site, and their verification workflow."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from events.models import Event, EventSite, Role
from participants.models.people import Person

# No 0/O, 1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_registration_code() -> str:
    """A random, unguessable code (31^10 ≈ 8·10^14): the participant's only key to its registration."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Registration(TimeStamped):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        FORM = "form", _("Organizer form")
        SELF = "self", _("Self-registration")
        IMPORT = "import", _("Excel import")
        ADMIN = "admin", _("Admin")

    # The workflow, declared once: status → the statuses it may move to.
    TRANSITIONS: dict[str, set[str]] = {
        Status.SUBMITTED: {Status.VERIFIED, Status.REJECTED, Status.WITHDRAWN},
        Status.REJECTED: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.VERIFIED: {Status.REJECTED, Status.WITHDRAWN},
        Status.WITHDRAWN: set(),
    }
    # Registrations that hold a seat of the quota and block a second registration of the person.
    ACTIVE_STATUSES = [Status.SUBMITTED, Status.VERIFIED, Status.REJECTED]
    SEAT_STATUSES = [Status.SUBMITTED, Status.VERIFIED]

    code = models.CharField(_("code"), max_length=16, unique=True, default=new_registration_code, editable=False)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="registrations")
    # The event is the site's event, kept here so the database can enforce one registration per event.
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations")
    site = models.ForeignKey(EventSite, verbose_name=_("site"), on_delete=models.PROTECT, related_name="registrations")
    role = models.ForeignKey(
        Role, verbose_name=_("role (unsur)"), on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-submitted_at", "-id"]
        permissions = [("view_personal_data", _("Can see unmasked NIK and phone numbers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "event"],
                condition=~Q(status="withdrawn"),
                name="registration_one_active_per_person_and_event",
            ),
        ]
        indexes = [models.Index(fields=["site", "role", "status"])]

    def __str__(self) -> str:
        return f"{self.code} – {self.person}"
