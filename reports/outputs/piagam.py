"""Piagam penghargaan (certificate of appreciation) of the Kepala Sekolah Penggerak chosen at an event: the list of
those chosen (PDF, Excel), and the piagam themselves in the certificate's frame (`reports.outputs.papers`) — all in
one merged PDF, or one person's — each with the QR code of its public verification page. Revoked piagam are on
the list (marked) and never printed."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from core.exports import PDF, XLSX, ExportOutput, file_stem
from core.params import is_id
from core.pdf import FONT, FONT_BOLD, FONT_CONDENSED, PdfReport, escape, signature_block
from core.timezones import format_date_indonesian
from core.xlsx import Column, Sheet, build_workbook
from events.outputs import event_letterhead, event_signatory
from reports.outputs.base import Report, date_range_indonesian
from reports.outputs.certificates import certificate_identifier
from reports.outputs.papers import PaperPage, PaperPdf
from reports.selectors import appreciations_of_event, verification_url


def status_of(appreciation) -> str:
    if appreciation.revoked_at:
        return f"Dicabut {format_date_indonesian(appreciation.revoked_at.date(), 'j F Y')}"
    return "Berlaku"


class PiagamListPdf(PdfReport):
    pagesize = landscape(A4)

    def __init__(self, *, event, appreciations, place: str, **kwargs):
        super().__init__(**kwargs)
        self.event, self.appreciations, self.place = event, appreciations, place
        self.title = f"Daftar Penerima Piagam Penghargaan {event.title}"

    def story(self) -> list:
        s = self.styles
        cell, bold = s["cell"], s["cell_bold"]
        head = ["No", "Nama", "Sekolah", "Nomor Piagam", "Penghargaan atas", "Status"]
        number_style = ParagraphStyle("number", parent=cell, fontName=FONT_CONDENSED)
        rows = [[Paragraph(text, bold) for text in head]]
        for index, appreciation in enumerate(self.appreciations, start=1):
            rows.append(
                [
                    str(index),
                    Paragraph(escape(appreciation.holder_name), cell),
                    Paragraph(escape(appreciation.school_name), cell),
                    Paragraph(escape(appreciation.number), number_style),
                    Paragraph(escape(appreciation.citation), cell),
                    Paragraph(escape(status_of(appreciation)), cell),
                ]
            )
        width = self.frame_width
        table = Table(rows, colWidths=[w * width for w in (0.045, 0.19, 0.19, 0.215, 0.25, 0.11)], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                    ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        event = self.event
        return [
            Spacer(1, 4 * mm),
            Paragraph("DAFTAR PENERIMA PIAGAM PENGHARGAAN", s["title"]),
            Paragraph("Kepala Sekolah Penggerak", s["subtitle"]),
            Paragraph(escape(event.title), s["subtitle"]),
            Paragraph(escape(date_range_indonesian(event.start_date, event.end_date)), s["subtitle"]),
            Spacer(1, 5 * mm),
            table,
            signature_block(
                place_date=f"{self.place}, {format_date_indonesian(event.end_date, 'j F Y')}",
                signatories=[event_signatory(event)],
                width=self.frame_width,
            ),
        ]


class PiagamList(Report):
    """The list of the Kepala Sekolah Penggerak chosen for a piagam at the event (PDF, Excel)."""

    kind = "piagam_list"
    label = gettext_lazy("Piagam penghargaan: list of the Kepala Sekolah Penggerak chosen")
    formats = (PDF, XLSX)
    scope = "event"

    def row_count(self) -> int:
        return 0  # a few dozen people at most: always immediate

    def return_url(self) -> str:
        return reverse("reports:piagam", kwargs={"event_id": self.event.pk})

    def rows(self) -> list:
        return list(appreciations_of_event(event=self.event))

    def nothing_to_export(self) -> str:
        if appreciations_of_event(event=self.event).exists():
            return ""
        return gettext("Nobody has been chosen for a piagam penghargaan at this event yet.")

    def render(self) -> ExportOutput:
        appreciations = self.rows()
        stem = file_stem("piagam-daftar", self.event.slug)
        if self.file_format == PDF:
            pdf = PiagamListPdf(
                event=self.event,
                appreciations=appreciations,
                # Dated where the piagam of a person not registered are: the event's first site.
                place=self.sites[0].venue.regency.name,
                letterhead=event_letterhead(self.event),
            )
            return self.output(stem, pdf.render())
        sheet = Sheet(
            title="Piagam",
            columns=[
                Column("No", width=5),
                Column("Nama", width=36),
                Column("Sekolah", width=32),
                Column("Nomor Piagam", width=24, text=True),
                Column("Penghargaan atas", width=48),
                Column("Status", width=20),
                Column("Tautan verifikasi", width=50),
            ],
            rows=[
                [
                    index,
                    appreciation.holder_name,
                    appreciation.school_name,
                    appreciation.number,
                    appreciation.citation,
                    status_of(appreciation),
                    verification_url(appreciation.token),
                ]
                for index, appreciation in enumerate(appreciations, start=1)
            ],
        )
        return self.output(stem, build_workbook([sheet]))


class Piagam(Report):
    """The piagam of the event in one merged PDF, or one person's (`?piagam=<id>`). Revoked ones are not printed."""

    kind = "piagam"
    label = gettext_lazy("Piagam penghargaan (one merged PDF)")
    scope = "event"
    query_params = ("piagam",)

    def load(self) -> None:
        super().load()
        appreciations = (
            appreciations_of_event(event=self.event)
            .filter(revoked_at__isnull=True)
            .select_related("registration__site__venue__regency", "event__organizer")
        )
        chosen = self.params.get("piagam")
        if chosen not in (None, ""):
            if not is_id(chosen):
                raise Http404
            appreciations = appreciations.filter(pk=int(chosen))
            if not appreciations.exists():
                raise Http404
        self.appreciations = appreciations

    def job_params(self) -> dict:
        params = super().job_params()
        if self.params.get("piagam"):
            params["piagam"] = self.params["piagam"]
        return params

    def row_count(self) -> int:
        return 0

    def return_url(self) -> str:
        return reverse("reports:piagam", kwargs={"event_id": self.event.pk})

    def nothing_to_export(self) -> str:
        if self.appreciations.exists():
            return ""
        return gettext("Nobody has been chosen for a piagam penghargaan at this event yet.")

    def page(self, appreciation, *, organizer: str) -> PaperPage:
        event = self.event
        site = appreciation.registration.site if appreciation.registration_id else self.sites[0]
        holder = appreciation.registration or appreciation.person
        school = appreciation.school_name
        body = ["<b>Kepala Sekolah Penggerak</b>"] + ([escape(school)] if school else [])
        body.append(f"atas {escape(appreciation.citation)}")
        body.append(
            f"pada kegiatan <b>{escape(event.title)}</b> yang diselenggarakan oleh {escape(organizer)}, "
            f"{escape(date_range_indonesian(event.start_date, event.end_date))}."
        )
        return PaperPage(
            title="PIAGAM PENGHARGAAN",
            number=appreciation.number,
            name=appreciation.holder_name,
            identifier=certificate_identifier(holder),
            body=body,
            # Dated on the last day of the event (the verification page gives the same date).
            place_date=f"{site.venue.regency.name}, {format_date_indonesian(event.end_date, 'j F Y')}",
            verify_url=verification_url(appreciation.token),
        )

    def render(self) -> ExportOutput:
        appreciations = list(self.appreciations)
        letterhead = event_letterhead(self.event)
        pages = [self.page(appreciation, organizer=letterhead.agency_name) for appreciation in appreciations]
        pdf = PaperPdf(
            event=self.event,
            pages=pages,
            letterhead=letterhead,
            on_page=self.page_progress(len(pages)),
        )
        if len(appreciations) == 1:
            stem = file_stem("piagam", appreciations[0].number.replace("/", "-"), appreciations[0].holder_name)
        else:
            stem = file_stem("piagam", self.event.slug)
        return self.output(stem, pdf.render())
