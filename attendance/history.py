"""The check-in entries of a registration's history (participants.history shows them on its page)."""

from attendance.models import Attendance, HeldCheckin
from participants.history import HistorySource, register_history_source
from participants.models import Registration


def _attendance(registration: Registration):
    return Attendance, Attendance.objects.filter(registration=registration).values_list("pk", flat=True)


def _held(registration: Registration):
    return HeldCheckin, HeldCheckin.objects.filter(registration=registration).values_list("pk", flat=True)


def register() -> None:
    register_history_source(HistorySource(objects=_attendance))
    register_history_source(HistorySource(objects=_held))
