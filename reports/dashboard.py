"""The dashboard (dasbor): figures of an event, and of all events of a program, for the staff.

Every figure is counted by the database in a fixed number of grouped queries, whatever the number
of registrations, sites or sessions; every figure carries the address of the list behind it.
Charts are SVG drawn on the server (`bar_chart`), each with its numbers in a table beside it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from attendance.models import Attendance
from core.charts import Bar, Chart, bar_chart
from core.timezones import in_zone
from events.models import Event, EventSite, Program, Role, Session, SiteQuota, TrainingPhase
from events.selectors import sites_visible_to
from participants.models import Registration
from participants.selectors import registrations_visible_to
from rosters.models import Committee, SekolahPenggerak
from rosters.rules import findings_for_committees, iter_rules
from rosters.selectors import (
    WaitingCell,
    approval_chain,
    can_see_rosters,
    committees_visible_to,
    waiting_by_province_and_level,
)

Status = Registration.Status
SEATS = Registration.SEAT_STATUSES


def list_url(url_name: str, **params) -> str | None:
    """The address of a list filtered by `params`, or None while that list does not exist."""
    try:
        base = reverse(url_name)
    except NoReverseMatch:
        return None
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return f"{base}?{query}" if query else base


def registration_list_url(**params) -> str | None:
    return list_url("participants:registration_list", **params)


@dataclass
class SiteRow:
    site: EventSite
    cells: list[Bar]  # one per role: registered / target
    registered: int = 0
    target: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    waiting: list[int] = field(default_factory=list)  # one per role, beside `cells`: on the waiting list

    @property
    def cells_waiting(self) -> list[tuple[Bar, int]]:
        return list(zip(self.cells, self.waiting, strict=True))

    @property
    def waiting_total(self) -> int:
        return sum(self.waiting)


@dataclass
class RosterSection:
    """The Komite Pembelajaran figures of the event's cohort: validation progress, findings by rule, Tahap."""

    cohort: object
    total: int
    charts: list[Chart]
    unassigned_validated: int
    unassigned_url: str | None
    levels: list = field(default_factory=list)  # the approval chain of the cohort's program
    waiting_rows: list[tuple[str, list[WaitingCell]]] = field(default_factory=list)  # per province, one per level
    template_name: str = "reports/_roster_section.html"

    def chart(self, key: str) -> Chart:
        return next(chart for chart in self.charts if chart.key == key)


@dataclass
class EventDashboard:
    event: Event
    sites: list[EventSite]
    site: EventSite | None
    roles: list[Role]
    charts: list[Chart]
    site_rows: list[SiteRow]
    status_rows: list[tuple[EventSite, list[Bar]]]
    attendance: Chart
    present_unverified: int = 0
    roster: RosterSection | None = None

    @property
    def target_total(self) -> int:
        return sum(row.target for row in self.site_rows)

    @property
    def registered_total(self) -> int:
        return sum(row.registered for row in self.site_rows)

    @property
    def waiting_total(self) -> int:
        return sum(row.waiting_total for row in self.site_rows)

    @property
    def target_percent(self) -> int | None:
        """Registered ÷ target; None without a target (shown "—")."""
        return round(100 * self.registered_total / self.target_total) if self.target_total else None

    def chart(self, key: str) -> Chart:
        return next(chart for chart in self.charts if chart.key == key)


def roster_section(event: Event, *, user=None, sites=None) -> RosterSection | None:
    """The roster figures of the event's cohort that the user may see, in a fixed number of queries.

    Committees belong to a cohort, not to a site: the figures cover every committee of the cohort in
    the user's scope (the same rows as the roster list it links to), whichever site is shown.
    """
    if not event.cohort_id or user is None or not can_see_rosters(user):
        return None
    cohort = event.cohort
    committees = committees_visible_to(user).filter(cohort_id=event.cohort_id)
    # A cohort without Sekolah Penggerak (the PPGP workshops) has no Komite Pembelajaran to show.
    if not SekolahPenggerak.objects.filter(cohort_id=event.cohort_id).exists() and not committees.exists():
        return None
    base = {"cohort": event.cohort_id}

    def roster_url(**params) -> str | None:
        return list_url("rosters:roster_list", **base, **params)

    by_status = dict(committees.order_by().values_list("status").annotate(n=Count("id")))
    status_bars = [
        Bar(label=str(label), value=by_status.get(value, 0), url=roster_url(status=value))
        for value, label in Committee.Status.choices
    ]

    phases = list(TrainingPhase.objects.filter(cohort_id=event.cohort_id).order_by("number"))
    by_phase = dict(committees.filter(phase__isnull=False).order_by().values_list("phase_id").annotate(n=Count("id")))
    phase_bars = [
        Bar(label=str(phase), value=by_phase.get(phase.pk, 0), target=phase.capacity, url=roster_url(phase=phase.pk))
        for phase in phases
    ]
    unassigned = (
        by_status.get(Committee.Status.VALIDATED, 0)
        - committees.filter(status=Committee.Status.VALIDATED, phase__isnull=False).count()
    )

    # Findings are computed by the rule engine, not stored per rule: run it once over the cohort.
    findings = findings_for_committees(committees.select_related("school__regency"))
    with_rule: dict[str, int] = defaultdict(int)
    for committee_findings in findings.values():
        for code in {finding.code for finding in committee_findings}:
            with_rule[code] += 1
    rule_bars = [
        Bar(label=str(registered.label), value=with_rule[registered.code], url=roster_url(rule=registered.code))
        for registered in iter_rules()
        if with_rule[registered.code]
    ]
    charts = [
        bar_chart(
            "roster_status", _("Komite Pembelajaran: validation progress"), status_bars, value_label=_("Committees")
        ),
        bar_chart(
            "roster_findings",
            _("Komite Pembelajaran: committees with a finding, per rule"),
            rule_bars,
            value_label=_("Committees"),
        ),
        bar_chart(
            "roster_tahap",
            _("Komite Pembelajaran: Tahap allocation"),
            phase_bars,
            value_label=_("Committees"),
            target_label=_("Capacity"),
        ),
    ]
    # How many committees wait at each approval level, per province, and since when the oldest waits.
    levels = approval_chain(cohort.program_id)
    waiting = waiting_by_province_and_level(committees=committees)
    provinces = sorted({province for province, _level in waiting})
    waiting_rows = [
        (province, [waiting.get((province, level.order), WaitingCell()) for level in levels]) for province in provinces
    ]
    return RosterSection(
        cohort=cohort,
        total=sum(by_status.values()),
        charts=charts,
        unassigned_validated=unassigned,
        unassigned_url=roster_url(status=Committee.Status.VALIDATED, no_phase="on"),
        levels=levels,
        waiting_rows=waiting_rows,
    )


ATTENDANCE_DEFINITION = _(
    "Attendance % of a day = persons with a verified registration at the site who checked in to at least one "
    "session that day ÷ persons with a verified registration at the site. Each person counts once a day, "
    "however many sessions or check-ins."
)


def _verified_people(*, registrations, verified_registrations: dict[int, int]) -> dict[int, int]:
    """Distinct persons with a verified registration, per site: the verified registrations already counted per
    site, corrected by one query over the flagged registrations alone.

    An unflagged registration (review "") that is not withdrawn is the person's only one of the event (the unique
    constraint registration_one_active_per_person_and_event), so a site's unflagged verified registrations are as
    many as their persons. Only flagged ones (a public registration kept for the organizer's judgement, rare) may
    repeat a person: they are read through their partial index, never the whole event.
    """
    people = dict(verified_registrations)
    flagged = registrations.filter(status=Status.VERIFIED).exclude(review="")
    unflagged_of_same_person = registrations.filter(
        site_id=OuterRef("site_id"), person_id=OuterRef("person_id"), status=Status.VERIFIED, review=""
    )
    for site_id, flagged_count, new_people in (
        flagged.order_by()
        .values_list("site_id")
        .annotate(
            n=Count("id"),
            new_people=Count("person_id", distinct=True, filter=~Exists(unflagged_of_same_person)),
        )
    ):
        people[site_id] = people.get(site_id, 0) - flagged_count + new_people
    return people


def _attendance_per_day(
    *, sites: list[EventSite], registrations, verified_registrations: dict[int, int], base: dict, several_sites: bool
) -> tuple[list[Bar], int]:
    """One bar per site and day (the day in the site's zone): distinct persons present ÷ distinct persons verified.

    Only verified persons count on both sides, so a bar never exceeds 100 %; those checked in without a
    verified registration are returned apart (the second value, distinct persons). Four queries.
    """
    site_ids = [s.pk for s in sites]
    site_by_id = {s.pk: s for s in sites}
    sessions = list(Session.objects.filter(site__in=site_ids).order_by("starts_at", "site__order"))
    verified = _verified_people(registrations=registrations, verified_registrations=verified_registrations)
    # (site, day) in the order of the first session of that day; the list link goes to that session.
    days: dict[tuple[int, object], Session] = {}
    day_of_session: dict[int, tuple[int, object]] = {}
    for session in sessions:
        key = (session.site_id, in_zone(session.starts_at, site_by_id[session.site_id].time_zone).date())
        days.setdefault(key, session)
        day_of_session[session.pk] = key
    # Counted by the database in one pass over the check-ins joined to their registrations: one distinct count per
    # day (its sessions), one for the unverified; the row that comes back is one, whatever the number of check-ins.
    # Read from the registrations side, so the user's scope and the sites filter the registrations themselves
    # (their covering index) rather than a list of their ids.
    day_keys = list(days)
    present: dict[tuple[int, object], int] = {}
    unverified = 0
    if day_of_session:
        sessions_of_day: dict[tuple[int, object], list[int]] = defaultdict(list)
        for session_id, key in day_of_session.items():
            sessions_of_day[key].append(session_id)
        verified_there = {
            f"day_{number}": Count(
                "person_id",
                distinct=True,
                filter=Q(status=Status.VERIFIED, attendances__session_id__in=sessions_of_day[key]),
            )
            for number, key in enumerate(day_keys)
        }
        counted = (
            registrations.filter(attendances__session__in=list(day_of_session))
            .order_by()
            .aggregate(
                **verified_there, unverified=Count("person_id", distinct=True, filter=~Q(status=Status.VERIFIED))
            )
        )
        present = {key: counted[f"day_{number}"] for number, key in enumerate(day_keys)}
        unverified = counted["unverified"]
    bars = []
    for (site_id, day), first_session in days.items():
        site = site_by_id[site_id]
        day_text = formats.date_format(day, "D j M Y")
        bars.append(
            Bar(
                label=f"{site.name} · {day_text}" if several_sites else day_text,
                value=present.get((site_id, day), 0),
                target=verified.get(site_id, 0),
                url=registration_list_url(**base, site=site_id, session=first_session.pk),
            )
        )
    return bars, unverified


def event_dashboard(*, user, event: Event, site: EventSite | None = None) -> EventDashboard:
    """All figures of one event (or one of its sites) that the user may see, in a fixed number of queries."""
    sites = list(
        sites_visible_to(user).filter(event=event).select_related("venue__regency__province").order_by("order", "name")
    )
    if site is not None:
        sites = [s for s in sites if s.pk == site.pk]
    site_ids = [s.pk for s in sites]
    roles = list(Role.objects.filter(program_id=event.program_id).order_by("order", "name"))

    targets: dict[tuple[int, int], int] = {}
    for row in SiteQuota.objects.filter(site__in=site_ids).values("site_id", "role_id", "target"):
        targets[row["site_id"], row["role_id"]] = row["target"]
    counts: dict[tuple[int, int, str], int] = defaultdict(int)
    registrations = registrations_visible_to(user).filter(site__in=site_ids)
    for row in registrations.order_by().values("site_id", "role_id", "status").annotate(n=Count("id")):
        counts[row["site_id"], row["role_id"], row["status"]] = row["n"]

    def registered(site_id=None, role_id=None, statuses=SEATS) -> int:
        return sum(
            n
            for (s, r, status), n in counts.items()
            if status in statuses and (site_id is None or s == site_id) and (role_id is None or r == role_id)
        )

    # Roles shown: those with a target or with registrations; "unsur lainnya" has no target.
    shown_roles = [
        role
        for role in roles
        if any(key[1] == role.pk for key in targets) or registered(role_id=role.pk, statuses=Status.values)
    ]
    base = {"event": event.pk}
    single_site = {"site": site.pk} if site is not None else {}

    role_bars = []
    for role in shown_roles:
        role_targets = [t for (s, r), t in targets.items() if r == role.pk]
        role_bars.append(
            Bar(
                label=role.name,
                value=registered(role_id=role.pk),
                target=sum(role_targets) if role_targets else None,
                url=registration_list_url(**base, **single_site, role=role.pk),
            )
        )
    site_bars = []
    site_rows = []
    for s in sites:
        site_targets = [t for (site_id, r), t in targets.items() if site_id == s.pk]
        cells = [
            Bar(
                label=role.name,
                value=registered(site_id=s.pk, role_id=role.pk),
                target=targets.get((s.pk, role.pk)),
                url=registration_list_url(**base, site=s.pk, role=role.pk),
            )
            for role in shown_roles
        ]
        statuses = {status: registered(site_id=s.pk, statuses=[status]) for status in Status.values}
        row = SiteRow(
            site=s,
            cells=cells,
            registered=registered(site_id=s.pk),
            target=sum(site_targets),
            statuses=statuses,
            waiting=[registered(site_id=s.pk, role_id=role.pk, statuses=[Status.WAITING]) for role in shown_roles],
        )
        site_rows.append(row)
        site_bars.append(
            Bar(
                label=s.name,
                value=row.registered,
                target=row.target if site_targets else None,
                url=registration_list_url(**base, site=s.pk),
            )
        )

    status_bars = [
        Bar(
            label=str(Status(status).label),
            value=registered(statuses=[status]),
            url=registration_list_url(**base, **single_site, status=status),
        )
        for status in Status.values
    ]
    status_rows = [
        (
            s,
            [
                Bar(
                    label=str(Status(status).label),
                    value=registered(site_id=s.pk, statuses=[status]),
                    url=registration_list_url(**base, site=s.pk, status=status),
                )
                for status in Status.values
            ],
        )
        for s in sites
    ]

    attendance_bars, present_unverified = _attendance_per_day(
        sites=sites,
        registrations=registrations,
        verified_registrations={s.pk: registered(site_id=s.pk, statuses=[Status.VERIFIED]) for s in sites},
        base=base,
        several_sites=len(sites) > 1,
    )

    charts = [
        bar_chart(
            "targets",
            _("Registrations against targets, per role"),
            role_bars,
            value_label=_("Registered"),
            target_label=_("Target"),
        ),
        bar_chart(
            "sites", _("Registrations per site"), site_bars, value_label=_("Registered"), target_label=_("Target")
        ),
        bar_chart("verification", _("Verification progress"), status_bars, value_label=_("Registrations")),
    ]
    attendance = bar_chart(
        "attendance",
        _("Attendance per day"),
        attendance_bars,
        value_label=_("Present"),
        target_label=_("Verified"),
        definition=ATTENDANCE_DEFINITION,
    )
    return EventDashboard(
        event=event,
        sites=sites,
        site=site,
        roles=shown_roles,
        charts=charts,
        site_rows=site_rows,
        status_rows=status_rows,
        attendance=attendance,
        present_unverified=present_unverified,
        roster=roster_section(event, user=user, sites=sites),
    )


# --- the program page of the Admin pusat ---


@dataclass
class ProgramEventRow:
    event: Event
    sites: int
    target: int
    registered: int
    verified: int
    present: int
    url: str


def program_overview(*, program: Program) -> tuple[list[ProgramEventRow], Chart]:
    """Every event of a program with its totals (for the Admin pusat, who sees everything): 4 queries."""
    events = list(Event.objects.filter(program=program).annotate(site_count=Count("sites")).order_by("-start_date"))
    event_ids = [e.pk for e in events]
    targets = dict(
        SiteQuota.objects.filter(site__event__in=event_ids)
        .order_by()
        .values_list("site__event_id")
        .annotate(total=Sum("target"))
    )
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in (
        Registration.objects.filter(event__in=event_ids).order_by().values("event_id", "status").annotate(n=Count("id"))
    ):
        counts[row["event_id"], row["status"]] = row["n"]
    present = dict(
        Attendance.objects.filter(registration__event__in=event_ids)
        .order_by()
        .values_list("registration__event_id")
        .annotate(n=Count("registration_id", distinct=True))
    )
    rows = [
        ProgramEventRow(
            event=e,
            sites=e.site_count,
            target=targets.get(e.pk) or 0,
            registered=sum(counts[e.pk, status] for status in SEATS),
            verified=counts[e.pk, Status.VERIFIED],
            present=present.get(e.pk, 0),
            url=reverse("reports:dashboard_event", kwargs={"event_id": e.pk}),
        )
        for e in events
    ]
    chart = bar_chart(
        "program",
        _("Registrations against targets, per event"),
        [Bar(label=row.event.title, value=row.registered, target=row.target or None, url=row.url) for row in rows],
        value_label=_("Registered"),
        target_label=_("Target"),
    )
    return rows, chart
