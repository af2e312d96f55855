from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events import groups as G

_OUTCOME_MODELS = ["responsibilitymatrix", "actionplan", "actionplanitem"]


class OutcomesConfig(AppConfig):
    """The outcomes of a meeting (responsibility matrix, rencana aksi) and the festival's good practices."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = _("Outcomes")
    # The permissions of this area each staff group holds (events.groups.sync_groups gives them).
    group_permissions = {
        G.ADMIN_PUSAT: ["outcomes.*"],
        G.PANITIA: [f"outcomes.{action}_{m}" for m in _OUTCOME_MODELS for action in ("view", "add", "change")]
        + ["outcomes.view_goodpractice", "outcomes.change_goodpractice"],
        G.PEJABAT: [f"outcomes.view_{m}" for m in _OUTCOME_MODELS],
    }
