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
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from attendance import history
        from attendance.selectors import door_changed
        from events.models import Event, EventSite, Province, Regency, Role, Session, UserScope, Venue

        history.register()
        history.register_on_person_page()
        # Every worker keeps who may check in where and the sessions' fixed data (attendance.selectors.DOOR_MEMO): a
        # change to what they are made of drops the copies of every worker.
        user = get_user_model()
        for model in (user, Group, UserScope, Event, EventSite, Session, Venue, Regency, Province, Role):
            post_save.connect(door_changed, sender=model, dispatch_uid=f"door_{model.__name__}")
            post_delete.connect(door_changed, sender=model, dispatch_uid=f"door_d{model.__name__}")
        for through in (
            user.groups.through,
            user.user_permissions.through,
            Group.permissions.through,
            EventSite.coordinators.through,
            Event.organizers.through,
            UserScope.events.through,
        ):
            m2m_changed.connect(door_changed, sender=through, dispatch_uid=f"door_{through.__name__}")
