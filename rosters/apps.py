from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    """Komite Pembelajaran of the Sekolah Penggerak: rosters, their rules, validation and Tahap."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "rosters"
    verbose_name = _("Komite Pembelajaran")
