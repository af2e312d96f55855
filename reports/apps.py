from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The papers officials sign and read: daftar hadir, rekap, attendance recap, badges, certificates; the
    dashboard; the retention purge; the demo of every area."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")
