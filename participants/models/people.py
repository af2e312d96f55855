"""People and schools. A Person is the same human across events, registrations and rosters."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedCharField, HashedFieldsMixin, HashedQuerySet, KeyedHashField, identifier_hash
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


class Person(HashedFieldsMixin, TimeStamped):
    """A participant or committee member. Identifiers are text; NIK/NIP/NUPTK are unique when given.

    NIK and phone are encrypted at rest (core/fields.py); `nik_hash` and `phone_hash` are their keyed
    hashes, kept in step by the hash fields themselves, and the only way to find a person by NIK or phone:
    use :func:`identifier_q`.
    """

    class Gender(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    full_name = models.CharField(_("full name with academic titles"), max_length=200)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    nik = EncryptedCharField("NIK", max_length=16, blank=True)
    nik_hash = KeyedHashField(source="nik", kind="nik")
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
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +6281234567890."))
    phone_hash = KeyedHashField(source="phone", kind="phone")
    email = models.EmailField(_("e-mail"), blank=True)

    objects = HashedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["nik_hash"], condition=~Q(nik_hash=""), name="person_unique_nik"),
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


# The encrypted identifiers, searched through their hash columns; NIP and NUPTK are stored in clear.
HASHED_IDENTIFIERS = {"nik": "nik_hash", "phone": "phone_hash"}


def identifier_q(kind: str, values, *, prefix: str = "") -> Q:
    """The condition "the person's `kind` is one of `values`" (or equals it, for a single string).

    For NIK and phone it compares the keyed hashes (the columns themselves are encrypted); NIP and
    NUPTK compare as they are. `prefix` reaches the person through a relation, e.g. "person__".
    """
    many = not isinstance(values, str)
    column = HASHED_IDENTIFIERS.get(kind)
    if column is None:
        return Q(**{f"{prefix}{kind}__in" if many else f"{prefix}{kind}": values})
    # An empty value hashes to "", which every person without that identifier has: it must match nobody.
    hashes = [h for h in (identifier_hash(v, kind=kind) for v in (values if many else [values])) if h]
    return Q(**{f"{prefix}{column}__in": hashes})
