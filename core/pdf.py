"""The shared frame of every PDF: A4 page, letterhead (kop surat), page numbers, styles.

A report subclasses `PdfReport`, sets `title` and returns its flowables from `story()`. Tables of
many rows should be cut into page-sized tables with fixed row heights (`chunked_tables`): one huge
LongTable is superlinear in reportlab, page-sized ones stay linear.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"


@dataclass
class Letterhead:
    """The kop surat: the parent body, the agency's name, its address/contact, and a logo file."""

    agency_name: str
    parent: str = ""
    address: str = ""
    contact: str = ""
    logo_path: str | None = None


def styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "normal": ParagraphStyle("normal", parent=base["Normal"], fontName=FONT, fontSize=9.5, leading=12),
        "small": ParagraphStyle("small", parent=base["Normal"], fontName=FONT, fontSize=8, leading=10),
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName=FONT_BOLD, fontSize=14, leading=18, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base["Normal"], fontName=FONT, fontSize=10, leading=13, alignment=TA_CENTER
        ),
        "heading": ParagraphStyle("heading", parent=base["Heading3"], fontName=FONT_BOLD, fontSize=11, leading=14),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontName=FONT, fontSize=8.5, leading=10),
        "cell_bold": ParagraphStyle("cell_bold", parent=base["Normal"], fontName=FONT_BOLD, fontSize=8.5, leading=10),
    }


def escape(text) -> str:
    """Text for a Paragraph: its markup characters escaped."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def letterhead_flowables(letterhead: Letterhead, width: float) -> list[Flowable]:
    """The kop: logo on the left, centred lines, a double rule under it."""
    s = styles()
    centre = ParagraphStyle("kop", parent=s["subtitle"], fontName=FONT_BOLD, fontSize=11, leading=14)
    lines = []
    if letterhead.parent:
        lines.append(Paragraph(escape(letterhead.parent.upper()), centre))
    lines.append(Paragraph(escape(letterhead.agency_name.upper()), ParagraphStyle("kop2", parent=centre, fontSize=13)))
    for extra in (letterhead.address, letterhead.contact):
        if extra:
            lines.append(Paragraph(escape(extra), ParagraphStyle("kop3", parent=s["subtitle"], fontSize=8.5)))
    logo = ""
    if letterhead.logo_path:
        try:
            logo = Image(letterhead.logo_path, width=20 * mm, height=20 * mm, kind="proportional")
        except OSError:
            logo = ""
    table = Table([[logo, lines, ""]], colWidths=[24 * mm, width - 48 * mm, 24 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 1.5, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
            ]
        )
    )
    return [table]


class PdfReport:
    """Base of every report: subclasses set `title` and implement `story()`; `render()` gives bytes."""

    title: str = ""
    pagesize = A4
    margins = (15 * mm, 15 * mm, 15 * mm, 18 * mm)  # left, right, top, bottom
    page_label = "Halaman %(page)s"

    def __init__(self, *, letterhead: Letterhead | None = None):
        self.letterhead = letterhead
        self.styles = styles()

    @property
    def width(self) -> float:
        return self.pagesize[0] - self.margins[0] - self.margins[1]

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    def header(self) -> list[Flowable]:
        return letterhead_flowables(self.letterhead, self.width) if self.letterhead else []

    def _draw_page_number(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawRightString(
            self.pagesize[0] - self.margins[1], self.margins[3] / 2, self.page_label % {"page": doc.page}
        )
        canvas.restoreState()

    def render(self) -> bytes:
        buffer = io.BytesIO()
        left, right, top, bottom = self.margins
        document = SimpleDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=left,
            rightMargin=right,
            topMargin=top,
            bottomMargin=bottom,
            title=self.title,
            author="psp-koordinasi",
        )
        # Official documents are Indonesian whatever language the requesting user chose.
        with translation.override("id"):
            flowables = self.header() + self.story()
            document.build(flowables, onFirstPage=self._draw_page_number, onLaterPages=self._draw_page_number)
        return buffer.getvalue()


def grid_style(*, header_rows: int = 1) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), FONT_BOLD),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e9ecef")),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )


def chunked_tables(
    header: Sequence,
    rows: Sequence[Sequence],
    *,
    col_widths: Sequence[float],
    row_height: float,
    rows_per_table: int,
    style: TableStyle | None = None,
) -> list[Table]:
    """Page-sized tables, each with the header repeated and fixed row heights (linear time)."""
    tables = []
    for start in range(0, max(len(rows), 1), rows_per_table):
        chunk = [header, *rows[start : start + rows_per_table]]
        table = Table(chunk, colWidths=col_widths, rowHeights=[None] + [row_height] * (len(chunk) - 1), repeatRows=1)
        table.setStyle(style or grid_style())
        tables.append(table)
    return tables
