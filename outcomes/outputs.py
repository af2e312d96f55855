"""Outputs of the outcomes area: the responsibility matrix (PDF), the action plans (PDF, Excel)."""

from collections.abc import Sequence

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from core.exports import XLSX, Exporter, ExportOutput
from core.params import is_id
from core.pdf import PdfReport, escape, grid_style
from core.timezones import format_date_indonesian
from core.xlsx import Column, Sheet, build_workbook
from events.models import Event
from events.outputs import event_letterhead
from outcomes.models import ActionPlan, ResponsibilityMatrix
from outcomes.selectors import agreed_matrix, events_managed_by, matrix_table, plans_with_items

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def month_range(item) -> str:
    """`Jun 2021 – Agu 2021` (or one month)."""
    start = f"{MONTHS[item.start_month.month - 1]} {item.start_month.year}"
    end = f"{MONTHS[item.end_month.month - 1]} {item.end_month.year}"
    return start if start == end else f"{start} – {end}"


class ResponsibilityMatrixPdf(PdfReport):
    """PERAN DAN TANGGUNG JAWAB: responsibilities × agency types, landscape."""

    pagesize = landscape(A4)

    def __init__(self, *, matrix: ResponsibilityMatrix, columns: Sequence, rows: Sequence, **kwargs):
        super().__init__(letterhead=event_letterhead(matrix.event), **kwargs)
        self.matrix, self.columns, self.rows = matrix, columns, rows
        self.title = "Peran dan Tanggung Jawab"

    def story(self):
        s = self.styles
        event = self.matrix.event
        story = [
            Spacer(1, 4 * mm),
            Paragraph("PERAN DAN TANGGUNG JAWAB", s["title"]),
            Paragraph(escape(event.title), s["subtitle"]),
            Spacer(1, 4 * mm),
        ]
        header = [Paragraph(_("No."), s["cell_bold"]), Paragraph(_("Responsibility"), s["cell_bold"])] + [
            Paragraph(escape(column.title), s["cell_bold"]) for column in self.columns
        ]
        body = [
            [str(number), Paragraph(escape(row.title), s["cell_bold"])]
            + [Paragraph(escape(text), s["cell"]) for text in row.texts]
            for number, row in enumerate(self.rows, start=1)
        ]
        first = 10 * mm + 45 * mm
        other = (self.width - first) / max(len(self.columns), 1)
        table = Table([header, *body], colWidths=[10 * mm, 45 * mm] + [other] * len(self.columns), repeatRows=1)
        style = grid_style()
        style.add("VALIGN", (0, 0), (-1, -1), "TOP")
        table.setStyle(style)
        story.append(table)
        story.append(Spacer(1, 5 * mm))
        if self.matrix.is_agreed and self.matrix.agreed_at:
            agreed = _("Agreed on %(date)s") % {"date": format_date_indonesian(self.matrix.agreed_at.date())}
            if self.matrix.agreed_note:
                agreed += f" — {self.matrix.agreed_note}"
            story.append(Paragraph(escape(agreed), s["normal"]))
        else:
            story.append(Paragraph(escape(_("Draft: not yet agreed.")), s["normal"]))
        return story


class ActionPlanPdf(PdfReport):
    """RENCANA AKSI of one delegation, landscape, with each item's follow-up status."""

    pagesize = landscape(A4)

    def __init__(self, *, plan: ActionPlan, **kwargs):
        super().__init__(letterhead=event_letterhead(plan.event), **kwargs)
        self.plan = plan
        self.title = f"Rencana Aksi {plan.delegation}"

    def story(self):
        s = self.styles
        plan = self.plan
        story = [
            Spacer(1, 4 * mm),
            Paragraph("RENCANA AKSI", s["title"]),
            Paragraph(escape(plan.delegation), s["subtitle"]),
            Paragraph(escape(plan.event.title), s["subtitle"]),
            Spacer(1, 4 * mm),
        ]
        headers = [
            _("No."),
            _("Activity"),
            _("Objective / indicator"),
            _("Timeline"),
            _("Person in charge"),
            _("Responsible agency"),
            _("Status"),
        ]
        header = [Paragraph(escape(h), s["cell_bold"]) for h in headers]
        body = []
        for number, item in enumerate(plan.items.all(), start=1):
            notes = [f.note for f in item.follow_ups.all() if f.note]
            status = item.get_status_display() + (f" — {notes[-1]}" if notes else "")
            body.append(
                [
                    str(number),
                    Paragraph(escape(item.activity), s["cell"]),
                    Paragraph(escape(item.objective), s["cell"]),
                    Paragraph(escape(month_range(item)), s["cell"]),
                    Paragraph(escape(item.person_in_charge), s["cell"]),
                    Paragraph(escape(item.responsible_agency), s["cell"]),
                    Paragraph(escape(status), s["cell"]),
                ]
            )
        widths = [10 * mm, 52 * mm, 55 * mm, 38 * mm, 35 * mm, 35 * mm]
        widths.append(self.width - sum(widths))
        table = Table([header, *body], colWidths=widths, repeatRows=1)
        style = grid_style()
        style.add("VALIGN", (0, 0), (-1, -1), "TOP")
        table.setStyle(style)
        story.append(table)
        return story


def action_plans_workbook(*, event: Event, plans: Sequence[ActionPlan]) -> bytes:
    """All plans of the event in one sheet (one row per item), for the panitia's recap."""
    columns = [
        Column(_("Delegation"), width=28),
        Column(_("Province"), width=22),
        Column(_("No."), width=5),
        Column(_("Activity"), width=40),
        Column(_("Objective / indicator"), width=40),
        Column(_("From month"), width=12, text=True),
        Column(_("To month"), width=12, text=True),
        Column(_("Person in charge"), width=24),
        Column(_("Responsible agency"), width=26),
        Column(_("Status"), width=14),
        Column(_("Last note"), width=40),
    ]
    rows = []
    for plan in plans:
        for number, item in enumerate(plan.items.all(), start=1):
            notes = [f.note for f in item.follow_ups.all() if f.note]
            rows.append(
                [
                    plan.delegation,
                    plan.province.name if plan.province else "",
                    number,
                    item.activity,
                    item.objective,
                    item.start_month.strftime("%Y-%m"),
                    item.end_month.strftime("%Y-%m"),
                    item.person_in_charge,
                    item.responsible_agency,
                    str(item.get_status_display()),
                    notes[-1] if notes else "",
                ]
            )
    return build_workbook([Sheet(title=_("Action plans"), columns=columns, rows=rows)])


# --- the downloads ---------------------------------------------------------------------------------------------


class MatrixPdfExport(Exporter):
    """The responsibility matrix of an event the user manages (draft or agreed)."""

    kind = "matrix_pdf"
    label = gettext_lazy("Responsibility matrix (PDF)")

    @classmethod
    def may_take(cls, user) -> bool:
        return user.has_perm("outcomes.view_responsibilitymatrix")

    def load(self) -> None:
        event_id = self.params.get("event_id")
        event = events_managed_by(self.user).filter(pk=event_id).first() if is_id(event_id) else None
        self.matrix = ResponsibilityMatrix.objects.select_related("event__organizer").filter(event=event).first()
        if event is None or self.matrix is None:
            raise Http404

    def description(self) -> str:
        return f"{self.label} — {self.matrix.event.title}"

    def render(self) -> ExportOutput:
        columns, rows = matrix_table(self.matrix)
        content = ResponsibilityMatrixPdf(matrix=self.matrix, columns=columns, rows=rows).render()
        return self.output(f"peran-tanggung-jawab-{self.matrix.event.slug}", content)


class PublicMatrixPdfExport(MatrixPdfExport):
    """The agreed matrix of a published event, for its participants (no login)."""

    kind = "matrix_public_pdf"
    public = True

    @classmethod
    def may_take(cls, user) -> bool:
        return True

    def load(self) -> None:
        _event, self.matrix = agreed_matrix(str(self.params.get("slug", "")))


class ActionPlansWorkbookExport(Exporter):
    """Every action plan of an event the user manages, one row per item."""

    kind = "plans_xlsx"
    label = gettext_lazy("Action plans (Excel)")
    formats = (XLSX,)

    @classmethod
    def may_take(cls, user) -> bool:
        return user.has_perm("outcomes.view_actionplan")

    def load(self) -> None:
        event_id = self.params.get("event_id")
        self.event = events_managed_by(self.user).filter(pk=event_id).first() if is_id(event_id) else None
        if self.event is None:
            raise Http404

    def description(self) -> str:
        return f"{self.label} — {self.event.title}"

    def render(self) -> ExportOutput:
        plans = list(plans_with_items(ActionPlan.objects.filter(event=self.event)))
        return self.output(f"rencana-aksi-{self.event.slug}", action_plans_workbook(event=self.event, plans=plans))


class ActionPlanPdfExport(Exporter):
    """One delegation's action plan, of an event the user manages."""

    kind = "plan_pdf"
    label = gettext_lazy("Action plan (PDF)")

    @classmethod
    def may_take(cls, user) -> bool:
        return user.has_perm("outcomes.view_actionplan")

    def load(self) -> None:
        plan_id = self.params.get("plan_id")
        plans = plans_with_items(ActionPlan.objects.filter(event__in=events_managed_by(self.user)))
        self.plan = plans.filter(pk=plan_id).first() if is_id(plan_id) else None
        if self.plan is None:
            raise Http404

    def description(self) -> str:
        return f"{self.label} — {self.plan.delegation}"

    def render(self) -> ExportOutput:
        return self.output(f"rencana-aksi-{self.plan.pk}", ActionPlanPdf(plan=self.plan).render())
