"""Komite Pembelajaran rosters of the Sekolah Penggerak, and the composition rules they are checked against.

A Sekolah Penggerak is a school designated for a program cohort (PSP Angkatan 1) with its approved
Kepala Sekolah Penggerak. Its Komite Pembelajaran (learning committee: the principal, teachers, the
school supervisor — penilik for PAUD — and reserves) is submitted by the Operator Dinas, validated by a
verifikator and assigned to a training phase (Tahap). Statuses move only through `rosters.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from events.models import Cohort, TrainingPhase
from participants.models import Person, School


class Position(models.TextChoices):
    """The seat a member holds on a Komite Pembelajaran."""

    KEPALA_SEKOLAH = "kepala_sekolah", _("Principal (kepala sekolah)")
    GURU = "guru", _("Teacher (guru)")
    PENGAWAS = "pengawas", _("School supervisor (pengawas sekolah)")
    PENILIK = "penilik", _("PAUD supervisor (penilik)")
    CADANGAN = "cadangan", _("Reserve (cadangan)")


class SekolahPenggerak(TimeStamped):
    """A school designated as Sekolah Penggerak in a cohort, with its approved Kepala Sekolah Penggerak."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="penggerak_designations"
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="penggerak_schools"
    )
    principal = models.ForeignKey(
        Person,
        verbose_name=_("approved Kepala Sekolah Penggerak"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Sekolah Penggerak")
        verbose_name_plural = _("Sekolah Penggerak")
        ordering = ["cohort", "school__name"]
        constraints = [models.UniqueConstraint(fields=["school", "cohort"], name="penggerak_school_once_per_cohort")]

    def __str__(self) -> str:
        return f"{self.school} – {self.cohort}"


class CompositionRule(TimeStamped):
    """How many members of a position a committee of a school level needs (minimum) and may have (maximum).

    Configuration, not code: Admin pusat edits these rows. `required_classes` lists the classes the
    teachers must cover (e.g. "Kelas 1, Kelas 4" for SD), `needs_class` asks every member of the
    position to state the class or subject taught.
    """

    level = models.CharField(_("level (jenjang)"), max_length=5, choices=School.Level.choices)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    minimum = models.PositiveSmallIntegerField(_("minimum"), default=0)
    maximum = models.PositiveSmallIntegerField(_("maximum"), default=0)
    needs_class = models.BooleanField(_("class or subject taught required"), default=False)
    required_classes = models.CharField(
        _("classes that must be covered"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated, e.g. 'Kelas 1, Kelas 4'."),
    )

    class Meta:
        verbose_name = _("composition rule")
        verbose_name_plural = _("composition rules")
        ordering = ["level", "position"]
        constraints = [
            models.UniqueConstraint(fields=["level", "position"], name="composition_rule_unique_level_position"),
            models.CheckConstraint(condition=Q(maximum__gte=models.F("minimum")), name="composition_max_ge_min"),
        ]

    def __str__(self) -> str:
        return f"{self.level} · {self.get_position_display()}: {self.minimum}–{self.maximum}"

    @property
    def required_class_list(self) -> list[str]:
        return [part.strip() for part in self.required_classes.split(",") if part.strip()]


class Committee(TimeStamped):
    """The Komite Pembelajaran of one school in one cohort."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")
        RETURNED = "returned", _("Returned")

    # The workflow, declared once: status → the statuses it may move to.
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.VALIDATED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.VALIDATED: {Status.RETURNED},
    }
    # The operator may change the members only in these statuses.
    EDITABLE_STATUSES = [Status.DRAFT, Status.RETURNED]

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="committees")
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="committees")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    phase = models.ForeignKey(
        TrainingPhase,
        verbose_name=_("training phase (tahap)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    warnings_acknowledged = models.BooleanField(_("warnings acknowledged"), default=False)
    # Counts of the validation findings, refreshed by the services whenever the committee changes,
    # so that the list and its 'has errors' filter need no rule run per row.
    error_count = models.PositiveSmallIntegerField(_("errors"), default=0)
    warning_count = models.PositiveSmallIntegerField(_("warnings"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
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
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Komite Pembelajaran")
        verbose_name_plural = _("Komite Pembelajaran")
        ordering = ["school__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["school", "cohort"], name="committee_once_per_school_cohort")]

    def __str__(self) -> str:
        return f"Komite Pembelajaran {self.school.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def takes_tahap(self) -> bool:
        """Only a validated committee is put in a Tahap (training phase)."""
        return self.status == self.Status.VALIDATED


class CommitteeMember(TimeStamped):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="members"
    )
    # The committee's cohort, kept here so the database can refuse a person on two committees of a cohort.
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="committee_memberships"
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    class_taught = models.CharField(_("class or subject taught"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "cohort"], name="committee_member_one_committee_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_position_display()})"
