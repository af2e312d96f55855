"""Admin of the roster area: the composition rules and the approval levels (Admin pusat edits them), the Sekolah
Penggerak, and the committees with their decision history, read-only (they change through the roster screens,
so every change is audited).

Scope, model by model: the composition rules and the approval levels are national configuration with nothing
personal in them, read by every roster group; a Sekolah Penggerak names its approved principal (a person), so it
is scoped like the committees, by the school's province or kab/kota (`penggerak_scope`); committees by
`committee_scope`.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from rosters.models import (
    ApprovalLevel,
    Committee,
    CommitteeDecision,
    CommitteeMember,
    CompositionRule,
    SekolahPenggerak,
)
from rosters.selectors import committee_scope, penggerak_scope
from rosters.services import committees_refresh_counts


@admin.register(CompositionRule)
class CompositionRuleAdmin(admin.ModelAdmin):
    """Admin pusat edits how many members of each position a committee of each level needs and allows."""

    list_display = ["level", "position", "minimum", "maximum", "needs_class", "required_classes"]
    list_editable = ["minimum", "maximum", "needs_class", "required_classes"]
    list_filter = ["level", "position"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The stored error/warning counts of the committees of this level follow the new rule.
        committees_refresh_counts(committees=Committee.objects.filter(school__level=obj.level))


@admin.register(ApprovalLevel)
class ApprovalLevelAdmin(admin.ModelAdmin):
    """Admin pusat declares each program's approval chain of the Komite Pembelajaran rosters. A program without
    a declared level follows the default chain Kabupaten/Kota → Provinsi → Pusat."""

    list_display = ["program", "order", "name", "group", "scope", "may_return_to_previous", "may_return_to_submitter"]
    list_filter = ["program", "scope", "group"]
    list_select_related = ["program"]
    ordering = ["program__code", "order"]


@admin.register(SekolahPenggerak)
class SekolahPenggerakAdmin(admin.ModelAdmin):
    list_display = ["school", "cohort", "principal"]
    list_filter = ["cohort", "school__level", "school__regency__province"]
    list_select_related = ["school", "cohort__program", "principal"]
    search_fields = ["school__npsn", "school__name"]
    autocomplete_fields = ["school", "principal"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(penggerak_scope(request.user))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        committees_refresh_counts(committees=Committee.objects.filter(school=obj.school, cohort=obj.cohort))


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    fields = ["person", "position", "class_taught"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CommitteeDecisionInline(admin.TabularInline):
    model = CommitteeDecision
    fields = ["decided_at", "level", "level_name", "decision", "returned_to", "actor", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    """Read-only: committees change through the roster screens (services), so every change is audited."""

    list_display = ["school", "cohort", "status", "level", "error_count", "warning_count", "phase"]
    list_filter = ["status", "cohort", "phase", "school__level", "school__regency__province"]
    list_select_related = ["school", "cohort__program", "phase"]
    search_fields = ["school__npsn", "school__name"]
    inlines = [CommitteeMemberInline, CommitteeDecisionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(committee_scope(request.user))
