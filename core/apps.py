from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core import checks, two_factor  # noqa: F401  (system checks; the receiver marking sessions for the code step)
        from core.logging import install_record_factory

        # The safety net for identifiers in logs works for every handler, configured or not.
        install_record_factory()
