"""Rekapitulasi peserta: roles (unsur) × sites with row and column totals of target, registered,
verified and attended. Rows are the roles with a target at some site, then one "Lainnya" row for every
other role (or every role, when the event sets no targets). PDF and Excel.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from attendance.models import Attendance
from core.exports import PDF, ExportOutput, file_stem
from core.pdf import FONT, FONT_BOLD, PdfReport, escape
from core.xlsx import Column, Sheet, build_workbook, neutralise
from events.models import Role, SiteQuota
from events.outputs import event_letterhead
from participants.models import Registration
from reports.outputs.base import Report, date_range_indonesian
from reports.outputs.daftar_hadir import signatory_block

MEASURES = ("target", "registered", "verified", "attended")
MEASURE_HEADERS = {"target": "Target", "registered": "Terdaftar", "verified": "Terverifikasi", "attended": "Hadir"}
SHORT_HEADERS = {**MEASURE_HEADERS, "registered": "Daftar", "verified": "Verif."}
OTHER_LABEL = "Lainnya"


@dataclass
class Figures:
    target: int | None = None
    registered: int = 0
    verified: int = 0
    attended: int = 0

    def add(self, other: "Figures") -> None:
        if other.target is not None:
            self.target = (self.target or 0) + other.target
        self.registered += other.registered
        self.verified += other.verified
        self.attended += other.attended


@dataclass
class RekapRow:
    label: str
    cells: list[Figures]
    total: Figures = field(default_factory=Figures)


@dataclass
class RekapTable:
    sites: list
    rows: list[RekapRow]
    totals: list[Figures]
    grand_total: Figures


def rekap_table(*, event, sites) -> RekapTable:
    """The figures in three queries (quotas, roles, grouped registration counts), whatever the rows."""
    site_ids = [site.id for site in sites]
    targets = {(quota.site_id, quota.role_id): quota.target for quota in SiteQuota.objects.filter(site_id__in=site_ids)}
    roles = list(Role.objects.filter(program_id=event.program_id).order_by("order", "name"))
    target_roles = {role_id for (_site, role_id) in targets}
    attended = Attendance.objects.filter(registration=OuterRef("pk"))
    counts = (
        Registration.objects.filter(site_id__in=site_ids, status__in=Registration.SEAT_STATUSES)
        .annotate(was_there=Exists(attended))
        .values("site_id", "role_id", "status", "was_there")
        .annotate(n=Count("id"))
        .order_by()
    )
    raw: dict[tuple[int, int], Figures] = {}
    for row in counts:
        figures = raw.setdefault((row["site_id"], row["role_id"]), Figures())
        figures.registered += row["n"]
        if row["status"] == Registration.Status.VERIFIED:
            figures.verified += row["n"]
        if row["was_there"]:
            figures.attended += row["n"]
    # Rows: the roles with targets; the others fold into "Lainnya". Without any target, every role is a row.
    if target_roles:
        listed = [role for role in roles if role.id in target_roles]
    else:
        listed = [role for role in roles if not role.is_other]
    listed_ids = {role.id for role in listed}
    others = [role for role in roles if role.id not in listed_ids]
    rows = []
    for role in listed:
        cells = []
        for site in sites:
            figures = Figures(target=targets.get((site.id, role.id)))
            figures.add(raw.get((site.id, role.id), Figures()))
            cells.append(figures)
        rows.append(RekapRow(label=role.name, cells=cells))
    if others:
        cells = []
        for site in sites:
            figures = Figures()
            for role in others:
                figures.add(Figures(target=targets.get((site.id, role.id))))
                figures.add(raw.get((site.id, role.id), Figures()))
            cells.append(figures)
        rows.append(RekapRow(label=OTHER_LABEL, cells=cells))
    totals = [Figures() for _ in sites]
    grand = Figures()
    for row in rows:
        for index, figures in enumerate(row.cells):
            row.total.add(figures)
            totals[index].add(figures)
        grand.add(row.total)
    return RekapTable(sites=list(sites), rows=rows, totals=totals, grand_total=grand)


def _numbers(figures: Figures) -> list:
    return ["-" if figures.target is None else figures.target, figures.registered, figures.verified, figures.attended]


class RekapPdf(PdfReport):
    pagesize = landscape(A4)

    def __init__(self, *, event, table: RekapTable, **kwargs):
        super().__init__(**kwargs)
        self.event, self.table = event, table
        self.title = f"Rekapitulasi Peserta {event.title}"

    def story(self) -> list:
        s, t = self.styles, self.table
        groups = len(t.sites) + 1
        label_width = 45 * mm
        cell = (self.frame_width - label_width) / (groups * 4)
        head1 = ["Unsur"]
        head2 = [""]
        for site in t.sites:
            head1 += [site.name, "", "", ""]
            head2 += [SHORT_HEADERS[m] for m in MEASURES]
        head1 += ["Jumlah", "", "", ""]
        head2 += [SHORT_HEADERS[m] for m in MEASURES]
        body = []
        for row in t.rows:
            line = [row.label]
            for figures in row.cells:
                line += _numbers(figures)
            body.append(line + _numbers(row.total))
        footer = ["Jumlah"]
        for figures in t.totals:
            footer += _numbers(figures)
        footer += _numbers(t.grand_total)
        data = [head1, head2, *body, footer]
        table = Table(data, colWidths=[label_width] + [cell] * (groups * 4), repeatRows=2)
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 7.5),
            ("FONTNAME", (0, 0), (-1, 1), FONT_BOLD),
            ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
            ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#e9ecef")),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("SPAN", (0, 0), (0, 1)),
        ]
        for group in range(groups):
            commands.append(("SPAN", (1 + group * 4, 0), (4 + group * 4, 0)))
        table.setStyle(TableStyle(commands))
        return [
            Spacer(1, 4 * mm),
            Paragraph("REKAPITULASI PESERTA", s["title"]),
            Paragraph(escape(self.event.title), s["subtitle"]),
            Paragraph(escape(date_range_indonesian(self.event.start_date, self.event.end_date)), s["subtitle"]),
            Spacer(1, 5 * mm),
            table,
            signatory_block(self.event, width=self.frame_width, styles=s),
        ]


def rekap_sheet(table: RekapTable) -> Sheet:
    columns = [Column("Unsur", width=28)]
    for name in [site.name for site in table.sites] + ["Jumlah"]:
        # Headers carry site names (user data): build_workbook neutralises cells, not headers.
        columns += [Column(neutralise(f"{name} - {MEASURE_HEADERS[m]}"), width=14) for m in MEASURES]
    rows = []
    for row in table.rows:
        line = [row.label]
        for figures in [*row.cells, row.total]:
            line += [
                None if figures.target is None else figures.target,
                figures.registered,
                figures.verified,
                figures.attended,
            ]
        rows.append(line)
    footer = ["Jumlah"]
    for figures in [*table.totals, table.grand_total]:
        footer += [figures.target, figures.registered, figures.verified, figures.attended]
    rows.append(footer)
    return Sheet(title="Rekapitulasi", columns=columns, rows=rows)


class Rekap(Report):
    kind = "rekap"
    label = gettext_lazy("Participant recap (rekapitulasi) by role and site")
    formats = (PDF, "xlsx")
    scope = "event"

    def row_count(self) -> int:
        return 0  # a few rows per role: always immediate

    def render(self) -> ExportOutput:
        table = rekap_table(event=self.event, sites=self.sites)
        stem = file_stem("rekapitulasi", self.event.slug)
        if self.file_format == PDF:
            pdf = RekapPdf(event=self.event, table=table, letterhead=event_letterhead(self.event))
            return self.output(stem, pdf.render())
        return self.output(stem, build_workbook([rekap_sheet(table)]))
