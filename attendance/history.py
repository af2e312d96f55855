"""The check-in entries of a registration's history (participants.history shows them on its page)."""

from django.utils.translation import gettext_lazy as _

from attendance.models import Attendance, HeldCheckin
from participants.history import HistorySource, register_history_source
from participants.models import Registration

LABELS = {
    "attendance.recorded": _("Recorded present (check-in)"),
    "attendance.held": _("Offline check-in held: its time is not on the session's day"),
    "attendance.held.accepted": _("Held check-in accepted with the phone's time"),
    "attendance.held.dropped": _("Held check-in dropped"),
}


def _attendance(registration: Registration):
    return Attendance, Attendance.objects.filter(registration=registration).values_list("pk", flat=True)


def _held(registration: Registration):
    return HeldCheckin, HeldCheckin.objects.filter(registration=registration).values_list("pk", flat=True)


def register() -> None:
    register_history_source(HistorySource(objects=_attendance, labels=LABELS))
    register_history_source(HistorySource(objects=_held, labels=LABELS))
