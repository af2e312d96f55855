from django.contrib import admin

from core.models import AuditEntry, ReportDownload


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page that shows rows and never changes them: their writes go through the services (audited)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only for everyone, superusers included."""

    list_display = ["created_at", "actor", "action", "content_type", "object_id", "from_state", "to_state"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]
    search_fields = ["action", "object_id", "reason"]
    date_hierarchy = "created_at"


@admin.register(ReportDownload)
class ReportDownloadAdmin(ReadOnlyAdmin):
    """The download log of every export: who took what, when (never edited)."""

    list_display = ["created_at", "user", "kind", "file_format", "description"]
    list_filter = ["kind", "file_format"]
    list_select_related = ["user"]
    search_fields = ["kind", "description", "user__username"]
    date_hierarchy = "created_at"
