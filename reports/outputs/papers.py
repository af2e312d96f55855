"""The frame shared by the papers given to people — the certificate (sertifikat) and the piagam penghargaan: A4
landscape, a double border, the organizer's logo and name, the title, the number, the holder's name, the text,
the signatory with NIP beside the QR code of the paper's public verification page. One page per paper, whatever
the length of the names and texts (the page's content shrinks to fit rather than spill onto a second page)."""

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Image, KeepInFrame, PageBreak, Paragraph, Spacer, Table, TableStyle

from core.pdf import (
    FONT,
    FONT_SERIF,
    FONT_SERIF_BOLD,
    FONT_SERIF_ITALIC,
    Letterhead,
    PdfReport,
    escape,
)
from core.qr import qr_png
from events.outputs import event_signatory

NAVY = colors.HexColor("#1d3557")
GOLD = colors.HexColor("#b08d3c")


def _height(flowable, width: float, height: float) -> float:
    """The height a flowable takes in a column of `width`, its spaces before and after included."""
    return flowable.wrap(width, height)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()


@dataclass
class PaperPage:
    """One paper: texts are plain (escaped here), except `body`, a Paragraph markup made with `escape()`."""

    title: str  # "SERTIFIKAT", "PIAGAM PENGHARGAAN"
    number: str
    name: str
    identifier: str  # "NIP. 1985…" or ""; never a NIK
    body: list[str]  # paragraphs of markup, centred
    place_date: str  # "Kabupaten Lombok Utara, 16 Oktober 2022"
    verify_url: str
    lead: str = "diberikan kepada"


class PaperPdf(PdfReport):
    """Papers of one event, one page each (the merged file, or one paper)."""

    pagesize = landscape(A4)
    margins = (24 * mm, 24 * mm, 17 * mm, 19 * mm)
    page_label = ""

    def __init__(self, *, event, pages: list[PaperPage], letterhead: Letterhead | None, **kwargs):
        super().__init__(letterhead=letterhead, **kwargs)
        self.event, self.pages = event, pages
        self.title = f"{pages[0].title.title() if pages else 'Sertifikat'} {event.title}"
        logo = letterhead.logo_path if letterhead else None
        self.logo_bytes = logo.getvalue() if isinstance(logo, io.BytesIO) else None
        self.logo_file = logo if isinstance(logo, str) else None

    def header(self) -> list:
        return []  # each paper carries the organizer's name and logo

    def _page_done(self, canvas, doc) -> None:
        """The border, drawn under the page's content: a thick navy frame and a thin gold one inside it."""
        width, height = self.pagesize
        canvas.saveState()
        canvas.setStrokeColor(NAVY)
        canvas.setLineWidth(3)
        canvas.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
        canvas.setStrokeColor(GOLD)
        canvas.setLineWidth(1)
        canvas.rect(11 * mm, 11 * mm, width - 22 * mm, height - 22 * mm)
        canvas.setLineWidth(0.5)
        canvas.rect(12.5 * mm, 12.5 * mm, width - 25 * mm, height - 25 * mm)
        for x, y in ((11, 11), (width / mm - 11, 11), (11, height / mm - 11), (width / mm - 11, height / mm - 11)):
            canvas.setFillColor(GOLD)
            canvas.circle(x * mm, y * mm, 2.2 * mm, stroke=0, fill=1)
        canvas.restoreState()
        super()._page_done(canvas, doc)

    def _styles(self) -> dict[str, ParagraphStyle]:
        base = ParagraphStyle("paper", fontName=FONT_SERIF, fontSize=12, leading=16, alignment=TA_CENTER)
        return {
            "base": base,
            "parent": ParagraphStyle("parent", parent=base, fontName=FONT, fontSize=9, leading=11, textColor=NAVY),
            "agency": ParagraphStyle("agency", parent=base, fontName=FONT_SERIF_BOLD, fontSize=12.5, leading=15),
            "title": ParagraphStyle(
                "title", parent=base, fontName=FONT_SERIF_BOLD, fontSize=32, leading=38, textColor=NAVY
            ),
            "number": ParagraphStyle("number", parent=base, fontSize=11, leading=14),
            "lead": ParagraphStyle("lead", parent=base, fontName=FONT_SERIF_ITALIC, fontSize=12, leading=16),
            "name": ParagraphStyle("name", parent=base, fontName=FONT_SERIF_BOLD, fontSize=23, leading=28),
            "identifier": ParagraphStyle("identifier", parent=base, fontSize=11, leading=14),
            "body": ParagraphStyle(
                "body", parent=base, fontSize=12, leading=16.5, leftIndent=14 * mm, rightIndent=14 * mm
            ),
            "sign": ParagraphStyle("sign", parent=base, fontName=FONT, fontSize=10.5, leading=13.5),
            "small": ParagraphStyle("small", parent=base, fontName=FONT, fontSize=7, leading=8.5),
        }

    def _logo(self):
        source = io.BytesIO(self.logo_bytes) if self.logo_bytes else self.logo_file
        if not source:
            return None
        try:
            return Image(source, width=22 * mm, height=22 * mm, kind="proportional")
        except (OSError, ValueError):
            return None

    def _signature(self, page: PaperPage, s) -> list:
        signatory = event_signatory(self.event)  # dotted lines, to fill in by hand, for what is not set
        name = f"<u><b>{escape(signatory.name)}</b></u>" if signatory.name else "(" + "." * 44 + ")"
        nip = escape(signatory.nip) if signatory.nip else "." * 34
        return [
            Paragraph(escape(page.place_date), s["sign"]),
            Paragraph(escape(signatory.office), s["sign"]),
            Spacer(1, 17 * mm),
            Paragraph(name, s["sign"]),
            Paragraph(f"NIP. {nip}", s["sign"]),
        ]

    def _verification(self, page: PaperPage, s) -> list:
        qr = Image(io.BytesIO(qr_png(page.verify_url, scale=4)), width=26 * mm, height=26 * mm)
        caption = ParagraphStyle("qr", parent=s["small"], alignment=0)
        return [
            Table(
                [
                    [
                        qr,
                        [
                            Paragraph("Pindai kode QR untuk memeriksa keaslian dokumen ini:", caption),
                            Paragraph(escape(page.verify_url), caption),
                        ],
                    ]
                ],
                colWidths=[28 * mm, 52 * mm],
                style=TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
            )
        ]

    def one(self, page: PaperPage) -> list:
        s = self._styles()
        width = self.frame_width
        head = []
        logo = self._logo()
        if logo is not None:
            head += [logo, Spacer(1, 2 * mm)]
        if self.letterhead:
            if self.letterhead.parent:
                head.append(Paragraph(escape(self.letterhead.parent.upper()), s["parent"]))
            head.append(Paragraph(escape(self.letterhead.agency_name.upper()), s["agency"]))
        middle = [
            Paragraph(escape(page.title), s["title"]),
            Paragraph(f"Nomor: {escape(page.number)}", s["number"]),
            Spacer(1, 5 * mm),
            Paragraph(escape(page.lead), s["lead"]),
            Spacer(1, 2 * mm),
            Paragraph(escape(page.name), s["name"]),
            HRFlowable(width="45%", thickness=1, color=GOLD, spaceBefore=1 * mm, spaceAfter=1.5 * mm),
        ]
        if page.identifier:
            middle.append(Paragraph(escape(page.identifier), s["identifier"]))
        middle.append(Spacer(1, 4 * mm))
        middle += [Paragraph(markup, s["body"]) for markup in page.body]
        bottom = Table(
            [[self._verification(page, s), "", self._signature(page, s)]],
            colWidths=[82 * mm, width - 82 * mm - 95 * mm, 95 * mm],
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (0, 0), 0)]),
        )
        # The room left on the page goes above the title and above the signatures, so the paper fills its frame.
        spare = (
            self.frame_height
            - 4
            - sum(_height(flowable, width, self.frame_height) for flowable in [*head, *middle, bottom])
        )
        spare = max(spare, 4 * mm)
        flow = [*head, Spacer(1, spare * 0.4), *middle, Spacer(1, spare * 0.6), bottom]
        # One page per paper: a very long name or text makes the page's content smaller, never a second page.
        return [KeepInFrame(width, self.frame_height, flow, mode="shrink", hAlign="CENTER")]

    def story(self) -> list:
        flow = []
        for index, page in enumerate(self.pages):
            if index:
                flow.append(PageBreak())
            flow += self.one(page)
        return flow
