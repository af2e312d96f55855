"""Reads of events for the public pages, with their relations loaded in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from events.models import Event, EventSite, Role, Session, SiteQuota

PUBLIC_STATUSES = [Event.Status.PUBLISHED, Event.Status.CLOSED]


def event_list_public() -> tuple[list[Event], list[Event]]:
    """Published events split into (upcoming or running, past), soonest first / latest first."""
    today = timezone.localdate()
    events = list(
        Event.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("program", "cohort", "organizer")
        .prefetch_related(Prefetch("sites", queryset=EventSite.objects.select_related("venue__regency__province")))
    )
    upcoming = sorted((e for e in events if e.end_date >= today), key=lambda e: e.start_date)
    past = sorted((e for e in events if e.end_date < today), key=lambda e: e.start_date, reverse=True)
    return upcoming, past


def event_detail_public(*, slug: str) -> Event:
    """One published event with objectives, sites (venue, provinces, sessions, quotas) and roles."""
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
    return get_object_or_404(queryset, slug=slug)


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
