"""The certificates section of a person's page across events (participants.people shows it)."""

from django.utils.translation import gettext_lazy as _

from participants.people import PersonSection, register_person_section
from reports.models import Certificate


def _certificates(*, person, user, registrations) -> list[Certificate]:
    """The certificates issued on the person's registrations the viewer may see (one query)."""
    if not registrations:
        return []
    return list(
        Certificate.objects.filter(registration__in=[registration.pk for registration in registrations])
        .select_related("event")
        .order_by("-event__start_date", "number")
    )


def register_on_person_page() -> None:
    register_person_section(
        PersonSection(
            key="certificates",
            title=_("Certificates"),
            template="reports/person_section.html",
            rows=_certificates,
            order=20,
        )
    )
