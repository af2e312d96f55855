from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("Events and master data")

    def ready(self):
        from events.models import EventSite
        from events.selectors import REGISTRATION_PLACE_MODELS, registration_places_changed

        # Every worker keeps the public registration's fixed data in memory (events.selectors.registration_place):
        # a change to any part of it drops the copies of every worker.
        for model in REGISTRATION_PLACE_MODELS:
            post_save.connect(registration_places_changed, sender=model, dispatch_uid=f"registration_place_{model}")
            post_delete.connect(registration_places_changed, sender=model, dispatch_uid=f"registration_place_d{model}")
        m2m_changed.connect(
            registration_places_changed,
            sender=EventSite.provinces_served.through,
            dispatch_uid="registration_place_provinces_served",
        )
