"""Admin of the reports area: the certificates issued, read-only (numbers are given once by the service that
issues them, and never changed), filtered by the user's registration scope."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from events.admin import only_present
from participants.models import Registration
from participants.selectors import registration_scope
from reports.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "registration", "site", "issued_at"]
    list_filter = [only_present("site__event")]
    list_select_related = ["registration", "site__event"]
    search_fields = ["=number", "=registration__code", "registration__full_name"]

    def get_queryset(self, request):
        visible = Registration.objects.filter(registration_scope(request.user)).values("pk")
        return super().get_queryset(request).filter(registration__in=visible)
