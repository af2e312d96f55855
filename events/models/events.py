"""Events held at several sites at once: venues, events, their sites, sessions and role quotas."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.timezones import IndonesianZone, zone_label
from events.models.programs import Agency, Cohort, Program, Role
from events.models.regions import Province, Regency


class Venue(TimeStamped):
    """A hotel or school where a site meets. Its zone decides the times of the site."""

    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    regency = models.ForeignKey(
        Regency, verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="venues"
    )
    time_zone_override = models.CharField(
        _("time zone"),
        max_length=40,
        choices=IndonesianZone.choices,
        blank=True,
        help_text=_("Leave empty to use the zone of the venue's province."),
    )

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "regency"], name="venue_unique_name_per_regency")]

    def __str__(self) -> str:
        return f"{self.name}, {self.regency.name}"

    @property
    def time_zone(self) -> str:
        return self.time_zone_override or self.regency.province.time_zone

    @property
    def full_address(self) -> str:
        parts = [self.address, self.regency.name, self.regency.province.name]
        return ", ".join(part for part in parts if part)


class Event(TimeStamped):
    class Kind(models.TextChoices):
        RAPAT_KOORDINASI = "rapat_koordinasi", _("Coordination meeting (Rapat Koordinasi)")
        LOKAKARYA = "lokakarya", _("Workshop (Lokakarya)")
        PELATIHAN = "pelatihan", _("Training (Pelatihan)")
        LAINNYA = "lainnya", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="events")
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    workshop_number = models.PositiveSmallIntegerField(
        _("workshop number"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(7)],
        help_text=_("For a lokakarya series: 0 to 7."),
    )
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("theme"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    organizer = models.ForeignKey(Agency, verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="events")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    retention_until = models.DateField(
        _("keep personal data until"),
        null=True,
        blank=True,
        help_text=_("After this date the personal data of the event may be purged; the counts stay."),
    )
    # Set once by the retention purge (reports.services.event_personal_data_purge): a second run does nothing.
    personal_data_purged_at = models.DateTimeField(_("personal data purged at"), null=True, blank=True, editable=False)
    # Which national identifiers the registration form asks for; at least one is always required.
    asks_nik = models.BooleanField(_("ask for NIK"), default=True)
    asks_nip = models.BooleanField(_("ask for NIP"), default=True)
    asks_nuptk = models.BooleanField(_("ask for NUPTK"), default=True)
    # Certificates (sertifikat): issued to participants whose attendance reaches the threshold.
    attendance_threshold_percent = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (%)"), default=80, validators=[MaxValueValidator(100)]
    )
    jp_hours = models.PositiveSmallIntegerField(_("hours of learning (JP)"), null=True, blank=True)
    signatory_name = models.CharField(_("signatory name"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("signatory NIP"), max_length=18, blank=True)
    signatory_title = models.CharField(_("signatory position"), max_length=200, blank=True)
    organizers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organizers (panitia)"), blank=True, related_name="organized_events"
    )
    # A participation rule on history: e.g. Lokakarya 7 takes only those who attended Lokakarya 6 (checked at
    # registration by participants.services.registration_eligibility_check, on every channel).
    required_event = models.ForeignKey(
        "self",
        verbose_name=_("only those who attended this event may register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Attended = checked in at least once at that event. Leave empty for no such rule."),
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", kwargs={"slug": self.slug})

    def registration_state(self, now=None) -> str:
        """'open', 'not_yet' or 'closed': the event's public registration at `now` (default: now)."""
        now = now or timezone.now()
        if not self.registration_opens_at or not self.registration_closes_at:
            return "closed"
        if now < self.registration_opens_at:
            return "not_yet"
        if now >= self.registration_closes_at:
            return "closed"
        return "open"

    @property
    def registration_is_open(self) -> bool:
        return self.registration_state() == "open"

    @property
    def registration_zone(self) -> str:
        """Registration is run by the organizer: its times are shown in the organizer's zone."""
        province = self.organizer.province
        return province.time_zone if province else IndonesianZone.JAKARTA

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The event cannot end before it starts.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and (self.registration_closes_at <= self.registration_opens_at)
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if self.cohort_id and self.program_id and self.cohort.program_id != self.program_id:
            errors["cohort"] = _("This cohort belongs to another program.")
        if self.required_event_id and self.required_event_id == self.pk:
            errors["required_event"] = _("An event cannot require attendance at itself.")
        elif self.required_event_id and self.start_date and self.required_event.start_date >= self.start_date:
            errors["required_event"] = _("The required event must take place before this one.")
        if errors:
            raise ValidationError(errors)


class EventObjective(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("objective"))

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["event", "order"], name="objective_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"


class EventSite(TimeStamped):
    """One place where the event is held at the same time as the others (a regional, a kabupaten)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="sites")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    provinces_served = models.ManyToManyField(
        Province, verbose_name=_("participants from provinces"), blank=True, related_name="served_by_sites"
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("site coordinators"), blank=True, related_name="coordinated_sites"
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["event", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="site_unique_name_per_event")]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"

    @property
    def time_zone(self) -> str:
        return self.venue.time_zone

    @property
    def zone_label(self) -> str:
        return zone_label(self.time_zone)

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The site cannot end before it starts.")
        if self.event_id and self.start_date and self.end_date:
            if self.start_date < self.event.start_date or self.end_date > self.event.end_date:
                errors["start_date"] = _(
                    "The site's dates must lie within the event's dates (%(start)s – %(end)s)."
                ) % {
                    "start": self.event.start_date.isoformat(),
                    "end": self.event.end_date.isoformat(),
                }
        if errors:
            raise ValidationError(errors)


class Session(TimeStamped):
    """A day or a part of a day at a site; attendance is taken per session. Stored in UTC."""

    site = models.ForeignKey(EventSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["site", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="session_unique_name_per_site"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})


class SiteQuota(models.Model):
    """The target number of participants of one role at one site."""

    site = models.ForeignKey(EventSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="quotas")
    role = models.ForeignKey(Role, verbose_name=_("role (unsur)"), on_delete=models.PROTECT, related_name="quotas")
    target = models.PositiveIntegerField(_("target"))
    close_when_full = models.BooleanField(
        _("close when full"),
        default=False,
        help_text=_("Refuse registrations for this role once the target is reached."),
    )

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["site", "role__order"]
        constraints = [
            models.UniqueConstraint(fields=["site", "role"], name="quota_unique_role_per_site"),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="quota_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.target}"

    def clean(self) -> None:
        if self.site_id and self.role_id and self.role.program_id != self.site.event.program_id:
            raise ValidationError({"role": _("This role belongs to another program than the event's.")})


class UserScope(TimeStamped):
    """Where a staff user may look: provinces (verifikator, operator dinas, pejabat), regencies, events."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="scope"
    )
    provinces = models.ManyToManyField(Province, verbose_name=_("provinces"), blank=True)
    regencies = models.ManyToManyField(Regency, verbose_name=_("regencies/cities"), blank=True)
    events = models.ManyToManyField(Event, verbose_name=_("events"), blank=True)

    class Meta:
        verbose_name = _("user scope")
        verbose_name_plural = _("user scopes")

    def __str__(self) -> str:
        return str(self.user)
