"""The shared frame of every PDF: A4 page, letterhead (kop surat), page numbers, styles.

A report subclasses `PdfReport`, sets `title` and returns its flowables from `story()`. Tables of
many rows should be cut into page-sized tables with fixed row heights (`chunked_tables`): one huge
LongTable is superlinear in reportlab, page-sized ones stay linear.
"""

import gc
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
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
    logo_path: str | io.BytesIO | None = None  # a file path or the logo's bytes (any storage)


def read_logo(field_file) -> io.BytesIO | None:
    """The bytes of an uploaded logo (a FileField's file) through its storage, or None when missing or unreadable."""
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return io.BytesIO(handle.read())
    except (OSError, ValueError):
        return None


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
        except (OSError, ValueError):
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


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a document is built.

    A build keeps tens of thousands of cells alive; each full collection walks all of them, which
    made a 20,000-row sheet superlinear (measured: 5.2 × the 5,000-row time with it, 3.3 × without).
    reportlab's objects are freed by reference counting; the collector runs again right after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class PdfReport:
    """Base of every report: subclasses set `title` and implement `story()`; `render()` gives bytes."""

    title: str = ""
    pagesize = A4
    margins = (15 * mm, 15 * mm, 15 * mm, 18 * mm)  # left, right, top, bottom
    page_label = "Halaman %(page)s"

    def __init__(self, *, letterhead: Letterhead | None = None, on_page: Callable[[int], None] | None = None):
        self.letterhead = letterhead
        self.styles = styles()
        self.on_page = on_page  # called with each finished page number (progress of a background job)

    @property
    def width(self) -> float:
        return self.pagesize[0] - self.margins[0] - self.margins[1]

    @property
    def frame_height(self) -> float:
        """The height a flowable may use on one page (SimpleDocTemplate's frame pads 6 pt each side)."""
        return self.pagesize[1] - self.margins[2] - self.margins[3] - 12

    @property
    def frame_width(self) -> float:
        return self.width - 12

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
        if self.on_page:
            self.on_page(doc.page)

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
        with translation.override("id"), cyclic_gc_paused():
            flowables = self.header() + self.story()
            document.build(flowables, onFirstPage=self._draw_page_number, onLaterPages=self._draw_page_number)
        return buffer.getvalue()


class FastTable(Table):
    """A Table that writes its plain-string cells into one PDF text object per table.

    reportlab's own cell drawing calls `canvas.drawString`, which opens a new text object per
    string; for sheets of thousands of rows that is most of the time. Empty cells (None or "") cost
    nothing. Flowable cells, links and shaped/bidi text fall back to reportlab's drawing.
    """

    _text = None

    def draw(self) -> None:
        self._text = self.canv.beginText()
        self._text_state = (None, None, None, None)
        try:
            super().draw()
            self.canv.drawText(self._text)
        finally:
            self._text = None

    def _drawCell(self, cellval, cellstyle, pos, size) -> None:
        if cellval is None or cellval == "":
            return
        text = self._text
        if (
            text is None
            or not isinstance(cellval, str)
            or cellstyle.href
            or cellstyle.destination
            or cellstyle.direction
            or cellstyle.shaping
            or cellstyle.alignment not in ("LEFT", "RIGHT", "CENTER", "CENTRE")
            or cellstyle.valign not in ("TOP", "MIDDLE", "BOTTOM")
        ):
            return super()._drawCell(cellval, cellstyle, pos, size)
        colpos, rowpos = pos
        colwidth, rowheight = size
        fontname, fontsize, leading = cellstyle.fontname, cellstyle.fontsize, cellstyle.leading
        state = (fontname, fontsize, leading, cellstyle.color)
        if state != self._text_state:
            text.setFont(fontname, fontsize, leading)
            text.setFillColor(cellstyle.color)
            self._text_state = state
        lines = cellval.split("\n")
        if cellstyle.valign == "MIDDLE":
            y = rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + len(lines) * leading) / 2.0
            y -= fontsize
        elif cellstyle.valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        else:
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
        for line in lines:
            if cellstyle.alignment == "LEFT":
                x = colpos + cellstyle.leftPadding
            else:
                width = stringWidth(line, fontname, fontsize)
                if cellstyle.alignment == "RIGHT":
                    x = colpos + colwidth - cellstyle.rightPadding - width
                else:
                    x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding - width) * 0.5
            text.setTextOrigin(x, y)
            text.textOut(line)
            y -= leading


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
    first_rows: int | None = None,
    header_height: float | None = None,
) -> list[Table]:
    """Page-sized tables, each with the header repeated and fixed row heights (linear time).

    `first_rows` lets the first table be shorter (the first page also carries the letterhead and
    title); `header` may be one row or a list of rows (a two-line header), each `header_height` high.
    """
    headers = list(header) if header and isinstance(header[0], list | tuple) else [header]
    header_heights = [header_height] * len(headers)
    style = style or grid_style(header_rows=len(headers))
    tables = []
    start, size = 0, first_rows or rows_per_table
    while start < len(rows) or not tables:
        body = list(rows[start : start + size])
        table = FastTable(
            [*headers, *body],
            colWidths=col_widths,
            rowHeights=header_heights + [row_height] * len(body),
            repeatRows=len(headers),
        )
        table.setStyle(style)
        tables.append(table)
        start, size = start + size, rows_per_table
    return tables


def rows_fitting(height: float, *, row_height: float, header_height: float, header_rows: int = 1) -> int:
    """How many fixed-height body rows fit under the header in `height` points (at least one)."""
    return max(int((height - header_rows * header_height - 1) // row_height), 1)


@lru_cache(maxsize=50_000)
def _word_width(word: str, font: str, size: float) -> float:
    return stringWidth(word, font, size)


def fit_lines(text, *, width: float, font: str = FONT, size: float = 8.5, max_lines: int = 2) -> str:
    """The text wrapped into at most `max_lines` lines of `width` points ('…' when cut): cheap wrapping
    for plain-string table cells, which keep fixed row heights (no Paragraph per cell). Word widths
    are cached: names and agencies repeat their words over thousands of rows."""
    words = str(text or "").split()
    space = _word_width(" ", font, size)
    widths = [_word_width(word, font, size) for word in words]
    if sum(widths) + space * max(len(words) - 1, 0) <= width:
        return " ".join(words)
    text = " ".join(words)
    lines, current, current_width = [], "", 0.0
    for word, word_width in zip(words, widths, strict=True):
        if not current:
            current, current_width = word, word_width
            continue
        if current_width + space + word_width <= width:
            current, current_width = f"{current} {word}", current_width + space + word_width
            continue
        lines.append(current)
        current, current_width = word, word_width
        if len(lines) == max_lines:
            break
    else:
        lines.append(current)
    if len(lines) > max_lines or (len(lines) == max_lines and " ".join(lines) != text):
        lines = lines[:max_lines]
        last = lines[-1]
        while last and stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return "\n".join(lines)
