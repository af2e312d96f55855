"""The check-in entries of a registration's history (participants.history shows them on its page), and the
attendance section of a person's page across events (participants.people)."""

from django.utils.translation import gettext_lazy as _

from attendance.models import Attendance, HeldCheckin
from participants.history import HistorySource, register_history_source
from participants.models import Registration
from participants.people import PersonSection, register_person_section


def _attendance(registration: Registration):
    return Attendance, Attendance.objects.filter(registration=registration).values_list("pk", flat=True)


def _held(registration: Registration):
    return HeldCheckin, HeldCheckin.objects.filter(registration=registration).values_list("pk", flat=True)


def register() -> None:
    register_history_source(HistorySource(objects=_attendance))
    register_history_source(HistorySource(objects=_held))


def _person_attendance(*, person, user, registrations) -> list[Attendance]:
    """The check-ins of the person's registrations the viewer may see (one query, whatever their number)."""
    if not registrations:
        return []
    return list(
        Attendance.objects.filter(registration__in=[registration.pk for registration in registrations])
        .select_related("session__site__venue__regency__province", "registration__event")
        .order_by("-checked_in_at")
    )


def register_on_person_page() -> None:
    register_person_section(
        PersonSection(
            key="attendance",
            title=_("Attendance"),
            template="attendance/person_section.html",
            rows=_person_attendance,
            order=10,
        )
    )
