"""Admin of the plumbing: the audit trail, the download log (both read-only, and readable only by the groups that
hold core permissions, i.e. Admin pusat) and the user accounts.

User accounts (`AccountAdmin`, replacing Django's stock UserAdmin, which let anyone holding `auth.change_user`
make itself superuser and set anyone's password):

- Only a superuser changes what makes an account powerful: the superuser and staff flags, the user's own
  permissions, another account's password (the admin's password form), and anything at all of a superuser's
  account (its groups, its active flag).
- Whoever else may change users (Admin pusat) creates accounts (always staff accounts: the app has no other
  kind; participants have none), edits names, e-mails, the active flag and the groups of accounts that hold no
  permission it lacks itself, and gives only groups whose permissions it holds itself: nobody hands out more
  than it has. Its own password it changes on the account page, which asks for the current one.
- Every account created or changed here, and every password set here, is an audit entry (who, which account,
  which fields, the groups given or taken; never a password).
"""

from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import record
from core.audit_labels import action_label
from core.exports import exporter_label
from core.models import AuditEntry, ReportDownload


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page that shows rows and never changes them: their writes go through the services (audited)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditActionFilter(admin.SimpleListFilter):
    """The recorded actions, in words (core.audit_labels), not their codes."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        used = model_admin.get_queryset(request).values_list("action", flat=True).distinct().order_by()
        return sorted(((code, action_label(code)) for code in used), key=lambda lookup: lookup[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only for everyone, superusers included."""

    list_display = ["created_at", "actor", "action_shown", "content_type", "object_id", "from_shown", "to_shown"]
    list_filter = [AuditActionFilter, "content_type"]
    list_select_related = ["actor", "content_type"]
    search_fields = ["action", "object_id", "reason"]
    date_hierarchy = "created_at"
    fields = [
        *["created_at", "actor", "action_shown", "content_type", "object_id"],
        *["from_shown", "to_shown", "reason", "data"],
    ]
    readonly_fields = ["action_shown", "from_shown", "to_shown"]

    @admin.display(description=_("action"), ordering="action")
    def action_shown(self, entry: AuditEntry) -> str:
        return entry.action_label

    @admin.display(description=_("from"))
    def from_shown(self, entry: AuditEntry) -> str:
        return entry.from_label

    @admin.display(description=_("to"))
    def to_shown(self, entry: AuditEntry) -> str:
        return entry.to_label


class DownloadKindFilter(admin.SimpleListFilter):
    """The downloads by name ("Daftar hadir"), not by their codes."""

    title = _("download")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        used = model_admin.get_queryset(request).values_list("kind", flat=True).distinct().order_by()
        return sorted(((kind, exporter_label(kind)) for kind in used), key=lambda lookup: lookup[1])

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(ReportDownload)
class ReportDownloadAdmin(ReadOnlyAdmin):
    """The download log of every export: who took what, when (never edited)."""

    list_display = ["created_at", "user", "kind_shown", "file_format", "description"]
    list_filter = [DownloadKindFilter, "file_format"]
    list_select_related = ["user"]
    search_fields = ["kind", "description", "user__username"]
    date_hierarchy = "created_at"

    @admin.display(description=_("download"), ordering="kind")
    def kind_shown(self, download: ReportDownload) -> str:
        return exporter_label(download.kind)


# --- user accounts ---

User = get_user_model()
PASSWORD_FIELDS = {"password1", "password2", "usable_password"}


def permissions_of(user) -> set[str]:
    """Every permission the account holds, through its groups or by itself, active or not ("app.codename")."""
    rows = (
        Permission.objects.filter(Q(user=user) | Q(group__user=user))
        .values_list("content_type__app_label", "codename")
        .distinct()
    )
    return {f"{app_label}.{codename}" for app_label, codename in rows}


def grantable_groups(editor):
    """The groups the editor may give or take away: all for a superuser, else those whose every permission it
    holds itself."""
    if editor.is_superuser:
        return Group.objects.all()
    held = permissions_of(editor)
    rows = Group.permissions.through.objects.values_list(
        "group_id", "permission__content_type__app_label", "permission__codename"
    )
    too_much = {group_id for group_id, app_label, codename in rows if f"{app_label}.{codename}" not in held}
    return Group.objects.exclude(pk__in=too_much)


def may_manage(editor, account) -> bool:
    """A superuser manages every account; anyone else only accounts that are not superusers and hold no
    permission it lacks itself."""
    if editor.is_superuser:
        return True
    return not account.is_superuser and permissions_of(account) <= permissions_of(editor)


# --- permissions in words: Django stores their names in English at migrate time ("Can add registration") ---

_DEFAULT_PERMISSION_WORDS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """A permission as the group and user forms show it, in the user's language: "Peserta | Dapat melihat
    pendaftaran". The four default ones are worded from their model's translated name; the others are the
    translation of the name their model declares."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    action, _sep, model_name = permission.codename.partition("_")
    if action in _DEFAULT_PERMISSION_WORDS and model_name == model._meta.model_name:
        words = _DEFAULT_PERMISSION_WORDS[action] % {"model": model._meta.verbose_name}
    else:
        words = gettext(permission.name)
    return f"{model._meta.app_config.verbose_name} | {words}"


def _permissions_in_words(formfield):
    if formfield is not None and formfield.queryset.model is Permission:
        formfield.label_from_instance = permission_label
    return formfield


admin.site.unregister(Group)


@admin.register(Group)
class StaffGroupAdmin(GroupAdmin):
    """Django's group admin, its permissions in words."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return _permissions_in_words(super().formfield_for_manytomany(db_field, request=request, **kwargs))


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Django's user admin with the rules of the module docstring."""

    SUPERUSER_ONLY_FIELDS = ["is_staff", "is_superuser", "user_permissions"]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_manage(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or may_manage(request.user, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # The password's widget links to the password form, which is the superuser's.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            readonly += ["username", *self.SUPERUSER_ONLY_FIELDS, "last_login", "date_joined"]
        return readonly

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = grantable_groups(request.user)
            kwargs["help_text"] = _("You can give only the groups whose permissions you hold yourself.")
        return _permissions_in_words(super().formfield_for_manytomany(db_field, request=request, **kwargs))

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.is_staff = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        before = set(form.initial.get("groups") or []) if change else set()
        super().save_related(request, form, formsets, change)
        fields = sorted({"password" if name in PASSWORD_FIELDS else name for name in form.changed_data})
        if change and not fields:
            return
        data = {"fields": fields}
        if not change:
            data["is_staff"] = form.instance.is_staff
        if "groups" in form.changed_data:
            after = set(form.instance.groups.all())
            data["groups_added"] = sorted(group.name for group in after - before)
            data["groups_removed"] = sorted(group.name for group in before - after)
        record(actor=request.user, action="user.changed" if change else "user.created", target=form.instance, data=data)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)  # a bulk delete would not ask may_manage of each account
        return actions

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        # Setting a password without knowing the current one is the superuser's; a user changes its own on the
        # account page, which asks for the current one.
        if not request.user.is_superuser:
            raise PermissionDenied
        account = self.get_object(request, unquote(id))
        response = super().user_change_password(request, id, form_url)
        if account is not None:
            password = User.objects.filter(pk=account.pk).values_list("password", flat=True).get()
            if password != account.password:
                account.password = password
                action = "user.password_set" if account.has_usable_password() else "user.password_disabled"
                record(actor=request.user, action=action, target=account, data={"fields": ["password"]})
        return response


# --- words of the admin that Django and django-otp leave in English ---

# Django writes a boolean column's icon with alt="True"/"False"/"None", untranslated; every changelist and
# read-only field calls this function through its module, so the words are put here once.
_BOOLEAN_WORDS = {
    True: pgettext_lazy("boolean", "Yes"),
    False: pgettext_lazy("boolean", "No"),
    None: pgettext_lazy("boolean", "Unknown"),
}


def _boolean_icon(value) -> str:
    icon = static("admin/img/icon-%s.svg" % {True: "yes", False: "no", None: "unknown"}[value])  # noqa: UP031
    return format_html('<img src="{}" alt="{}">', icon, _BOOLEAN_WORDS[value])


admin_list._boolean_icon = _boolean_icon

# django-otp names its model and columns in English without gettext. The model's names are set for display
# only (migrations read the declared Meta, `original_attrs`, not these), the columns come from the admin below.
TOTPDevice._meta.verbose_name = _("two-factor device")
TOTPDevice._meta.verbose_name_plural = _("two-factor devices")


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("1", _BOOLEAN_WORDS[True]), ("0", _BOOLEAN_WORDS[False])]

    def queryset(self, request, queryset):
        return queryset.filter(confirmed=self.value() == "1") if self.value() in ("0", "1") else queryset


# The device's form: django-otp's field names and help texts, untranslated there.
_DEVICE_FIELDS = {
    "user": (_("user"), ""),
    "name": (_("device name"), _("To tell the user's devices apart, e.g. the phone's name.")),
    "confirmed": (_("confirmed"), _("The device is ready for use.")),
    "key": (_("secret key"), _("A hex-encoded secret key of up to 40 bytes.")),
    "step": (_("time step (seconds)"), ""),
    "t0": (_("start time (Unix seconds)"), ""),
    "digits": (_("digits"), _("The number of digits of a code.")),
    "tolerance": (_("tolerance"), _("How many time steps before or after the current one are accepted.")),
    "drift": (_("drift"), _("How many time steps the phone's clock is known to be off.")),
    "throttling_failure_timestamp": (_("last failed attempt"), ""),
    "throttling_failure_count": (_("failed attempts in a row"), ""),
}
_DEVICE_SECTIONS = {
    "Identity": _("Device"),
    "Timestamps": _("Dates"),
    "Configuration": _("Settings"),
    "State": _("Clock"),
    "Throttling": _("Failed attempts"),
}
_DEVICE_DATES = {"created_at": "device_created", "last_used_at": "device_last_used"}


class TwoFactorDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's admin in words: its changelist, its sections, field names and help texts are not translated."""

    readonly_fields = ["device_created", "device_last_used", "qrcode_link"]

    def get_fieldsets(self, request, obj=None):
        return [
            (
                _DEVICE_SECTIONS.get(title, title),
                {**options, "fields": [_DEVICE_DATES.get(name, name) for name in options["fields"]]},
            )
            for title, options in super().get_fieldsets(request, obj)
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in _DEVICE_FIELDS:
            formfield.label, formfield.help_text = _DEVICE_FIELDS[db_field.name]
        return formfield

    list_display = ["device_user", "device_name", "device_created", "device_last_used", "device_confirmed"]
    list_filter = [ConfirmedFilter]
    search_help_text = _("Search by user name or e-mail address")

    @admin.display(description=_("QR code"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("QR code"))

    @admin.display(description=_("user"), ordering="user__username")
    def device_user(self, device):
        return device.user

    @admin.display(description=_("device name"), ordering="name")
    def device_name(self, device):
        return device.name

    @admin.display(description=_("set up"), ordering="created_at")
    def device_created(self, device):
        return device.created_at or self.get_empty_value_display()

    @admin.display(description=_("last used"), ordering="last_used_at")
    def device_last_used(self, device):
        return device.last_used_at or self.get_empty_value_display()

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
    def device_confirmed(self, device):
        return device.confirmed


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TwoFactorDeviceAdmin)
