"""Admin of the reports area: the certificates, piagam penghargaan and number series, read-only (numbers are given
once by the services that issue them, and never changed; revocation and the number format go through the
certificates and piagam pages, audited), filtered by the user's scope."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from events.admin import only_present
from events.models import Event
from events.selectors import event_scope
from participants.models import Registration
from participants.selectors import registration_scope
from reports.models import Appreciation, Certificate, NumberSeries


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "registration", "site", "issued_at", "revoked_at"]
    list_filter = [only_present("event")]
    list_select_related = ["registration", "site__event"]
    search_fields = ["=number", "=registration__code", "registration__full_name"]
    exclude = ["token"]

    def get_queryset(self, request):
        visible = Registration.objects.filter(registration_scope(request.user)).values("pk")
        return super().get_queryset(request).filter(registration__in=visible)


@admin.register(Appreciation)
class AppreciationAdmin(ReadOnlyAdmin):
    list_display = ["number", "person", "event", "selected_at", "revoked_at"]
    list_filter = [only_present("event")]
    list_select_related = ["person", "event"]
    search_fields = ["=number", "person__full_name"]
    exclude = ["token"]

    def get_queryset(self, request):
        visible = Event.objects.filter(event_scope(request.user)).values("pk")
        return super().get_queryset(request).filter(event__in=visible)


@admin.register(NumberSeries)
class NumberSeriesAdmin(ReadOnlyAdmin):
    list_display = ["event", "kind", "number_format", "last_sequence"]
    list_select_related = ["event"]

    def get_queryset(self, request):
        visible = Event.objects.filter(event_scope(request.user)).values("pk")
        return super().get_queryset(request).filter(event__in=visible)
