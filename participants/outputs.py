"""Excel downloads of the participants area, as exporters of the export kit (`core.exports`).

``RegistrationExport`` writes the registration list exactly as the user filtered it on screen: it
reads through ``participants.selectors.registration_list`` with the same query string, so the
export can never hold rows, or filters, that the list does not. NIK and phone are masked for
users without ``participants.view_personal_data``; every cell is neutralised by ``core.xlsx``.
``ImportTemplate`` is the Excel template of an event's registration import. ``registration_card_pdf`` is the
participant's printable card (A6, its QR code).
"""

import io
from collections.abc import Iterator
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, Spacer

from core.exports import CONTENT_TYPES, XLSX, Exporter, ExportOutput
from core.identifiers import mask_identifier, mask_nik, mask_nip, mask_nuptk
from core.params import is_id
from core.pdf import FONT_BOLD, PdfReport, escape
from core.qr import qr_png
from core.timezones import format_date_indonesian, format_datetime_in_zone
from core.xlsx import Column, Sheet, build_workbook
from events.models import Event, EventSite
from events.selectors import sites_visible_to
from participants.filters import RegistrationFilter
from participants.imports import import_template_build
from participants.models import Registration
from participants.search_tokens import looks_like_identifier, with_identifier
from participants.selectors import (
    can_see_personal_data,
    importable_events,
    registration_list,
    registrations_visible_to,
)
from participants.services import personal_data_viewed_many
from participants.waitlist import waiting_groups


class RegistrationExport(Exporter):
    """The filtered registration list as .xlsx, one row per registration, in a constant number of queries."""

    kind = "registration_export"
    label = _("Registrations (Excel)")
    formats = (XLSX,)
    query_params = tuple(RegistrationFilter.base_filters)

    def columns(self) -> list[Column]:
        return [
            Column(header=str(_("No.")), width=6),
            Column(header=str(_("Code")), width=13, text=True),
            Column(header=str(_("Full name")), width=34),
            Column(header="NIK", width=20, text=True),
            Column(header="NIP", width=22, text=True),
            Column(header="NUPTK", width=20, text=True),
            Column(header=str(_("Gender")), width=8),
            Column(header=str(_("Position")), width=26),
            Column(header=str(_("Agency / school")), width=34),
            Column(header=str(_("Province of origin")), width=22),
            Column(header=str(_("Event")), width=40),
            Column(header=str(_("Site")), width=22),
            Column(header=str(_("Role")), width=20),
            Column(header=str(_("Status")), width=14),
            Column(header=str(_("Source")), width=16),
            Column(header=str(_("Submitted at")), width=30),
            Column(header=str(_("Phone")), width=18, text=True),
            Column(header=str(_("E-mail")), width=28),
            Column(header=str(_("Reason for rejection")), width=30),
        ]

    @classmethod
    def may_take(cls, user) -> bool:
        return user.has_perm("participants.view_registration")

    @classmethod
    def params_from_request(cls, request, url_kwargs) -> dict:
        # An identifier searched on the list travels as an opaque token (search_tokens): turned back here.
        params = with_identifier(request, request.GET)
        return {name: params[name] for name in cls.query_params if params.get(name)}

    def load(self) -> None:
        self.reveal = can_see_personal_data(self.user)
        self.shown: list = []  # the people whose NIK/phone went out unmasked: audited by render()

    def row_count(self) -> int:
        return self.queryset().count()

    def job_params(self) -> dict | None:
        # A search for a NIK/NIP/phone finds a handful of rows: built at once, so the number is never
        # stored in a job or the download log.
        return None if looks_like_identifier(self.params.get("q", "")) else self.params

    def queryset(self):
        return (
            registration_list(user=self.user, params=self.params)
            .qs.select_related("site__venue__regency__province")
            .order_by("site__order", "site__name", "full_name", "pk")
        )

    # What a row reads, as plain values (no model instances): the relations' names come in the same SELECT.
    # NIK and phone are the only encrypted columns; they are decrypted because both the whole and the masked
    # value are made from the plaintext.
    ROW_FIELDS = (
        "pk",
        "code",
        "full_name",
        "nik",
        "nip",
        "nuptk",
        "gender",
        "position",
        "agency_id",
        "agency__name",
        "school__name",
        "province__name",
        "event__title",
        "site_id",
        "site__name",
        "role__name",
        "status",
        "source",
        "submitted_at",
        "phone",
        "email",
        "rejection_reason",
    )

    def iterate_rows(self) -> Iterator[list[Any]]:
        """The rows in one streamed SELECT (a server-side cursor on PostgreSQL), whatever their number; the site
        time zones (a few rows) in one query beforehand."""
        queryset = self.queryset()
        zones = {
            site.pk: site.time_zone
            for site in EventSite.objects.filter(
                pk__in=queryset.order_by().values("site_id").distinct()
            ).select_related("venue__regency__province")
        }
        status_text = {value: str(label) for value, label in Registration.Status.choices}
        source_text = {value: str(label) for value, label in Registration.Source.choices}
        reveal = self.reveal
        rows = queryset.values_list(*self.ROW_FIELDS).iterator(chunk_size=2_000)
        for number, row in enumerate(rows, start=1):
            (
                pk, code, full_name, nik, nip, nuptk, gender, position, agency_id, agency, school, province,
                event, site_id, site, role, status, source, submitted_at, phone, email, rejection_reason,
            ) = row  # fmt: skip
            if reveal:
                if nik or phone:
                    self.shown.append(Registration.from_db(None, ["id", "nik", "phone"], (pk, nik, phone)))
            else:
                # As shown_personal_data masks them for a viewer who may not see identifiers.
                nik, nip, nuptk, phone = mask_nik(nik), mask_nip(nip), mask_nuptk(nuptk), mask_identifier(phone)
            yield [
                number,
                code,
                full_name,
                nik,
                nip,
                nuptk,
                gender,
                position,
                (agency or "") if agency_id else (school or ""),
                province or "",
                event,
                site,
                role,
                status_text.get(status, status),
                source_text.get(source, source),
                format_datetime_in_zone(submitted_at, zones[site_id], "j F Y H.i"),
                phone,
                email,
                rejection_reason,
            ]

    @property
    def filename(self) -> str:
        return f"pendaftaran-{timezone.localdate():%Y%m%d}.xlsx"

    def render(self) -> ExportOutput:
        sheet = Sheet(title=str(_("Registrations")), columns=self.columns(), rows=self.iterate_rows())
        content = build_workbook([sheet])
        if self.reveal:
            personal_data_viewed_many(actor=self.user, holders=self.shown, where="registration_export")
        return ExportOutput(self.filename, CONTENT_TYPES[XLSX], content)


class WaitingListExport(Exporter):
    """The waiting lines of an event (each site × role, in order) as .xlsx, for the staff who see the event's
    waiting list page: the rows of their scope, each with its real place in the whole line. No NIK or phone:
    the organizer calls people in by the code and e-mail they gave. Four queries, whatever the number of rows."""

    kind = "waiting_list_export"
    label = _("Waiting list (Excel)")
    formats = (XLSX,)

    @classmethod
    def may_take(cls, user) -> bool:
        return user.has_perm("participants.view_registration")

    def load(self) -> None:
        event_id = self.params.get("event_id")
        self.event = Event.objects.filter(pk=event_id).first() if is_id(event_id) else None
        self.sites = list(sites_visible_to(self.user).filter(event=self.event).order_by("order", "name"))
        if self.event is None or not self.sites:
            raise Http404

    def description(self) -> str:
        return f"{self.label} — {self.event.title}"

    def columns(self) -> list[Column]:
        return [
            Column(header=str(_("Site")), width=22),
            Column(header=str(_("Role")), width=20),
            Column(header=str(_("Place in line")), width=10),
            Column(header=str(_("Code")), width=13, text=True),
            Column(header=str(_("Full name")), width=34),
            Column(header=str(_("Agency / school")), width=34),
            Column(header=str(_("Province of origin")), width=22),
            Column(header=str(_("E-mail")), width=28),
            Column(header=str(_("Submitted at")), width=24),
            Column(header=str(_("Target")), width=9),
            Column(header=str(_("Seats taken")), width=9),
        ]

    def iterate_rows(self) -> Iterator[list[Any]]:
        groups = waiting_groups(
            registrations=registrations_visible_to(self.user), sites=self.sites, event_id=self.event.pk
        )
        for group in groups:
            for registration, position in group.rows:
                yield [
                    group.site.name,
                    group.role.name,
                    position,
                    registration.code,
                    registration.full_name,
                    registration.institution,
                    registration.province.name if registration.province_id else "",
                    registration.email,
                    format_datetime_in_zone(registration.submitted_at, group.site.time_zone, "j F Y H.i"),
                    group.target if group.target is not None else "",
                    group.taken,
                ]

    def render(self) -> ExportOutput:
        sheet = Sheet(title=str(_("Waiting list")), columns=self.columns(), rows=self.iterate_rows())
        return ExportOutput(f"daftar-tunggu-{self.event.slug}.xlsx", CONTENT_TYPES[XLSX], build_workbook([sheet]))


class ImportTemplate(Exporter):
    """The Excel template of an event's registration import: drop-downs of the user's sites, Text columns."""

    kind = "registration_import_template"
    label = _("Registration import template (Excel)")
    formats = (XLSX,)

    @classmethod
    def may_take(cls, user) -> bool:
        return user.has_perm("participants.add_registration")

    def load(self) -> None:
        event_id = self.params.get("event_id")
        self.event = importable_events(self.user).filter(pk=event_id).first() if is_id(event_id) else None
        if self.event is None:
            raise Http404

    def description(self) -> str:
        return f"{self.label} — {self.event.title}"

    def render(self) -> ExportOutput:
        content = import_template_build(event=self.event, user=self.user)
        return ExportOutput(f"template-impor-{self.event.slug}.xlsx", CONTENT_TYPES[XLSX], content)


class RegistrationCardPdf(PdfReport):
    """The participant's printable card: event, site, dates, name, role, the code and its QR code (A6)."""

    pagesize = A6
    margins = (8 * mm, 8 * mm, 8 * mm, 8 * mm)
    page_label = ""

    def __init__(self, *, registration):
        super().__init__()
        self.registration = registration
        self.title = f"Kartu peserta {registration.code}"

    def story(self):
        s = self.styles
        centre = ParagraphStyle("card", parent=s["normal"], alignment=TA_CENTER)
        big = ParagraphStyle("card-code", parent=centre, fontName=FONT_BOLD, fontSize=16, leading=20)
        r = self.registration
        site = r.site
        dates = format_date_indonesian(site.start_date, "j F Y")
        if site.end_date != site.start_date:
            dates = f"{dates} – {format_date_indonesian(site.end_date, 'j F Y')}"
        return [
            Paragraph(f"<b>{escape(r.event.title)}</b>", centre),
            Paragraph(escape(f"{site.name} — {site.venue.name}"), centre),
            Paragraph(escape(dates), centre),
            Spacer(1, 3 * mm),
            Paragraph(f"<b>{escape(r.full_name)}</b>", centre),
            Paragraph(escape(r.role.title), centre),
            Spacer(1, 2 * mm),
            Image(io.BytesIO(qr_png(r.code)), width=45 * mm, height=45 * mm),
            Paragraph(escape(r.code), big),
            Paragraph("Tunjukkan kartu ini di meja registrasi.", ParagraphStyle("note", parent=centre, fontSize=8)),
        ]


def registration_card_pdf(registration) -> bytes:
    return RegistrationCardPdf(registration=registration).render()
