"""Training phases (Tahap) of a cohort: the Komite Pembelajaran of a cohort are trained in Tahap 1 or 2.

Tahap is the Indonesian term of art for a phase of the training; each has dates, a mode (daring =
online, luring = in person) and a capacity counted in committees, never exceeded.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from events.models.programs import Cohort


class TrainingPhase(TimeStamped):
    class Mode(models.TextChoices):
        DARING = "daring", _("Online (daring)")
        LURING = "luring", _("In person (luring)")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="training_phases"
    )
    number = models.PositiveSmallIntegerField(_("phase (tahap)"), help_text=_("1 for Tahap 1, 2 for Tahap 2."))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.LURING)
    capacity = models.PositiveIntegerField(_("capacity (committees)"))

    class Meta:
        verbose_name = _("training phase (tahap)")
        verbose_name_plural = _("training phases (tahap)")
        ordering = ["cohort", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="training_phase_unique_number_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"Tahap {self.number}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The phase cannot end before it starts.")})
