"""People and their registrations.

A Person is the same human across events, registrations and rosters; a School is where teachers and
principals work. A Registration puts a person at an event's site in a role, and moves through its
verification workflow (declared in `Registration.TRANSITIONS`, moved by the services). A participant
may ask to correct what is stored about it (CorrectionRequest: UU 27/2022, the right to rectification).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedCharField, HashedFieldsMixin, HashedQuerySet, KeyedHashField, identifier_hash
from core.models import TimeStamped
from events.models import Agency, Event, EventSite, Province, Regency, Role


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


class PersonalData(models.Model):
    """What identifies and describes a person. Kept twice, on purpose (UU 27/2022, data minimisation):

    - by the `Person`, the one record of that human across events and rosters (its identity: found by NIK,
      NIP or NUPTK), changed only by Admin pusat (the person's admin page), or by a correction of the only
      registration that refers to it (participants.services.registration_data_update);
    - by each `Registration`, as it was entered for that event (by the registrant or an organizer). Staff
      read and correct the registration's own copy: registering a known NIK shows nothing another event
      holds about that person, and changes nothing of it.

    NIK and phone are encrypted at rest (core/fields.py); `nik_hash` and `phone_hash` are their keyed
    hashes, kept in step by the hash fields themselves, and the only way to find a row by NIK or phone:
    use :func:`identifier_q`.
    """

    class Gender(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    full_name = models.CharField(_("full name with academic titles"), max_length=200)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    nik = EncryptedCharField("NIK", max_length=16, blank=True)
    # Indexed by each model's Meta.indexes (a plain b-tree): a field-level index would bring PostgreSQL's
    # varchar_pattern_ops twin, which no query of a keyed hash uses (they are compared whole, never by prefix).
    nik_hash = KeyedHashField(source="nik", kind="nik", db_index=False)
    nip = models.CharField("NIP", max_length=18, blank=True)
    # An NI PPPK (contract civil servant) is written like a NIP but has its own layout: the NIP is checked by
    # the NI PPPK's rule (core.identifiers.validate_nip(pppk=True)) on every channel when this is set.
    nip_is_pppk = models.BooleanField(_("the NIP is an NI PPPK"), default=False)
    nuptk = models.CharField("NUPTK", max_length=16, blank=True)
    position = models.CharField(_("position (jabatan)"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province of origin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +6281234567890."))
    phone_hash = KeyedHashField(source="phone", kind="phone", db_index=False)
    email = models.EmailField(_("e-mail"), blank=True)

    objects = HashedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def institution(self) -> str:
        """The agency or school the person comes from, as printed on lists and badges."""
        if self.agency_id:
            return self.agency.name
        if self.school_id:
            return self.school.name
        return ""


# The fields of PersonalData, in the order forms and services read them (the keyed hashes follow their source).
PERSONAL_DATA_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "nik",
    "nip",
    "nip_is_pppk",
    "nuptk",
    "position",
    "agency",
    "school",
    "province",
    "phone",
    "email",
)


class Person(HashedFieldsMixin, PersonalData, TimeStamped):
    """A participant or committee member: one record per human, across events, registrations and rosters.

    Identifiers are text; NIK/NIP/NUPTK are unique when given (the database refuses a second holder).
    """

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["nik_hash"], condition=~Q(nik_hash=""), name="person_unique_nik"),
            models.UniqueConstraint(fields=["nip"], condition=~Q(nip=""), name="person_unique_nip"),
            models.UniqueConstraint(fields=["nuptk"], condition=~Q(nuptk=""), name="person_unique_nuptk"),
        ]
        indexes = [
            # A look-up by NIK or phone (identifier_q) compares the keyed hash with a parameter: a prepared plan
            # cannot use the partial unique index above for it.
            models.Index(fields=["nik_hash"], name="person_nik_hash"),
            models.Index(fields=["phone_hash"], name="person_phone_hash"),
        ]

    def __str__(self) -> str:
        return self.full_name


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
    hashes = [h for h in (identifier_compared(kind, v)[1] for v in (values if many else [values])) if h]
    return Q(**{f"{prefix}{column}__in": hashes})


def identifier_compared(kind: str, value: str) -> tuple[str, str]:
    """The column `identifier_q` compares for one value of `kind`, and what it compares with: the keyed hash for NIK
    and phone (an empty value hashes to "", which every person without that identifier has: "" must match nobody),
    the value itself for NIP and NUPTK."""
    column = HASHED_IDENTIFIERS.get(kind)
    if column is None:
        return kind, value
    return column, identifier_hash(value, kind=kind)


# No 0/O, 1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_registration_code() -> str:
    """A random, unguessable code (31^10 ≈ 8·10^14): the participant's only key to its registration."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Registration(HashedFieldsMixin, PersonalData, TimeStamped):
    """A person's registration for an event's site in a role, with the person's data as entered for it
    (PersonalData: what staff of the event read and correct), linked to the shared `Person`."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # The role's quota at the site was full: in line for a seat (participants.waitlist), in order of
        # `submitted_at`, then id. It holds no seat, but blocks a second registration of the person.
        WAITING = "waiting", _("On the waiting list")

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
        # Promoted to a freed seat (automatically, or by the organizer), or out of the line.
        Status.WAITING: {Status.SUBMITTED, Status.WITHDRAWN},
    }

    class Review(models.TextChoices):
        """Why a public registration waits for the organizer's judgement before anything else happens.

        The public form answers every registration the same way (it never tells anyone whether a NIK is
        known): a registration that conflicts with what is recorded is kept, flagged, for the organizer.
        """

        NONE = "", _("Nothing to review")
        IDENTITY = "identity", _("The NIK/NIP/NUPTK is recorded under another name")
        DUPLICATE = "duplicate", _("The person is already registered for this event")

    # Registrations that hold a seat of the quota and block a second registration of the person.
    ACTIVE_STATUSES = [Status.SUBMITTED, Status.VERIFIED, Status.REJECTED, Status.WAITING]
    SEAT_STATUSES = [Status.SUBMITTED, Status.VERIFIED]

    # Unique by Meta.constraints, not `unique=True`: the code is looked up whole (upper-cased), and a unique field
    # would bring PostgreSQL's varchar_pattern_ops twin index, maintained on every insert and read by no query.
    code = models.CharField(_("code"), max_length=16, default=new_registration_code, editable=False)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="registrations")
    # The event is the site's event, kept here so the database can enforce one registration per event.
    # No index of their own: registration_event_status and registration_site_role_status lead with them.
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations", db_index=False
    )
    site = models.ForeignKey(
        EventSite, verbose_name=_("site"), on_delete=models.PROTECT, related_name="registrations", db_index=False
    )
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
    review = models.CharField(_("to review"), max_length=10, choices=Review.choices, blank=True, default="")
    # A new agency typed in the public form is a proposal: the organizer accepts it (creating the agency) or
    # maps the registration to an agency of the list.
    proposed_agency_name = models.CharField(_("proposed agency"), max_length=200, blank=True)
    proposed_agency_type = models.ForeignKey(
        "events.AgencyType",
        verbose_name=_("type of the proposed agency"),
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
            # A flagged public registration (review) does not block the person's own: nobody locks out a NIK's
            # owner by registering the number first.
            models.UniqueConstraint(
                fields=["person", "event"],
                condition=~Q(status="withdrawn") & Q(review=""),
                name="registration_one_active_per_person_and_event",
            ),
            models.UniqueConstraint(fields=["code"], name="registration_unique_code"),
        ]
        indexes = [
            # The counts per site × role × status (quotas, dashboard, rekap) and the dashboard's attendance join,
            # from the index alone (PostgreSQL: an index-only scan) with the columns every staff scope filters on.
            models.Index(
                fields=["site", "role", "status"],
                include=["event", "province", "person", "id"],
                name="registration_site_role_status",
            ),
            # The few flagged public registrations (review): the list's "to review" filter and the dashboard's
            # distinct verified people. Partial: a registration without a flag is not in it.
            models.Index(fields=["site", "status"], condition=~Q(review=""), name="registration_to_review"),
            # The staff list's order (newest first): its first page reads 50 index entries, not every row.
            models.Index(fields=["-submitted_at", "-id"], name="registration_newest_first"),
            # The counts per status of an event's list and dashboard, from the index alone.
            models.Index(fields=["event", "status"], name="registration_event_status"),
            # A search by NIP or NUPTK, and by NIK or phone through their keyed hashes.
            models.Index(fields=["nip"], name="registration_nip"),
            models.Index(fields=["nuptk"], name="registration_nuptk"),
            models.Index(fields=["nik_hash"], name="registration_nik_hash"),
            models.Index(fields=["phone_hash"], name="registration_phone_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.full_name}"

    @property
    def admits(self) -> bool:
        """Whether its code gets the person in at the desk (submitted or verified): the QR is shown for these."""
        return self.status in self.SEAT_STATUSES

    @property
    def review_is_identity(self) -> bool:
        return self.review == self.Review.IDENTITY


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
    # Encrypted like Person.nik: the value to correct may be a NIK or a phone number.
    correct_value = EncryptedCharField(_("correct value"), max_length=200)
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


class DistinctPeople(models.Model):
    """Admin pusat's judgement that two records listed as likely duplicates are two people (twins, namesakes born on
    one day): the pair is no longer listed (participants.duplicates). Stored once per pair, the lower id first.

    Not one of the rows a merge moves (participants.merge.person_relations leaves it out): it goes with either
    record, so a merge that removes one of the two removes the judgement, and the kept record may be listed again
    with the other, to be judged again."""

    first = models.ForeignKey(Person, verbose_name=_("record"), on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, verbose_name=_("other record"), on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pair judged to be two people")
        verbose_name_plural = _("pairs judged to be two people")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_people_once"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="distinct_people_lower_id_first"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"
