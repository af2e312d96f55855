"""A registration's history as staff read it: the decisions first, the views of personal data apart.

The audit log holds, about one registration, the entries of the registration itself, of its correction
requests, of the shared person (only those from the registration's creation onward: what happened to the
person before belongs to other registrations), and of objects of the areas above this one (a check-in is
an attendance row). Those areas tell this module where their entries are through
`register_history_source`, called from their AppConfig.ready(): participants imports nothing above it.

Decisions (created, verified, rejected, corrected, checked in…) are listed one by one with a label,
never the internal action code. `personal_data.viewed` entries — one per page view of an unmasked NIK —
would drown them: they are counted per user and day, in the site's zone, behind a toggle.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntry
from participants.models import CorrectionRequest, Person, Registration
from participants.services import PERSONAL_DATA_VIEWED


@dataclass(frozen=True)
class HistorySource:
    """Entries about a registration kept on the objects of another area.

    `objects(registration)` gives (model, ids of its rows about the registration), in one query;
    `labels` maps that area's audit actions to the words staff read.
    """

    objects: Callable[[Registration], tuple[type[Model], Iterable]]
    labels: dict[str, str] = field(default_factory=dict)


_SOURCES: list[HistorySource] = []


def register_history_source(source: HistorySource) -> None:
    """Called once by an area above participants (its AppConfig.ready)."""
    _SOURCES.append(source)


LABELS = {
    "registration.created": _("Registration created"),
    "registration.submitted": _("Submitted again for verification"),
    "registration.verified": _("Verified"),
    "registration.rejected": _("Rejected"),
    "registration.withdrawn": _("Withdrawn"),
    "registration.data_changed": _("Data corrected"),
    "registration.agency_proposal_accepted": _("Proposed agency accepted"),
    "registration.agency_proposal_mapped": _("Proposed agency matched to an existing one"),
    "person.created": _("Person recorded"),
    "person.updated": _("Person's data corrected"),
    "correction.requested": _("Correction requested by the participant"),
    "correction.done": _("Correction request: corrected"),
    "correction.refused": _("Correction request: refused"),
}


@dataclass
class HistoryRow:
    entry: AuditEntry
    label: str


@dataclass
class ViewGroup:
    """`dilihat 14× oleh budi, 2 Des 2026`: the unmasked views of one user on one day (site's zone)."""

    actor_name: str
    day: dt.date
    count: int


@dataclass
class RegistrationHistory:
    decisions: list[HistoryRow]
    views: list[ViewGroup]

    @property
    def view_count(self) -> int:
        return sum(group.count for group in self.views)


def _scope(registration: Registration) -> Q:
    """The entries that belong to this registration's history (see the module docstring)."""
    content_types = ContentType.objects.get_for_models(Registration, CorrectionRequest, Person)
    corrections = [str(pk) for pk in registration.correction_requests.values_list("pk", flat=True)]
    condition = Q(content_type=content_types[Registration], object_id=str(registration.pk))
    condition |= Q(content_type=content_types[CorrectionRequest], object_id__in=corrections)
    condition |= Q(
        content_type=content_types[Person],
        object_id=str(registration.person_id),
        created_at__gte=registration.created_at,
    )
    for source in _SOURCES:
        model, ids = source.objects(registration)
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids])
    return condition


def _label(action: str) -> str:
    for source in _SOURCES:
        if action in source.labels:
            return source.labels[action]
    return LABELS.get(action, _("Other change"))


def registration_history(registration: Registration) -> RegistrationHistory:
    """The decisions on the registration, oldest first, and the views of its personal data grouped per user
    and day, newest day first. A fixed number of queries whatever the number of entries."""
    entries = AuditEntry.objects.filter(_scope(registration))
    decisions = [
        HistoryRow(entry=entry, label=_label(entry.action))
        for entry in entries.exclude(action=PERSONAL_DATA_VIEWED).select_related("actor").order_by("created_at", "id")
    ]
    grouped = (
        entries.filter(action=PERSONAL_DATA_VIEWED)
        .annotate(day=TruncDate("created_at", tzinfo=ZoneInfo(registration.site.time_zone)))
        .order_by()
        .values("day", "actor__username")
        .annotate(n=Count("id"))
        .order_by("-day", "-n", "actor__username")
    )
    views = [
        ViewGroup(actor_name=row["actor__username"] or str(_("participant")), day=row["day"], count=row["n"])
        for row in grouped
    ]
    return RegistrationHistory(decisions=decisions, views=views)
