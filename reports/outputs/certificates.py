"""Sertifikat: one A4 landscape page per participant whose attendance reaches the event's threshold (the frame of
`reports.outputs.papers`): number, name, NIP/NUPTK, the role spelled out, event, dates, place, JP hours, the
signatory, the place and date of issue, and the QR code of its public verification page. One merged PDF per site,
or a ZIP holding one PDF per participant. Numbers and keys come from `Certificate` rows (issued by
`reports.services.certificates_issue`), so a reprint keeps them; when nobody qualifies, the page says so instead
of a file."""

import io
import zipfile

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from core.exports import ExportOutput, file_stem
from core.pdf import escape
from core.timezones import format_date_indonesian
from events.outputs import event_letterhead
from reports.outputs.base import Report, date_range_indonesian, place_of
from reports.outputs.papers import PaperPage, PaperPdf
from reports.selectors import verification_url
from reports.services import certificate_eligible, certificates_issue


def certificate_identifier(person) -> str:
    """NIP, else NUPTK: the NIK never appears on a certificate."""
    if person.nip:
        return f"NIP. {person.nip}"
    if person.nuptk:
        return f"NUPTK. {person.nuptk}"
    return ""


def certificate_page(certificate, *, site, organizer: str) -> PaperPage:
    registration, event = certificate.registration, site.event
    event_name = event.title + (f" — {event.subtitle}" if event.subtitle else "")
    jp = f", selama {event.jp_hours} JP (jam pelajaran)" if event.jp_hours else ""
    return PaperPage(
        title="SERTIFIKAT",
        number=certificate.number,
        name=registration.full_name,
        identifier=certificate_identifier(registration),
        body=[
            f"sebagai <b>{escape(registration.role.title)}</b>",
            f"dalam kegiatan <b>{escape(event_name)}</b>",
            f"yang diselenggarakan oleh {escape(organizer)} pada tanggal "
            f"{escape(date_range_indonesian(site.start_date, site.end_date))} "
            f"di {escape(place_of(site))}{escape(jp)}.",
        ],
        # Dated on the last day of the site, whenever it is (re)printed.
        place_date=f"{site.venue.regency.name}, {format_date_indonesian(site.end_date, 'j F Y')}",
        verify_url=verification_url(certificate.token),
    )


class Certificates(Report):
    kind = "certificates"
    label = gettext_lazy("Certificates (one merged PDF)")
    writes = True  # numbers the certificates not yet numbered: a POST

    def nothing_to_export(self) -> str:
        eligible = certificate_eligible(site=self.site)
        if eligible.exclude(certificate__revoked_at__isnull=False).exists():
            return ""
        if eligible.exists():
            return gettext("No certificate for %(site)s: every certificate of this site has been revoked.") % {
                "site": self.site.name
            }
        return gettext(
            "No certificate for %(site)s: nobody has reached the attendance threshold of %(percent)s%% of the "
            "sessions yet. Certificates can be printed once participants have been checked in."
        ) % {"site": self.site.name, "percent": self.event.attendance_threshold_percent}

    def return_url(self) -> str:
        return reverse("reports:report_index", kwargs={"event_id": self.event.pk})

    def prepare(self) -> None:
        # Numbers are issued (once, never changed) by the service before anything is printed.
        self.certificates = certificates_issue(site=self.site, actor=self.user)

    def pdf(self, certificates, **kwargs) -> bytes:
        organizer = self.letterhead.agency_name  # as named on the event's date
        pages = [certificate_page(certificate, site=self.site, organizer=organizer) for certificate in certificates]
        return PaperPdf(event=self.event, pages=pages, letterhead=self.letterhead, **kwargs).render()

    def render(self) -> ExportOutput:
        self.letterhead = event_letterhead(self.event)
        content = self.pdf(self.certificates, on_page=self.page_progress(len(self.certificates)))
        return self.output(file_stem("sertifikat", self.event.slug, self.site.name), content)


class CertificatesZip(Certificates):
    kind = "certificates_zip"
    label = gettext_lazy("Certificates (one PDF per participant, in a ZIP file)")
    formats = ("zip",)

    def render(self) -> ExportOutput:
        self.letterhead = event_letterhead(self.event)
        certificates = self.certificates
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for index, certificate in enumerate(certificates, start=1):
                name = file_stem(certificate.number.replace("/", "-"), certificate.registration.full_name)
                archive.writestr(f"{name}.pdf", self.pdf([certificate]))
                self.progress(min(99, index * 100 // max(len(certificates), 1)))
        return self.output(file_stem("sertifikat", self.event.slug, self.site.name), buffer.getvalue())
