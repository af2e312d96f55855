"""Sertifikat: one page per participant whose attendance reaches the event's threshold, with its
number, name, NIP/NUPTK, role, event, dates, place, JP hours and the signatory. One merged PDF per
site, or a ZIP holding one PDF per participant. Numbers come from `Certificate` rows (see
`reports.services.certificates_issue`), so a reprint keeps its number."""

import io
import zipfile

from django.utils.translation import gettext_lazy
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer

from core.exports import ExportOutput, file_stem
from core.pdf import FONT_BOLD, PdfReport, escape, letterhead_flowables
from core.timezones import format_date_indonesian
from events.outputs import agency_letterhead
from reports.outputs.base import Report, date_range_indonesian, place_of
from reports.outputs.daftar_hadir import signatory_block
from reports.services import certificates_issue


def certificate_identifier(person) -> str:
    """NIP, else NUPTK: the NIK never appears on a certificate."""
    if person.nip:
        return f"NIP. {person.nip}"
    if person.nuptk:
        return f"NUPTK. {person.nuptk}"
    return ""


class CertificatesPdf(PdfReport):
    pagesize = landscape(A4)
    margins = (20 * mm, 20 * mm, 12 * mm, 12 * mm)
    page_label = ""

    def __init__(self, *, site, certificates, **kwargs):
        super().__init__(**kwargs)
        self.site, self.event, self.certificates = site, site.event, certificates
        self.title = f"Sertifikat {self.event.title}"

    def header(self) -> list:
        return []  # each certificate carries its own letterhead

    def _draw_page_number(self, canvas, doc) -> None:
        if self.on_page:
            self.on_page(doc.page)

    def one(self, certificate) -> list:
        s = self.styles
        centre = ParagraphStyle("centre", parent=s["normal"], alignment=TA_CENTER, fontSize=11, leading=15)
        big = ParagraphStyle("big", parent=centre, fontName=FONT_BOLD, fontSize=26, leading=32)
        name = ParagraphStyle("name", parent=centre, fontName=FONT_BOLD, fontSize=18, leading=24)
        registration = certificate.registration
        person, event = registration, self.event
        jp = f" selama {event.jp_hours} JP (jam pelajaran)" if event.jp_hours else ""
        event_name = event.title + (f" — {event.subtitle}" if event.subtitle else "")
        # Dated on the last day of the site, whenever it is (re)printed.
        place_date = f"{self.site.venue.regency.name}, {format_date_indonesian(self.site.end_date, 'j F Y')}"
        flow = letterhead_flowables(self.letterhead, self.width) if self.letterhead else []
        flow += [
            Spacer(1, 5 * mm),
            Paragraph("SERTIFIKAT", big),
            Paragraph(f"Nomor: {escape(certificate.number)}", centre),
            Spacer(1, 5 * mm),
            Paragraph("diberikan kepada:", centre),
            Spacer(1, 2 * mm),
            Paragraph(escape(person.full_name), name),
            Paragraph(escape(certificate_identifier(person)), centre),
            Spacer(1, 3 * mm),
            Paragraph(f"sebagai <b>{escape(registration.role.name)}</b>", centre),
            Paragraph(
                f"dalam kegiatan <b>{escape(event_name)}</b> yang diselenggarakan oleh "
                f"{escape(event.organizer.name)} pada tanggal "
                f"{escape(date_range_indonesian(self.site.start_date, self.site.end_date))} "
                f"di {escape(place_of(self.site))}{escape(jp)}.",
                centre,
            ),
            signatory_block(event, width=self.frame_width, styles=s, place_date=place_date, heading=""),
        ]
        return flow

    def story(self) -> list:
        flow = []
        for index, certificate in enumerate(self.certificates):
            if index:
                flow.append(PageBreak())
            flow += self.one(certificate)
        if not flow:
            flow.append(Paragraph("Belum ada peserta yang memenuhi syarat kehadiran.", self.styles["normal"]))
        return flow


class Certificates(Report):
    kind = "certificates"
    label = gettext_lazy("Certificates (one merged PDF)")
    writes = True  # numbers the certificates not yet numbered: a POST

    def prepare(self) -> None:
        # Numbers are issued (once, never changed) by the service before anything is printed.
        self.certificates = certificates_issue(site=self.site, actor=self.user)

    def render(self) -> ExportOutput:
        certificates = self.certificates
        pdf = CertificatesPdf(
            site=self.site,
            certificates=certificates,
            letterhead=agency_letterhead(self.site.event.organizer),
            on_page=self.page_progress(len(certificates)),
        )
        return self.output(file_stem("sertifikat", self.site.event.slug, self.site.name), pdf.render())


class CertificatesZip(Certificates):
    kind = "certificates_zip"
    label = gettext_lazy("Certificates (one PDF per participant, in a ZIP file)")
    formats = ("zip",)

    def render(self) -> ExportOutput:
        certificates = self.certificates
        letterhead = agency_letterhead(self.site.event.organizer)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for index, certificate in enumerate(certificates, start=1):
                pdf = CertificatesPdf(site=self.site, certificates=[certificate], letterhead=letterhead)
                name = file_stem(certificate.number.replace("/", "-"), certificate.registration.full_name)
                archive.writestr(f"{name}.pdf", pdf.render())
                self.progress(min(99, index * 100 // max(len(certificates), 1)))
        return self.output(file_stem("sertifikat", self.site.event.slug, self.site.name), buffer.getvalue())
