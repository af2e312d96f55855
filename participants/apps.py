from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events import groups as G
from events.links import PublicLink

# The shared Person records (the admin's person pages) are Admin pusat's alone: other staff read and correct the
# data a registration holds (its own copy), never what other events hold about the person.
_REGISTRATION_WORK = [
    "participants.view_school",
    "participants.view_registration",
    "participants.add_registration",
]


class ParticipantsConfig(AppConfig):
    """People and their registrations: identifiers, registration, verification, imports, own data."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "participants"
    verbose_name = _("Participants")
    # The permissions of this area each staff group holds (events.groups.sync_groups gives them).
    group_permissions = {
        G.ADMIN_PUSAT: ["participants.*"],
        G.PANITIA: _REGISTRATION_WORK,
        G.KOORDINATOR_SITE: _REGISTRATION_WORK,
        G.VERIFIKATOR: [
            "participants.view_school",
            "participants.view_registration",
            "participants.change_registration",
            "participants.view_personal_data",
        ],
        G.OPERATOR_DINAS: ["participants.view_school"],
        G.PEJABAT: ["participants.view_registration"],
    }
    # The words of the audit actions this area records (core.audit_labels shows them).
    audit_actions = {
        "registration.created": _("Registration created"),
        "registration.submitted": _("Submitted again for verification"),
        "registration.verified": _("Verified"),
        "registration.rejected": _("Rejected"),
        "registration.withdrawn": _("Withdrawn"),
        "registration.data_changed": _("Data corrected"),
        "registration.agency_proposal_accepted": _("Proposed agency accepted"),
        "registration.agency_proposal_mapped": _("Proposed agency matched to an existing one"),
        "person.created": _("Person recorded"),
        "person.updated": _("Person's data corrected"),
        "person.merged": _("Merged with another record of the same person"),
        "person.merge_undone": _("Merge of two records undone"),
        "person.not_duplicate": _("Judged not to be the same person as another record"),
        "person.not_duplicate_undone": _("Judgement 'not the same person' taken back"),
        "correction.requested": _("Correction requested by the participant"),
        "correction.done": _("Correction request: corrected"),
        "correction.refused": _("Correction request: refused"),
        "agency.created": _("Agency added"),
        "personal_data.viewed": _("Personal data viewed"),
        "import.completed": _("Excel import completed"),
        "waitlist.submitted": _("Promoted from the waiting list"),
        "waitlist.withdrawn": _("Removed from the waiting list"),
    }

    def ready(self) -> None:
        # A quota raised (or closing no more) in the events admin gives its free seats to the waiting list.
        from participants import waitlist

        waitlist.signals_connect()

    def public_event_links(self, event) -> list[PublicLink]:
        """Each site's registration form while registration is open, and the status look-up (events.links)."""
        links = [PublicLink(_("Check a registration's status"), reverse("participants:registration_status"))]
        if event.registration_state() == "open":
            links += [
                PublicLink(
                    _("Register at this site"),
                    reverse("participants:public_register", kwargs={"slug": event.slug, "site_id": site.pk}),
                    site_id=site.pk,
                    primary=True,
                )
                for site in event.sites.all()
            ]
        return links
