from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # Registers the user_logged_in receiver that marks sessions needing the token step.
        from core import two_factor  # noqa: F401
