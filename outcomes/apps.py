from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    """The outcomes of a meeting (responsibility matrix, rencana aksi) and the festival's good practices."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = _("Outcomes")
