"""Admin for master data and events, scoped like the views (`events.selectors`). Every changelist selects its
relations up front (no N+1).

What each group may see here, decided model by model (the staff's scope is in `events/selectors.py`):

- **Public master data** — provinces, regencies, programs (with cohorts and roles), cohorts, roles, agency
  types, agencies: the public event pages, the registration form and its agency picker show them to anyone.
  Every group holding the view permission reads all of them; only Admin pusat writes (a Panitia may add an
  agency, as the registration form does inline).
- **Venues**: those of the user's sites and of the published events (their addresses are on the public pages).
  A venue of nobody's site yet, or only of someone else's unpublished event, stays with the central users.
- **Events**: the events of the user's sites, and those it organizes (`event_scope`). The organizers (user
  names) are shown to central users only: nobody else manages them, and a user name is personal data.
- **Sites**: the user's sites (`sites_visible_to`: a Panitia its events' sites, a Koordinator site its own, a
  Verifikator or Pejabat the sites serving its provinces, a Pejabat also its given events). The site
  coordinators (user names) are shown to central users only.
- **Sessions** and **quotas**: those of the user's sites. A Panitia changes and adds sessions only at the
  sites of the events it organizes (`sites_organized_by`), and may not move a session to another event's site.
- **User scopes**: central users only (Admin pusat and superusers): they say who may see which province and
  event, which is the Admin pusat's business, and they name users.
- **Tahap** (training phases): a cohort's national calendar and capacity, with no province or event to
  scope by; read-only to the groups that hold the view permission (the roster groups, Panitia, Koordinator site).

Rows outside the scope are missing for the user: the list does not show them, their change, history and
delete pages answer like a missing row (a redirect to the admin index), the list filters offer only the values
of the rows shown, and the autocompletes search the scoped rows.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.timezones import format_datetime_in_zone
from events import selectors
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


class CentralOnlyAdmin(admin.ModelAdmin):
    """A page for central users only (Admin pusat, superusers): a scoped role has no business here, whatever
    model permissions its group holds."""

    def has_module_permission(self, request):
        return selectors.is_central(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return selectors.is_central(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return selectors.is_central(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return selectors.is_central(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return selectors.is_central(request.user) and super().has_delete_permission(request, obj)


class ScopedAdmin(admin.ModelAdmin):
    """Lists, shows and changes only the rows of the user's scope: `scope(user)` is a filter on the model
    (`Q()` for central users). Django then treats a row outside it as missing on every page of the model."""

    def scope(self, user) -> Q:
        raise NotImplementedError

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self.scope(request.user))


def only_present(field_path: str) -> tuple:
    """A list filter that offers only the values of the rows the user may see (not every event's title)."""
    return (field_path, admin.RelatedOnlyFieldListFilter)


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
    list_display = ["name", "full_name", "code", "program", "order", "is_other"]
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
class VenueAdmin(ScopedAdmin):
    list_display = ["name", "address", "regency", "province", "zone"]
    list_select_related = ["regency__province"]
    search_fields = ["name", "address", "regency__name"]
    autocomplete_fields = ["regency"]

    def scope(self, user) -> Q:
        return selectors.venue_scope(user)

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

    def get_queryset(self, request):
        # A Koordinator site reads its own site of the event, not its sibling sites.
        return super().get_queryset(request).filter(selectors.site_scope(request.user))


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ["title", "program", "cohort", "kind", "organizer", "start_date", "end_date", "status"]
    list_filter = ["status", "kind", "program"]
    list_select_related = ["program", "cohort__program", "organizer"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start_date"
    filter_horizontal = ["organizers"]
    inlines = [ObjectiveInline, SiteInline]

    def scope(self, user) -> Q:
        return selectors.event_scope(user)

    def get_exclude(self, request, obj=None):
        return [] if selectors.is_central(request.user) else ["organizers"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The event whose attendance a registration requires: one the user may see, latest first.
        if db_field.name == "required_event":
            kwargs["queryset"] = Event.objects.filter(selectors.event_scope(request.user)).order_by(
                "-start_date", "title"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
class EventSiteAdmin(ScopedAdmin):
    """Session times are typed and shown in the site's own zone (WIB/WITA/WIT), stored in UTC."""

    list_display = ["name", "event", "venue", "start_date", "end_date", "zone"]
    list_filter = [only_present("event")]
    list_select_related = ["event", "venue__regency__province"]
    search_fields = ["name", "event__title", "venue__name"]
    autocomplete_fields = ["venue"]
    filter_horizontal = ["provinces_served", "coordinators"]
    inlines = [QuotaInline, SessionInline]

    def scope(self, user) -> Q:
        return selectors.site_scope(user)

    def get_exclude(self, request, obj=None):
        return [] if selectors.is_central(request.user) else ["coordinators"]

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
class SessionAdmin(ScopedAdmin):
    """A Panitia sets the sessions of the sites of its events; everyone else in scope reads them."""

    list_display = ["name", "site", "starts_at_local", "ends_at_local"]
    list_filter = [only_present("site__event")]
    list_select_related = ["site__event", "site__venue__regency__province"]
    search_fields = ["name", "site__name"]

    def scope(self, user) -> Q:
        return Q(site__in=selectors.sites_visible_to(user).values("id"))

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or selectors.sites_organized_by(request.user).filter(pk=obj.site_id).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The site choices are the sites where the user may set sessions: no moving a session to another event.
        if db_field.name == "site":
            kwargs["queryset"] = selectors.sites_organized_by(request.user).select_related("event")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
class SiteQuotaAdmin(ScopedAdmin):
    list_display = ["site", "role", "target", "close_when_full"]
    list_filter = [only_present("site__event"), "role"]
    list_select_related = ["site__event", "role"]

    def scope(self, user) -> Q:
        return Q(site__in=selectors.sites_visible_to(user).values("id"))


@admin.register(UserScope)
class UserScopeAdmin(CentralOnlyAdmin):
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
