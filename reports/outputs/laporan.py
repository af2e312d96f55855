"""Laporan kegiatan: the activity report of an event, or of one of its sites, in one PDF in the customary structure
(the SPJ bundle the organizer sends its superiors and the finance office), and a ZIP of that PDF with every source
file (Excel rekap, attendance recaps, daftar hadir PDFs, signed scans, photos).

- Cover: the organizer's kop as named on the event's date, LAPORAN KEGIATAN, the title, the site(s), place, dates.
- Bab I Pendahuluan: latar belakang and dasar hukum (the panitia's narrative; else the event's description and
  legal basis), tujuan (the event's objectives, in order).
- Bab II Pelaksanaan: waktu dan tempat of each site (with WIB/WITA/WIT), peserta (the rekap of target /
  registered / verified / attended per role × site, `rekap_table`), narasumber and panitia, the jadwal (sessions).
- Bab III Hasil: Komite Pembelajaran validation and Tahap (when the event's cohort has Sekolah Penggerak),
  rencana aksi per delegation, the responsibility matrix, the good practices published at the festival.
- Bab IV Penutup: kesimpulan, saran, the signature.
- Lampiran: the daftar hadir of every session (the signed scan when uploaded, else the sheet with check-in times of
  `DaftarHadirPdf`), the attendance recap of each site (`AttendanceRecapPdf`), the documentation photos with their
  captions, the certificates issued.

One document, one page frame: "Halaman x dari y" runs through the lampiran. A scanned PDF is placed on pages of the
document: a page holding only a mark is written for each page of the scan, and the scan's page is drawn onto it
(scaled into the frame) once the document is built.

Reads: a fixed number of queries per site, whatever the number of participants (`laporan_data`). Always a
background job (`background = True`): the bundle of a large event has hundreds of pages.
"""

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext_lazy
from PIL import Image as PILImage
from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from core.exports import PDF, ZIP, ExportOutput, file_stem
from core.pdf import (
    FONT_BOLD,
    FONT_ITALIC,
    ContentsLine,
    Letterhead,
    MarkedParagraph,
    PdfReport,
    chunked_tables,
    escape,
    fit_lines,
    grid_style,
)
from core.timezones import format_date_indonesian, format_time_range_in_zone, in_zone
from core.xlsx import build_workbook
from events.models import EventObjective, TrainingPhase
from events.outputs import event_letterhead
from outcomes.models import ActionPlan, GoodPractice, ResponsibilityMatrix
from outcomes.outputs import month_range
from outcomes.selectors import matrix_table, plans_with_items
from participants.models import Registration
from reports.models import ActivityReport, Certificate, DocumentationPhoto, FileKind, SignedAttendanceSheet
from reports.outputs.attendance_recap import AttendanceRecapPdf, breakdown, recap_sheets
from reports.outputs.base import Report, attendance_by_registration, date_range_indonesian, place_of, site_lines
from reports.outputs.daftar_hadir import DaftarHadirPdf, signatory_block, signing_place
from reports.outputs.rekap import Figures, RekapTable, rekap_sheet, rekap_table
from reports.services import LISTED_STATUSES
from rosters.models import Committee, SekolahPenggerak
from rosters.selectors import counts_by_province_and_phase

# The roles whose people run the event rather than take part in it: listed in Bab II as narasumber and panitia.
STAFF_ROLE_CODES = ("NARASUMBER", "FASILITATOR", "INSTRUKTUR", "PANITIA")
NOT_WRITTEN = "(belum diisi)"
ROMAN = ("I", "II", "III", "IV")
LETTERS = "ABCDEFGHIJ"


# --- what the bundle prints, read in a fixed number of queries per site -------------------------------------------


@dataclass
class SiteData:
    site: object
    sessions: list
    lines: list  # the verified registrations, as the daftar hadir prints them
    attendance: dict
    signed: dict  # session id → SignedAttendanceSheet
    photos: list
    recap_parts: list
    staff: list  # narasumber, fasilitator, instruktur, panitia
    certificates: list
    narrative: ActivityReport | None = None


@dataclass
class RosterFigures:
    """The Komite Pembelajaran of the event's cohort in the provinces the sites serve."""

    by_status: list[tuple[str, int]]
    phase_titles: list[str]
    phase_rows: list
    total: int


@dataclass
class LaporanData:
    event: object
    sites: list
    whole_event: bool
    narrative: ActivityReport | None
    objectives: list
    rekap: RekapTable
    roster: RosterFigures | None
    plans: list
    matrix: ResponsibilityMatrix | None
    matrix_columns: list
    matrix_rows: list
    practices: list
    per_site: list[SiteData] = field(default_factory=list)

    @property
    def is_final(self) -> bool:
        """Final when every narrative the bundle prints is marked final by the panitia."""
        narratives = [self.narrative] + ([] if self.whole_event else [self.per_site[0].narrative])
        written = [n for n in narratives if n is not None]
        return bool(written) and all(n.status == ActivityReport.Status.FINAL for n in written)

    def text(self, name: str, fallback: str = "") -> str:
        """A narrative text: the site's own (a site bundle), else the event's, else `fallback`."""
        if not self.whole_event and self.per_site[0].narrative is not None:
            own = getattr(self.per_site[0].narrative, name)
            if own:
                return own
        if self.narrative is not None and getattr(self.narrative, name):
            return getattr(self.narrative, name)
        return fallback


def _roster_figures(event, sites) -> RosterFigures | None:
    if not event.cohort_id or not SekolahPenggerak.objects.filter(cohort_id=event.cohort_id).exists():
        return None
    committees = Committee.objects.filter(cohort_id=event.cohort_id)
    provinces = {province.pk for site in sites for province in site.provinces_served.all()}
    if provinces:
        committees = committees.filter(school__regency__province_id__in=provinces)
    counts = dict(committees.order_by().values_list("status").annotate(n=Count("id")))
    by_status = [(str(label), counts.get(value, 0)) for value, label in Committee.Status.choices]
    phases = list(TrainingPhase.objects.filter(cohort_id=event.cohort_id).order_by("number"))
    titles, rows = counts_by_province_and_phase(committees=committees, phases=phases)
    return RosterFigures(
        by_status=by_status, phase_titles=[str(t) for t in titles], phase_rows=rows, total=sum(counts.values())
    )


def laporan_data(*, event, sites, whole_event: bool) -> LaporanData:
    """Everything the bundle prints of `sites` of `event`: a fixed number of queries per site."""
    site_ids = [site.pk for site in sites]
    narratives = {
        report.site_id: report
        for report in ActivityReport.objects.filter(event=event).filter(Q(site__isnull=True) | Q(site_id__in=site_ids))
    }
    signed = {sheet.session_id: sheet for sheet in SignedAttendanceSheet.objects.filter(session__site_id__in=site_ids)}
    photos = defaultdict(list)
    for photo in DocumentationPhoto.objects.filter(site_id__in=site_ids).order_by("site_id", "order", "id"):
        photos[photo.site_id].append(photo)
    staff = defaultdict(list)
    for registration in (
        Registration.objects.filter(site_id__in=site_ids, status__in=LISTED_STATUSES, role__code__in=STAFF_ROLE_CODES)
        .select_related("role", "agency", "school")
        .order_by("role__order", "full_name", "id")
    ):
        staff[registration.site_id].append(registration)
    certificates = defaultdict(list)
    for certificate in (
        Certificate.objects.filter(site_id__in=site_ids).select_related("registration__role").order_by("sequence")
    ):
        certificates[certificate.site_id].append(certificate)
    per_site = []
    for site in sites:
        sessions = list(site.sessions.all())
        per_site.append(
            SiteData(
                site=site,
                sessions=sessions,
                lines=site_lines(site, statuses=[Registration.Status.VERIFIED]),
                attendance=attendance_by_registration(site),
                signed={s.pk: signed[s.pk] for s in sessions if s.pk in signed},
                photos=photos[site.pk],
                recap_parts=[
                    ("Per Unsur", breakdown(site=site, sessions=sessions, key="role__name")),
                    ("Per Provinsi Asal", breakdown(site=site, sessions=sessions, key="province__name")),
                ],
                staff=staff[site.pk],
                certificates=certificates[site.pk],
                narrative=narratives.get(site.pk),
            )
        )
    plans = plans_with_items(ActionPlan.objects.filter(event=event))
    if not whole_event:
        served = [province.pk for site in sites for province in site.provinces_served.all()]
        if served:
            plans = plans.filter(Q(province__isnull=True) | Q(province_id__in=served))
    matrix = ResponsibilityMatrix.objects.filter(event=event).first()
    columns, rows = matrix_table(matrix) if matrix is not None else ([], [])
    practices = list(
        GoodPractice.objects.filter(registration__site_id__in=site_ids, status=GoodPractice.Status.PUBLISHED)
        .select_related("registration__school", "registration__agency", "registration__site")
        .order_by("registration__site__order", "title", "id")
    )
    return LaporanData(
        event=event,
        sites=list(sites),
        whole_event=whole_event,
        narrative=narratives.get(None),
        objectives=list(EventObjective.objects.filter(event=event).order_by("order")),
        rekap=rekap_table(event=event, sites=sites),
        roster=_roster_figures(event, sites),
        plans=list(plans),
        matrix=matrix,
        matrix_columns=columns,
        matrix_rows=rows,
        practices=practices,
        per_site=per_site,
    )


# --- the PDF ------------------------------------------------------------------------------------------------------


def read_bytes(field_file) -> bytes | None:
    """A stored file's bytes through its storage (None when missing or unreadable)."""
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def fresh_letterhead(letterhead: Letterhead, logo: bytes | None) -> Letterhead:
    """A copy of the kop with its own logo stream: each flowable that draws the logo reads it from the start."""
    return Letterhead(
        agency_name=letterhead.agency_name,
        parent=letterhead.parent,
        address=letterhead.address,
        contact=letterhead.contact,
        logo_path=io.BytesIO(logo) if logo else None,
    )


def upright(content: bytes) -> bytes:
    """A landscape photo of a sheet turned a quarter (to fill a portrait page); a portrait one as it is."""
    with PILImage.open(io.BytesIO(content)) as picture:
        if picture.width <= picture.height:
            return content
        turned = picture.rotate(90, expand=True)
        buffer = io.BytesIO()
        turned.save(buffer, "PNG" if picture.format == "PNG" else "JPEG", quality=90)
        return buffer.getvalue()


# The lampiran, as the appendix cover and the daftar isi name them.
APPENDICES = (
    "Lampiran 1. Daftar Hadir per Sesi",
    "Lampiran 2. Rekap Kehadiran",
    "Lampiran 3. Dokumentasi Kegiatan",
    "Lampiran 4. Daftar Sertifikat yang Diterbitkan",
)


class PageMark(Flowable):
    """Takes no room; records the page number it lands on under `key` (where a scanned page is drawn later)."""

    def __init__(self, marks: dict, key):
        super().__init__()
        self.marks, self.key = marks, key

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.marks[self.key] = self.canv.getPageNumber()


def paragraphs(text: str, style) -> list[Flowable]:
    """A written text as paragraphs: blank lines part paragraphs, a single line break stays a line break."""
    blocks = [block.strip() for block in str(text or "").replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(escape(block).replace("\n", "<br/>"), style) for block in blocks if block]


class LaporanPdf(PdfReport):
    def __init__(self, *, data: LaporanData, logo: bytes | None, **kwargs):
        super().__init__(**kwargs)
        self.data, self.event, self.logo = data, data.event, logo
        self.title = f"Laporan Kegiatan {self.event.title}"
        self.scans: list[tuple[bytes, int]] = []  # (the scanned PDF, its page) per mark key
        self.marks: dict[int, int] = {}
        # The daftar isi: (level, title) of each heading in the order of the report, and the page each landed on.
        self.contents: list[tuple[int, str]] = []
        self.heading_pages: dict[int, int] = {}
        s = self.styles
        self.body = ParagraphStyle(
            "body", parent=s["normal"], fontSize=10.5, leading=15, alignment=TA_JUSTIFY, spaceAfter=5
        )
        self.chapter = ParagraphStyle("chapter", parent=s["title"], fontSize=13, leading=17, spaceAfter=2)
        self.section = ParagraphStyle(
            "section", parent=s["heading"], fontSize=11, spaceBefore=8, spaceAfter=4, keepWithNext=1
        )
        self.minor = ParagraphStyle(
            "minor", parent=s["normal"], fontName=FONT_BOLD, spaceBefore=6, spaceAfter=3, keepWithNext=1
        )
        self.missing = ParagraphStyle("missing", parent=self.body, fontName=FONT_ITALIC, textColor=colors.grey)
        self.listed = ParagraphStyle("listed", parent=self.body, leftIndent=16, firstLineIndent=-16, spaceAfter=2)
        self.caption = ParagraphStyle("caption", parent=s["small"], alignment=TA_CENTER, fontSize=8.5, leading=11)

    # The kop of the cover (the base puts `header()` first) and of every daftar hadir in the lampiran.
    def kop(self) -> Letterhead | None:
        return fresh_letterhead(self.letterhead, self.logo) if self.letterhead else None

    def header(self) -> list[Flowable]:
        self.letterhead = self.kop() or self.letterhead
        return super().header()

    # --- pieces ---

    def text_or_missing(self, text: str) -> list[Flowable]:
        return paragraphs(text, self.body) or [Paragraph(NOT_WRITTEN, self.missing)]

    def grid(
        self,
        header: list,
        rows: list[list],
        widths: list[float],
        *,
        total_row=False,
        spans=(),
        bold_rows=(),
        numeric_from: int | None = None,
    ) -> Table:
        """A table of wrapped cells: `spans` (body row numbers, from 1) are group rows across the table, `bold_rows`
        bold, the columns from `numeric_from` on right-aligned figures; `total_row` shades the last row."""
        s = self.styles
        right = ParagraphStyle("cell-right", parent=s["cell"], alignment=TA_RIGHT)
        right_bold = ParagraphStyle("cell-right-bold", parent=s["cell_bold"], alignment=TA_RIGHT)
        data = [
            [
                Paragraph(
                    escape(h), right_bold if numeric_from is not None and index >= numeric_from else s["cell_bold"]
                )
                for index, h in enumerate(header)
            ]
        ]
        for number, row in enumerate(rows, start=1):
            bold = number in bold_rows
            cells = []
            for column, cell in enumerate(row):
                if isinstance(cell, Flowable):
                    cells.append(cell)
                    continue
                numeric = numeric_from is not None and column >= numeric_from
                style = (right_bold if bold else right) if numeric else (s["cell_bold"] if bold else s["cell"])
                cells.append(Paragraph(escape(cell), style))
            data.append(cells)
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        style = grid_style()
        style.add("VALIGN", (0, 0), (-1, -1), "TOP")
        if total_row:
            style.add("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f4f6"))
        for row_index in spans:
            style.add("SPAN", (0, row_index), (-1, row_index))
            style.add("BACKGROUND", (0, row_index), (-1, row_index), colors.HexColor("#f3f4f6"))
        table.setStyle(style)
        return table

    def cover(self) -> list[Flowable]:
        s, data, event = self.styles, self.data, self.event
        big = ParagraphStyle("cover-title", parent=s["title"], fontSize=22, leading=28, spaceAfter=6)
        name = ParagraphStyle("cover-name", parent=s["title"], fontSize=14, leading=19)
        line = ParagraphStyle("cover-line", parent=s["subtitle"], fontSize=11.5, leading=16)
        where = "Seluruh Lokasi" if data.whole_event else data.sites[0].name
        places = [place_of(site) for site in data.sites]
        start = min(site.start_date for site in data.sites)
        end = max(site.end_date for site in data.sites)
        flow = [Spacer(1, 28 * mm), Paragraph("LAPORAN KEGIATAN", big), Spacer(1, 8 * mm)]
        flow.append(Paragraph(escape(event.title), name))
        if event.subtitle:
            flow.append(Paragraph(escape(event.subtitle), line))
        flow += [Spacer(1, 10 * mm), Paragraph(escape(where), name), Spacer(1, 3 * mm)]
        flow += [Paragraph(escape(place), line) for place in places]
        flow.append(Paragraph(escape(date_range_indonesian(start, end)), line))
        if not data.is_final:
            draft = ParagraphStyle("draft", parent=line, textColor=colors.HexColor("#b02a37"), fontName=FONT_BOLD)
            flow += [Spacer(1, 8 * mm), Paragraph("DRAF — narasi belum final", draft)]
        if self.logo:
            try:
                flow += [
                    Spacer(1, 18 * mm),
                    Image(io.BytesIO(self.logo), width=38 * mm, height=38 * mm, kind="proportional"),
                ]
            except (OSError, ValueError):
                pass
        organizer = ParagraphStyle("cover-org", parent=name, fontSize=13)
        flow += [Spacer(1, 18 * mm), Paragraph(escape(self.letterhead.agency_name.upper()), organizer)]
        flow.append(Paragraph(str(end.year), organizer))
        return [*flow, PageBreak()]

    def listed_heading(self, text: str, style, *, level: int, shown: str | None = None) -> MarkedParagraph:
        """A heading listed in the daftar isi as `text` (drawn as `shown` when that differs), at `level`."""
        self.contents.append((level, text))
        key = len(self.contents) - 1
        return MarkedParagraph(escape(text if shown is None else shown), style, marks=self.heading_pages, key=key)

    def section_heading(self, text: str) -> MarkedParagraph:
        return self.listed_heading(text, self.section, level=1)

    def chapter_heading(self, number: int, title: str) -> list[Flowable]:
        return [
            self.listed_heading(
                f"BAB {ROMAN[number - 1]} {title}", self.chapter, level=0, shown=f"BAB {ROMAN[number - 1]}"
            ),
            Paragraph(title, self.chapter),
            Spacer(1, 4 * mm),
        ]

    def table_of_contents(self) -> list[Flowable]:
        """DAFTAR ISI: every chapter with its sections and the lampiran, each with the page its heading is on."""
        line = ParagraphStyle("contents", parent=self.body, leading=17)
        bold = ParagraphStyle("contents-chapter", parent=line, fontName=FONT_BOLD)
        flow = [Paragraph("DAFTAR ISI", self.chapter), Spacer(1, 6 * mm)]
        for key, (level, text) in enumerate(self.contents):
            if level == 0 and key:
                flow.append(Spacer(1, 2 * mm))
            flow.append(
                ContentsLine(
                    text,
                    marks=self.heading_pages,
                    key=key,
                    style=bold if level == 0 else line,
                    indent=8 * mm * level,
                )
            )
        return [*flow, PageBreak()]

    def chapter_one(self) -> list[Flowable]:
        data, event = self.data, self.event
        flow = self.chapter_heading(1, "PENDAHULUAN")
        flow.append(self.section_heading("A. Latar Belakang"))
        flow += self.text_or_missing(data.text("background", event.description))
        flow.append(self.section_heading("B. Dasar Hukum"))
        legal = data.text("legal_basis", event.legal_basis or event.program.legal_basis)
        lines = [line.strip() for line in legal.splitlines() if line.strip()]
        if len(lines) > 1:
            flow += [Paragraph(f"{n}.&nbsp;&nbsp;{escape(text)}", self.listed) for n, text in enumerate(lines, 1)]
        else:
            flow += self.text_or_missing(legal)
        flow.append(self.section_heading("C. Tujuan"))
        if data.objectives:
            flow.append(Paragraph("Kegiatan ini bertujuan untuk:", self.body))
            flow += [
                Paragraph(f"{n}.&nbsp;&nbsp;{escape(objective.text)}", self.listed)
                for n, objective in enumerate(data.objectives, start=1)
            ]
        else:
            flow.append(Paragraph(NOT_WRITTEN, self.missing))
        return [*flow, PageBreak()]

    def time_and_place(self) -> list[Flowable]:
        s = self.styles
        rows = []
        for number, site_data in enumerate(self.data.per_site, start=1):
            site = site_data.site
            venue = site.venue
            address = ", ".join(p for p in (venue.address, venue.regency.name, venue.regency.province.name) if p)
            rows.append(
                [
                    str(number),
                    Paragraph(f"<b>{escape(site.name)}</b>", s["cell"]),
                    Paragraph(f"{escape(venue.name)}<br/>{escape(address)}", s["cell"]),
                    Paragraph(escape(date_range_indonesian(site.start_date, site.end_date)), s["cell"]),
                    Paragraph(f"{escape(site.zone_label)} ({escape(site.time_zone)})", s["cell"]),
                ]
            )
        widths = [9 * mm, 36 * mm, 0, 34 * mm, 30 * mm]
        widths[2] = self.frame_width - sum(widths)
        return [self.grid(["No", "Lokasi", "Tempat", "Tanggal", "Zona Waktu"], rows, widths)]

    def participants(self) -> list[Flowable]:
        table, s = self.data.rekap, self.styles
        header = ["Unsur", "Target", "Terdaftar", "Terverifikasi", "Hadir"]

        def numbers(figures: Figures) -> list[str]:
            target = "-" if figures.target is None else str(figures.target)
            return [target, str(figures.registered), str(figures.verified), str(figures.attended)]

        rows, spans, bold = [], [], []
        several = len(table.sites) > 1
        for index, site in enumerate(table.sites):
            if several:
                spans.append(len(rows) + 1)
                rows.append([Paragraph(f"<b>{escape(site.name)}</b>", s["cell"]), "", "", "", ""])
            for row in table.rows:
                rows.append([row.label, *numbers(row.cells[index])])
            if several:
                bold.append(len(rows) + 1)
                rows.append([f"Jumlah {site.name}", *numbers(table.totals[index])])
        rows.append(["Jumlah seluruh lokasi" if several else "Jumlah", *numbers(table.grand_total)])
        bold.append(len(rows))
        widths = [self.frame_width - 4 * 27 * mm] + [27 * mm] * 4
        grid = self.grid(header, rows, widths, total_row=True, spans=spans, bold_rows=bold, numeric_from=1)
        note = Paragraph(
            "Target: kuota per unsur; Terdaftar: pendaftaran yang tidak ditolak atau dibatalkan; "
            "Terverifikasi: pendaftaran yang telah diverifikasi; Hadir: peserta yang tercatat hadir "
            "sekurang-kurangnya pada satu sesi.",
            s["small"],
        )
        return [grid, Spacer(1, 2 * mm), note]

    def staff_list(self) -> list[Flowable]:
        rows = []
        for site_data in self.data.per_site:
            for registration in site_data.staff:
                institution = registration.agency or registration.school
                rows.append(
                    [
                        str(len(rows) + 1),
                        registration.full_name,
                        registration.role.title,
                        institution.name if institution else "-",
                        site_data.site.name,
                    ]
                )
        if not rows:
            return [Paragraph("Belum ada narasumber atau panitia yang terdaftar.", self.missing)]
        widths = [9 * mm, 0, 32 * mm, 52 * mm, 32 * mm]
        widths[1] = self.frame_width - sum(widths)
        return [self.grid(["No", "Nama", "Peran", "Instansi", "Lokasi"], rows, widths)]

    def schedule(self) -> list[Flowable]:
        flow = []
        for site_data in self.data.per_site:
            site = site_data.site
            if len(self.data.per_site) > 1:
                flow.append(Paragraph(escape(site.name), self.minor))
            rows = [
                [
                    str(number),
                    session.name,
                    format_date_indonesian(in_zone(session.starts_at, site.time_zone).date()),
                    format_time_range_in_zone(session.starts_at, session.ends_at, site.time_zone),
                ]
                for number, session in enumerate(site_data.sessions, start=1)
            ]
            if not rows:
                flow.append(Paragraph("Belum ada sesi yang dijadwalkan.", self.missing))
                continue
            widths = [9 * mm, 0, 50 * mm, 48 * mm]
            widths[1] = self.frame_width - sum(widths)
            flow += [self.grid(["No", "Sesi", "Hari, Tanggal", "Waktu"], rows, widths), Spacer(1, 3 * mm)]
        return flow

    def chapter_two(self) -> list[Flowable]:
        flow = self.chapter_heading(2, "PELAKSANAAN")
        flow += [self.section_heading("A. Waktu dan Tempat"), *self.time_and_place()]
        flow += [self.section_heading("B. Peserta"), *self.participants()]
        flow += [self.section_heading("C. Narasumber dan Panitia"), *self.staff_list()]
        flow += [self.section_heading("D. Jadwal Kegiatan"), *self.schedule()]
        return [*flow, PageBreak()]

    def roster(self, letter: str) -> list[Flowable]:
        roster = self.data.roster
        flow = [self.section_heading(f"{letter}. Validasi Komite Pembelajaran dan Penetapan Tahap")]
        flow.append(
            Paragraph(
                f"Komite Pembelajaran Sekolah Penggerak {escape(self.event.cohort)} dari provinsi yang dilayani: "
                f"{roster.total} komite.",
                self.body,
            )
        )
        status_rows = [[label, str(count)] for label, count in roster.by_status]
        status_rows.append(["Jumlah", str(roster.total)])
        flow += [
            Paragraph("Status validasi", self.minor),
            self.grid(
                ["Status", "Jumlah Komite"],
                status_rows,
                [80 * mm, 35 * mm],
                total_row=True,
                bold_rows=[len(status_rows)],
                numeric_from=1,
            ),
        ]
        if roster.phase_rows:
            header = ["Provinsi", *roster.phase_titles, "Jumlah"]
            rows = [[province, *map(str, values), str(total)] for province, values, total in roster.phase_rows]
            totals = [sum(values[i] for _p, values, _t in roster.phase_rows) for i in range(len(roster.phase_titles))]
            rows.append(["Jumlah", *map(str, totals), str(sum(totals))])
            rest = (self.frame_width - 60 * mm) / (len(header) - 1)
            flow += [
                Paragraph("Komite tervalidasi per Tahap", self.minor),
                self.grid(
                    header,
                    rows,
                    [60 * mm] + [rest] * (len(header) - 1),
                    total_row=True,
                    bold_rows=[len(rows)],
                    numeric_from=1,
                ),
            ]
        return flow

    def action_plans(self, letter: str) -> list[Flowable]:
        flow = [self.section_heading(f"{letter}. Rencana Aksi")]
        if not self.data.plans:
            return [*flow, Paragraph("Belum ada rencana aksi yang dicatat.", self.missing)]
        widths = [9 * mm, 0, 32 * mm, 38 * mm, 30 * mm]
        widths[1] = self.frame_width - sum(widths)
        for number, plan in enumerate(self.data.plans, start=1):
            rows = [
                [
                    str(index),
                    item.activity + (f" — {item.objective}" if item.objective else ""),
                    month_range(item),
                    ", ".join(p for p in (item.person_in_charge, item.responsible_agency) if p) or "-",
                    str(item.get_status_display()),
                ]
                for index, item in enumerate(plan.items.all(), start=1)
            ]
            heading = Paragraph(f"{number}. {escape(plan.delegation)}", self.minor)
            if not rows:
                flow += [heading, Paragraph("Belum ada kegiatan.", self.missing)]
                continue
            table = self.grid(["No", "Kegiatan", "Waktu", "Penanggung Jawab", "Status"], rows, widths)
            flow += [CondPageBreak(30 * mm), heading, table]
        return flow

    def matrix(self, letter: str) -> list[Flowable]:
        data, s = self.data, self.styles
        flow = [self.section_heading(f"{letter}. Peran dan Tanggung Jawab")]
        if data.matrix is None or not data.matrix_rows:
            return [*flow, Paragraph("Matriks peran dan tanggung jawab belum disusun.", self.missing)]
        header = ["No", "Tanggung Jawab", *[column.title for column in data.matrix_columns]]
        # Many agency columns are narrow: a smaller size keeps their words whole.
        size = 8.5 if len(data.matrix_columns) < 4 else 7.5
        cell = ParagraphStyle("matrix-cell", parent=s["cell"], fontSize=size, leading=size + 1.5)
        rows = [
            [str(n), Paragraph(f"<b>{escape(row.title)}</b>", cell), *[Paragraph(escape(t), cell) for t in row.texts]]
            for n, row in enumerate(data.matrix_rows, 1)
        ]
        rest = (self.frame_width - 9 * mm - 38 * mm) / max(len(data.matrix_columns), 1)
        flow.append(self.grid(header, rows, [9 * mm, 38 * mm] + [rest] * len(data.matrix_columns)))
        if data.matrix.is_agreed and data.matrix.agreed_at:
            agreed = f"Disepakati pada {format_date_indonesian(data.matrix.agreed_at.date(), 'j F Y')}."
            if data.matrix.agreed_note:
                agreed += f" {data.matrix.agreed_note.rstrip('.')}."
            flow.append(Paragraph(escape(agreed), s["small"]))
        else:
            flow.append(Paragraph("Draf: belum disepakati.", s["small"]))
        return flow

    def practices(self, letter: str) -> list[Flowable]:
        flow = [self.section_heading(f"{letter}. Praktik Baik pada Festival Panen Hasil Belajar")]
        rows = []
        for number, practice in enumerate(self.data.practices, start=1):
            registration = practice.registration
            institution = registration.school or registration.agency
            by = registration.full_name + (f", {institution.name}" if institution else "")
            summary = practice.summary if len(practice.summary) <= 700 else practice.summary[:697].rstrip() + "…"
            rows.append([str(number), practice.title, by, summary])
        widths = [9 * mm, 45 * mm, 42 * mm, 0]
        widths[3] = self.frame_width - sum(widths)
        return [*flow, self.grid(["No", "Judul", "Penyaji", "Ringkasan"], rows, widths)]

    def chapter_three(self) -> list[Flowable]:
        flow = self.chapter_heading(3, "HASIL KEGIATAN")
        parts = []
        if self.data.roster is not None:
            parts.append(self.roster)
        parts += [self.action_plans, self.matrix]
        if self.data.practices:
            parts.append(self.practices)
        for letter, part in zip(LETTERS, parts, strict=False):
            flow += part(letter)
        return [*flow, PageBreak()]

    def chapter_four(self) -> list[Flowable]:
        data = self.data
        flow = self.chapter_heading(4, "PENUTUP")
        flow += [self.section_heading("A. Kesimpulan"), *self.text_or_missing(data.text("conclusion"))]
        flow += [self.section_heading("B. Saran"), *self.text_or_missing(data.text("recommendations"))]
        last = data.sites[-1] if not data.whole_event else max(data.sites, key=lambda site: site.end_date)
        place_date = f"{signing_place(last)}, {format_date_indonesian(last.end_date, 'j F Y')}"
        flow.append(
            signatory_block(
                self.event, width=self.frame_width, place_date=place_date, heading="Penanggung Jawab Kegiatan,"
            )
        )
        return [*flow, PageBreak()]

    # --- lampiran ---

    def appendix_cover(self) -> list[Flowable]:
        title = ParagraphStyle("appendix", parent=self.chapter, fontSize=18, leading=24)
        flow = [Spacer(1, 70 * mm), self.listed_heading("LAMPIRAN", title, level=0), Spacer(1, 8 * mm)]
        centre = ParagraphStyle("appendix-item", parent=self.body, alignment=TA_CENTER)
        return [*flow, *[Paragraph(item, centre) for item in APPENDICES], PageBreak()]

    def appendix_heading(self, text: str, *, listed: int | None = None) -> Paragraph:
        """The heading of a lampiran page; the first page of lampiran number `listed` is listed in the daftar isi
        (under the lampiran's name on the appendix cover)."""
        if listed is None:
            return Paragraph(escape(text), self.section)
        return self.listed_heading(APPENDICES[listed - 1], self.section, level=1, shown=text)

    def appendix_start(self, number: int) -> PageMark:
        """Where lampiran `number` starts when its first page has no heading of its own (a daftar hadir's kop)."""
        self.contents.append((1, APPENDICES[number - 1]))
        return PageMark(self.heading_pages, len(self.contents) - 1)

    def scan_pages(self, sheet: SignedAttendanceSheet, heading: str) -> list[Flowable]:
        """A signed scan: a photo fitted to the page; a PDF as one marked page per page of the scan."""
        content = read_bytes(sheet.file)
        if content is None:
            return []
        if sheet.kind != FileKind.PDF:
            image = Image(io.BytesIO(upright(content)))
            room_w, room_h = self.frame_width, self.frame_height - 16 * mm
            scale = min(room_w / image.imageWidth, room_h / image.imageHeight)
            image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
            return [self.appendix_heading(heading), image, PageBreak()]
        flow = []
        pages = len(PdfReader(io.BytesIO(content)).pages)
        for page in range(pages):
            key = len(self.scans)
            self.scans.append((content, page))
            suffix = f" (halaman {page + 1} dari {pages})" if pages > 1 else ""
            flow += [self.appendix_heading(heading + suffix), PageMark(self.marks, key), PageBreak()]
        return flow

    def attendance_sheets(self) -> list[Flowable]:
        flow = [self.appendix_start(1)]  # after the appendix cover's page break: on the first sheet's page
        for site_data in self.data.per_site:
            site = site_data.site
            for session in site_data.sessions:
                sheet = site_data.signed.get(session.pk)
                if sheet is not None:
                    day = format_date_indonesian(in_zone(session.starts_at, site.time_zone).date())
                    heading = f"Lampiran 1. Daftar hadir bertanda tangan — {site.name}, {session.name} ({day})"
                    scan = self.scan_pages(sheet, heading)
                    if scan:
                        flow += scan
                        continue
                sheet_pdf = DaftarHadirPdf(
                    site=site,
                    session=session,
                    registrations=site_data.lines,
                    attendance=site_data.attendance,
                    filled=True,
                    letterhead=self.kop(),
                )
                flow += [*sheet_pdf.header(), *sheet_pdf.story(), PageBreak()]
        return flow

    def attendance_recaps(self) -> list[Flowable]:
        flow = []
        for index, site_data in enumerate(self.data.per_site):
            recap = AttendanceRecapPdf(site=site_data.site, sessions=site_data.sessions, parts=site_data.recap_parts)
            heading = self.appendix_heading("Lampiran 2. Rekap Kehadiran", listed=None if index else 2)
            flow += [heading, *recap.story(), PageBreak()]
        return flow

    def photo_cell(self, photo: DocumentationPhoto, number: int, width: float, height: float) -> list[Flowable]:
        content = read_bytes(photo.file)
        caption = Paragraph(f"<b>Foto {number}.</b> {escape(photo.caption)}", self.caption)
        if content is None:
            return [Paragraph("(berkas foto tidak terbaca)", self.missing), caption]
        try:
            image = Image(io.BytesIO(content), width=width, height=height, kind="proportional")
        except (OSError, ValueError):
            return [Paragraph("(berkas foto tidak terbaca)", self.missing), caption]
        return [image, Spacer(1, 1.5 * mm), caption]

    def photographs(self) -> list[Flowable]:
        flow = []
        column = self.frame_width / 2
        width, height = column - 8 * mm, 70 * mm
        number = 0
        for index, site_data in enumerate(self.data.per_site):
            heading = f"Lampiran 3. Dokumentasi Kegiatan — {site_data.site.name}"
            flow.append(self.appendix_heading(heading, listed=None if index else 3))
            if not site_data.photos:
                flow += [Paragraph("Belum ada foto dokumentasi yang diunggah.", self.missing), Spacer(1, 4 * mm)]
                continue
            cells = []
            for photo in site_data.photos:
                number += 1
                cells.append(self.photo_cell(photo, number, width, height))
            for start in range(0, len(cells), 2):
                pair = cells[start : start + 2]
                table = Table([pair + [""] * (2 - len(pair))], colWidths=[column, column])
                table.setStyle(
                    TableStyle(
                        [
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                        ]
                    )
                )
                flow.append(KeepTogether([table]))
            flow.append(Spacer(1, 4 * mm))
        return [*flow, PageBreak()]

    def certificates(self) -> list[Flowable]:
        s = self.styles
        flow = [self.appendix_heading(APPENDICES[3], listed=4)]
        rows = []
        widths = [10 * mm, 48 * mm, 0, 34 * mm, 20 * mm]
        widths[2] = self.frame_width - sum(widths)
        for site_data in self.data.per_site:
            for certificate in site_data.certificates:
                rows.append(
                    [
                        str(len(rows) + 1),
                        fit_lines(certificate.number, width=widths[1] - 6, size=8, max_lines=1),
                        fit_lines(certificate.registration.full_name, width=widths[2] - 6, size=8, max_lines=2),
                        fit_lines(certificate.registration.role.name, width=widths[3] - 6, size=8, max_lines=2),
                        "Dicabut" if certificate.is_revoked else "Berlaku",
                    ]
                )
        if not rows:
            return [*flow, Paragraph("Belum ada sertifikat yang diterbitkan.", self.missing)]
        style = grid_style()
        style.add("FONTSIZE", (0, 0), (-1, -1), 8)
        style.add("ALIGN", (0, 1), (0, -1), "RIGHT")
        valid = sum(1 for row in rows if row[-1] == "Berlaku")
        summary = Paragraph(
            f"Jumlah sertifikat: {len(rows)} ({valid} berlaku, {len(rows) - valid} dicabut).", s["normal"]
        )
        tables = chunked_tables(
            ["No", "Nomor Sertifikat", "Nama", "Unsur", "Keterangan"],
            rows,
            col_widths=widths,
            row_height=9 * mm,
            rows_per_table=int((self.frame_height - 10 * mm) // (9 * mm)),
            first_rows=int((self.frame_height - 30 * mm) // (9 * mm)),
            header_height=7 * mm,
            style=style,
        )
        return [*flow, summary, Spacer(1, 2 * mm), *tables]

    def story(self) -> list[Flowable]:
        cover = self.cover()
        body = [
            *self.chapter_one(),
            *self.chapter_two(),
            *self.chapter_three(),
            *self.chapter_four(),
            *self.appendix_cover(),
            *self.attendance_sheets(),
            *self.attendance_recaps(),
            *self.photographs(),
            *self.certificates(),
        ]
        return [*cover, *self.table_of_contents(), *body]  # the daftar isi lists what the body's headings are

    def render(self) -> bytes:
        content = super().render()
        if not self.scans:
            return content
        return self.place_scans(content)

    def place_scans(self, content: bytes) -> bytes:
        """Draw each scanned page onto the page its mark landed on, scaled into the frame under the heading."""
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
        scans: dict[int, PdfWriter] = {}
        left, _right, top, bottom = self.margins
        room_w = self.frame_width
        room_h = self.frame_height - 14 * mm  # under the heading
        for key, (scan, page_index) in enumerate(self.scans):
            page_number = self.marks.get(key)
            if page_number is None:
                continue
            if id(scan) not in scans:  # pages of a writer: their rotation can move into their content
                scans[id(scan)] = PdfWriter(clone_from=PdfReader(io.BytesIO(scan)))
            scanned = scans[id(scan)].pages[page_index]
            if scanned.rotation:
                scanned.transfer_rotation_to_content()
            box = scanned.mediabox
            width, height = float(box.width), float(box.height)
            # A landscape scan is turned a quarter to fill the portrait page, as bundles bind landscape sheets.
            turned = width > height
            across, up = (height, width) if turned else (width, height)
            scale = min(room_w / across, room_h / up)
            x = left + 6 + (room_w - across * scale) / 2
            y = bottom + 6 + (room_h - up * scale)  # at the top of the room, under the heading
            placed = Transformation().translate(-float(box.left), -float(box.bottom)).scale(scale)
            placed = placed.rotate(90).translate(x + across * scale, y) if turned else placed.translate(x, y)
            target = writer.pages[page_number - 1]
            target.merge_transformed_page(scanned, placed)
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()


# --- the downloads ------------------------------------------------------------------------------------------------


class LaporanKegiatan(Report):
    """The laporan kegiatan of the event (every site the user may see) or, with `?site=`, of one site."""

    kind = "laporan_kegiatan"
    label = gettext_lazy("Activity report (laporan kegiatan), one PDF")
    scope = "event"
    query_params = ("site",)
    background = True

    def load(self) -> None:
        super().load()
        site_id = self.params.get("site")
        self.whole_event = site_id in (None, "")
        if self.whole_event and len(self.sites) != self.event.sites.count():
            raise Http404  # a bundle of the whole event is for those who see all its sites
        if not self.whole_event:
            site = next((s for s in self.sites if str(s.pk) == str(site_id)), None)
            if site is None:
                raise Http404
            self.site, self.sites = site, [site]

    def row_count(self) -> int:
        return Registration.objects.filter(site__in=self.sites, status__in=LISTED_STATUSES).count()

    def expected_pages(self, data: LaporanData) -> int:
        pages = 9 + len(data.plans) // 3  # cover, daftar isi, four chapters, appendix cover…
        for site_data in data.per_site:
            pages += len(site_data.sessions) * (len(site_data.lines) // 22 + 1) + 1
            pages += len(site_data.photos) // 4 + 1 + len(site_data.certificates) // 28
        return pages

    def stem(self) -> str:
        where = "" if self.whole_event else self.site.name
        return file_stem("laporan-kegiatan", self.event.slug, where)

    def build_pdf(self, data: LaporanData, letterhead: Letterhead, logo: bytes | None, on_page=None) -> bytes:
        return LaporanPdf(data=data, logo=logo, letterhead=letterhead, on_page=on_page).render()

    def gather(self) -> tuple[LaporanData, Letterhead, bytes | None]:
        data = laporan_data(event=self.event, sites=self.sites, whole_event=self.whole_event)
        letterhead = event_letterhead(self.event)
        logo = letterhead.logo_path.getvalue() if isinstance(letterhead.logo_path, io.BytesIO) else None
        return data, letterhead, logo

    def render(self) -> ExportOutput:
        data, letterhead, logo = self.gather()
        content = self.build_pdf(data, letterhead, logo, on_page=self.page_progress(self.expected_pages(data)))
        return self.output(self.stem(), content)


class LaporanKegiatanZip(LaporanKegiatan):
    """The laporan kegiatan PDF with every source file: the Excel rekap, the attendance recap of each site (PDF and
    Excel), the daftar hadir of every session (the generated sheet with check-in times, and the signed scan when
    uploaded), the documentation photos."""

    kind = "laporan_kegiatan_zip"
    label = gettext_lazy("Activity report with every source file (ZIP)")
    formats = (ZIP,)

    def render(self) -> ExportOutput:
        data, letterhead, logo = self.gather()
        expected = self.expected_pages(data)
        half = self.page_progress(expected * 2)
        stem = self.stem()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{stem}.pdf", self.build_pdf(data, letterhead, logo, on_page=half))
            archive.writestr("rekapitulasi-peserta.xlsx", build_workbook([rekap_sheet(data.rekap)]))
            done = 0
            for site_data in data.per_site:
                site = site_data.site
                folder = file_stem(site.name)
                self.zip_recaps(archive, folder, site_data, letterhead, logo)
                for session in site_data.sessions:
                    name = file_stem("daftar-hadir", session.name)
                    pdf = DaftarHadirPdf(
                        site=site,
                        session=session,
                        registrations=site_data.lines,
                        attendance=site_data.attendance,
                        filled=True,
                        letterhead=fresh_letterhead(letterhead, logo),
                    )
                    archive.writestr(f"{folder}/daftar-hadir/{name}.pdf", pdf.render())
                    sheet = site_data.signed.get(session.pk)
                    content = read_bytes(sheet.file) if sheet is not None else None
                    if content is not None:
                        archive.writestr(f"{folder}/daftar-hadir/{name}-bertanda-tangan.{sheet.extension}", content)
                    done += len(site_data.lines) // 22 + 1
                    half(expected + done)
                for number, photo in enumerate(site_data.photos, start=1):
                    content = read_bytes(photo.file)
                    if content is not None:
                        caption = file_stem(photo.caption)[:40]
                        archive.writestr(f"{folder}/foto/{number:02d}-{caption}.{photo.extension}", content)
        return self.output(stem, buffer.getvalue())

    def zip_recaps(self, archive, folder: str, site_data: SiteData, letterhead: Letterhead, logo) -> None:
        site, sessions, parts = site_data.site, site_data.sessions, site_data.recap_parts
        recap = AttendanceRecapPdf(
            site=site, sessions=sessions, parts=parts, letterhead=fresh_letterhead(letterhead, logo)
        )
        archive.writestr(f"{folder}/rekap-kehadiran.pdf", recap.render())
        archive.writestr(f"{folder}/rekap-kehadiran.xlsx", attendance_recap_workbook(site, sessions, parts))


def attendance_recap_workbook(site, sessions, parts) -> bytes:
    """The attendance recap of a site as Excel (the sheets of `AttendanceRecap`'s Excel download)."""
    return build_workbook(recap_sheets(site, sessions, parts))


__all__ = ["PDF", "LaporanKegiatan", "LaporanKegiatanZip", "laporan_data"]
