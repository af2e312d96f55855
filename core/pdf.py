"""The shared frame of every PDF: A4 page, letterhead (kop surat), "Halaman x dari y", fonts, styles,
the signature block.

A report subclasses `PdfReport`, sets `title` and returns its flowables from `story()`. Tables of
many rows should be cut into page-sized tables with fixed row heights (`chunked_tables`): one huge
LongTable is superlinear in reportlab, page-sized ones stay linear.

Fonts: DejaVu (Sans, Sans Condensed, Serif), embedded, so that the Latin Extended letters of Indonesian
names ("Ḥ", "ā", "é") print as themselves. The files come from the npm package `dejavu-fonts-ttf`
(package-lock.json), copied to static/vendor/fonts/ by `make assets`; they are registered at import.
"""

import gc
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_CONDENSED = "DejaVuSansCondensed"  # for narrow table columns
FONT_CONDENSED_BOLD = "DejaVuSansCondensed-Bold"
FONT_SERIF = "DejaVuSerif"  # for certificates and piagam
FONT_SERIF_BOLD = "DejaVuSerif-Bold"
FONT_SERIF_ITALIC = "DejaVuSerif-Italic"

_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    FONT_CONDENSED: "DejaVuSansCondensed.ttf",
    FONT_CONDENSED_BOLD: "DejaVuSansCondensed-Bold.ttf",
    FONT_SERIF: "DejaVuSerif.ttf",
    FONT_SERIF_BOLD: "DejaVuSerif-Bold.ttf",
    FONT_SERIF_ITALIC: "DejaVuSerif-Italic.ttf",
}


def font_dir():
    return settings.BASE_DIR / "static" / "vendor" / "fonts"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the DejaVu fonts with reportlab (once); a clear error when `make assets` has not run."""
    folder = font_dir()
    missing = [name for name in _FONT_FILES.values() if not (folder / name).is_file()]
    if missing:
        raise ImproperlyConfigured(
            f"The PDF fonts are missing from {folder} ({', '.join(missing)}): run `make assets` (npm ci copies them)."
        )
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    # <b> and <i> inside Paragraphs pick the family's faces.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic="DejaVuSans-BoldOblique"
    )
    pdfmetrics.registerFontFamily(
        FONT_CONDENSED,
        normal=FONT_CONDENSED,
        bold=FONT_CONDENSED_BOLD,
        italic=FONT_CONDENSED,
        boldItalic=FONT_CONDENSED_BOLD,
    )
    pdfmetrics.registerFontFamily(
        FONT_SERIF, normal=FONT_SERIF, bold=FONT_SERIF_BOLD, italic=FONT_SERIF_ITALIC, boldItalic=FONT_SERIF_BOLD
    )


if (font_dir() / _FONT_FILES[FONT]).is_file():
    register_fonts()


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


def _one_line(text: str, style: ParagraphStyle, width: float, *, smallest: float = 7) -> Paragraph:
    """A centred line of the kop in a size that keeps it on one line (a name is never broken in two),
    down to `smallest`; below that it wraps."""
    size = style.fontSize
    while size > smallest and stringWidth(text, style.fontName, size) > width:
        size -= 0.25
    fitted = ParagraphStyle(f"{style.name}-fit", parent=style, fontSize=size, leading=size * 1.25)
    return Paragraph(escape(text), fitted)


def _kop_lines(text: str, style: ParagraphStyle, width: float, *, readable: float = 9) -> list[Paragraph]:
    """A line of the kop on one line when it fits at `readable` points or more; a longer name (LEMBAGA
    PENGEMBANGAN DAN PEMBERDAYAAN KEPALA SEKOLAH DAN PENGAWAS SEKOLAH in portrait) in two lines broken between
    the words that make the longer line shortest, both in one size, as printed kops do."""
    words = text.split()
    if len(words) < 2 or stringWidth(text, style.fontName, readable) <= width:
        return [_one_line(text, style, width)]
    font = style.fontName
    cut = min(
        range(1, len(words)),
        key=lambda i: max(stringWidth(" ".join(words[:i]), font, 10), stringWidth(" ".join(words[i:]), font, 10)),
    )
    halves = [" ".join(words[:cut]), " ".join(words[cut:])]
    size = style.fontSize
    while size > 7 and max(stringWidth(half, font, size) for half in halves) > width:
        size -= 0.25
    fitted = ParagraphStyle(f"{style.name}-two", parent=style, fontSize=size, leading=size * 1.25)
    return [Paragraph(escape(half), fitted) for half in halves]


def letterhead_flowables(letterhead: Letterhead, width: float) -> list[Flowable]:
    """The kop: logo on the left, centred lines (each kept on one line), a rule under it."""
    s = styles()
    centre = ParagraphStyle("kop", parent=s["subtitle"], fontName=FONT_BOLD, fontSize=11, leading=14)
    text_width = width - 48 * mm - 12  # the middle column less the cell's padding
    lines = []
    if letterhead.parent:
        lines.append(_one_line(letterhead.parent.upper(), centre, text_width))
    lines += _kop_lines(letterhead.agency_name.upper(), ParagraphStyle("kop2", parent=centre, fontSize=13), text_width)
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


class _PageCountingCanvas(Canvas):
    """A canvas that knows the number of pages when it saves: each page's footer ("Halaman x dari y") is
    drawn at the end, once the total is known (the reportlab recipe: pages are kept until `save`)."""

    footer: Callable[["_PageCountingCanvas", int, int], None] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._later: dict[int, list[Callable[[Canvas], None]]] = {}

    def draw_later(self, drawing: Callable[[Canvas], None]) -> None:
        """Draw on the current page when the document is complete, in the page's own coordinates (e.g. the page
        numbers of a table of contents, whose headings come after it)."""
        self._later.setdefault(self.getPageNumber(), []).append(drawing)

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            if self.footer is not None:
                self.footer(self, number, total)
            for drawing in self._later.get(number, ()):
                drawing(self)
            super().showPage()
        super().save()


class MarkedParagraph(Paragraph):
    """A heading that records, under `key` in `marks`, the page it is drawn on (a table of contents reads it)."""

    def __init__(self, text, style, *, marks: dict | None = None, key=None, **kwargs):
        super().__init__(text, style, **kwargs)
        self.marks, self.key = marks, key

    def split(self, available_width, available_height):
        # A heading cut at the foot of a page: its parts are made by reportlab through this class.
        parts = super().split(available_width, available_height)
        for part in parts:
            if isinstance(part, MarkedParagraph):
                part.marks, part.key = self.marks, self.key
        return parts

    def draw(self):
        if self.marks is not None:
            self.marks.setdefault(self.key, self.canv.getPageNumber())  # the page of its first part
        super().draw()


class ContentsLine(Flowable):
    """A line of a table of contents: the title, a dotted leader and the page number of its heading
    (`marks[key]`, recorded by a `MarkedParagraph`). The number is drawn once the document is complete
    (`_PageCountingCanvas.draw_later`), so the table may come before the headings it lists."""

    def __init__(self, text: str, *, marks: dict, key, style, indent: float = 0.0, number_width: float = 12 * mm):
        super().__init__()
        self.text, self.marks, self.key, self.style = text, marks, key, style
        self.indent, self.number_width = indent, number_width

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.style.leading

    def draw(self):
        canvas, font, size = self.canv, self.style.fontName, self.style.fontSize
        baseline = (self.style.leading - size) / 2 + size * 0.22
        room = self.width - self.indent - self.number_width - 6
        title = fit_lines(self.text, width=room, font=font, size=size, max_lines=1).split("\n")[0]
        canvas.setFont(font, size)
        canvas.drawString(self.indent, baseline, title)
        start, end = self.indent + stringWidth(title, font, size) + 4, self.width - self.number_width + 2
        if end > start:
            canvas.saveState()
            canvas.setDash(0.4, 2.6)
            canvas.setLineCap(1)
            canvas.setLineWidth(0.9)
            canvas.line(start, baseline + 0.8, end, baseline + 0.8)
            canvas.restoreState()
        x, y = canvas.absolutePosition(self.width, baseline)
        marks, key = self.marks, self.key

        def number(page_canvas: Canvas) -> None:
            page_canvas.setFont(font, size)
            page_canvas.drawRightString(x, y, str(marks.get(key, "")))

        if hasattr(canvas, "draw_later"):
            canvas.draw_later(number)


class PdfReport:
    """Base of every report: subclasses set `title` and implement `story()`; `render()` gives bytes.

    The footer says "Halaman x dari y" (`page_label`, empty for none), drawn once the page count is known.
    """

    title: str = ""
    pagesize = A4
    margins = (15 * mm, 15 * mm, 15 * mm, 18 * mm)  # left, right, top, bottom
    page_label = "Halaman %(page)s dari %(pages)s"

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

    def _page_done(self, canvas, doc) -> None:
        if self.on_page:
            self.on_page(doc.page)

    def _draw_footer(self, canvas, page: int, pages: int) -> None:
        if not self.page_label:
            return
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawRightString(
            self.pagesize[0] - self.margins[1], self.margins[3] / 2, self.page_label % {"page": page, "pages": pages}
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
        register_fonts()
        footer = self._draw_footer

        class ReportCanvas(_PageCountingCanvas):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.footer = footer

        # Official documents are Indonesian whatever language the requesting user chose.
        with translation.override("id"), cyclic_gc_paused():
            flowables = self.header() + self.story()
            document.build(
                flowables, onFirstPage=self._page_done, onLaterPages=self._page_done, canvasmaker=ReportCanvas
            )
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
            if state[:3] != self._text_state[:3]:
                text.setFont(fontname, fontsize, leading)
            if state[3] != self._text_state[3]:  # columns in two fonts need not repeat the colour
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


def wrap_lines(text, *, width: float, font: str = FONT, size: float = 8.5) -> list[str]:
    """The text wrapped at spaces into lines of at most `width` points, never cut: every character is kept
    (the record of a name). A word wider than the cell is broken between characters. Cheap, for plain-string
    table cells of thousands of rows (word widths cached)."""
    space = _word_width(" ", font, size)
    lines: list[str] = []
    current, current_width = "", 0.0
    for word in str(text or "").split():
        word_width = _word_width(word, font, size)
        if word_width > width:
            if current:
                lines.append(current)
            piece = ""
            for char in word:
                if piece and stringWidth(piece + char, font, size) > width:
                    lines.append(piece)
                    piece = ""
                piece += char
            current, current_width = piece, stringWidth(piece, font, size)
        elif current and current_width + space + word_width <= width:
            current, current_width = f"{current} {word}", current_width + space + word_width
        else:
            if current:
                lines.append(current)
            current, current_width = word, word_width
    if current:
        lines.append(current)
    return lines


def page_chunks(heights: Sequence[float], *, first_space: float, page_space: float) -> list[tuple[int, int]]:
    """(start, end) of the rows of each page: rows of the given heights fill `first_space` points on the first
    page and `page_space` on the others (a row taller than a page gets a page of its own). Linear."""
    chunks: list[tuple[int, int]] = []
    start, used, space = 0, 0.0, first_space
    for index, height in enumerate(heights):
        if used + height > space and index > start:
            chunks.append((start, index))
            start, used, space = index, 0.0, page_space
        used += height
    chunks.append((start, len(heights)))
    return chunks


@dataclass
class Signatory:
    """Who signs a paper: the office line ("Kepala Balai Guru Penggerak …"), the name and NIP. Empty name and
    NIP leave dotted lines to be filled in by hand."""

    office: str = ""
    name: str = ""
    nip: str = ""


def signature_block(
    *, place_date: str, signatories: Sequence[Signatory], width: float, lead: str = "", keep_with: Sequence = ()
) -> Flowable:
    """The signature block of an official paper: place and date over the last signatory, each with its office,
    room to sign, the name (bold, underlined) and the NIP; dotted lines where no name or NIP is set.

    `keep_with` are the flowables that must stay on the same page as the block (the last rows of a list), so a
    page never holds the block alone. `lead` is a line over the first signatory ("Mengetahui,").
    """
    s = styles()
    centre = ParagraphStyle("sign", parent=s["normal"], alignment=TA_CENTER)
    cells = []
    for index, signatory in enumerate(signatories):
        lines = []
        if index == len(signatories) - 1:
            lines.append(Paragraph(escape(place_date), centre))
            if lead and len(signatories) == 1:  # one signatory: the lead goes under the place and date
                lines.append(Paragraph(escape(lead), centre))
        elif lead:
            lines.append(Paragraph(escape(lead), centre))
        else:
            lines.append(Paragraph("&nbsp;", centre))
        lines.append(Paragraph(escape(signatory.office) or "&nbsp;", centre))
        lines.append(Spacer(1, 18 * mm))
        name = f"<u><b>{escape(signatory.name)}</b></u>" if signatory.name else "(" + "." * 48 + ")"
        lines.append(Paragraph(name, centre))
        nip = signatory.nip or "." * 36
        lines.append(Paragraph(f"NIP. {escape(nip)}", centre))
        cells.append(lines)
    column = width / max(len(cells), 2)
    if len(cells) == 1:
        cells = ["", *cells]  # one signatory signs on the right half
    table = Table([cells], colWidths=[column] * len(cells))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)]))
    return KeepTogether([*keep_with, Spacer(1, 6 * mm), table])
