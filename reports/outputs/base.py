"""What every official report shares: the letterhead of the organizer, the data of a site, its scope.

A report is an exporter of the export kit (`core.exports`) with one job (`render()` → `ExportOutput`);
`settings.EXPORTERS` lists it. Reports read with a fixed number of queries whatever the number of
rows, and never show a NIK or a phone number.
"""

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from attendance.models import Attendance
from core.exports import Exporter
from core.params import is_id
from core.timezones import format_date_indonesian
from events.models import EventSite
from participants.models import Registration
from reports.selectors import can_take_reports, report_sites_for, site_queryset
from reports.services import LISTED_STATUSES


def date_range_indonesian(start: date, end: date) -> str:
    """`15–16 Oktober 2022`, `30 Mei – 2 Juni 2021`, `20 Mei 2021`."""
    if start == end:
        return format_date_indonesian(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date_indonesian(end, 'j F Y')}"
    if start.year == end.year:
        return f"{format_date_indonesian(start, 'j F')} – {format_date_indonesian(end, 'j F Y')}"
    return f"{format_date_indonesian(start, 'j F Y')} – {format_date_indonesian(end, 'j F Y')}"


def place_of(site: EventSite) -> str:
    venue = site.venue
    return f"{venue.name}, {venue.regency.name}"


def site_registrations(site: EventSite, *, statuses=LISTED_STATUSES):
    """The registrations printed for a site, by name, with institution, province and role: the data as entered
    for each registration (its own copy of the person's data)."""
    return (
        Registration.objects.filter(site=site, status__in=statuses)
        .select_related("agency", "school", "province", "role")
        .order_by("full_name", "id")
    )


@dataclass
class Line:
    """One printed row of a list of participants (plain values: thousands of rows, no model instances)."""

    id: int
    code: str
    full_name: str
    nip: str
    nuptk: str
    position: str
    institution: str
    role: str
    province: str
    status: str = ""


def site_lines(site: EventSite, *, statuses=LISTED_STATUSES) -> list[Line]:
    """The rows of a site's lists, by name, in one query of plain values (faster than model instances)."""
    values = site_registrations(site, statuses=statuses).values_list(
        "id",
        "code",
        "full_name",
        "nip",
        "nuptk",
        "position",
        "agency__name",
        "school__name",
        "role__name",
        "province__name",
        "status",
    )
    return [
        Line(
            id=pk,
            code=code,
            full_name=name,
            nip=nip,
            nuptk=nuptk,
            position=position or role,
            institution=agency or school or "",
            role=role,
            province=province or "",
            status=status,
        )
        for pk, code, name, nip, nuptk, position, agency, school, role, province, status in values
    ]


def attendance_by_registration(site: EventSite) -> dict[int, dict[int, Attendance]]:
    """registration id → {session id → attendance} for a site (one query)."""
    table: dict[int, dict[int, Attendance]] = {}
    for attendance in Attendance.objects.filter(session__site=site).only(
        "id", "registration_id", "session_id", "checked_in_at"
    ):
        table.setdefault(attendance.registration_id, {})[attendance.session_id] = attendance
    return table


def identifier_of(person) -> str:
    """NIP, else NUPTK, printed in full: public service numbers. The NIK is never printed."""
    if person.nip:
        return person.nip
    if person.nuptk:
        return f"NUPTK {person.nuptk}"
    return "-"


class Report(Exporter):
    """Base of the official reports of an event: its `scope` says which object the report is about
    ("event", "site" or "session"); the URL gives the event, the query string the site and session.

    Only the groups that take reports may take one (403), and only of the sites of their scope (404).
    """

    scope = "site"  # "site", "session" or "event"
    query_params = ("site", "session")

    @classmethod
    def may_take(cls, user) -> bool:
        return can_take_reports(user)

    def load(self) -> None:
        event_id = self.params.get("event_id")
        if not is_id(event_id):
            raise Http404
        sites = list(site_queryset().filter(pk__in=report_sites_for(self.user).values("pk"), event_id=event_id))
        if not sites:
            raise Http404
        self.event, self.sites = sites[0].event, sites
        self.site = self.session = None
        if self.scope in ("site", "session"):
            site_id = self.params.get("site")
            self.site = next((s for s in sites if is_id(site_id) and s.pk == int(site_id)), None)
            if self.site is None:
                raise Http404
            self.sites = [self.site]
        if self.scope == "session":
            session_id = self.params.get("session")
            self.session = next(
                (s for s in self.site.sessions.all() if is_id(session_id) and s.pk == int(session_id)), None
            )
            if self.session is None:
                raise Http404

    def job_params(self) -> dict:
        params = {"event_id": self.event.pk}
        if self.site is not None:
            params["site"] = self.site.pk
        if self.session is not None:
            params["session"] = self.session.pk
        return params

    def description(self) -> str:
        parts = [str(self.label), self.event.title]
        parts += [obj.name for obj in (self.site, self.session) if obj is not None]
        return " — ".join(parts)

    def row_count(self) -> int:
        """How many rows the report prints (decides whether it runs as a background job)."""
        if self.site is None:
            return 0
        return Registration.objects.filter(site=self.site, status__in=LISTED_STATUSES).count()
