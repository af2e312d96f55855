"""The staff groups of DESIGN.md and the model permissions each one holds.

Model permissions only open the door of the admin; what rows a user may see is decided by the
scoping selectors (provinces, sites, events of `events.UserScope`), checked on every request.
"""

ADMIN_PUSAT = "Admin pusat"
PANITIA = "Panitia"
KOORDINATOR_SITE = "Koordinator site"
VERIFIKATOR = "Verifikator"
OPERATOR_DINAS = "Operator Dinas"
PEJABAT = "Pejabat"

_MASTER_DATA = ["province", "regency", "program", "cohort", "role", "agencytype", "agency", "venue"]
_EVENT_DATA = ["event", "eventobjective", "eventsite", "session", "sitequota"]

_REGISTRATION_WORK = [
    "participants.view_person",
    "participants.add_person",
    "participants.change_person",
    "participants.view_school",
    "participants.view_registration",
    "participants.add_registration",
    "attendance.view_attendance",
    "attendance.add_attendance",
]

# group → list of "app_label.action_model"; "*" means every permission of that app.
GROUP_PERMISSIONS: dict[str, list[str]] = {
    ADMIN_PUSAT: [
        "core.*",
        "events.*",
        "participants.*",
        "rosters.*",
        "attendance.*",
        "outcomes.*",
        "reports.*",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
    ],
    PANITIA: [f"events.view_{m}" for m in _MASTER_DATA + _EVENT_DATA]
    + ["events.add_agency", "events.change_session", "events.add_session"]
    + _REGISTRATION_WORK,
    KOORDINATOR_SITE: [f"events.view_{m}" for m in _MASTER_DATA + _EVENT_DATA] + _REGISTRATION_WORK,
    VERIFIKATOR: [f"events.view_{m}" for m in _MASTER_DATA + _EVENT_DATA]
    + [
        "participants.view_person",
        "participants.view_school",
        "participants.view_registration",
        "participants.change_registration",
        "participants.view_personal_data",
    ],
    OPERATOR_DINAS: [f"events.view_{m}" for m in _MASTER_DATA]
    + ["participants.view_school", "participants.view_person", "participants.add_person", "participants.change_person"],
    PEJABAT: [f"events.view_{m}" for m in _MASTER_DATA + _EVENT_DATA]
    + ["participants.view_registration", "attendance.view_attendance"],
}


def sync_groups(apps) -> None:
    """Create the groups and give them exactly their permissions (usable from a data migration)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, specs in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for spec in specs:
            app_label, codename = spec.split(".", 1)
            query = Permission.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                query = query.filter(codename=codename)
            permissions.extend(query)
        group.permissions.set(permissions)


# --- outcomes area (responsibility matrix, rencana aksi, good practices) ---
_OUTCOME_MODELS = ["responsibilitymatrix", "actionplan", "actionplanitem"]
GROUP_PERMISSIONS[PANITIA] += [
    f"outcomes.{action}_{m}" for m in _OUTCOME_MODELS for action in ("view", "add", "change")
] + [
    "outcomes.view_goodpractice",
    "outcomes.change_goodpractice",
]
GROUP_PERMISSIONS[PEJABAT] += [f"outcomes.view_{m}" for m in _OUTCOME_MODELS]

# --- roster area (Komite Pembelajaran, Tahap) ---
_ROSTER_READ = [
    "events.view_trainingphase",
    "rosters.view_committee",
    "rosters.view_committeemember",
    "rosters.view_sekolahpenggerak",
    "rosters.view_compositionrule",
]
GROUP_PERMISSIONS[VERIFIKATOR] += [*_ROSTER_READ, "rosters.change_committee"]
GROUP_PERMISSIONS[OPERATOR_DINAS] += [
    *_ROSTER_READ,
    "rosters.add_committee",
    "rosters.change_committee",
    "rosters.add_committeemember",
    "rosters.change_committeemember",
    "rosters.delete_committeemember",
]
GROUP_PERMISSIONS[PEJABAT] += _ROSTER_READ
GROUP_PERMISSIONS[PANITIA] += ["events.view_trainingphase"]
GROUP_PERMISSIONS[KOORDINATOR_SITE] += ["events.view_trainingphase"]
# --- end roster area ---


# Optional TOTP two-factor (django-otp) is offered to the groups that can change the most data or
# see unmasked personal data; core.two_factor asks this through settings.TWO_FACTOR_ELIGIBLE.
TWO_FACTOR_GROUPS = (ADMIN_PUSAT, VERIFIKATOR)


def may_use_two_factor(user) -> bool:
    """True for a superuser or a member of Admin pusat or Verifikator."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=TWO_FACTOR_GROUPS).exists()
