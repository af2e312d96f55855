"""Admin of the roster area: the composition rules and the approval levels (Admin pusat edits them), the Sekolah
Penggerak, and the committees with their decision history, read-only (they change through the roster screens,
so every change is audited).

Scope, model by model: the composition rules and the approval levels are national configuration with nothing
personal in them, read by every roster group; a Sekolah Penggerak names its approved principal (a person), so it
is scoped like the committees, by the school's province or kab/kota (`penggerak_scope`); committees by
`committee_scope`.
"""

from django import forms
from django.contrib import admin, messages

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
from rosters.services import approval_chain_change_refusal, committees_refresh_counts


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


class ApprovalLevelForm(forms.ModelForm):
    class Meta:
        model = ApprovalLevel
        fields = ["program", "order", "name", "group", "scope", "may_return_to_previous", "may_return_to_submitter"]

    def clean(self):
        """A level added, or moved to another number or program, while committees wait in the chain: refused."""
        cleaned = super().clean()
        programs = set()
        if self.instance.pk is None or "order" in self.changed_data or "program" in self.changed_data:
            # The chain it joins, and the one it leaves.
            programs = {getattr(cleaned.get("program"), "pk", None), self.instance.program_id} - {None}
        for program_id in sorted(programs):
            refusal = approval_chain_change_refusal(program_id=program_id)
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned


@admin.register(ApprovalLevel)
class ApprovalLevelAdmin(admin.ModelAdmin):
    """Admin pusat declares each program's approval chain of the Komite Pembelajaran rosters. A program without
    a declared level follows the default chain Kabupaten/Kota → Provinsi → Pusat.

    While committees of a program wait in its chain, its levels are not added, removed or renumbered
    (`approval_chain_change_refusal`): a level is deleted one at a time from its page, where the reason shows."""

    form = ApprovalLevelForm
    list_display = ["program", "order", "name", "group", "scope", "may_return_to_previous", "may_return_to_submitter"]
    list_filter = ["program", "scope", "group"]
    list_select_related = ["program"]
    ordering = ["program__code", "order"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and approval_chain_change_refusal(program_id=obj.program_id):
            return False
        return allowed

    def change_view(self, request, object_id, form_url="", extra_context=None):
        level = self.get_object(request, object_id)
        if level is not None and request.method == "GET":
            refusal = approval_chain_change_refusal(program_id=level.program_id)
            if refusal:
                self.message_user(request, refusal, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)


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
