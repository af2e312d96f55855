"""Reads of participants data, scoped to the user; every list loads its relations up front."""

from django.db.models import Count, QuerySet

from events.models import Event
from participants.filters import RegistrationFilter
from participants.models import Registration
from participants.scoping import (
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
