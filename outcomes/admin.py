"""Admin of the outcomes area."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from outcomes.models import ActionPlan, ActionPlanFollowUp, ActionPlanItem, ResponsibilityColumn, ResponsibilityMatrix

# Read-only: every change goes through outcomes.services (audited). The screens of the
# outcomes area are scoped per event; the admin has no scope, so only the Admin pusat (who holds
# the delete permission, unlike the panitia) sees these rows here.


class CentralReadOnlyAdmin(ReadOnlyAdmin):
    def has_view_permission(self, request, obj=None):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.delete_{opts.model_name}")

    def has_module_permission(self, request):
        return self.has_view_permission(request)


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
