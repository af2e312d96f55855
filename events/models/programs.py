"""Programs, their cohorts and their participant roles (unsur), and agencies with their renamings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from events.models.regions import Province, Regency


def validate_validity(valid_from, valid_to) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end of validity cannot be before its start.")})


def valid_on_q(day) -> Q:
    """A filter for the rows (programs, agency types, agencies) valid on `day`: the query form of
    `ValidityMixin.is_valid_on`."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class ValidityMixin(models.Model):
    """Programs and agency types exist for a period: a past event keeps the names of its date."""

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        validate_validity(self.valid_from, self.valid_to)

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Program(ValidityMixin, TimeStamped):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.TextField(_("legal basis"), blank=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Cohort(TimeStamped):
    """An angkatan of a program, e.g. PPGP Angkatan 4."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="cohorts")
    number = models.PositiveSmallIntegerField(_("cohort (angkatan)"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["program__code", "number"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="cohort_unique_per_program")]

    def __str__(self) -> str:
        return f"{self.program.code} Angkatan {self.number}"


class Role(TimeStamped):
    """A participant role (unsur) of a program: CGP, Kepala Sekolah, LPMP… Data, not code."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="roles")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        blank=True,
        help_text=_("As printed on certificates, e.g. 'Calon Guru Penggerak' for CGP. Empty: the name."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_other = models.BooleanField(
        _("other roles"), default=False, help_text=_("The 'unsur lainnya' row: participants without a target.")
    )

    class Meta:
        verbose_name = _("role (unsur)")
        verbose_name_plural = _("roles (unsur)")
        ordering = ["program__code", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="role_unique_code_per_program")]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        """The role spelled out (certificates, piagam): the full name, else the name."""
        return self.full_name or self.name


class AgencyType(ValidityMixin, TimeStamped):
    """A kind of agency (LPMP, BGP, Dinas Pendidikan Provinsi…), with the type that succeeded it."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("agency type")
        verbose_name_plural = _("agency types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name  # the code (BP_PAUD_DIKMAS) is for data and files, never what a person reads


class Agency(ValidityMixin, TimeStamped):
    type = models.ForeignKey(AgencyType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    province = models.ForeignKey(Province, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT)
    regency = models.ForeignKey(
        Regency, verbose_name=_("regency/city"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.TextField(_("address"), blank=True)
    # Letterhead (kop surat) of the documents this agency issues.
    letterhead_parent = models.CharField(
        _("letterhead: parent body"),
        max_length=300,
        blank=True,
        help_text=_("The line above the agency's name, e.g. the ministry."),
    )
    letterhead_contact = models.CharField(_("letterhead: contact line"), max_length=300, blank=True)
    logo = models.ImageField(_("logo"), upload_to="agency-logos/", blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        # One agency of a type and name per region: "SMP Negeri 1" exists in many kab/kota. A national agency
        # (no province) is unique by type and name; a provincial one within its province; a kab/kota one
        # within its kab/kota.
        constraints = [
            models.UniqueConstraint(
                fields=["type", "name"],
                condition=Q(province__isnull=True, regency__isnull=True),
                name="agency_unique_name_per_type_national",
            ),
            models.UniqueConstraint(
                fields=["type", "name", "province"],
                condition=Q(province__isnull=False, regency__isnull=True),
                name="agency_unique_name_per_type_province",
            ),
            models.UniqueConstraint(
                fields=["type", "name", "regency"],
                condition=Q(regency__isnull=False),
                name="agency_unique_name_per_type_regency",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        super().clean()
        if self.regency_id and self.province_id and self.regency.province_id != self.province_id:
            raise ValidationError({"regency": _("This regency/city is not in the chosen province.")})
