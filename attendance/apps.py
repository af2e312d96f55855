from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events import groups as G


class AttendanceConfig(AppConfig):
    """Check-in at the door (online and offline) and the attendance of each registration per session."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "attendance"
    verbose_name = _("Attendance")
    # The permissions of this area each staff group holds (events.groups.sync_groups gives them).
    group_permissions = {
        G.ADMIN_PUSAT: ["attendance.*"],
        G.PANITIA: ["attendance.view_attendance", "attendance.add_attendance"],
        G.KOORDINATOR_SITE: ["attendance.view_attendance", "attendance.add_attendance"],
        G.PEJABAT: ["attendance.view_attendance"],
    }
    # The words of the audit actions this area records (core.audit_labels shows them).
    audit_actions = {
        "attendance.recorded": _("Recorded present (check-in)"),
        "attendance.held": _("Offline check-in held: its time is not on the session's day"),
        "attendance.held.accepted": _("Held check-in accepted with the phone's time"),
        "attendance.held.dropped": _("Held check-in dropped"),
        "attendance.earlier_time": _("Check-in time moved earlier: checked in earlier on another device"),
    }

    def ready(self) -> None:
        # A registration's history page and a person's page (participants) list the check-ins, without importing
        # this area.
        from attendance import history

        history.register()
        history.register_on_person_page()
