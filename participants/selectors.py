"""Reads of participants data, scoped to the user; every list loads its relations up front."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from events.models import Event, EventSite, Session
from participants import groups as G
from participants.filters import RegistrationFilter
from participants.models import Registration
from participants.scoping import (
    group_names,
    is_central,
    registrations_visible_to,
    sites_registrable_by,
    sites_visible_to,
)


def registration_list(*, user, params) -> RegistrationFilter:
    """The filtered registrations the user may see (`.qs`), with the filter form (`.form`)."""
    queryset = registrations_visible_to(user).select_related(
        "person__agency__type", "person__school", "person__province", "site__event", "role", "event"
    )
    return RegistrationFilter(params, queryset=queryset, sites=sites_visible_to(user))


def importable_events(user) -> QuerySet[Event]:
    """Events the user may import registrations into (Panitia of the event, Koordinator of a site, Admin pusat)."""
    return Event.objects.filter(pk__in=sites_registrable_by(user).values("event_id")).order_by("-start_date", "title")


def status_counts(queryset: QuerySet[Registration]) -> dict[str, int]:
    """How many registrations of the queryset are in each status (one query)."""
    counts = {status: 0 for status in Registration.Status.values}
    for row in queryset.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


# --- reports: who may take them, of which sites ---

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
