"""Komite Pembelajaran rosters of the Sekolah Penggerak, and the composition rules they are checked against.

A Sekolah Penggerak is a school designated for a program cohort (PSP Angkatan 1) with its approved
Kepala Sekolah Penggerak. Its Komite Pembelajaran (learning committee: the principal, teachers, the
school supervisor — penilik for PAUD — and reserves) is submitted by the Operator Dinas, validated by a
verifikator and assigned to a training phase (Tahap). Statuses move only through `rosters.services`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from events import groups as G
from events.models import Cohort, Program, TrainingPhase
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


class ApprovalLevel(TimeStamped):
    """One level of the approval chain of a program's Komite Pembelajaran rosters, declared by Admin pusat.

    A submitted committee enters the first level; approving at a level moves it to the next one, and approving
    at the last level validates it (only validated committees go to a Tahap). Who acts at a level: the members
    of `group` whose scope holds the school — its kab/kota (`regency`), its province (`province`), or any school
    (`national`, for Admin pusat; staff scopes name provinces and kab/kota, not the whole country). Central
    users (Admin pusat, superusers) may act at any level, one level at a time. A program that declares no level
    follows `DEFAULT_LEVELS` (kab/kota → province → centre); a registration's verification stays one step.
    """

    class Scope(models.TextChoices):
        REGENCY = "regency", _("Regency/city (kab/kota)")
        PROVINCE = "province", _("Province")
        NATIONAL = "national", _("National (centre)")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="approval_levels"
    )
    order = models.PositiveSmallIntegerField(_("order"), help_text=_("1 for the first level, then 2, 3…"))
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. 'Kabupaten/Kota', 'Provinsi', 'Pusat'."))
    group = models.CharField(
        _("staff group acting at this level"), max_length=50, choices=[(name, name) for name in G.GROUPS]
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    may_return_to_previous = models.BooleanField(
        _("may return to the previous level"),
        default=True,
        help_text=_("Ignored at the first level, whose previous step is the submitter."),
    )
    may_return_to_submitter = models.BooleanField(_("may return to the submitter"), default=True)

    # The chain of a program that declares none: Kabupaten/Kota → Provinsi → Pusat.
    DEFAULT_LEVELS = (
        (1, "Kabupaten/Kota", G.VERIFIKATOR, Scope.REGENCY, False, True),
        (2, "Provinsi", G.VERIFIKATOR, Scope.PROVINCE, True, True),
        (3, "Pusat", G.ADMIN_PUSAT, Scope.NATIONAL, True, True),
    )

    class Meta:
        verbose_name = _("approval level")
        verbose_name_plural = _("approval levels")
        ordering = ["program__code", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="approval_level_unique_order_per_program"),
            models.CheckConstraint(condition=Q(order__gte=1), name="approval_level_order_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def clean(self) -> None:
        if self.scope == self.Scope.NATIONAL and self.group != G.ADMIN_PUSAT:
            raise ValidationError(
                {"scope": _("Only Admin pusat acts at a national level: staff scopes name provinces and kab/kota.")}
            )
        if not (self.may_return_to_previous or self.may_return_to_submitter):
            raise ValidationError(_("A level must be able to return a committee somewhere."))

    @classmethod
    def defaults_for(cls, program: Program) -> list["ApprovalLevel"]:
        """The default chain for `program`, unsaved."""
        return [
            cls(
                program=program,
                order=order,
                name=name,
                group=group,
                scope=scope,
                may_return_to_previous=previous,
                may_return_to_submitter=submitter,
            )
            for order, name, group, scope, previous, submitter in cls.DEFAULT_LEVELS
        ]

    @property
    def returns_to(self) -> list[str]:
        """Where this level may return a committee: 'previous' (not from level 1) and/or 'submitter'."""
        targets = []
        if self.may_return_to_previous and self.order > 1:
            targets.append(CommitteeDecision.ReturnTo.PREVIOUS)
        if self.may_return_to_submitter or self.order == 1:
            targets.append(CommitteeDecision.ReturnTo.SUBMITTER)
        return targets


class Committee(TimeStamped):
    """The Komite Pembelajaran of one school in one cohort.

    A submitted committee waits at one approval level (`level`, the order of an `ApprovalLevel` of the cohort's
    program, since `level_since`); validated means approved at the last level.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")
        RETURNED = "returned", _("Returned")

    # The workflow, declared once: status → the statuses it may move to. Submitted → submitted is the move from
    # one approval level to the next (approved) or back to the previous one (returned to the level below);
    # validated → submitted is the last level returning it to the level below.
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.SUBMITTED, Status.VALIDATED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.VALIDATED: {Status.SUBMITTED, Status.RETURNED},
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
    level = models.PositiveSmallIntegerField(
        _("approval level"), null=True, blank=True, help_text=_("The order of the level where it waits.")
    )
    level_since = models.DateTimeField(_("waiting at this level since"), null=True, blank=True)
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
        indexes = [models.Index(fields=["cohort", "status", "level"], name="committee_queue")]

    def __str__(self) -> str:
        return f"Komite Pembelajaran {self.school.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def takes_tahap(self) -> bool:
        """Only a validated committee is put in a Tahap (training phase)."""
        return self.status == self.Status.VALIDATED


class CommitteeDecision(models.Model):
    """One step of a committee's approval chain: submitted, approved or returned at a level, by whom, when, why.

    Written only by `rosters.services` (with the audit entry of the same step); never changed. The level's
    order and name are copied, so the history reads the same after Admin pusat renames or removes a level.
    """

    class Decision(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    class ReturnTo(models.TextChoices):
        PREVIOUS = "previous", _("the previous level")
        SUBMITTER = "submitter", _("the submitter (operator)")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="decisions"
    )
    level = models.PositiveSmallIntegerField(_("approval level"), null=True, blank=True)
    level_name = models.CharField(_("level name"), max_length=100, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    returned_to = models.CharField(_("returned to"), max_length=20, choices=ReturnTo.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("committee decision")
        verbose_name_plural = _("committee decisions")
        ordering = ["committee", "decided_at", "pk"]
        indexes = [models.Index(fields=["committee", "decided_at"], name="committee_decision_chain")]

    def __str__(self) -> str:
        return f"{self.committee_id} · {self.level_name or '—'} · {self.get_decision_display()}"


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
