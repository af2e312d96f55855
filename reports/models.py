"""Reports: the papers given to people, with their numbers and public verification — certificates (sertifikat) of
participants who attended, and the piagam penghargaan (certificate of appreciation) of the Kepala Sekolah
Penggerak chosen at an event — and the number series of each event that numbers them. The download log and
background jobs of every export are the export kit's (`core.models`).

Both papers carry a `token`: the unguessable key of their public verification page (`/sertifikat/<token>/`,
printed as a QR code), which says whether the paper is valid or revoked.

The laporan kegiatan (activity report, the SPJ bundle an organizer sends its superiors and the finance office)
is built from what the app holds; what it does not hold the panitia write here: the narrative of the event (and,
where a site needs its own words, of a site), the documentation photos of each site with their captions, and the
signed daftar hadir scans of each session, which replace the generated sheet in the bundle.
"""

import string
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from events.models import Event, EventSite, Session
from participants.models import Person, Registration, School

# The fields a number format may use: {seq} (required, e.g. {seq:04}), {year}, {organizer}.
NUMBER_FIELDS = {"seq", "year", "organizer"}


def validate_number_format(value: str) -> None:
    """A number format must use {seq} and no other field than {seq}, {year}, {organizer}, and must format.

    The names are checked before anything is formatted: no attribute or index of a value is ever looked up."""
    invalid = ValidationError(_("Not a valid number format, e.g. {seq:04}/BGP-NTB/LK7/{year}."), code="invalid")
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(value) if name is not None}
    except ValueError:
        raise invalid from None
    unknown = names - NUMBER_FIELDS
    if unknown:
        raise ValidationError(
            _("Unknown field %(fields)s: use {seq}, {year} and {organizer}."),
            code="unknown",
            params={"fields": ", ".join(sorted(f"{{{name}}}" for name in unknown))},
        )
    if "seq" not in names:
        raise ValidationError(_("The number format must contain {seq}, e.g. {seq:04}."), code="no_seq")
    try:
        value.format(seq=1, year=2022, organizer="BGP-NTB")
    except (ValueError, TypeError, IndexError, KeyError):
        raise invalid from None


class NumberSeries(models.Model):
    """The numbers of one kind of paper of an event: its format and the last sequence given.

    The row is the lock of the series: issuing takes it with `select_for_update`, so two issuers never give the
    same sequence, and a sequence once given is never given again (even if its paper is revoked).
    """

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("certificate")
        PIAGAM = "piagam", _("piagam penghargaan")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="number_series")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number_format = models.CharField(
        _("number format"),
        max_length=100,
        validators=[validate_number_format],
        help_text=_(
            "Fields: {seq} (the sequence, e.g. {seq:04} for 0001), {year} (of the event's end), {organizer} "
            "(the organizer's short name). Example: {seq:04}/BGP-NTB/LK7/{year}."
        ),
    )
    last_sequence = models.PositiveIntegerField(_("last sequence issued"), default=0, editable=False)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        ordering = ["event", "kind"]
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="number_series_unique_kind")]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_kind_display()}: {self.number_format}"


class Revocable(models.Model):
    """A paper that can be revoked (with a reason): its verification page then says so."""

    token = models.CharField(_("verification key"), max_length=64, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=100, unique=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revocation_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Certificate(Revocable):
    """A certificate (sertifikat) issued to a registration, once: a reprint gives the same number and key.

    The number comes from the event's certificate `NumberSeries` (e.g. `0007/BGP-NTB/LK7/2022`), in the order
    the certificates are issued (by name at each issue). Certificates issued before the series existed keep the
    numbers they were printed with.
    """

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="certificate"
    )
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="certificates")
    site = models.ForeignKey(EventSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="certificates")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["event", "sequence"]
        constraints = [models.UniqueConstraint(fields=["event", "sequence"], name="certificate_unique_event_sequence")]

    def __str__(self) -> str:
        return self.number


class Appreciation(Revocable):
    """A piagam penghargaan (certificate of appreciation) given at an event to a Kepala Sekolah Penggerak chosen
    by the panitia, with a short citation. Numbered from the event's piagam `NumberSeries` when chosen.

    The person comes from a registration of the event (with a Kepala Sekolah role) or is the approved Kepala
    Sekolah Penggerak of a Sekolah Penggerak of the event's cohort. Its name is read from there (the
    registration's copy, else the person), so the retention purge of the event's personal data reaches it too.
    """

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="appreciations")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    citation = models.CharField(_("citation"), max_length=300)
    selected_at = models.DateTimeField(_("selected at"), auto_now_add=True)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("selected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("piagam penghargaan")
        verbose_name_plural = _("piagam penghargaan")
        ordering = ["event", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="appreciation_unique_person"),
            models.UniqueConstraint(fields=["event", "sequence"], name="appreciation_unique_event_sequence"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def holder_name(self) -> str:
        return self.registration.full_name if self.registration_id else self.person.full_name

    @property
    def school_name(self) -> str:
        """The school printed with the holder: the registration's, else the Sekolah Penggerak's, else the agency."""
        registration = self.registration
        if registration is not None and registration.school is not None:
            return registration.school.name
        if self.school is not None:
            return self.school.name
        if registration is not None and registration.agency is not None:
            return registration.agency.name
        return ""


# --- the laporan kegiatan (activity report) ---------------------------------------------------------------------


class FileKind(models.TextChoices):
    """What an uploaded file of the laporan is, by its content (checked by `outcomes.services.upload_check`)."""

    JPEG = "jpeg", _("JPEG photo")
    PNG = "png", _("PNG picture")
    PDF = "pdf", _("PDF document")


EXTENSIONS = {FileKind.JPEG: "jpg", FileKind.PNG: "png", FileKind.PDF: "pdf"}
CONTENT_TYPES = {FileKind.JPEG: "image/jpeg", FileKind.PNG: "image/png", FileKind.PDF: "application/pdf"}


class ActivityReport(TimeStamped):
    """The narrative of a laporan kegiatan, written by the panitia: of the whole event (`site` empty) or of one
    site. A site's text left empty takes the event's. Saved as a draft until the panitia mark it final; every
    save is audited (`reports.services.activity_report_save`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(
        EventSite, verbose_name=_("site"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    background = models.TextField(_("background (latar belakang)"), max_length=10000, blank=True)
    legal_basis = models.TextField(_("legal basis (dasar hukum)"), max_length=5000, blank=True)
    conclusion = models.TextField(_("conclusion (kesimpulan)"), max_length=10000, blank=True)
    recommendations = models.TextField(_("recommendations (saran)"), max_length=10000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("activity report narrative")
        verbose_name_plural = _("activity report narratives")
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=models.Q(site__isnull=True), name="activity_report_one_per_event"
            ),
            models.UniqueConstraint(
                fields=["event", "site"], condition=models.Q(site__isnull=False), name="activity_report_one_per_site"
            ),
        ]

    def __str__(self) -> str:
        return f"Laporan kegiatan #{self.pk}"


def laporan_upload_to(instance, filename: str) -> str:
    # A random stored name: the sender's file name may carry personal data.
    return f"laporan/{instance.event_id}/{uuid.uuid4().hex}.{EXTENSIONS.get(instance.kind, 'bin')}"


class LaporanFile(TimeStamped):
    """An uploaded file of the laporan: its kind by content, its size, who sent it."""

    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    file = models.FileField(_("file"), upload_to=laporan_upload_to, max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def event_id(self) -> int:
        raise NotImplementedError

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]


class DocumentationPhoto(LaporanFile):
    """A documentation photo of a site (EXIF stripped on upload), with its caption, in the bundle's lampiran."""

    site = models.ForeignKey(
        EventSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="documentation_photos"
    )
    caption = models.CharField(_("caption"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("documentation photo")
        verbose_name_plural = _("documentation photos")
        ordering = ["site", "order", "id"]

    def __str__(self) -> str:
        return self.caption

    @property
    def event_id(self) -> int:
        return self.site.event_id


class SignedAttendanceSheet(LaporanFile):
    """The scan of the daftar hadir of a session as signed on paper (a PDF or a photo): the bundle prints it
    instead of the generated sheet. One per session; a new upload replaces it."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="signed_sheet"
    )

    class Meta:
        verbose_name = _("signed attendance sheet")
        verbose_name_plural = _("signed attendance sheets")

    def __str__(self) -> str:
        return f"Daftar hadir #{self.session_id}"

    @property
    def event_id(self) -> int:
        return self.session.site.event_id
