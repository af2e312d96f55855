"""People and schools. A Person is the same human across events, registrations and rosters."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from events.models import Agency, Province, Regency


class School(TimeStamped):
    class Level(models.TextChoices):
        PAUD = "PAUD", _("PAUD/TK")
        SD = "SD", "SD"
        SMP = "SMP", "SMP"
        SMA = "SMA", "SMA"
        SMK = "SMK", "SMK"
        SLB = "SLB", "SLB"

    class Ownership(models.TextChoices):
        NEGERI = "negeri", _("Public (negeri)")
        SWASTA = "swasta", _("Private (swasta)")

    npsn = models.CharField("NPSN", max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level (jenjang)"), max_length=5, choices=Level.choices)
    ownership = models.CharField(_("status"), max_length=10, choices=Ownership.choices, default=Ownership.NEGERI)
    regency = models.ForeignKey(
        Regency, verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="schools"
    )
    address = models.TextField(_("address"), blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.npsn})"


class Person(TimeStamped):
    """A participant or committee member. Identifiers are text; NIK/NIP/NUPTK are unique when given."""

    class Gender(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    full_name = models.CharField(_("full name with academic titles"), max_length=200)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    nik = models.CharField("NIK", max_length=16, blank=True)
    nip = models.CharField("NIP", max_length=18, blank=True)
    nuptk = models.CharField("NUPTK", max_length=16, blank=True)
    position = models.CharField(_("position (jabatan)"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province of origin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +6281234567890."))
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["nik"], condition=~Q(nik=""), name="person_unique_nik"),
            models.UniqueConstraint(fields=["nip"], condition=~Q(nip=""), name="person_unique_nip"),
            models.UniqueConstraint(fields=["nuptk"], condition=~Q(nuptk=""), name="person_unique_nuptk"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def institution(self) -> str:
        """The agency or school the person comes from, as printed on lists and badges."""
        if self.agency_id:
            return self.agency.name
        if self.school_id:
            return self.school.name
        return ""
