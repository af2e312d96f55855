"""Badges (name tags): A4 sheets of 2 × 4 tags, each with name, role, agency, site and the QR code of the
registration code (drawn with reportlab's own QR widget). No NIK or phone is printed."""

from django.utils.translation import gettext_lazy
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from core.exports import ExportOutput, file_stem
from core.pdf import FONT, FONT_BOLD, PdfReport, fit_lines
from reports.outputs.base import Report, site_registrations

BADGE_WIDTH, BADGE_HEIGHT = 88 * mm, 62 * mm
COLUMNS, ROWS = 2, 4
QR_SIZE = 26 * mm


class Badge(Flowable):
    """One name tag, drawn straight on the canvas (cheap: no paragraphs)."""

    def __init__(self, *, name: str, role: str, institution: str, site: str, event: str, code: str):
        super().__init__()
        self.width, self.height = BADGE_WIDTH, BADGE_HEIGHT
        self.name, self.role, self.institution = name, role, institution
        self.site, self.event, self.code = site, event, code

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        pad = 4 * mm
        c.setStrokeColor(colors.grey)
        c.setDash(2, 2)
        c.rect(0, 0, self.width, self.height)
        c.setDash()
        c.setFillColor(colors.HexColor("#0d6efd"))
        c.rect(0, self.height - 9 * mm, self.width, 9 * mm, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(FONT_BOLD, 7.5)
        for index, line in enumerate(fit_lines(self.event, width=self.width - 2 * pad, size=7.5).split("\n")):
            c.drawString(pad, self.height - 4 * mm - index * 3.3 * mm, line)
        c.setFillColor(colors.black)
        text_width = self.width - QR_SIZE - 3 * pad
        y = self.height - 15 * mm
        c.setFont(FONT_BOLD, 11)
        for line in fit_lines(self.name, width=text_width, font=FONT_BOLD, size=11, max_lines=3).split("\n"):
            c.drawString(pad, y, line)
            y -= 4.6 * mm
        c.setFont(FONT_BOLD, 9)
        c.drawString(pad, y - 1 * mm, fit_lines(self.role, width=text_width, font=FONT_BOLD, size=9, max_lines=1))
        y -= 6 * mm
        c.setFont(FONT, 8)
        for line in fit_lines(self.institution, width=text_width, size=8).split("\n"):
            c.drawString(pad, y, line)
            y -= 3.6 * mm
        c.setFont(FONT, 7.5)
        c.drawString(pad, pad, fit_lines(self.site, width=text_width, size=7.5, max_lines=1))
        widget = QrCodeWidget(self.code, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
        drawing.add(widget)
        qr_x, qr_y = self.width - QR_SIZE - pad, pad + 3 * mm
        renderPDF.draw(drawing, c, qr_x, qr_y)
        c.setFont(FONT_BOLD, 8)
        c.drawCentredString(qr_x + QR_SIZE / 2, pad - 0.5 * mm, self.code)


class BadgesPdf(PdfReport):
    margins = (15 * mm, 15 * mm, 12 * mm, 12 * mm)
    page_label = ""

    def __init__(self, *, badges: list[Badge], **kwargs):
        super().__init__(**kwargs)
        self.badges = badges
        self.title = "Tanda Pengenal Peserta"

    def _draw_page_number(self, canvas, doc) -> None:
        if self.on_page:
            self.on_page(doc.page)

    def story(self) -> list:
        per_page = COLUMNS * ROWS
        tables = []
        for start in range(0, max(len(self.badges), 1), per_page):
            chunk = self.badges[start : start + per_page]
            grid = [chunk[i : i + COLUMNS] for i in range(0, len(chunk), COLUMNS)] or [[""]]
            grid = [row + [""] * (COLUMNS - len(row)) for row in grid]
            table = Table(grid, colWidths=[BADGE_WIDTH + 2 * mm] * COLUMNS, rowHeights=BADGE_HEIGHT + 2 * mm)
            table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            tables.append(table)
        return tables


class Badges(Report):
    kind = "badges"
    label = gettext_lazy("Badges (name tags) with QR code")

    def render(self) -> ExportOutput:
        site = self.site
        event_line = site.event.title + (f" — {site.event.subtitle}" if site.event.subtitle else "")
        badges = [
            Badge(
                name=registration.full_name,
                role=registration.role.name,
                institution=registration.institution,
                site=site.name,
                event=event_line,
                code=registration.code,
            )
            for registration in site_registrations(site)
        ]
        pdf = BadgesPdf(badges=badges, on_page=self.page_progress(len(badges) // (COLUMNS * ROWS) + 1))
        return self.output(file_stem("tanda-pengenal", site.event.slug, site.name), pdf.render())
