"""What every report shares: its output, the letterhead of the organizer, the data of a site, the registry.

A report is a class with one job (`render()` → `ReportOutput`); the registry maps its `kind` (used in
URLs, jobs and the download log) to the class. Reports read with a fixed number of queries whatever
the number of rows, and never show a NIK or a phone number.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils.text import slugify

from core.pdf import Letterhead
from core.timezones import format_date_indonesian
from events.models import Agency, Event, EventSite, Session
from participants.models import Attendance, Registration

PDF = "pdf"
XLSX = "xlsx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
# Registrations printed on lists and counted as registered: not rejected, not withdrawn.
LISTED_STATUSES = Registration.SEAT_STATUSES


@dataclass
class ReportOutput:
    filename: str
    content_type: str
    content: bytes


def letterhead_for(agency: Agency) -> Letterhead:
    """The kop of the organizing agency; the logo is read through the storage (works off local disk too)."""
    logo = None
    if agency.logo:
        try:
            with agency.logo.open("rb") as handle:
                logo = io.BytesIO(handle.read())
        except (OSError, ValueError):
            logo = None
    return Letterhead(
        agency_name=agency.name,
        parent=agency.letterhead_parent,
        address=agency.address,
        contact=agency.letterhead_contact,
        logo_path=logo,
    )


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


def site_queryset():
    """Sites with what every report prints about them, in one query (plus one per prefetch)."""
    return EventSite.objects.select_related(
        "event__organizer", "event__program", "venue__regency__province"
    ).prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at")))


def site_registrations(site: EventSite, *, statuses=LISTED_STATUSES):
    """The registrations printed for a site, by name, with person, institution, province and role."""
    return (
        Registration.objects.filter(site=site, status__in=statuses)
        .select_related("person__agency", "person__school", "person__province", "role")
        .order_by("person__full_name", "id")
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


def site_lines(site: EventSite, *, statuses=LISTED_STATUSES) -> list[Line]:
    """The rows of a site's lists, by name, in one query of plain values (faster than model instances)."""
    values = site_registrations(site, statuses=statuses).values_list(
        "id",
        "code",
        "person__full_name",
        "person__nip",
        "person__nuptk",
        "person__position",
        "person__agency__name",
        "person__school__name",
        "role__name",
        "person__province__name",
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
        )
        for pk, code, name, nip, nuptk, position, agency, school, role, province in values
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


def file_stem(*parts) -> str:
    return "_".join(slugify(str(part))[:40] for part in parts if part)


class Report:
    """Base of every report. Subclasses set `kind`, `label`, `formats`, `scope` and implement `render`."""

    kind: str = ""
    label = ""
    formats: tuple[str, ...] = (PDF,)
    scope = "site"  # "site", "session" or "event": which object the report is about
    do_not_call_in_templates = True  # templates list the classes themselves

    def __init__(
        self,
        *,
        event: Event,
        site: EventSite | None = None,
        session: Session | None = None,
        sites: list[EventSite] | None = None,
        file_format: str = PDF,
        options: dict | None = None,
        progress: Callable[[int], None] | None = None,
    ):
        self.event = event
        self.site = site
        self.session = session
        self.sites = sites or ([site] if site else [])
        self.file_format = file_format
        self.options = options or {}
        self.progress = progress or (lambda percent: None)

    def row_count(self) -> int:
        """How many rows the report prints (decides whether it runs as a background job)."""
        if self.site is None:
            return 0
        return Registration.objects.filter(site=self.site, status__in=LISTED_STATUSES).count()

    def render(self) -> ReportOutput:
        raise NotImplementedError

    def output(self, stem: str, content: bytes) -> ReportOutput:
        return ReportOutput(f"{stem}.{self.file_format}", CONTENT_TYPES[self.file_format], content)

    def page_progress(self, expected_pages: int) -> Callable[[int], None]:
        """An `on_page` callback turning finished pages into a percentage (capped at 99 until done)."""
        expected = max(expected_pages, 1)
        return lambda page: self.progress(min(99, page * 100 // expected))


REGISTRY: dict[str, type[Report]] = {}


def register_report(cls: type[Report]) -> type[Report]:
    REGISTRY[cls.kind] = cls
    return cls
