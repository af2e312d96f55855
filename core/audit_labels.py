"""What a person reads for an audit entry: the action and the states in words, never the stored codes.

The codes (`registration.verified`, `submitted`) stay what is stored and searched; every page that shows an
entry (the audit log, a registration's history, the admin) asks here for the words. Each area declares the
labels of the actions it records on its AppConfig (`audit_actions`, e.g. `participants.apps`), as it declares
its group permissions: core knows no domain. A state is labelled by the `status` choices of the entry's model,
or by the words the area declares (`audit_states`) for a model without such a field.
"""

from functools import cache

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# The actions of this area (accounts and two-factor login).
AUDIT_ACTIONS = {
    "user.created": _("Account created"),
    "user.changed": _("Account changed"),
    "user.password_set": _("Password set"),
    "user.password_disabled": _("Password login disabled"),
    "two_factor.enabled": _("Two-factor login turned on"),
    "two_factor.disabled": _("Two-factor login turned off"),
}


@cache
def action_labels() -> dict[str, str]:
    """Every action's label: this area's and those each installed app's config declares."""
    labels = dict(AUDIT_ACTIONS)
    for config in apps.get_app_configs():
        labels.update(getattr(config, "audit_actions", {}))
    return labels


def action_label(action: str) -> str:
    """The words for `action`; the code itself when no area declared it (a test fails on that)."""
    return str(action_labels().get(action, action))


@cache
def state_words() -> dict[str, str]:
    """The states an area records for objects without a `status` field (e.g. a paper "valid" → "revoked")."""
    words = {}
    for config in apps.get_app_configs():
        words.update(getattr(config, "audit_states", {}))
    return words


def state_label(content_type, state: str) -> str:
    """The words for a stored state of an object of `content_type`: the label of its model's `status` choice,
    else the words its area declares (`audit_states`); other values (a number format, a text) as stored."""
    if not state:
        return ""
    model = content_type.model_class() if content_type is not None else None
    field = next((f for f in model._meta.concrete_fields if f.name == "status"), None) if model else None
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return str(choices.get(state) or state_words().get(state, state))
