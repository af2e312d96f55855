"""Daftar hadir: the attendance sheet of one site for one session (day), blank or with check-in times.

Layout of DESIGN.md, portrait A4: the kop of the organizer as named on the event date, DAFTAR HADIR, event,
day/date in Indonesian, the session's hours in the site's zone, place; No | Nama | NIP | Jabatan | Instansi |
Tanda Tangan, where odd rows sign on the left half of the signature cell and even rows on the right half;
the "Mengetahui" block of the event's signatory (dotted lines to fill in by hand when none is set), kept on
one page with the last rows. The filled version adds the check-in time in the site's zone (WIB/WITA/WIT).

Who is listed: the verified registrations; the organizer may ask for the pending (submitted) ones too, each
marked "(belum diverifikasi)". A legal record: names, NIPs and institutions are printed whole, wrapped
inside their cells, never cut.

Speed: cells are plain strings wrapped by `wrap_lines` into rows whose heights are computed here, cut into
one table per page (`page_chunks`); one LongTable of thousands of rows would be superlinear.
"""

import unicodedata

from django.utils.translation import gettext, gettext_lazy
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from core.exports import PDF, ExportOutput, file_stem
from core.pdf import (
    FONT,
    FONT_BOLD,
    FONT_CONDENSED,
    FastTable,
    PdfReport,
    escape,
    page_chunks,
    signature_block,
    wrap_lines,
)
from core.timezones import format_date_indonesian, format_time_range_in_zone, in_zone
from events.outputs import event_letterhead, event_signatory
from participants.models import Registration
from reports.outputs.base import Report, attendance_by_registration, place_of, site_lines

MIN_ROW_HEIGHT = 9 * mm  # room to sign
HEADER_HEIGHT = 8 * mm
FONT_SIZE = 8
LEADING = 9.5
SIDE_PADDING = 2.5
END_PADDING = 3  # above and below a cell's text
PENDING_MARK = "(belum diverifikasi)"
CARRIED_ROWS = 2  # rows that go with the signature block when it does not fit under the last page's rows
SLACK = 2  # points kept free on each page against rounding

TRUE_VALUES = ("1", "on", "true", "yes", "ya")


def signatory_block(
    event, *, width: float, styles=None, place_date: str = "", heading: str = "Mengetahui,", keep_with=()
) -> Flowable:
    """The "Mengetahui" block of the papers of an event: its signatory's office, room to sign, name and NIP
    (dotted lines to fill in by hand for the parts not set), under the place and date; `keep_with` stays on
    its page (the last rows of a list). `styles` is not used any more (the kit's block has its own)."""
    return signature_block(
        place_date=place_date, signatories=[event_signatory(event)], width=width, lead=heading, keep_with=keep_with
    )


def signing_place(site) -> str:
    """Where a site's papers are signed: the venue's kab/kota without "Kabupaten"/"Kab."/"Kota"."""
    name = site.venue.regency.name
    for prefix in ("Kabupaten ", "Kab. ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def nip_lines(nip: str, width: float) -> list[str]:
    """A NIP in its spaced form (`19860926 201505 1 001`), on one line when it fits, else birth date over the
    rest; any other value wrapped whole."""
    digits = "".join(nip.split())
    if len(digits) == 18 and digits.isdigit():
        spaced = f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
        if stringWidth(spaced, FONT_CONDENSED, FONT_SIZE) <= width:
            return [spaced]
        return [digits[:8], spaced[9:]]
    return wrap_lines(nip, width=width, font=FONT_CONDENSED, size=FONT_SIZE) or ["-"]


def printed(text) -> str:
    """Text as printed: composed (NFC), so that "H" + combining dot below prints as the one glyph "Ḥ"."""
    return unicodedata.normalize("NFC", str(text or ""))


class DaftarHadirPdf(PdfReport):
    def __init__(self, *, site, session, registrations, attendance, filled: bool, include_pending=False, **kwargs):
        super().__init__(**kwargs)
        self.site, self.session, self.event = site, session, site.event
        self.registrations, self.attendance, self.filled = registrations, attendance, filled
        self.include_pending = include_pending
        self.title = f"Daftar Hadir {self.event.title}"

    def columns(self) -> tuple[list[str], list[float]]:
        """Header and widths: fixed widths in points (the NIP's two lines, the check-in time, two signature
        halves); the name takes the rest."""
        if self.filled:
            names = ["No", "Nama", "NIP", "Jabatan", "Instansi", "Jam\nHadir", "Tanda Tangan", ""]
            fixed = {0: 20, 2: 58, 3: 70, 4: 80, 5: 47, 6: 56, 7: 56}
        else:
            names = ["No", "Nama", "NIP", "Jabatan", "Instansi", "Tanda Tangan", ""]
            fixed = {0: 20, 2: 58, 3: 78, 4: 98, 5: 58, 6: 58}
        widths = [fixed.get(index, 0.0) for index in range(len(names))]
        widths[1] = self.frame_width - sum(widths)
        return names, widths

    def heading(self) -> list[Flowable]:
        s = self.styles
        zone = self.site.time_zone
        day = in_zone(self.session.starts_at, zone).date()
        info = [
            ["Kegiatan", ":", escape(self.event.title + (f" — {self.event.subtitle}" if self.event.subtitle else ""))],
            ["Hari/Tanggal", ":", f"{format_date_indonesian(day)} ({escape(self.session.name)})"],
            ["Waktu", ":", escape(format_time_range_in_zone(self.session.starts_at, self.session.ends_at, zone))],
            ["Tempat", ":", escape(place_of(self.site))],
        ]
        table = Table(
            [[Paragraph(a, s["normal"]), b, Paragraph(c, s["normal"])] for a, b, c in info],
            colWidths=[28 * mm, 4 * mm, self.frame_width - 32 * mm],
        )
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)]))
        flow = [
            Spacer(1, 4 * mm),
            Paragraph("DAFTAR HADIR", s["title"]),
            Paragraph(escape(self.site.name), s["subtitle"]),
            Spacer(1, 3 * mm),
            table,
        ]
        if self.include_pending:
            flow.append(
                Paragraph(f"Termasuk peserta yang belum diverifikasi, ditandai <i>{PENDING_MARK}</i>.", s["small"])
            )
        return [*flow, Spacer(1, 3 * mm)]

    def rows(self, widths: list[float]) -> tuple[list[list], list[float]]:
        """The body rows (cells of plain strings, lines joined by newlines) and the height of each."""
        zone, label = self.site.time_zone, self.site.zone_label
        inner = [width - 2 * SIDE_PADDING for width in widths]
        rows, heights = [], []
        for number, line in enumerate(self.registrations, start=1):
            name = wrap_lines(printed(line.full_name), width=inner[1], size=FONT_SIZE) or ["-"]
            if line.status != Registration.Status.VERIFIED:
                name.append(PENDING_MARK)
            cells = [
                name,
                nip_lines(line.nip, inner[2]) if line.nip else ["-"],
                wrap_lines(printed(line.position), width=inner[3], size=FONT_SIZE) or ["-"],
                wrap_lines(printed(line.institution), width=inner[4], size=FONT_SIZE) or ["-"],
            ]
            sign = f"{number}. ........"
            row = [str(number), *("\n".join(cell) for cell in cells)]
            if self.filled:
                seen = self.attendance.get(line.id, {}).get(self.session.id)
                row.append(f"{in_zone(seen.checked_in_at, zone):%H.%M} {label}" if seen else "-")
            rows.append(row + ([sign, None] if number % 2 else [None, sign]))
            tallest = max(len(cell) for cell in cells)
            heights.append(max(MIN_ROW_HEIGHT, tallest * LEADING + 2 * END_PADDING))
        return rows, heights

    def table_style(self) -> TableStyle:
        # Constant commands, whatever the number of rows: the inner line of the signature cell is
        # left out, so each row's number sits in its half of one cell.
        nip, time = 2, 5
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
            ("LEADING", (0, 0), (-1, -1), LEADING),
            ("FONTNAME", (nip, 1), (nip, -1), FONT_CONDENSED),
            ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("SPAN", (-2, 0), (-1, 0)),
            ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.black),
            ("LINEBEFORE", (1, 0), (-2, -1), 0.4, colors.black),
            ("ALIGN", (0, 1), (0, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), SIDE_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), SIDE_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), END_PADDING),
            ("BOTTOMPADDING", (0, 0), (-1, -1), END_PADDING),
        ]
        if self.filled:
            commands.append(("FONTNAME", (time, 1), (time, -1), FONT_CONDENSED))
        return TableStyle(commands)

    def signature(self, keep_with=()) -> Flowable:
        day = in_zone(self.session.starts_at, self.site.time_zone).date()
        place_date = f"{signing_place(self.site)}, {format_date_indonesian(day, 'j F Y')}"
        return signatory_block(self.event, width=self.frame_width, place_date=place_date, keep_with=keep_with)

    def _signature_height(self) -> float:
        # A KeepTogether answers "too tall" to wrap (to force its split); its parts, split off in a page of
        # any height, measure it.
        parts = self.signature().splitOn(None, self.frame_width, 1e9)
        return self._height(parts, self.frame_width, self.frame_height)

    @staticmethod
    def _height(flowables, width: float, height: float) -> float:
        # wrapOn without a canvas: a KeepTogether wraps its content through it
        return sum(f.wrapOn(None, width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)

    def story(self) -> list[Flowable]:
        names, widths = self.columns()
        heading = self.heading()
        rows, heights = self.rows(widths)
        width, height = self.frame_width, self.frame_height
        first_space = height - self._height(self.header() + heading, width, height) - HEADER_HEIGHT - SLACK
        page_space = height - HEADER_HEIGHT - SLACK
        chunks = page_chunks(heights, first_space=first_space, page_space=page_space)
        # The signature block never stands alone on the last page: when it does not fit under the last rows,
        # the last CARRIED_ROWS rows go with it to a page of their own.
        start, end = chunks[-1]
        room = first_space if len(chunks) == 1 else page_space
        if end > start and sum(heights[start:end]) + self._signature_height() > room:
            carried = max(end - CARRIED_ROWS, start)
            chunks[-1:] = [(start, carried), (carried, end)] if carried > start else [(start, end)]
        style = self.table_style()
        tables = []
        for start, end in chunks:
            table = FastTable(
                [names, *rows[start:end]],
                colWidths=widths,
                rowHeights=[HEADER_HEIGHT, *heights[start:end]],
                repeatRows=1,
            )
            table.setStyle(style)
            tables.append(table)
        return heading + tables[:-1] + [self.signature(keep_with=tables[-1:])]


def wants_pending(value) -> bool:
    """Whether the download form asked for the pending registrations too (any other value: no)."""
    return str(value or "").strip().lower() in TRUE_VALUES


class DaftarHadir(Report):
    """The daftar hadir of a session: verified registrations, and the pending ones (marked) when the
    download form's `pending` box is ticked."""

    kind = "daftar_hadir"
    label = gettext_lazy("Attendance sheet (daftar hadir), blank")
    scope = "session"
    query_params = ("site", "session", "pending")
    filled = False
    large_rows_setting = "REPORTS_LARGE_SHEET_ROWS"  # quick to build: kept by the check-in screen for offline printing

    def load(self) -> None:
        super().load()
        self.include_pending = wants_pending(self.params.get("pending"))

    @property
    def statuses(self) -> list[str]:
        verified = [Registration.Status.VERIFIED]
        return [*verified, Registration.Status.SUBMITTED] if self.include_pending else verified

    def job_params(self) -> dict:
        params = super().job_params()
        if self.include_pending:
            params["pending"] = "1"
        return params

    def description(self) -> str:
        text = super().description()
        return f"{text} ({gettext('including those not yet verified')})" if self.include_pending else text

    def row_count(self) -> int:
        return Registration.objects.filter(site=self.site, status__in=self.statuses).count()

    def render(self) -> ExportOutput:
        site = self.site
        registrations = site_lines(site, statuses=self.statuses)
        attendance = attendance_by_registration(site) if self.filled else {}
        pages = len(registrations) // 25 + 1
        pdf = DaftarHadirPdf(
            site=site,
            session=self.session,
            registrations=registrations,
            attendance=attendance,
            filled=self.filled,
            include_pending=self.include_pending,
            letterhead=event_letterhead(site.event),
            on_page=self.page_progress(pages),
        )
        suffix = "terisi" if self.filled else "kosong"  # file names of official documents: Indonesian
        return self.output(file_stem("daftar-hadir", site.name, self.session.name, suffix), pdf.render())


class DaftarHadirFilled(DaftarHadir):
    kind = "daftar_hadir_filled"
    label = gettext_lazy("Attendance sheet (daftar hadir) with check-in times")
    filled = True


__all__ = ["PDF", "DaftarHadir", "DaftarHadirFilled", "signatory_block"]
