"""An uploaded Excel import between its check and its confirmation.

The uploaded bytes are kept in the database, not on a server's disk: the check and the
confirmation may be served by two different application servers. The file is re-read and
re-validated on confirmation (the database may have changed meanwhile), and its bytes are
dropped once it has been imported.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedBinaryField
from core.models import TimeStamped
from events.models import Event


class ImportBatch(TimeStamped):
    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked, waiting for confirmation")
        IMPORTED = "imported", _("Imported")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200)
    # Encrypted like Person.nik: a checked but never confirmed upload would otherwise keep its NIKs in clear.
    data = EncryptedBinaryField(_("file contents"), editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKED)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Excel import")
        verbose_name_plural = _("Excel imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename
