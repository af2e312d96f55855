"""Reads of participants data, scoped to the user; every list loads its relations up front."""

from django.db.models import Count, Q, QuerySet

from events import groups as G
from events.models import Event, EventSite
from events.selectors import (
    group_names,
    is_central,
    nothing,
    organized_event_ids,
    scope_event_ids,
    scope_province_ids,
    sites_registrable_by,
    sites_visible_to,
)
from participants.forms import RegistrationFilter
from participants.models import Registration


def can_see_personal_data(user) -> bool:
    return user.is_authenticated and user.has_perm("participants.view_personal_data")


def registration_scope(user) -> Q:
    """A filter on Registration for the rows the user may see."""
    if is_central(user):
        return Q()
    names = group_names(user)
    condition = nothing()
    if G.PANITIA in names:
        condition |= Q(event__in=organized_event_ids(user))
    if G.KOORDINATOR_SITE in names:
        condition |= Q(site__in=EventSite.objects.filter(coordinators=user).values("id"))
    if G.VERIFIKATOR in names:
        condition |= Q(person__province__in=scope_province_ids(user))
    if G.PEJABAT in names:
        condition |= Q(person__province__in=scope_province_ids(user)) | Q(event__in=scope_event_ids(user))
    return condition


def registrations_visible_to(user) -> QuerySet[Registration]:
    return Registration.objects.filter(registration_scope(user))


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
