"""Daftar hadir: the attendance sheet of one site for one session (day), blank or with check-in times.

Layout of DESIGN.md: kop, DAFTAR HADIR, event, day/date in Indonesian, place; No | Nama | NIP |
Jabatan | Instansi | Tanda Tangan, where odd rows sign on the left half of the signature cell and even
rows on the right half; the "Mengetahui" block of the event's signatory. The filled version adds the
check-in time in the site's zone (WIB/WITA/WIT).

Speed: cells are plain strings wrapped by `fit_lines` into fixed-height rows, cut into page-sized
tables (`chunked_tables`); one LongTable of thousands of rows would be superlinear.
"""

from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from core.exports import PDF, ExportOutput, file_stem
from core.pdf import FONT, FONT_BOLD, PdfReport, chunked_tables, escape, fit_lines, rows_fitting
from core.timezones import format_date_indonesian, in_zone, zone_label
from events.outputs import agency_letterhead
from reports.outputs.base import Report, attendance_by_registration, place_of, site_lines

ROW_HEIGHT = 9 * mm
HEADER_HEIGHT = 7 * mm
FONT_SIZE = 8


def signatory_block(event, *, width: float, styles, place_date: str = "", heading: str = "Mengetahui,") -> KeepTogether:
    """The 'Mengetahui' block on the right: title, room to sign, name and NIP of the event's signatory."""
    lines = [Paragraph(escape(place_date), styles["normal"])] if place_date else []
    lines += [Paragraph(heading, styles["normal"])] if heading else []
    lines += [
        Paragraph(escape(event.signatory_title or ""), styles["normal"]),
        Spacer(1, 18 * mm),
        Paragraph(f"<b><u>{escape(event.signatory_name or '')}</u></b>", styles["normal"]),
        Paragraph(f"NIP. {escape(event.signatory_nip)}" if event.signatory_nip else "", styles["normal"]),
    ]
    table = Table([["", lines]], colWidths=[width * 0.55, width * 0.45])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 6 * mm), table])


class DaftarHadirPdf(PdfReport):
    def __init__(self, *, site, session, registrations, attendance, filled: bool, **kwargs):
        super().__init__(**kwargs)
        self.site, self.session, self.event = site, session, site.event
        self.registrations, self.attendance, self.filled = registrations, attendance, filled
        self.title = f"Daftar Hadir {self.event.title}"

    def columns(self) -> tuple[list[str], list[float]]:
        width = self.frame_width
        if self.filled:
            names = ["No", "Nama", "NIP", "Jabatan", "Instansi", "Jam Hadir", "Tanda Tangan", ""]
            fractions = [0.05, 0.22, 0.15, 0.13, 0.17, 0.10, 0.09, 0.09]
        else:
            names = ["No", "Nama", "NIP", "Jabatan", "Instansi", "Tanda Tangan", ""]
            fractions = [0.05, 0.24, 0.16, 0.14, 0.19, 0.11, 0.11]
        return names, [width * f for f in fractions]

    def heading(self) -> list:
        s = self.styles
        zone = self.site.time_zone
        day = in_zone(self.session.starts_at, zone).date()
        info = [
            ["Kegiatan", ":", escape(self.event.title + (f" — {self.event.subtitle}" if self.event.subtitle else ""))],
            ["Hari/Tanggal", ":", f"{format_date_indonesian(day)} ({escape(self.session.name)})"],
            ["Tempat", ":", escape(place_of(self.site))],
        ]
        if self.filled:
            info.append(["Waktu", ":", f"{zone_label(zone)} ({zone})"])
        table = Table(
            [[Paragraph(a, s["normal"]), b, Paragraph(c, s["normal"])] for a, b, c in info],
            colWidths=[28 * mm, 4 * mm, self.frame_width - 32 * mm],
        )
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)]))
        return [
            Spacer(1, 4 * mm),
            Paragraph("DAFTAR HADIR", s["title"]),
            Paragraph(escape(self.site.name), s["subtitle"]),
            Spacer(1, 3 * mm),
            table,
            Spacer(1, 3 * mm),
        ]

    def rows(self, widths: list[float]) -> list[list[str]]:
        zone, label = self.site.time_zone, self.site.zone_label
        pad = 5  # the cell's own left+right padding, in points
        rows = []
        for number, line in enumerate(self.registrations, start=1):
            sign = f"{number}. ........"
            signature = [sign, None] if number % 2 else [None, sign]
            row = [
                str(number),
                fit_lines(line.full_name, width=widths[1] - pad, size=FONT_SIZE),
                line.nip or "-",
                fit_lines(line.position, width=widths[3] - pad, size=FONT_SIZE),
                fit_lines(line.institution, width=widths[4] - pad, size=FONT_SIZE),
            ]
            if self.filled:
                seen = self.attendance.get(line.id, {}).get(self.session.id)
                row.append(f"{in_zone(seen.checked_in_at, zone):%H.%M} {label}" if seen else "-")
            rows.append(row + signature)
        return rows

    def table_style(self) -> TableStyle:
        # Constant commands, whatever the number of rows: the inner line of the signature cell is
        # left out, so each row's number sits in its half of one cell.
        return TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
                ("LEADING", (0, 0), (-1, -1), FONT_SIZE + 1.5),
                ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("SPAN", (-2, 0), (-1, 0)),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.black),
                ("LINEBEFORE", (1, 0), (-2, -1), 0.4, colors.black),
                ("ALIGN", (0, 1), (0, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )

    def story(self) -> list:
        names, widths = self.columns()
        heading = self.heading()
        used = sum(f.wrap(self.frame_width, self.frame_height)[1] for f in self.header() + heading)
        spacing = sum(
            getattr(f, "getSpaceBefore", lambda: 0)() + getattr(f, "getSpaceAfter", lambda: 0)()
            for f in self.header() + heading
        )
        first = rows_fitting(self.frame_height - used - spacing - 2, row_height=ROW_HEIGHT, header_height=HEADER_HEIGHT)
        per_page = rows_fitting(self.frame_height, row_height=ROW_HEIGHT, header_height=HEADER_HEIGHT)
        tables = chunked_tables(
            names,
            self.rows(widths),
            col_widths=widths,
            row_height=ROW_HEIGHT,
            header_height=HEADER_HEIGHT,
            rows_per_table=per_page,
            first_rows=first,
            style=self.table_style(),
        )
        return heading + tables + [signatory_block(self.event, width=self.frame_width, styles=self.styles)]


class DaftarHadir(Report):
    kind = "daftar_hadir"
    label = gettext_lazy("Attendance sheet (daftar hadir), blank")
    scope = "session"
    filled = False

    def render(self) -> ExportOutput:
        site = self.site
        registrations = site_lines(site)
        attendance = attendance_by_registration(site) if self.filled else {}
        pages = len(registrations) // 25 + 1
        pdf = DaftarHadirPdf(
            site=site,
            session=self.session,
            registrations=registrations,
            attendance=attendance,
            filled=self.filled,
            letterhead=agency_letterhead(site.event.organizer),
            on_page=self.page_progress(pages),
        )
        suffix = "terisi" if self.filled else "kosong"  # file names of official documents: Indonesian
        return self.output(file_stem("daftar-hadir", site.name, self.session.name, suffix), pdf.render())


class DaftarHadirFilled(DaftarHadir):
    kind = "daftar_hadir_filled"
    label = gettext_lazy("Attendance sheet (daftar hadir) with check-in times")
    filled = True


__all__ = ["PDF", "DaftarHadir", "DaftarHadirFilled", "signatory_block"]
