"""Admin for master data and events. Every changelist selects its relations up front (no N+1)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.timezones import format_datetime_in_zone
from events.models import (
    Agency,
    AgencyType,
    Cohort,
    Event,
    EventObjective,
    EventSite,
    Program,
    Province,
    Regency,
    Role,
    Session,
    SiteQuota,
    TrainingPhase,
    UserScope,
    Venue,
)


def render_in_zone(zone_name: str, view, *args):
    """Run an admin view, and render its response, with `zone_name` as the current time zone.

    Datetimes typed in the form are read in that zone and shown back in it. The response is a lazy
    TemplateResponse: it must be rendered before the zone is restored.
    """
    with timezone.override(zone_name):
        response = view(*args)
        if hasattr(response, "render"):
            response.render()
    return response


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_zone", "zone_label"]
    list_filter = ["time_zone"]
    search_fields = ["code", "name"]

    @admin.display(description=_("zone"))
    def zone_label(self, obj):
        return obj.zone_label


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name", "province__name"]


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    fields = ["order", "code", "name", "is_other"]


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to"]
    search_fields = ["code", "name"]
    inlines = [CohortInline, RoleInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "number", "year"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["program__code", "program__name"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "program", "order", "is_other"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["name", "code"]


@admin.register(AgencyType)
class AgencyTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to", "successor"]
    list_select_related = ["successor"]
    search_fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "province", "regency"]
    list_filter = ["type", "province"]
    list_select_related = ["type", "province", "regency"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["province", "regency", "successor"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "regency", "province", "zone"]
    list_select_related = ["regency__province"]
    search_fields = ["name", "address", "regency__name"]
    autocomplete_fields = ["regency"]

    @admin.display(description=_("province"))
    def province(self, obj):
        return obj.regency.province

    @admin.display(description=_("zone"))
    def zone(self, obj):
        return obj.time_zone


class ObjectiveInline(admin.TabularInline):
    model = EventObjective
    extra = 0


class SiteInline(admin.StackedInline):
    model = EventSite
    extra = 0
    fields = ["order", "name", "venue", "start_date", "end_date", "provinces_served"]
    autocomplete_fields = ["venue"]
    filter_horizontal = ["provinces_served"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "cohort", "kind", "organizer", "start_date", "end_date", "status"]
    list_filter = ["status", "kind", "program"]
    list_select_related = ["program", "cohort__program", "organizer"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start_date"
    filter_horizontal = ["organizers"]
    inlines = [ObjectiveInline, SiteInline]


class QuotaInline(admin.TabularInline):
    model = SiteQuota
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the roles of the event's program make sense for a site of that event.
        if db_field.name == "role" and getattr(request, "_site_program_id", None):
            kwargs["queryset"] = Role.objects.filter(program_id=request._site_program_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(EventSite)
class EventSiteAdmin(admin.ModelAdmin):
    """Session times are typed and shown in the site's own zone (WIB/WITA/WIT), stored in UTC."""

    list_display = ["name", "event", "venue", "start_date", "end_date", "zone"]
    list_filter = ["event"]
    list_select_related = ["event", "venue__regency__province"]
    search_fields = ["name", "event__title", "venue__name"]
    autocomplete_fields = ["venue"]
    filter_horizontal = ["provinces_served", "coordinators"]
    inlines = [QuotaInline, SessionInline]

    @admin.display(description=_("zone"))
    def zone(self, obj):
        return obj.zone_label

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        site = self.get_object(request, object_id) if object_id else None
        if site is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        request._site_program_id = site.event.program_id
        extra_context = {**(extra_context or {}), "subtitle": f"{site} — {site.zone_label}"}
        return render_in_zone(site.time_zone, super().changeform_view, request, object_id, form_url, extra_context)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "starts_at_local", "ends_at_local"]
    list_filter = ["site__event"]
    list_select_related = ["site__event", "site__venue__regency__province"]
    search_fields = ["name", "site__name"]

    @admin.display(description=_("starts at"))
    def starts_at_local(self, obj):
        return format_datetime_in_zone(obj.starts_at, obj.site.time_zone, "j M Y H.i")

    @admin.display(description=_("ends at"))
    def ends_at_local(self, obj):
        return format_datetime_in_zone(obj.ends_at, obj.site.time_zone, "j M Y H.i")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        session = self.get_object(request, object_id) if object_id else None
        if session is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        return render_in_zone(
            session.site.time_zone, super().changeform_view, request, object_id, form_url, extra_context
        )


@admin.register(SiteQuota)
class SiteQuotaAdmin(admin.ModelAdmin):
    list_display = ["site", "role", "target", "close_when_full"]
    list_filter = ["site__event", "role"]
    list_select_related = ["site__event", "role"]


@admin.register(UserScope)
class UserScopeAdmin(admin.ModelAdmin):
    list_display = ["user"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    filter_horizontal = ["provinces", "regencies", "events"]


# --- roster area: Tahap ---


@admin.register(TrainingPhase)
class TrainingPhaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "start_date", "end_date", "mode", "capacity"]
    list_filter = ["cohort", "mode"]
    list_select_related = ["cohort__program"]
