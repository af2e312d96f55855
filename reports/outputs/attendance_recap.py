"""Rekap kehadiran: attendance of one site per session (day), broken down by role and by province of
origin — registered vs attended, with totals. PDF and Excel, counted in the database (fixed queries)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from attendance.models import Attendance
from core.exports import PDF, ExportOutput, file_stem
from core.pdf import FONT_BOLD, PdfReport, escape, grid_style
from core.timezones import format_date_indonesian, in_zone
from core.xlsx import Column, Sheet, build_workbook, neutralise
from events.outputs import event_letterhead
from reports.outputs.base import Report, place_of, site_registrations
from reports.outputs.daftar_hadir import signatory_block

UNKNOWN = "(tidak diisi)"


def session_label(session, zone: str) -> str:
    return f"{session.name}, {format_date_indonesian(in_zone(session.starts_at, zone).date(), 'l, j F Y')}"


def breakdown(*, site, sessions, key: str) -> tuple[list[list], list]:
    """Rows [label, registered, attended per session…, total attendances] grouped by `key`
    ("role__name" or "province__name"), and the totals row. Two grouped queries."""
    registered = {
        row[key] or UNKNOWN: row["n"] for row in site_registrations(site).values(key).annotate(n=Count("id")).order_by()
    }
    attended: dict[tuple[str, int], int] = {}
    for row in (
        Attendance.objects.filter(session__site=site, registration__in=site_registrations(site).values("id"))
        .values(f"registration__{key}", "session_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        attended[(row[f"registration__{key}"] or UNKNOWN, row["session_id"])] = row["n"]
    labels = sorted(set(registered) | {label for label, _session in attended})
    rows = []
    for label in labels:
        per_session = [attended.get((label, session.id), 0) for session in sessions]
        rows.append([label, registered.get(label, 0), *per_session])
    totals = ["Jumlah", sum(r[1] for r in rows)]
    totals += [sum(r[2 + i] for r in rows) for i in range(len(sessions))]
    return rows, totals


class AttendanceRecapPdf(PdfReport):
    def __init__(self, *, site, sessions, parts, **kwargs):
        super().__init__(**kwargs)
        self.site, self.sessions, self.parts = site, sessions, parts
        self.title = f"Rekap Kehadiran {site.event.title}"

    def story(self) -> list:
        s = self.styles
        zone = self.site.time_zone
        flow = [
            Spacer(1, 4 * mm),
            Paragraph("REKAP KEHADIRAN PESERTA", s["title"]),
            Paragraph(escape(self.site.event.title), s["subtitle"]),
            Paragraph(escape(f"{self.site.name} — {place_of(self.site)}"), s["subtitle"]),
            Spacer(1, 4 * mm),
        ]
        sessions_head = [session_label(session, zone) for session in self.sessions]
        for heading, (rows, totals) in self.parts:
            first = 45 * mm
            rest = (self.frame_width - first) / (1 + len(self.sessions))
            header = [heading, "Terdaftar", *[Paragraph(escape(h), s["cell_bold"]) for h in sessions_head]]
            table = Table([header, *rows, totals], colWidths=[first] + [rest] * (1 + len(self.sessions)), repeatRows=1)
            style = grid_style()
            style.add("ALIGN", (1, 1), (-1, -1), "CENTER")
            style.add("FONTNAME", (0, -1), (-1, -1), FONT_BOLD)
            table.setStyle(style)
            flow += [Paragraph(escape(heading), s["heading"]), table, Spacer(1, 5 * mm)]
        flow.append(signatory_block(self.site.event, width=self.frame_width, styles=s))
        return flow


def recap_sheets(site, sessions, parts) -> list[Sheet]:
    """The Excel sheets of a site's attendance recap: one per breakdown (per role, per province of origin)."""
    zone = site.time_zone
    sheets = []
    for heading, (rows, totals) in parts:
        columns = [Column(heading, width=30), Column("Terdaftar", width=12)]
        columns += [Column(neutralise(session_label(session, zone)), width=26) for session in sessions]
        sheets.append(Sheet(title=heading, columns=columns, rows=[*rows, totals]))
    return sheets


class AttendanceRecap(Report):
    kind = "attendance_recap"
    label = gettext_lazy("Attendance recap by day, role and province")
    formats = (PDF, "xlsx")

    def row_count(self) -> int:
        return 0  # grouped counts: a few rows whatever the size of the site

    def render(self) -> ExportOutput:
        site = self.site
        sessions = list(site.sessions.all())
        parts = [
            ("Per Unsur", breakdown(site=site, sessions=sessions, key="role__name")),
            ("Per Provinsi Asal", breakdown(site=site, sessions=sessions, key="province__name")),
        ]
        stem = file_stem("rekap-kehadiran", site.event.slug, site.name)
        if self.file_format == PDF:
            pdf = AttendanceRecapPdf(site=site, sessions=sessions, parts=parts, letterhead=event_letterhead(site.event))
            return self.output(stem, pdf.render())
        return self.output(stem, build_workbook(recap_sheets(site, sessions, parts)))
