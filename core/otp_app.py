"""django-otp's TOTP app under a name in words: the admin's index shows an app's verbose name, and django-otp
gives none (the index showed "Otp_Totp"). INSTALLED_APPS names this config instead of the plugin's own."""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig


class TwoFactorDevicesConfig(DefaultConfig):
    verbose_name = _("Two-factor login")
