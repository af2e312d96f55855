"""One person across events: what the staff page of a Person shows, within the viewer's scope.

The page lists the person's registrations the viewer may see (participants.selectors.registrations_visible_to:
the same scope as the registration list), whatever the event and year, and the sections the areas above this
one contribute — attendance (attendance), certificates (reports), Komite Pembelajaran memberships (rosters) —
each scoped by its own area. Those areas register their section through `register_person_section`, called
from their AppConfig.ready(): participants imports nothing above it.

A section reads its rows in a fixed number of queries, whatever the number of registrations: the page costs
the same for a person of one event as for one of twenty.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from events.selectors import is_central
from participants.models import Person, Registration
from participants.selectors import can_see_personal_data, registrations_visible_to, shown_personal_data


@dataclass(frozen=True)
class PersonSection:
    """A part of the person page kept by another area.

    `rows(person=, user=, registrations=)` gives the rows the user may see (`registrations` are the person's
    registrations visible to the user, already loaded), in a fixed number of queries; `template` renders them
    (it receives `rows` and `page`).
    """

    key: str
    title: str
    template: str
    rows: Callable[..., list]
    order: int = 100


_SECTIONS: dict[str, PersonSection] = {}


def register_person_section(section: PersonSection) -> None:
    """Called once by an area above participants (its AppConfig.ready); a second call replaces the first."""
    _SECTIONS[section.key] = section


@dataclass
class ShownSection:
    section: PersonSection
    rows: list


@dataclass
class PersonPage:
    person: Person
    identifiers: dict[str, str]
    unmasked: bool
    registrations: list[Registration]
    sections: list[ShownSection] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({registration.event.start_date.year for registration in self.registrations}, reverse=True)


def person_registrations(*, person: Person, user) -> QuerySet[Registration]:
    """The person's registrations the user may see, newest event first, with what the page prints."""
    return (
        registrations_visible_to(user)
        .filter(person=person)
        .select_related("event__program", "event__cohort__program", "site", "role")
        .order_by("-event__start_date", "-submitted_at", "-pk")
    )


def person_page(*, person_id: int, user) -> PersonPage | None:
    """What `user` may see of the person across events; None when it may see nothing of it (the view's 404).

    Admin pusat sees every person; other staff only a person with a registration, or a row of a section,
    within their scope. Identifiers are masked unless the user may see them (the view records that view).
    """
    person = Person.objects.select_related("agency", "school", "province").filter(pk=person_id).first()
    if person is None:
        return None
    registrations = list(person_registrations(person=person, user=user))
    sections = [
        ShownSection(section=section, rows=section.rows(person=person, user=user, registrations=registrations))
        for section in sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))
    ]
    if not is_central(user) and not registrations and not any(shown.rows for shown in sections):
        return None
    unmasked = can_see_personal_data(user)
    return PersonPage(
        person=person,
        identifiers=shown_personal_data(person, unmasked=unmasked),
        unmasked=unmasked,
        registrations=registrations,
        sections=sections,
    )
