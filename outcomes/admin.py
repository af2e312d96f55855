"""Admin of the outcomes area: responsibility matrices, action plans and their follow-ups, for central users
only and read-only.

Every change goes through outcomes.services (audited). The screens of the outcomes area are scoped per event
(the Panitia its own, the public the agreed matrix); the admin adds nothing a scoped role needs, so only Admin
pusat and superusers see these rows here.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from events.admin import CentralOnlyAdmin
from outcomes.models import ActionPlan, ActionPlanFollowUp, ActionPlanItem, ResponsibilityColumn, ResponsibilityMatrix


class CentralReadOnlyAdmin(CentralOnlyAdmin, ReadOnlyAdmin):
    """Central users read; nobody writes here."""


class ResponsibilityColumnInline(admin.TabularInline):
    model = ResponsibilityColumn
    fields = ["order", "agency_type", "label"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ResponsibilityMatrix)
class ResponsibilityMatrixAdmin(CentralReadOnlyAdmin):
    list_display = ["event", "status", "agreed_at", "agreed_by"]
    list_filter = ["status"]
    list_select_related = ["event", "agreed_by"]
    inlines = [ResponsibilityColumnInline]


class ActionPlanItemInline(admin.TabularInline):
    model = ActionPlanItem
    fields = ["order", "activity", "start_month", "end_month", "person_in_charge", "responsible_agency", "status"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ActionPlan)
class ActionPlanAdmin(CentralReadOnlyAdmin):
    list_display = ["delegation", "event", "province"]
    list_filter = ["event"]
    list_select_related = ["event", "province"]
    exclude = ["edit_token"]
    inlines = [ActionPlanItemInline]


@admin.register(ActionPlanFollowUp)
class ActionPlanFollowUpAdmin(CentralReadOnlyAdmin):
    list_display = ["item", "status", "created_at", "recorded_by"]
    list_select_related = ["item", "recorded_by"]
