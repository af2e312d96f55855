"""The staff groups of DESIGN.md and the model permissions each one holds.

Model permissions only open the door of the admin (and the coarse checks of the views); what rows a
user may see is decided by the scoping selectors (provinces, sites, events of `events.UserScope`),
checked on every request.

Each area declares the permissions it gives each group on its own AppConfig (`group_permissions`,
e.g. `rosters.apps.RostersConfig`); this module holds the groups, the events area's own share (master
data, events, the accounts of Admin pusat), and the sync that gives each group exactly the union.
"""

from django.apps import apps as installed_apps

ADMIN_PUSAT = "Admin pusat"
PANITIA = "Panitia"
KOORDINATOR_SITE = "Koordinator site"
VERIFIKATOR = "Verifikator"
OPERATOR_DINAS = "Operator Dinas"
PEJABAT = "Pejabat"
GROUPS = (ADMIN_PUSAT, PANITIA, KOORDINATOR_SITE, VERIFIKATOR, OPERATOR_DINAS, PEJABAT)

_MASTER_DATA = ["province", "regency", "program", "cohort", "role", "agencytype", "agency", "venue"]
_EVENT_DATA = ["event", "eventobjective", "eventsite", "session", "sitequota"]

# The events area's share: group → list of "app_label.action_model"; "*" means every permission of that app.
GROUP_PERMISSIONS: dict[str, list[str]] = {
    ADMIN_PUSAT: ["core.*", "events.*", "auth.view_user", "auth.add_user", "auth.change_user"],
    PANITIA: [f"events.view_{m}" for m in _MASTER_DATA + _EVENT_DATA]
    + ["events.add_agency", "events.change_session", "events.add_session"],
    KOORDINATOR_SITE: [f"events.view_{m}" for m in _MASTER_DATA + _EVENT_DATA],
    VERIFIKATOR: [f"events.view_{m}" for m in _MASTER_DATA + _EVENT_DATA],
    OPERATOR_DINAS: [f"events.view_{m}" for m in _MASTER_DATA],
    PEJABAT: [f"events.view_{m}" for m in _MASTER_DATA + _EVENT_DATA],
}


def group_permissions() -> dict[str, list[str]]:
    """Every group's permissions: this area's, plus what each installed app's config gives it."""
    merged = {name: list(GROUP_PERMISSIONS.get(name, [])) for name in GROUPS}
    for config in installed_apps.get_app_configs():
        for name, specs in getattr(config, "group_permissions", {}).items():
            merged[name].extend(specs)
    return merged


def sync_groups(apps) -> None:
    """Create the groups and give them exactly their permissions (usable from a data migration: `apps` is
    the migration's registry; the lists come from the installed apps)."""
    # Django's own, imported here: this module is imported while the apps load (their configs name the groups).
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, specs in group_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for spec in specs:
            app_label, codename = spec.split(".", 1)
            query = Permission.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                query = query.filter(codename=codename)
            permissions.extend(query)
        group.permissions.set(permissions)


# Optional TOTP two-factor (django-otp) is offered to the groups that can change the most data or
# see unmasked personal data; core.two_factor asks this through settings.TWO_FACTOR_ELIGIBLE.
TWO_FACTOR_GROUPS = (ADMIN_PUSAT, VERIFIKATOR)


def may_use_two_factor(user) -> bool:
    """True for a superuser or a member of Admin pusat or Verifikator."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=TWO_FACTOR_GROUPS).exists()
