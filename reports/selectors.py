"""Reads of the reports area, scoped to the user: who may take reports, of which sites, and the sites with
what every report prints about them (constant queries); the papers of an event (certificates, piagam), the
Kepala Sekolah Penggerak who may be chosen for a piagam, and what a paper's public verification page shows."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events import groups as G
from events.models import Event, EventSite, Session
from events.selectors import group_names, is_central, organized_event_ids, sites_visible_to
from participants.models import Registration
from reports.models import (
    ActivityReport,
    Appreciation,
    Certificate,
    DocumentationPhoto,
    NumberSeries,
    SignedAttendanceSheet,
)
from rosters.models import SekolahPenggerak

REPORT_GROUPS = {G.ADMIN_PUSAT, G.PANITIA, G.KOORDINATOR_SITE, G.PEJABAT}


def can_take_reports(user) -> bool:
    return is_central(user) or bool(REPORT_GROUPS & group_names(user))


def report_sites_for(user) -> QuerySet[EventSite]:
    """The sites whose reports the user may download (none for groups without reports)."""
    if not can_take_reports(user):
        return EventSite.objects.none()
    return sites_visible_to(user)


def site_queryset() -> QuerySet[EventSite]:
    """Sites with what every report prints about them, in one query (plus one per prefetch)."""
    return EventSite.objects.select_related(
        "event__organizer", "event__program", "venue__regency__province"
    ).prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at")))


def event_for_reports(*, user, event_id: int) -> tuple[Event, list[EventSite]]:
    """The event and the sites of it the user may take reports of (404 when none)."""
    sites = list(site_queryset().filter(pk__in=report_sites_for(user).values("pk"), event_id=event_id))
    if not sites:
        raise Http404
    return sites[0].event, sites


# --- the papers given to people: certificates and piagam penghargaan ------------------------------------------


def may_manage_papers(user) -> bool:
    """Who may revoke certificates and choose the Kepala Sekolah Penggerak for a piagam: Admin pusat, Panitia."""
    return is_central(user) or G.PANITIA in group_names(user)


def event_for_papers(*, user, event_id: int) -> Event:
    """The event whose papers the user manages: 403 for other groups, 404 for an event it does not organize."""
    if not may_manage_papers(user):
        raise PermissionDenied
    events = Event.objects.select_related("organizer", "program", "cohort")
    if not is_central(user):
        events = events.filter(pk__in=organized_event_ids(user))
    event = events.filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def certificates_of_event(*, event: Event) -> QuerySet[Certificate]:
    """Every certificate of the event (valid and revoked), in number order, with what the list shows."""
    return (
        Certificate.objects.filter(event=event)
        .select_related("registration__role", "site", "revoked_by")
        .order_by("sequence")
    )


def appreciations_of_event(*, event: Event) -> QuerySet[Appreciation]:
    """Every piagam of the event (valid and revoked), in number order, with what the list and the piagam print."""
    return (
        Appreciation.objects.filter(event=event)
        .select_related("person", "registration__school", "registration__agency", "registration__site", "school")
        .order_by("sequence")
    )


@dataclass(frozen=True)
class AppreciationCandidate:
    """A Kepala Sekolah Penggerak who may be chosen for a piagam at an event: from a registration of the event,
    or the approved principal of a Sekolah Penggerak of the event's cohort. `key` names it in a form."""

    key: str
    person_id: int
    full_name: str
    school_name: str
    source: str
    registration_id: int | None = None
    school_id: int | None = None


KEPALA_SEKOLAH_ROLE = Q(role__code__iexact="KEPALA_SEKOLAH") | Q(role__name__icontains="kepala sekolah")


def appreciation_candidates(*, event: Event) -> list[AppreciationCandidate]:
    """The Kepala Sekolah Penggerak of the event not chosen yet, by name: the registrations with a Kepala Sekolah
    role (not rejected or withdrawn), and the approved Kepala Sekolah Penggerak of the Sekolah Penggerak of the
    event's cohort. Two queries."""
    chosen = Appreciation.objects.filter(event=event).values("person_id")
    candidates: dict[int, AppreciationCandidate] = {}
    registrations = (
        Registration.objects.filter(KEPALA_SEKOLAH_ROLE, event=event, status__in=Registration.SEAT_STATUSES)
        .exclude(person_id__in=chosen)
        .select_related("school", "agency")
        .order_by("full_name", "pk")
    )
    for registration in registrations:
        school = registration.school
        candidates.setdefault(
            registration.person_id,
            AppreciationCandidate(
                key=f"r{registration.pk}",
                person_id=registration.person_id,
                full_name=registration.full_name,
                school_name=school.name if school else (registration.agency.name if registration.agency else ""),
                source=str(_("registration")),
                registration_id=registration.pk,
                school_id=school.pk if school else None,
            ),
        )
    if event.cohort_id:
        schools = (
            SekolahPenggerak.objects.filter(cohort_id=event.cohort_id, principal__isnull=False)
            .exclude(principal_id__in=chosen)
            .select_related("principal", "school")
            .order_by("principal__full_name", "pk")
        )
        for penggerak in schools:
            candidates.setdefault(
                penggerak.principal_id,
                AppreciationCandidate(
                    key=f"s{penggerak.pk}",
                    person_id=penggerak.principal_id,
                    full_name=penggerak.principal.full_name,
                    school_name=penggerak.school.name,
                    source=str(_("Sekolah Penggerak")),
                    school_id=penggerak.school_id,
                ),
            )
    return sorted(candidates.values(), key=lambda candidate: (candidate.full_name.casefold(), candidate.key))


@dataclass(frozen=True)
class Verification:
    """What the public verification page of a paper shows: no identifier, no contact, no reason."""

    kind: str  # "certificate" or "piagam"
    number: str
    holder: str
    event_title: str
    issued_on: date  # the date of issue printed on the paper
    revoked_on: date | None


def number_series_of_event(*, event) -> dict[str, NumberSeries]:
    """The event's number series by kind ("certificate", "piagam"); a kind without one is missing."""
    return {series.kind: series for series in NumberSeries.objects.filter(event=event)}


VERIFICATION_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe's alphabet


def paper_verification(*, token: str) -> Verification | None:
    """The certificate or piagam whose verification key is `token` (None when there is none, or when the text
    typed cannot be a key: keys are URL-safe base64, and PostgreSQL refuses a NUL in a query)."""
    if not token or not VERIFICATION_KEY.fullmatch(token):
        return None
    certificate = Certificate.objects.filter(token=token).select_related("registration", "event", "site").first()
    if certificate is not None:
        return Verification(
            kind="certificate",
            number=certificate.number,
            holder=certificate.registration.full_name,
            event_title=certificate.event.title,
            issued_on=certificate.site.end_date,  # the date printed on it
            revoked_on=timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None,
        )
    appreciation = Appreciation.objects.filter(token=token).select_related("registration", "person", "event").first()
    if appreciation is not None:
        return Verification(
            kind="piagam",
            number=appreciation.number,
            holder=appreciation.holder_name,
            event_title=appreciation.event.title,
            issued_on=appreciation.event.end_date,  # the date printed on it
            revoked_on=timezone.localdate(appreciation.revoked_at) if appreciation.revoked_at else None,
        )
    return None


def verification_url(token: str) -> str:
    """The absolute address of a paper's verification page, printed as its QR code (PUBLIC_BASE_URL + path)."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("reports:paper_verify", kwargs={"token": token})


# --- the laporan kegiatan -------------------------------------------------------------------------------------


@dataclass
class LaporanAccess:
    """The event of a laporan kegiatan, the sites of it the user may see, and whether the user may write it."""

    event: Event
    sites: list[EventSite]
    may_edit: bool


def laporan_access(*, user, event_id: int) -> LaporanAccess:
    """Who may read a laporan kegiatan: those who take the event's reports, through their scope (403 for other
    groups, 404 outside the scope: a pejabat reads and downloads). Who may write it (narrative, photos, scans):
    the Admin pusat and the event's panitia."""
    if not can_take_reports(user):
        raise PermissionDenied
    event, sites = event_for_reports(user=user, event_id=event_id)
    may_edit = is_central(user) or (
        G.PANITIA in group_names(user) and organized_event_ids(user).filter(pk=event.pk).exists()
    )
    return LaporanAccess(event=event, sites=sites, may_edit=may_edit)


def laporan_site(access: LaporanAccess, site_id: int) -> EventSite:
    """A site of the laporan's event the user may see (404 otherwise)."""
    site = next((site for site in access.sites if site.pk == site_id), None)
    if site is None:
        raise Http404
    return site


def activity_report_of(*, event: Event, site: EventSite | None = None) -> ActivityReport | None:
    return ActivityReport.objects.filter(event=event, site=site).select_related("updated_by").first()


def documentation_photos_of(*, site: EventSite) -> list[DocumentationPhoto]:
    return list(DocumentationPhoto.objects.filter(site=site).order_by("order", "id"))


def signed_sheets_of(*, site: EventSite) -> dict[int, SignedAttendanceSheet]:
    """session id → its signed daftar hadir scan, for the sessions of a site that have one (one query)."""
    return {sheet.session_id: sheet for sheet in SignedAttendanceSheet.objects.filter(session__site=site)}


def laporan_photo(*, site: EventSite, photo_id: int) -> DocumentationPhoto:
    photo = DocumentationPhoto.objects.filter(site=site, pk=photo_id).select_related("site").first()
    if photo is None:
        raise Http404
    return photo


def laporan_session(*, site: EventSite, session_id: int) -> Session:
    session = next((session for session in site.sessions.all() if session.pk == session_id), None)
    if session is None:
        raise Http404
    return session
