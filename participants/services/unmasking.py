"""Showing a NIK or phone number in full is an act on record (UU 27/2022): every page, card, admin form and
export that unmasks one calls this module, which writes a `personal_data.viewed` audit entry per person.

The entry says who, which person, when and where (the screen or export), never the value itself.
"""

from collections.abc import Iterable

from core import audit
from participants.models import Person

ACTION = "personal_data.viewed"


def personal_data_viewed(*, actor, person: Person, where: str) -> None:
    """Record that `actor` was shown `person`'s unmasked NIK/phone on `where`."""
    audit.record(actor=actor, action=ACTION, target=person, data={"where": where})


def personal_data_viewed_many(*, actor, people: Iterable[Person], where: str) -> int:
    """The same for every person of a list, card set or export, in one INSERT; duplicates counted once."""
    shown = {person.pk: person for person in people if person is not None and (person.nik or person.phone)}
    unique = list(shown.values())
    return audit.record_many(actor=actor, action=ACTION, targets=unique, data={"where": where})
