"""Kemendagri regions: 38 provinces and 514 kabupaten/kota, loaded by `manage.py load_regions`."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.timezones import IndonesianZone, zone_label


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("Kemendagri code, e.g. 52."))
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=40, choices=IndonesianZone.choices)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone_label(self) -> str:
        return zone_label(self.time_zone)


class Regency(models.Model):
    """A kabupaten or kota; its code is `PP.RR` (kabupaten 01–69, kota 71–99)."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("code"), max_length=5, unique=True, help_text=_("PP.RR, e.g. 52.08."))
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="regencies"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("regency/city")
        verbose_name_plural = _("regencies/cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.province_id and self.code and not self.code.startswith(f"{self.province.code}."):
            raise ValidationError(
                {
                    "code": _("The code of a regency must start with its province's code (%(code)s.).")
                    % {"code": self.province.code}
                }
            )

    @staticmethod
    def kind_for_code(code: str) -> str:
        """Kemendagri numbering: 01–69 are kabupaten, 71–99 are kota."""
        return Regency.Kind.KOTA if int(code.split(".")[1]) >= 71 else Regency.Kind.KABUPATEN
