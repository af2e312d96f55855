"""Reads of the outcomes area, scoped to the user: the events whose outcomes a user manages, action plans with
their items, the agreed matrix a participant may read, the matrix as a table (constant queries)."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from events import groups as G
from events.models import Event
from events.selectors import PUBLIC_STATUSES, group_names, is_central, organized_event_ids
from outcomes.models import ActionPlan, ActionPlanFollowUp, ActionPlanItem, ResponsibilityMatrix


def events_managed_by(user) -> QuerySet[Event]:
    """Events whose outcomes the user may edit: all for the Admin pusat, its own for the panitia."""
    if is_central(user):
        return Event.objects.all()
    if G.PANITIA not in group_names(user):
        return Event.objects.none()
    return Event.objects.filter(pk__in=organized_event_ids(user))


def plans_with_items(queryset: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """Action plans with their items and follow-ups, in three queries."""
    items = ActionPlanItem.objects.order_by("order", "id").prefetch_related(
        Prefetch("follow_ups", queryset=ActionPlanFollowUp.objects.order_by("created_at", "id"))
    )
    return queryset.select_related("province", "agency", "event__organizer").prefetch_related(
        Prefetch("items", queryset=items)
    )


def agreed_matrix(slug: str) -> tuple[Event, ResponsibilityMatrix]:
    """The agreed responsibility matrix of a public event (404 otherwise): what the participants may read."""
    event = get_object_or_404(Event.objects.filter(status__in=PUBLIC_STATUSES).select_related("organizer"), slug=slug)
    matrix = get_object_or_404(ResponsibilityMatrix, event=event, status=ResponsibilityMatrix.Status.AGREED)
    return event, matrix


class MatrixTableRow:
    def __init__(self, title: str, texts: list[str]):
        self.title, self.texts = title, texts


def matrix_table(matrix: ResponsibilityMatrix) -> tuple[list, list[MatrixTableRow]]:
    """The columns and rows of a matrix, read in 3 queries (shown on screen and in the PDF)."""
    columns = list(matrix.columns.select_related("agency_type"))
    rows = []
    for responsibility in matrix.responsibilities.prefetch_related("cells"):
        texts = {cell.column_id: cell.text for cell in responsibility.cells.all()}
        rows.append(MatrixTableRow(responsibility.title, [texts.get(column.pk, "") for column in columns]))
    return columns, rows
