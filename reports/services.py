"""Writes of the reports area: the papers given to people — certificates (numbered before they are printed) and
piagam penghargaan (numbered when chosen), their revocation — and the retention purge of an event's personal
data.

Retention purge: every count the reports show (registrations per role × site, verified, attendance,
certificates) is made of rows, not of personal data: the purge keeps every row and blanks the values that
identify a person, so the rekap, the attendance recap and the dashboard give the same totals after it.
"""

import secrets
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import Attendance
from core import audit
from core.errors import DomainError
from core.models import ReportJob
from events.models import Event, EventSite, Session
from outcomes.models import GoodPracticeFile
from outcomes.services import upload_check
from participants.imports import import_batches_for_event
from participants.models import CorrectionRequest, Person, Registration
from participants.signals import registration_left
from reports.models import (
    ActivityReport,
    Appreciation,
    Certificate,
    DocumentationPhoto,
    NumberSeries,
    SignedAttendanceSheet,
    validate_number_format,
)
from reports.selectors import AppreciationCandidate
from rosters.models import CommitteeMember

# Registrations printed on lists and counted as registered: not rejected, not withdrawn.
LISTED_STATUSES = Registration.SEAT_STATUSES


def certificate_eligible(*, site: EventSite) -> QuerySet[Registration]:
    """Registrations of the site whose attended sessions reach the event's threshold (% of the site's sessions)."""
    sessions = Session.objects.filter(site=site).count()
    if not sessions:
        return Registration.objects.none()
    threshold = site.event.attendance_threshold_percent
    return (
        Registration.objects.filter(site=site, status__in=LISTED_STATUSES)
        .annotate(attended=Count("attendances", filter=Q(attendances__session__site=site)))
        .filter(attended__gte=(threshold * sessions + 99) // 100)
    )


# --- numbers and verification keys of the papers (certificates, piagam) ---------------------------------------

DEFAULT_NUMBER_FORMATS = {
    NumberSeries.Kind.CERTIFICATE: "{seq:04}/{organizer}/SERT/{year}",
    NumberSeries.Kind.PIAGAM: "{seq:03}/{organizer}/PIAGAM/{year}",
}


class PaperError(DomainError):
    pass


def organizer_code(event: Event) -> str:
    """The organizer as a number prints it: its short name (else name) in capitals, words joined by "-"."""
    agency = event.organizer
    return "-".join((agency.short_name or agency.name).upper().split())


def verification_token() -> str:
    """The key of a paper's public verification page: 32 random characters, not guessable."""
    return secrets.token_urlsafe(24)


def _first_number(event: Event, number_format: str) -> str:
    return number_format.format(seq=1, year=event.end_date.year, organizer=organizer_code(event))


def _format_taken(*, event: Event, kind: str, number_format: str) -> bool:
    """Whether another event's series of `kind` gives the same numbers (e.g. two events of one organizer in one
    year with the same format): numbers are unique across events, so the second could print none."""
    first = _first_number(event, number_format)
    others = NumberSeries.objects.filter(kind=kind).exclude(event=event).select_related("event__organizer")
    return any(_first_number(other.event, other.number_format) == first for other in others)


def _default_format(*, event: Event, kind: str) -> str:
    """The default format of a new series, told apart from the other events' (…/SERT/…, …/SERT-2/…)."""
    base = DEFAULT_NUMBER_FORMATS[kind]
    candidate, counter = base, 1
    while _format_taken(event=event, kind=kind, number_format=candidate):
        counter += 1
        candidate = base.replace("/SERT/", f"/SERT-{counter}/").replace("/PIAGAM/", f"/PIAGAM-{counter}/")
    return candidate


def _numbers_taken() -> PaperError:
    return PaperError(
        _(
            "The number format of this event gives numbers another event has already used: change the format on "
            "the certificates page of the event (add something of this event, e.g. LK7)."
        ),
        code="numbers_taken",
    )


def _series_locked(*, event: Event, kind: str) -> NumberSeries:
    """The event's series of `kind`, created with the default format when missing, locked until the end of the
    transaction: one issuer of the event's numbers at a time."""
    if not NumberSeries.objects.filter(event=event, kind=kind).exists():
        NumberSeries.objects.get_or_create(
            event=event, kind=kind, defaults={"number_format": _default_format(event=event, kind=kind)}
        )
    return NumberSeries.objects.select_for_update().get(event=event, kind=kind)


def _take_numbers(series: NumberSeries, *, event: Event, count: int) -> list[tuple[int, str]]:
    """The next `count` (sequence, number) pairs of a locked series; the series remembers the last one given."""
    start = series.last_sequence + 1
    values = {"year": event.end_date.year, "organizer": organizer_code(event)}
    numbers = [(seq, series.number_format.format(seq=seq, **values)) for seq in range(start, start + count)]
    series.last_sequence += count
    series.save(update_fields=["last_sequence"])
    return numbers


@transaction.atomic
def number_series_set_format(*, event: Event, kind: str, number_format: str, actor) -> NumberSeries:
    """Set the number format of an event's papers of `kind`; refused once a number of the series was given
    (the papers printed so far must stay in one format)."""
    try:
        validate_number_format(number_format)
    except ValidationError as error:
        raise PaperError(error.messages[0], code="number_format", field="number_format") from None
    series = _series_locked(event=event, kind=kind)
    if series.last_sequence:
        raise PaperError(
            _("Numbers of this series were already issued: its format can no longer change."),
            code="series_in_use",
            field="number_format",
        )
    if _format_taken(event=event, kind=kind, number_format=number_format):
        raise PaperError(
            _("Another event's numbers follow this format already: add something of this event, e.g. LK7."),
            code="format_taken",
            field="number_format",
        )
    previous = series.number_format
    series.number_format = number_format
    series.save(update_fields=["number_format"])
    audit.record(
        actor=actor, action="number_series.format_set", target=series, from_state=previous, to_state=number_format
    )
    return series


@transaction.atomic
def certificates_issue(*, site: EventSite, actor) -> list[Certificate]:
    """Give a certificate (number and verification key) to every eligible participant of the site that has none
    yet, and return the site's valid certificates of eligible participants, in number order.

    Numbers come from the event's certificate series, locked while they are given: issued once, in order, never
    reused or changed; a re-download reuses the certificate row. Revoked certificates are not printed.
    """
    event = site.event
    series = _series_locked(event=event, kind=NumberSeries.Kind.CERTIFICATE)
    eligible = certificate_eligible(site=site)
    missing = list(eligible.filter(certificate__isnull=True).order_by("full_name", "id").values_list("id", flat=True))
    if missing:
        numbers = _take_numbers(series, event=event, count=len(missing))
        try:
            with transaction.atomic():
                Certificate.objects.bulk_create(
                    [
                        Certificate(
                            registration_id=registration_id,
                            event=event,
                            site=site,
                            sequence=sequence,
                            number=number,
                            token=verification_token(),
                        )
                        for (sequence, number), registration_id in zip(numbers, missing, strict=True)
                    ]
                )
        except IntegrityError:
            raise _numbers_taken() from None
        audit.record(actor=actor, action="certificates.issued", target=site, data={"count": len(missing)})
    return list(
        Certificate.objects.filter(site=site, registration__in=eligible.values("id"), revoked_at__isnull=True)
        .select_related("registration__agency", "registration__school", "registration__role")
        .order_by("sequence")
    )


def _revoke(paper, *, actor, reason: str, action: str):
    reason = (reason or "").strip()
    if not reason:
        raise PaperError(_("Give the reason for the revocation."), code="reason_required", field="reason")
    locked = type(paper).objects.select_for_update().get(pk=paper.pk)
    if locked.revoked_at is not None:
        raise PaperError(_("This paper was already revoked."), code="already_revoked")
    locked.revoked_at, locked.revoked_by, locked.revocation_reason = timezone.now(), actor, reason[:300]
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit.record(actor=actor, action=action, target=locked, from_state="valid", to_state="revoked", reason=reason)
    return locked


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke a certificate (with a reason): its verification page says so, it is printed no more, and its number
    is never given again."""
    return _revoke(certificate, actor=actor, reason=reason, action="certificate.revoked")


def certificates_revoke_on_leaving(*, registration: Registration, actor, reason: str = "") -> int:
    """Revoke the valid certificates of a registration that was rejected or withdrawn (in the caller's
    transaction): a paper must not stay valid for someone who no longer took part. Returns how many."""
    if registration.status == Registration.Status.REJECTED:
        why = _("Registration rejected: %(reason)s") % {"reason": reason} if reason else _("Registration rejected.")
    else:
        why = _("Registration withdrawn.")
    revoked = 0
    for certificate in Certificate.objects.filter(registration=registration, revoked_at__isnull=True):
        _revoke(certificate, actor=actor, reason=str(why), action="certificate.revoked")
        revoked += 1
    return revoked


def _on_registration_left(sender, *, registration, actor, reason="", **kwargs) -> None:
    certificates_revoke_on_leaving(registration=registration, actor=actor, reason=reason)


def signals_connect() -> None:
    """Connect this area to the signals of the areas below it (called once by ReportsConfig.ready)."""
    registration_left.connect(_on_registration_left, dispatch_uid="reports.certificates_revoke_on_leaving")


# --- piagam penghargaan: the Kepala Sekolah Penggerak appreciated at an event ----------------------------------


@transaction.atomic
def appreciation_select(*, event: Event, candidate: AppreciationCandidate, citation: str, actor) -> Appreciation:
    """Choose a Kepala Sekolah Penggerak for a piagam at the event (a candidate of `appreciation_candidates`),
    with a short citation: the piagam gets its number and verification key now."""
    citation = (citation or "").strip()
    if not citation:
        raise PaperError(_("Write a short citation for the piagam."), code="citation_required", field="citation")
    series = _series_locked(event=event, kind=NumberSeries.Kind.PIAGAM)
    if Appreciation.objects.filter(event=event, person_id=candidate.person_id).exists():
        raise PaperError(_("This person was already chosen for a piagam at this event."), code="already_selected")
    ((sequence, number),) = _take_numbers(series, event=event, count=1)
    if Appreciation.objects.filter(number=number).exists():
        raise _numbers_taken()
    appreciation = Appreciation.objects.create(
        event=event,
        person_id=candidate.person_id,
        registration_id=candidate.registration_id,
        school_id=candidate.school_id,
        citation=citation[:300],
        sequence=sequence,
        number=number,
        token=verification_token(),
        selected_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="piagam.selected",
        target=appreciation,
        to_state="valid",
        reason=citation[:300],
        data={"event_id": event.pk, "person_id": candidate.person_id, "number": number},
    )
    return appreciation


@transaction.atomic
def appreciation_citation_change(*, appreciation: Appreciation, citation: str, actor) -> Appreciation:
    citation = (citation or "").strip()
    if not citation:
        raise PaperError(_("Write a short citation for the piagam."), code="citation_required", field="citation")
    locked = Appreciation.objects.select_for_update().get(pk=appreciation.pk)
    if locked.revoked_at is not None:
        raise PaperError(_("This paper was already revoked."), code="already_revoked")
    previous = locked.citation
    locked.citation = citation[:300]
    locked.save(update_fields=["citation"])
    audit.record(
        actor=actor, action="piagam.citation_changed", target=locked, from_state=previous, to_state=locked.citation
    )
    return locked


@transaction.atomic
def appreciation_revoke(*, appreciation: Appreciation, actor, reason: str) -> Appreciation:
    """Withdraw a piagam (with a reason): its verification page says it is revoked; its number is not reused."""
    return _revoke(appreciation, actor=actor, reason=reason, action="piagam.revoked")


# --- the laporan kegiatan: its narrative, documentation photos and signed daftar hadir scans ---------------------

NARRATIVE_FIELDS = ("background", "legal_basis", "conclusion", "recommendations")
MAX_PHOTOS_PER_SITE = 60  # a bundle of a few dozen pages of photos at most


class LaporanError(DomainError):
    """A rule refused a change of the laporan kegiatan; `message` is shown to the user (next to `field`)."""


@dataclass
class Narrative:
    """The texts the panitia write for a laporan kegiatan (each may be empty while a draft)."""

    background: str = ""
    legal_basis: str = ""
    conclusion: str = ""
    recommendations: str = ""


@transaction.atomic
def activity_report_save(
    *, event: Event, site: EventSite | None = None, narrative: Narrative, final: bool, actor
) -> ActivityReport:
    """Save the narrative of the event's laporan kegiatan (or of one of its sites) as a draft, or as final.

    Every save is audited: which texts changed, and the status before and after."""
    if site is not None and site.event_id != event.pk:
        raise LaporanError(_("This site belongs to another event."), code="other_event")
    report = ActivityReport.objects.select_for_update(of=("self",)).filter(event=event, site=site).first()
    created = report is None
    if created:
        report = ActivityReport(event=event, site=site)
    previous = "" if created else report.status
    changed = []
    for name in NARRATIVE_FIELDS:
        value = (getattr(narrative, name) or "").strip()
        if value != getattr(report, name):
            setattr(report, name, value)
            changed.append(name)
    report.status = ActivityReport.Status.FINAL if final else ActivityReport.Status.DRAFT
    report.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    if created:
        report.save()
    else:
        report.save(update_fields=[*NARRATIVE_FIELDS, "status", "updated_by", "updated_at"])
    audit.record(
        actor=actor,
        action="activity_report.saved",
        target=report,
        from_state=previous,
        to_state=report.status,
        data={"event_id": event.pk, "site_id": site.pk if site else None, "changed": changed},
    )
    return report


def _checked_upload(upload, *, pdf_allowed: bool):
    """The upload checked by the rules of the good-practice gallery (content, size, EXIF stripped)."""
    if upload is None:
        raise LaporanError(_("Choose a file to upload."), code="no_file", field="file")
    try:
        return upload_check(upload, pdf_allowed=pdf_allowed)
    except DomainError as error:
        raise LaporanError(error.message, code="file_refused", field="file") from error


def _clean_caption(caption: str) -> str:
    caption = " ".join((caption or "").split())
    if not caption:
        raise LaporanError(_("Write a caption for the photo."), code="caption_required", field="caption")
    if len(caption) > 300:
        raise LaporanError(_("A caption has at most 300 characters."), code="caption_too_long", field="caption")
    return caption


@contextmanager
def _file_dropped_on_error(field_file):
    """A file stored before its row is written is deleted again when the write fails (no orphan on the storage)."""
    try:
        yield
    except BaseException:
        field_file.storage.delete(field_file.name)
        raise


def _delete_stored(field_file) -> None:
    """Delete a stored file once the transaction that dropped its row has committed."""
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


def documentation_photo_add(*, site: EventSite, upload, caption: str, actor) -> DocumentationPhoto:
    """Add a documentation photo to a site's laporan: a JPEG or PNG photo (at most 5 MB, its metadata and EXIF
    dropped by re-encoding), with a caption."""
    caption = _clean_caption(caption)
    checked = _checked_upload(upload, pdf_allowed=False)
    with transaction.atomic():
        EventSite.objects.select_for_update(of=("self",)).filter(pk=site.pk).first()  # one adder at a time: the order
        photos = DocumentationPhoto.objects.filter(site=site)
        if photos.count() >= MAX_PHOTOS_PER_SITE:
            raise LaporanError(
                _("A site has at most %(count)s documentation photos: delete one first.")
                % {"count": MAX_PHOTOS_PER_SITE},
                code="too_many_photos",
                field="file",
            )
        last = photos.order_by("-order").values_list("order", flat=True).first() or 0
        photo = DocumentationPhoto(
            site=site,
            kind=checked.kind,
            size=len(checked.content),
            caption=caption,
            order=last + 1,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        photo.file.save("foto", ContentFile(checked.content), save=False)
        with _file_dropped_on_error(photo.file):
            photo.save()
            audit.record(
                actor=actor,
                action="documentation_photo.added",
                target=photo,
                to_state=caption,
                data={"site_id": site.pk},
            )
    return photo


@transaction.atomic
def documentation_photo_caption_change(*, photo: DocumentationPhoto, caption: str, actor) -> DocumentationPhoto:
    caption = _clean_caption(caption)
    locked = DocumentationPhoto.objects.select_for_update().get(pk=photo.pk)
    previous = locked.caption
    if previous != caption:
        locked.caption = caption
        locked.save(update_fields=["caption", "updated_at"])
        audit.record(
            actor=actor, action="documentation_photo.captioned", target=locked, from_state=previous, to_state=caption
        )
    return locked


@transaction.atomic
def documentation_photo_delete(*, photo: DocumentationPhoto, actor) -> None:
    locked = DocumentationPhoto.objects.select_for_update(of=("self",)).filter(pk=photo.pk).first()
    if locked is None:
        return
    audit.record(
        actor=actor,
        action="documentation_photo.deleted",
        target=locked,
        from_state=locked.caption,
        data={"site_id": locked.site_id},
    )
    _delete_stored(locked.file)
    locked.delete()


def signed_sheet_upload(*, session: Session, upload, actor) -> SignedAttendanceSheet:
    """Store the scan of a session's signed daftar hadir (a PDF without active content, or a JPEG/PNG photo),
    replacing the one uploaded before: the laporan prints it instead of the generated sheet."""
    checked = _checked_upload(upload, pdf_allowed=True)
    with transaction.atomic():
        Session.objects.select_for_update(of=("self",)).filter(pk=session.pk).first()
        previous = SignedAttendanceSheet.objects.filter(session=session).first()
        if previous is not None:
            _delete_stored(previous.file)
            previous.delete()
        sheet = SignedAttendanceSheet(
            session=session,
            kind=checked.kind,
            size=len(checked.content),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        sheet.file.save("daftar-hadir", ContentFile(checked.content), save=False)
        with _file_dropped_on_error(sheet.file):
            sheet.save()
            audit.record(
                actor=actor,
                action="signed_sheet.uploaded",
                target=session,
                data={"kind": checked.kind, "size": len(checked.content), "replaced": previous is not None},
            )
    return sheet


@transaction.atomic
def signed_sheet_delete(*, session: Session, actor) -> None:
    sheet = SignedAttendanceSheet.objects.select_for_update(of=("self",)).filter(session=session).first()
    if sheet is None:
        return
    audit.record(actor=actor, action="signed_sheet.deleted", target=session, data={"kind": sheet.kind})
    _delete_stored(sheet.file)
    sheet.delete()


# --- retention purge -----------------------------------------------------------------------------------------

# The Person fields blanked by the purge, with their empty value. One list so that columns derived
# from them (e.g. keyed hashes of NIK and phone) are added here and purged with them.
PERSON_PURGED_FIELDS: dict[str, object] = {
    "nik": "",
    "nip": "",
    "nuptk": "",
    "phone": "",
    "email": "",
    "birth_date": None,
    "position": "",
}
# A registration keeps its own copy of the person's data (participants.models.PersonalData) and free text
# that may carry personal data: all of it belongs to the event and goes with it, even when the person is kept.
REGISTRATION_PURGED_FIELDS: dict[str, object] = {
    **PERSON_PURGED_FIELDS,
    "rejection_reason": "",
    "proposed_agency_name": "",
}


def pseudonym(person_id: int) -> str:
    """The name a purged person keeps: lists stay countable and sortable without naming anybody."""
    return f"Peserta #{person_id}"


class PurgeError(DomainError):
    pass


@dataclass
class PurgeReport:
    event_slug: str
    dry_run: bool
    people: int = 0
    people_kept: int = 0
    registrations: int = 0
    import_batches: int = 0
    report_files: int = 0
    practice_files: int = 0
    signed_sheets: int = 0
    already_purged: bool = False
    counts: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def events_due(*, today: date | None = None):
    """Events past their retention date and not purged yet."""
    today = today or timezone.localdate()
    return Event.objects.filter(retention_until__lt=today, personal_data_purged_at__isnull=True).order_by("id")


def _purgeable_people(event: Event):
    """People of the event whose every registration and committee membership is in a purged or due event.

    Someone also registered for a newer event (or sitting on a committee of a cohort with such an
    event) keeps its data: that event still needs it.
    """
    today = timezone.localdate()
    finished = Q(event__personal_data_purged_at__isnull=False) | Q(event__retention_until__lt=today)
    finished_events = Event.objects.filter(
        Q(personal_data_purged_at__isnull=False) | Q(retention_until__lt=today) | Q(pk=event.pk)
    )
    other_registration = Registration.objects.filter(person=OuterRef("pk")).exclude(finished | Q(event=event))
    # A membership belongs to a cohort; it is done with when its cohort has events and all of them are done.
    live_membership = CommitteeMember.objects.filter(person=OuterRef("pk")).exclude(
        Q(cohort__events__isnull=False)
        & ~Exists(Event.objects.filter(cohort=OuterRef("cohort")).exclude(pk__in=finished_events.values("pk")))
    )
    people = Person.objects.filter(registrations__event=event).distinct()
    keep = people.filter(Q(Exists(other_registration)) | Q(Exists(live_membership)))
    return people.exclude(pk__in=keep.values("pk")), keep


def _blank(rows, purged: dict[str, object], *, name_of) -> None:
    """Blank the `purged` fields of every row and give it the name `name_of(row)`.

    save() per row, not a queryset update: fields derived on set (the keyed hashes) stay in step."""
    update_fields = [*purged, "full_name", "updated_at"]
    for row in rows.order_by("pk").iterator():
        for name, empty in purged.items():
            setattr(row, name, empty)
        row.full_name = name_of(row)
        row.save(update_fields=update_fields)


def event_personal_data_purge(*, event: Event, actor, dry_run: bool = True, force_reason: str = "") -> PurgeReport:
    """Blank the personal data of the event's participants, keeping every row the reports count.

    Refuses an event whose retention date is not set or not yet passed, unless `force_reason` says why
    (the reason goes into the audit entry). A purged event is left alone (idempotent).
    """
    report = PurgeReport(event_slug=event.slug, dry_run=dry_run)
    if event.personal_data_purged_at is not None:
        report.already_purged = True
        return report
    today = timezone.localdate()
    if not force_reason and (event.retention_until is None or event.retention_until >= today):
        raise PurgeError(_("The retention date of this event has not passed yet; nothing was purged."))

    people, kept = _purgeable_people(event)
    registrations = Registration.objects.filter(event=event)
    batches = import_batches_for_event(event)
    jobs = ReportJob.objects.filter(params__event_id=event.id)
    practice_files = GoodPracticeFile.objects.filter(practice__registration__event=event)
    # The signed daftar hadir scans show names and signatures: they go with the personal data. The documentation
    # photos stay (the record of the event, with no one named).
    signed_sheets = SignedAttendanceSheet.objects.filter(session__site__event=event)
    report.people = people.count()
    report.people_kept = kept.count()
    report.registrations = registrations.count()
    report.import_batches = batches.count()
    report.report_files = jobs.count()
    report.practice_files = practice_files.count()
    report.signed_sheets = signed_sheets.count()
    report.counts = {
        "registrations": report.registrations,
        "attendances": Attendance.objects.filter(registration__event=event).count(),
    }
    if dry_run:
        return report

    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.personal_data_purged_at is not None:
            report.already_purged = True
            return report
        _blank(people, PERSON_PURGED_FIELDS, name_of=lambda person: pseudonym(person.pk))
        _blank(
            registrations, REGISTRATION_PURGED_FIELDS, name_of=lambda registration: pseudonym(registration.person_id)
        )
        stored = [job.file for job in jobs if job.file] + [item.file for item in practice_files if item.file]
        stored += [sheet.file for sheet in signed_sheets if sheet.file]
        batches.delete()
        # Correction requests quote the values to correct: they go with the data.
        CorrectionRequest.objects.filter(registration__event=event).delete()
        jobs.delete()
        practice_files.delete()
        signed_sheets.delete()
        locked.personal_data_purged_at = timezone.now()
        locked.save(update_fields=["personal_data_purged_at", "updated_at"])
        audit.record(
            actor=actor,
            action="event.personal_data_purged",
            target=locked,
            reason=force_reason or "retention date passed",
            data={key: value for key, value in report.as_dict().items() if key not in ("event_slug", "dry_run")},
        )
        # Files go once the rows are gone for good.
        transaction.on_commit(lambda: [stored_file.storage.delete(stored_file.name) for stored_file in stored])
    event.personal_data_purged_at = locked.personal_data_purged_at
    return report
