"""The Komite Pembelajaran section of a person's page across events (participants.people shows it)."""

from django.utils.translation import gettext_lazy as _

from participants.people import PersonSection, register_person_section
from rosters.models import CommitteeMember
from rosters.selectors import committees_visible_to


def _memberships(*, person, user, registrations) -> list[CommitteeMember]:
    """The person's seats on the committees the viewer may see (the roster pages' scope), in one query."""
    return list(
        CommitteeMember.objects.filter(person=person, committee__in=committees_visible_to(user).values("pk"))
        .select_related("committee__school__regency__province", "committee__phase", "cohort__program")
        .order_by("-cohort__number", "committee__school__name")
    )


def register_on_person_page() -> None:
    register_person_section(
        PersonSection(
            key="committees",
            title=_("Komite Pembelajaran"),
            template="rosters/person_section.html",
            rows=_memberships,
            order=30,
        )
    )
