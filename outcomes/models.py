"""The outcomes of a meeting, and what participants bring to it.

- The responsibility matrix (peran dan tanggung jawab), agreed at the meeting: responsibilities (rows) ×
  agency types (columns), each cell a short text.
- The action plans (rencana aksi): what one delegation — a province or an agency — commits to do after the
  meeting; each item carries its follow-up history.
- Good practices (praktik baik) shown at the Festival Panen Hasil Belajar of a workshop: a participant
  submits one with its registration code, the panitia publish the selected ones in a public gallery.
"""

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from events.models import Agency, AgencyType, Event, Province
from participants.models import Registration


def new_edit_token() -> str:
    """An unguessable capability for a delegation's edit link (no personal data in it)."""
    return secrets.token_urlsafe(24)


class ResponsibilityMatrix(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Agreed")

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="responsibility_matrix"
    )
    agency_types = models.ManyToManyField(
        AgencyType, verbose_name=_("agency types"), through="ResponsibilityColumn", related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreement recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    agreed_note = models.CharField(
        _("agreed by"), max_length=300, blank=True, help_text=_("Who agreed, e.g. the delegations of the meeting.")
    )

    class Meta:
        verbose_name = _("responsibility matrix")
        verbose_name_plural = _("responsibility matrices")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.AGREED


class ResponsibilityColumn(models.Model):
    """One agency type of the matrix, in the order it is shown."""

    matrix = models.ForeignKey(ResponsibilityMatrix, on_delete=models.CASCADE, related_name="columns")
    agency_type = models.ForeignKey(AgencyType, verbose_name=_("agency type"), on_delete=models.PROTECT)
    label = models.CharField(_("column label"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("matrix column")
        verbose_name_plural = _("matrix columns")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matrix", "agency_type"], name="matrix_column_unique_agency_type")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.label or self.agency_type.code


class Responsibility(models.Model):
    """One row of the matrix: an area of work (e.g. "Sosialisasi program")."""

    matrix = models.ForeignKey(ResponsibilityMatrix, on_delete=models.CASCADE, related_name="responsibilities")
    title = models.CharField(_("responsibility"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class ResponsibilityCell(models.Model):
    responsibility = models.ForeignKey(Responsibility, on_delete=models.CASCADE, related_name="cells")
    column = models.ForeignKey(ResponsibilityColumn, on_delete=models.CASCADE, related_name="cells")
    text = models.TextField(_("text"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("matrix cell")
        verbose_name_plural = _("matrix cells")
        constraints = [models.UniqueConstraint(fields=["responsibility", "column"], name="matrix_cell_unique_position")]

    def __str__(self) -> str:
        return self.text[:40]


class ActionPlan(TimeStamped):
    """The rencana aksi of one delegation (a province, or an agency) of an event."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="action_plans")
    delegation = models.CharField(_("delegation"), max_length=200)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The delegation's edit link: the key is the capability, and it works until `edit_token_expires_at` (set by
    # outcomes.services: the rules of how long are there). No key (revoked) or no expiry: no link works.
    edit_token = models.CharField(
        _("edit link key"), max_length=64, unique=True, null=True, blank=True, default=new_edit_token
    )
    edit_token_expires_at = models.DateTimeField(_("edit link valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("action plan (rencana aksi)")
        verbose_name_plural = _("action plans (rencana aksi)")
        ordering = ["event", "province__code", "delegation"]
        constraints = [
            models.UniqueConstraint(fields=["event", "delegation"], name="action_plan_unique_delegation"),
        ]

    def __str__(self) -> str:
        return f"{self.delegation} ({self.event})"

    @property
    def has_edit_link(self) -> bool:
        """Whether a link was made and not revoked (it may have expired since)."""
        return bool(self.edit_token)

    def edit_link_works(self, now: dt.datetime | None = None) -> bool:
        return bool(
            self.edit_token and self.edit_token_expires_at and (now or timezone.now()) <= self.edit_token_expires_at
        )


class ActionPlanItem(TimeStamped):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    plan = models.ForeignKey(ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    activity = models.CharField(_("activity"), max_length=300)
    objective = models.TextField(_("objective / indicator"), max_length=1000, blank=True)
    start_month = models.DateField(_("from month"), help_text=_("The first day of the month."))
    end_month = models.DateField(_("to month"), help_text=_("The first day of the month."))
    person_in_charge = models.CharField(_("person in charge"), max_length=200, blank=True)
    responsible_agency = models.CharField(_("responsible agency"), max_length=200, blank=True)
    status = models.CharField(_("follow-up status"), max_length=20, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_month__gte=models.F("start_month")), name="action_item_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.activity


class ActionPlanFollowUp(models.Model):
    """One follow-up note on an item: its status then, and what happened."""

    item = models.ForeignKey(ActionPlanItem, on_delete=models.CASCADE, related_name="follow_ups")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=ActionPlanItem.Status.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.status}"


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

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


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
