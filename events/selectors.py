"""Reads of events: for the public pages, with their relations loaded in a fixed number of queries; and the
staff's scope, which every view, export and admin page filters its rows through.

Scopes (DESIGN.md): Admin pusat sees everything; Panitia the events it organizes (or is given in
its UserScope); Koordinator site its sites; Verifikator the provinces of its UserScope; Operator
Dinas its provinces/regencies; Pejabat its provinces or the events it is given. A user in several
groups sees the union. Requests for rows outside the scope must end in 404.
"""

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.cache import ProcessMemo
from events import groups as G
from events.links import PublicLink
from events.models import (
    Agency,
    Cohort,
    Event,
    EventSite,
    Program,
    Province,
    Regency,
    Role,
    Session,
    SiteQuota,
    Venue,
)

PUBLIC_STATUSES = [Event.Status.PUBLISHED, Event.Status.CLOSED]


def event_list_public() -> tuple[list[Event], list[Event]]:
    """Published events split into (upcoming or running, past), soonest first / latest first."""
    today = timezone.localdate()
    events = list(
        Event.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("program", "cohort", "organizer")
        .prefetch_related(Prefetch("sites", queryset=EventSite.objects.select_related("venue__regency__province")))
    )
    for event in events:
        event.organizer_named = agency_as_named_on(event.organizer, event.start_date)
    upcoming = sorted((e for e in events if e.end_date >= today), key=lambda e: e.start_date)
    past = sorted((e for e in events if e.end_date < today), key=lambda e: e.start_date, reverse=True)
    return upcoming, past


def public_event_links(event: Event) -> list[PublicLink]:
    """The links the areas offer on the public event page (events.links), in the order of INSTALLED_APPS."""
    links: list[PublicLink] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "public_event_links", None)
        if provider is not None:
            links += provider(event)
    return links


def event_detail_public(*, slug: str) -> Event:
    """One published event with objectives, sites (venue, provinces, sessions, quotas) and roles; its organizer
    as named on the event's date (`organizer_named`)."""
    sites = EventSite.objects.select_related("venue__regency__province").prefetch_related(
        "provinces_served",
        Prefetch("sessions", queryset=Session.objects.order_by("starts_at")),
        Prefetch("quotas", queryset=SiteQuota.objects.select_related("role")),
    )
    queryset = (
        Event.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("program", "cohort__program", "organizer__type", "organizer__province")
        .prefetch_related("objectives", Prefetch("sites", queryset=sites))
    )
    event = get_object_or_404(queryset, slug=slug)
    event.organizer_named = agency_as_named_on(event.organizer, event.start_date)
    return event


@dataclass
class TargetRow:
    role: Role
    cells: list[int | None]
    total: int | None


@dataclass
class TargetTable:
    """Targets per role (rows) × site (columns) with row and column totals."""

    sites: list[EventSite]
    rows: list[TargetRow] = field(default_factory=list)
    column_totals: list[int] = field(default_factory=list)
    grand_total: int = 0

    @property
    def has_targets(self) -> bool:
        return any(row.total for row in self.rows)


def target_table(*, event: Event) -> TargetTable:
    """Build the table from the prefetched sites and quotas of `event_detail_public` (one query for roles)."""
    sites = list(event.sites.all())
    targets = {(quota.site_id, quota.role_id): quota.target for site in sites for quota in site.quotas.all()}
    roles_with_targets = {role_id for (_site, role_id) in targets}
    roles = [r for r in event.program.roles.all() if r.id in roles_with_targets or r.is_other]
    table = TargetTable(sites=sites)
    for role in roles:
        cells = [targets.get((site.id, role.id)) for site in sites]
        known = [c for c in cells if c is not None]
        table.rows.append(TargetRow(role=role, cells=cells, total=sum(known) if known else None))
    table.column_totals = [sum(targets.get((site.id, role.id)) or 0 for role in roles) for site in sites]
    table.grand_total = sum(table.column_totals)
    return table


# --- the staff's scope: who may see which province, event or site ---


def group_names(user) -> frozenset[str]:
    """The user's group names, read once per request object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_group_names_cache"):
        user._group_names_cache = frozenset(user.groups.values_list("name", flat=True))
    return user._group_names_cache


def is_central(user) -> bool:
    """Admin pusat (or a superuser): every event, every province."""
    return user.is_authenticated and (user.is_superuser or G.ADMIN_PUSAT in group_names(user))


def scope_province_ids(user) -> QuerySet:
    return Province.objects.filter(userscope__user=user).values("id")


def scope_regency_ids(user) -> QuerySet:
    return Regency.objects.filter(userscope__user=user).values("id")


def scope_event_ids(user) -> QuerySet:
    return Event.objects.filter(userscope__user=user).values("id")


def organized_event_ids(user) -> QuerySet:
    return Event.objects.filter(Q(organizers=user) | Q(userscope__user=user)).values("id")


def nothing() -> Q:
    return Q(pk__in=[])


def site_scope(user) -> Q:
    """A filter on EventSite for the sites where the user works or may look."""
    if is_central(user):
        return Q()
    names = group_names(user)
    condition = nothing()
    if G.PANITIA in names:
        condition |= Q(event__in=organized_event_ids(user))
    if G.KOORDINATOR_SITE in names:
        condition |= Q(pk__in=EventSite.objects.filter(coordinators=user).values("id"))
    if G.VERIFIKATOR in names or G.PEJABAT in names:
        served = EventSite.objects.filter(provinces_served__in=scope_province_ids(user)).values("id")
        condition |= Q(pk__in=served)
    if G.PEJABAT in names:
        condition |= Q(event__in=scope_event_ids(user))
    return condition


def sites_visible_to(user) -> QuerySet[EventSite]:
    return EventSite.objects.filter(site_scope(user))


def events_visible_to(user) -> QuerySet[Event]:
    return Event.objects.filter(pk__in=sites_visible_to(user).values("event_id"))


def event_scope(user) -> Q:
    """A filter on Event: the events of the user's sites, and those it organizes as Panitia (even before they
    have a site)."""
    if is_central(user):
        return Q()
    condition = Q(pk__in=sites_visible_to(user).values("event_id"))
    if G.PANITIA in group_names(user):
        condition |= Q(pk__in=organized_event_ids(user))
    return condition


def sites_organized_by(user) -> QuerySet[EventSite]:
    """Sites whose sessions the user may set: every site for central users, the sites of the events it
    organizes for a Panitia, none for anyone else."""
    if is_central(user):
        return EventSite.objects.all()
    if G.PANITIA not in group_names(user):
        return EventSite.objects.none()
    return EventSite.objects.filter(event__in=organized_event_ids(user))


def venue_scope(user) -> Q:
    """A filter on Venue: the venues of the user's sites and of the public events (their addresses are on the
    public pages); a venue used by no site, or only by unpublished events of others, stays out."""
    if is_central(user):
        return Q()
    public = EventSite.objects.filter(event__status__in=PUBLIC_STATUSES).values("venue_id")
    return Q(pk__in=sites_visible_to(user).values("venue_id")) | Q(pk__in=public)


def sites_registrable_by(user) -> QuerySet[EventSite]:
    """Sites where the user may register participants: panitia of the event, koordinator of the site."""
    if is_central(user):
        return EventSite.objects.all()
    names = group_names(user)
    condition = nothing()
    if G.PANITIA in names:
        condition |= Q(event__in=organized_event_ids(user))
    if G.KOORDINATOR_SITE in names:
        condition |= Q(pk__in=EventSite.objects.filter(coordinators=user).values("id"))
    return EventSite.objects.filter(condition)


# --- agency history ---

AGENCY_HISTORY_DEPTH = 10  # renamings followed at most (a chain with a loop typed in the admin ends too)


def agency_as_named_on(agency: Agency, day: date) -> Agency:
    """The agency as it was named on `day`: itself when valid that day, else the successor (later days) or the
    predecessor (earlier days) that was, following the `successor` chain (LPMP Provinsi NTB → BPMP Provinsi
    NTB; Balai Guru Penggerak → Balai Guru dan Tenaga Kependidikan).

    `agency` itself when no row of its history was valid that day, or when two predecessors were (two bodies
    merged into this one: the app cannot tell which one held the event). One query per renaming followed.
    """
    if agency.is_valid_on(day):
        return agency
    seen = {agency.pk}
    if agency.valid_to is not None and day > agency.valid_to:
        current = agency
        for _step in range(AGENCY_HISTORY_DEPTH):
            if current.successor_id is None or current.successor_id in seen:
                break
            current = Agency.objects.get(pk=current.successor_id)
            seen.add(current.pk)
            if current.is_valid_on(day):
                return current
        return agency
    frontier = [agency.pk]
    for _step in range(AGENCY_HISTORY_DEPTH):
        found = list(Agency.objects.filter(successor_id__in=frontier).exclude(pk__in=seen))
        if not found:
            break
        valid = [candidate for candidate in found if candidate.is_valid_on(day)]
        if valid:
            return valid[0] if len(valid) == 1 else agency
        seen.update(candidate.pk for candidate in found)
        frontier = [candidate.pk for candidate in found]
    return agency


# --- the public registration's fixed data, kept per process (the hot path of a registration link) ---

# A worker reads the shared version at most once per 2 s: under a crowd, most registrations then read nothing of the
# place from the database, and another server's change to the event (closing the registration, say) reaches this
# worker within 2 s. Seats are never decided on this memory: the quota is read under its lock.
REGISTRATION_PLACES = ProcessMemo("events.registration_place", recheck=2.0)
# What a registration place is made of: saving or deleting any of these drops every worker's copies (events/apps.py).
REGISTRATION_PLACE_MODELS = (Event, EventSite, Program, Cohort, Role, Province, Regency, Venue, Agency)


@dataclass(frozen=True)
class RegistrationPlace:
    """What the public registration of one site reads on every request, none of which changes per request.

    `site` with its event (program, organizer and its province) and venue (regency, province) loaded; the roles of
    the event's program by id, in their order; every province by id; `served` as `provinces_served_by_site` gives
    it; the event's `organizer_named` is the organizer under its name of the event's date. Shared by the threads
    of a worker: read only.
    """

    site: EventSite
    roles: dict[int, Role]
    provinces: dict[int, Province]
    served: dict


def provinces_served_by_site(event_id: int) -> dict:
    """Site id → ids of the provinces it serves, and "names": site id → name, for one event (one query)."""
    served: dict = {"names": {}}
    rows = (
        EventSite.objects.filter(event_id=event_id)
        .order_by("order", "pk")
        .values_list("pk", "name", "provinces_served")
    )
    for pk, name, province_id in rows:
        served["names"][pk] = name
        served.setdefault(pk, set())
        if province_id is not None:
            served[pk].add(province_id)
    return served


def _registration_place_load(site_id: int) -> RegistrationPlace | None:
    site = (
        EventSite.objects.select_related("event__organizer__province", "event__program", "venue__regency__province")
        .filter(pk=site_id)
        .first()
    )
    if site is None:
        return None
    event = site.event
    event.organizer_named = agency_as_named_on(event.organizer, event.start_date)
    return RegistrationPlace(
        site=site,
        roles={role.pk: role for role in Role.objects.filter(program_id=event.program_id).order_by("order")},
        provinces={province.pk: province for province in Province.objects.order_by("name")},
        served=provinces_served_by_site(event.pk),
    )


def registration_place(site_id: int) -> RegistrationPlace | None:
    """The public registration's data of a site (None when there is no such site), from this process's memory
    while nothing it is made of has changed: one read of the memo's version instead of a query per part."""
    return REGISTRATION_PLACES.get(site_id, lambda: _registration_place_load(site_id))


def registration_places_changed(**kwargs) -> None:
    """Signal receiver: a row a registration place is made of was saved or deleted."""
    REGISTRATION_PLACES.bump()
