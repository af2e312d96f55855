"""Reads of the reports area, scoped to the user: who may take reports, of which sites, and the sites with
what every report prints about them (constant queries)."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from events import groups as G
from events.models import Event, EventSite, Session
from events.selectors import group_names, is_central, sites_visible_to

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
