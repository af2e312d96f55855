"""Writes of the reports area: the issue of certificate numbers (before a certificate is printed), and the
retention purge of an event's personal data.

Retention purge: every count the reports show (registrations per role × site, verified, attendance,
certificates) is made of rows, not of personal data: the purge keeps every row and blanks the values that
identify a person, so the rekap, the attendance recap and the dashboard give the same totals after it.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import Attendance
from core import audit
from core.errors import DomainError
from core.models import ReportJob
from events.models import Event, EventSite, Session
from outcomes.models import GoodPracticeFile
from participants.imports import import_batches_for_event
from participants.models import CorrectionRequest, Person, Registration
from reports.models import Certificate
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


@transaction.atomic
def certificates_issue(*, site: EventSite, actor) -> list[Certificate]:
    """Give a number to every eligible participant of the site that has none yet, and return all the
    site's certificates of eligible participants, in number order. Numbers are never reused or changed:
    `<sequence>/<event id>/<site order>/<year>`, the sequence running per site."""
    EventSite.objects.select_for_update().filter(pk=site.pk).first()  # one issuer per site at a time
    eligible = certificate_eligible(site=site)
    missing = list(eligible.filter(certificate__isnull=True).order_by("full_name", "id").values_list("id", flat=True))
    if missing:
        start = (Certificate.objects.filter(site=site).aggregate(top=Max("sequence"))["top"] or 0) + 1
        year = site.event.end_date.year
        Certificate.objects.bulk_create(
            [
                Certificate(
                    registration_id=registration_id,
                    site=site,
                    sequence=sequence,
                    number=f"{sequence:04d}/{site.event_id}/{site.order}/{year}",
                )
                for sequence, registration_id in enumerate(missing, start=start)
            ]
        )
        audit.record(actor=actor, action="certificates.issued", target=site, data={"count": len(missing)})
    return list(
        Certificate.objects.filter(site=site, registration__in=eligible.values("id"))
        .select_related("registration__agency", "registration__school", "registration__role")
        .order_by("sequence")
    )


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
    report.people = people.count()
    report.people_kept = kept.count()
    report.registrations = registrations.count()
    report.import_batches = batches.count()
    report.report_files = jobs.count()
    report.practice_files = practice_files.count()
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
        batches.delete()
        # Correction requests quote the values to correct: they go with the data.
        CorrectionRequest.objects.filter(registration__event=event).delete()
        jobs.delete()
        practice_files.delete()
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
