"""Roster outputs: the roster per Tahap (PDF with letterhead, Excel), the findings (Excel), the import template,
counts per province × Tahap. The downloads are exporters of the export kit (`core.exports`).

Identifiers are masked unless the user may see personal data (then every person shown is audited). Each
output reads its rows in a constant number of queries.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from core.exports import XLSX, Exporter, ExportOutput
from core.params import is_id
from core.pdf import FONT_CONDENSED, PdfReport, Signatory, chunked_tables, escape, signature_block
from core.xlsx import Column, Sheet, build_workbook
from events import groups as G
from events.models import Agency, Cohort, Event, TrainingPhase
from events.outputs import event_letterhead
from events.selectors import group_names
from participants.models import Person
from participants.selectors import can_see_personal_data, shown_personal_data
from participants.services import personal_data_viewed_many
from rosters.forms import CommitteeFilter
from rosters.imports import template_workbook
from rosters.models import Committee, CommitteeMember, Position
from rosters.rules import findings_for_committees
from rosters.selectors import (
    approval_chain,
    can_see_rosters,
    can_submit_rosters,
    committees_visible_to,
    roster_cohort,
    roster_members,
    roster_provinces,
)


def cohort_event(cohort: Cohort) -> Event | None:
    """The cohort's first event (the Rapat Koordinasi), whose organizer issues its rosters, if any."""
    return Event.objects.filter(cohort=cohort).select_related("organizer__regency").order_by("start_date").first()


def roster_signatories(user) -> tuple[str, list[Signatory]]:
    """Who signs the roster a user prints: ("Mengetahui," line, signatories).

    The verifikator's copy: the verifikator (its own name when it prints it; the NIP by hand). The Operator
    Dinas's copy goes out from the Dinas: its head acknowledges it beside the verifikator. Names and NIPs not
    known to the app are dotted lines, filled in by hand.
    """
    names = group_names(user)
    verifikator = Signatory(
        office="Verifikator Komite Pembelajaran",
        name=(user.get_full_name() or user.get_username()) if G.VERIFIKATOR in names else "",
    )
    if G.OPERATOR_DINAS in names and G.VERIFIKATOR not in names:
        return "Mengetahui,", [Signatory(office="Kepala Dinas Pendidikan"), verifikator]
    return "", [verifikator]


def _identifier(person, reveal: bool) -> str:
    """Each identifier on its own line, never broken inside a number."""
    shown = shown_personal_data(person, unmasked=reveal)
    return "<br/>".join(
        f"{label}&nbsp;{shown[name]}"
        for label, name in (("NIP", "nip"), ("NUPTK", "nuptk"), ("NIK", "nik"))
        if shown[name]
    )


def _place_of(agency: Agency | None) -> str:
    """Where a paper of the agency is signed: its kab/kota without the "Kab."/"Kota" prefix."""
    if agency is None or agency.regency_id is None:
        return ""
    name = agency.regency.name
    for prefix in ("Kabupaten ", "Kab. ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class RosterPdf(PdfReport):
    """DAFTAR KOMITE PEMBELAJARAN of one Tahap: school by school, members with positions and identifiers."""

    def __init__(
        self, *, phase: TrainingPhase, committees, reveal: bool, letterhead=None, place: str = "", signatories=None
    ):
        super().__init__(letterhead=letterhead)
        self.place = place
        self.lead, self.signatories = signatories or ("", [Signatory(office="Verifikator Komite Pembelajaran")])
        self.phase = phase
        self.committees = list(committees.select_related("school__regency__province"))
        self.members = roster_members([c.pk for c in self.committees])
        self.reveal = reveal
        self.title = f"Daftar Komite Pembelajaran {phase}"

    def story(self):
        s = self.styles
        flow = [
            Spacer(1, 4 * mm),
            Paragraph(escape(f"DAFTAR KOMITE PEMBELAJARAN — {str(self.phase).upper()}"), s["title"]),
            Paragraph(escape(f"{self.phase.cohort} · {self.phase.get_mode_display()}"), s["subtitle"]),
            Spacer(1, 4 * mm),
        ]
        header = ["No", "Sekolah", "NPSN", "Nama", "Jabatan", "Identitas"]
        identity = ParagraphStyle("identity", parent=s["cell"], fontName=FONT_CONDENSED, fontSize=8)
        rows = []
        number = 0
        for committee in self.committees:
            for member in self.members[committee.pk]:
                number += 1
                position = Position(member.position).label
                if member.class_taught:
                    position = f"{position} ({member.class_taught})"
                rows.append(
                    [
                        str(number),
                        Paragraph(escape(committee.school.name), s["cell"]),
                        committee.school.npsn,
                        Paragraph(escape(member.person.full_name), s["cell"]),
                        Paragraph(escape(position), s["cell"]),
                        Paragraph(_identifier(member.person, self.reveal), identity),
                    ]
                )
        widths = [8 * mm, 36 * mm, 19 * mm, 44 * mm, 30 * mm, self.width - 137 * mm]
        flow += chunked_tables(header, rows, col_widths=widths, row_height=13 * mm, rows_per_table=17)
        total = Paragraph(escape(f"Jumlah: {len(self.committees)} komite, {number} anggota."), s["normal"])
        today = date_format(timezone.localdate(), "j F Y")
        place_date = f"{self.place}, {today}" if self.place else today
        flow.append(
            signature_block(
                place_date=place_date,
                signatories=self.signatories,
                lead=self.lead,
                width=self.width,
                keep_with=[Spacer(1, 3 * mm), total],
            )
        )
        return flow


def roster_workbook(*, committees, reveal: bool) -> bytes:
    """Everything the user may see of the committees, one row per member."""
    committees = list(committees.select_related("school__regency__province", "phase"))
    members = roster_members([c.pk for c in committees])
    columns = [
        Column("Tahap", 8),
        Column("Provinsi", 20),
        Column("Kab/Kota", 22),
        Column("NPSN", 11, text=True),
        Column("Sekolah", 30),
        Column("Jenjang", 8),
        Column("Status", 12),
        Column("Nama", 30),
        Column("Jabatan", 22),
        Column("Kelas/Mapel", 14),
        Column("NIK", 19, text=True),
        Column("NIP", 21, text=True),
        Column("NUPTK", 19, text=True),
    ]
    rows = []
    for c in committees:
        for m in members[c.pk]:
            p = m.person
            shown = shown_personal_data(p, unmasked=reveal)
            rows.append(
                [
                    c.phase.number if c.phase else "",
                    c.school.regency.province.name,
                    c.school.regency.name,
                    c.school.npsn,
                    c.school.name,
                    c.school.level,
                    str(c.get_status_display()),
                    p.full_name,
                    str(Position(m.position).label),
                    m.class_taught,
                    shown["nik"],
                    shown["nip"],
                    shown["nuptk"],
                ]
            )
    return build_workbook([Sheet("Komite Pembelajaran", columns, rows)])


def findings_workbook(*, committees, viewer=None) -> bytes:
    """Every finding of every committee, computed now in a constant number of queries."""
    committees = list(committees.select_related("school__regency__province"))
    findings = findings_for_committees(committees, viewer=viewer)
    members = roster_members([c.pk for c in committees])
    names = {m.pk: m.person.full_name for ms in members.values() for m in ms}
    columns = [
        Column("NPSN", 11, text=True),
        Column("Sekolah", 30),
        Column("Provinsi", 20),
        Column("Status", 12),
        Column("Tingkat", 10),
        Column("Aturan", 34),
        Column("Anggota", 28),
        Column("Kolom", 12),
        Column("Pesan", 70),
    ]
    rows = []
    for c in committees:
        for f in findings[c.pk]:
            rows.append(
                [
                    c.school.npsn,
                    c.school.name,
                    c.school.regency.province.name,
                    str(c.get_status_display()),
                    _("Error") if f.is_error else _("Warning"),
                    f.label,
                    names.get(f.ref, ""),
                    f.field_label,
                    str(f.message),
                ]
            )
    return build_workbook([Sheet("Temuan", columns, rows)])


# --- the downloads ---------------------------------------------------------------------------------------------

FILTER_PARAMS = tuple(CommitteeFilter.base_filters)


class RosterExport(Exporter):
    """Base of the roster downloads: the committees of a cohort (?cohort=, else the latest) in the user's scope."""

    query_params = ("cohort",)

    @classmethod
    def may_take(cls, user) -> bool:
        return can_see_rosters(user)

    def load(self) -> None:
        self.cohort = roster_cohort(self.params.get("cohort"))
        self.committees = committees_visible_to(self.user).filter(cohort=self.cohort)
        self.reveal = can_see_personal_data(self.user)

    def job_params(self) -> dict:
        return {**self.params, "cohort": self.cohort.pk}

    def row_count(self) -> int:
        return CommitteeMember.objects.filter(committee__in=self.committees.values("pk")).count()

    def audit_unmasked(self, committees, where: str) -> None:
        """An export with unmasked NIKs: one audit entry per member shown (two queries, whatever the size)."""
        if not self.reveal:
            return
        people = Person.objects.filter(committee_memberships__committee__in=committees.values("pk")).distinct()
        personal_data_viewed_many(actor=self.user, holders=people.only("pk", "nik", "phone"), where=where)


class FilteredRosterExport(RosterExport):
    """A roster download of the committees as the list is filtered on screen."""

    query_params = ("cohort", *FILTER_PARAMS)

    def load(self) -> None:
        super().load()
        filters = CommitteeFilter(
            {key: value for key, value in self.params.items() if key in FILTER_PARAMS} or None,
            queryset=self.committees,
            provinces=roster_provinces(self.user),
            cohort=self.cohort,
            chain=approval_chain(self.cohort.program_id),
            user=self.user,
        )
        self.committees = filters.qs


class RosterPdfExport(RosterExport):
    kind = "roster_pdf"
    label = gettext_lazy("Komite Pembelajaran of a Tahap (PDF)")

    def load(self) -> None:
        super().load()
        phase_id = self.params.get("phase_pk")
        self.phase = TrainingPhase.objects.filter(pk=phase_id, cohort=self.cohort).first() if is_id(phase_id) else None
        if self.phase is None:
            raise Http404
        self.committees = self.committees.filter(phase=self.phase, status=Committee.Status.VALIDATED)

    def description(self) -> str:
        return f"{self.label} — {self.phase}"

    def render(self) -> ExportOutput:
        self.audit_unmasked(self.committees, "roster_pdf")
        event = cohort_event(self.cohort)
        report = RosterPdf(
            phase=self.phase,
            committees=self.committees.order_by("school__regency__code", "school__name"),
            reveal=self.reveal,
            letterhead=event_letterhead(event) if event is not None else None,
            place=_place_of(event.organizer if event is not None else None),
            signatories=roster_signatories(self.user),
        )
        return self.output(f"komite-pembelajaran-tahap-{self.phase.number}", report.render())


class RosterWorkbookExport(FilteredRosterExport):
    kind = "roster_xlsx"
    label = gettext_lazy("Komite Pembelajaran (Excel)")
    formats = (XLSX,)

    def render(self) -> ExportOutput:
        committees = self.committees.order_by("phase__number", "school__regency__code", "pk")
        self.audit_unmasked(committees, "roster_xlsx")
        return self.output("komite-pembelajaran", roster_workbook(committees=committees, reveal=self.reveal))


class FindingsWorkbookExport(FilteredRosterExport):
    kind = "roster_findings_xlsx"
    label = gettext_lazy("Komite Pembelajaran findings (Excel)")
    formats = (XLSX,)

    def render(self) -> ExportOutput:
        committees = self.committees.order_by("school__regency__code", "pk")
        return self.output("temuan-komite-pembelajaran", findings_workbook(committees=committees, viewer=self.user))


class RosterTemplate(Exporter):
    kind = "roster_template"
    label = gettext_lazy("Komite Pembelajaran import template (Excel)")
    formats = (XLSX,)

    @classmethod
    def may_take(cls, user) -> bool:
        return can_submit_rosters(user)

    def render(self) -> ExportOutput:
        return self.output("template-komite-pembelajaran", template_workbook())
