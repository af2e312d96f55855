"""Reports: the certificates issued (with their numbers). The download log and background jobs of every export
are the export kit's (`core.models`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import EventSite
from participants.models import Registration


class Certificate(models.Model):
    """A certificate (sertifikat) issued to a registration. Its number is given once and kept on reprints.

    Number: `<sequence>/<event id>/<site order>/<year>` (e.g. `0007/2/1/2022`); the sequence runs per
    site in the order the certificates are issued (by name at the first issue).
    """

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="certificate"
    )
    site = models.ForeignKey(EventSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="certificates")
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=60, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["site", "sequence"]
        constraints = [models.UniqueConstraint(fields=["site", "sequence"], name="certificate_unique_sequence")]

    def __str__(self) -> str:
        return self.number
