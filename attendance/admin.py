"""Admin of the check-in area: attendance, read-only (check-ins go through the check-in screens and services,
so every one is audited), filtered by the user's registration scope."""

from django.contrib import admin

from attendance.models import Attendance
from core.admin import ReadOnlyAdmin
from events.admin import only_present
from participants.models import Registration
from participants.selectors import registration_scope


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["registration", "session", "checked_in_at", "method", "recorded_by"]
    list_filter = ["method", only_present("session__site__event")]
    list_select_related = ["registration", "session", "recorded_by"]
    search_fields = ["=registration__code", "registration__full_name"]

    def get_queryset(self, request):
        visible = Registration.objects.filter(registration_scope(request.user)).values("pk")
        return super().get_queryset(request).filter(registration__in=visible)
