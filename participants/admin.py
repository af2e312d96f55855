"""Admin for people, schools and registrations, filtered by the user's scope.

Registrations are read-only here: their status only moves through the verification screens
(services), so every change is audited.

Scope, model by model: schools are public reference data (NPSN, name, level, kab/kota: the national school
register publishes them), read by every group holding the view permission; people and registrations are
personal data, shown only within `registration_scope` (a person through its registrations in scope), and the
registration list's event filter offers only the events of the rows shown.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.identifiers import mask_identifier, mask_nik, mask_nip
from events.admin import only_present
from participants.forms import PersonAdminForm, SchoolAdminForm
from participants.models import Person, Registration, School
from participants.search_tokens import looks_like_identifier
from participants.selectors import can_see_personal_data, registration_scope
from participants.services import person_create, person_update, personal_data_viewed


class MaskedIdentifiersMixin:
    """Admin lists always mask NIK and phone: a list needs no full number, and showing one is a logged act
    (the person's change page does it, with an audit entry). Identifiers are not searched here (see below)."""

    @admin.display(description="NIK")
    def nik_shown(self, obj):
        return mask_nik(obj.nik)

    @admin.display(description=_("phone"))
    def phone_shown(self, obj):
        return mask_identifier(obj.phone)

    @admin.display(description="NIP")
    def nip_shown(self, obj):
        # The NIP starts with the birth date: shown whole beside the masked NIK, it would narrow the NIK down.
        return mask_nip(obj.nip)

    search_help_text = _(
        "Search by name or code. Search NIK, NIP or NUPTK in the registration list: the admin's search box "
        "would put them in the address."
    )

    def changelist_view(self, request, extra_context=None):
        # The admin searches by GET: an identifier typed there would stay in the address, the history
        # and the access logs. Drop it at once and say where to search instead.
        term = request.GET.get("q", "")
        if looks_like_identifier(term):
            query = request.GET.copy()
            query.pop("q")
            messages.warning(
                request,
                _("Identifiers are not searched here. Use the registration list, which keeps them out of addresses."),
            )
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        return super().changelist_view(request, extra_context)


def warnings_shown(request, form) -> None:
    """The identifiers' warnings of an admin form (a letter in an NPSN, an unknown kab/kota code in a NIK), said
    after saving with the same message as every other channel: the admin has no second confirmation step."""
    for field, found in getattr(form, "warnings", {}).items():
        label = form.fields[field].label if field in form.fields else field
        for message in found:
            messages.warning(request, f"{label}: {message}")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    form = SchoolAdminForm
    list_display = ["npsn", "name", "level", "ownership", "regency"]
    list_filter = ["level", "ownership", "regency__province"]
    list_select_related = ["regency"]
    search_fields = ["npsn", "name"]
    autocomplete_fields = ["regency"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warnings_shown(request, form)


@admin.register(Person)
class PersonAdmin(MaskedIdentifiersMixin, admin.ModelAdmin):
    list_display = ["full_name", "nik_shown", "position", "agency", "school", "province"]
    list_filter = ["province"]
    list_select_related = ["agency", "school", "province"]
    search_fields = ["full_name"]
    autocomplete_fields = ["agency", "school", "province"]

    def get_queryset(self, request):
        # People without a registration in the user's scope stay hidden (central users see all).
        queryset = super().get_queryset(request)
        scope = registration_scope(request.user)
        if not scope:
            return queryset
        return queryset.filter(pk__in=Registration.objects.filter(scope).values("person_id"))

    form = PersonAdminForm

    def get_exclude(self, request, obj=None):
        return [] if can_see_personal_data(request.user) else ["nik", "phone"]

    def save_model(self, request, obj, form, change):
        # Through the services: the same rules as the forms, and an audit entry naming the changed fields.
        if change:
            person_update(person=obj, person_data=form.person_data(), actor=request.user)
        else:
            created = person_create(person_data=form.person_data(), actor=request.user)
            obj.pk = created.pk
            obj.refresh_from_db()
        warnings_shown(request, form)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The change form shows NIK and phone in full to those allowed to see them: a logged view.
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200 and can_see_personal_data(request.user):
            person = self.get_object(request, object_id)
            if person is not None:
                personal_data_viewed(actor=request.user, holder=person, where="admin.person_change")
        return response


@admin.register(Registration)
class RegistrationAdmin(MaskedIdentifiersMixin, ReadOnlyAdmin):
    list_display = ["code", "full_name", "nik_shown", "site", "role", "status", "review", "source", "submitted_at"]
    list_filter = ["status", "source", only_present("event"), "role"]
    list_select_related = ["site__event", "role"]
    search_fields = ["=code", "full_name"]
    date_hierarchy = "submitted_at"
    # The page shows the registration's own copy of the person's data, identifiers masked (the registration
    # list and detail show them in full to the roles that may, with an audit entry).
    fields = readonly_fields = [
        "code",
        "full_name",
        "nik_shown",
        "nip_shown",
        "phone_shown",
        "email",
        "event",
        "site",
        "role",
        "status",
        "review",
        "source",
        "rejection_reason",
        "submitted_at",
        "decided_at",
        "decided_by",
        "created_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(registration_scope(request.user))
