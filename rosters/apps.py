from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events import groups as G

_ROSTER_READ = [
    "events.view_trainingphase",
    "rosters.view_committee",
    "rosters.view_committeemember",
    "rosters.view_sekolahpenggerak",
    "rosters.view_compositionrule",
    "rosters.view_approvallevel",
]


class RostersConfig(AppConfig):
    """Komite Pembelajaran of the Sekolah Penggerak: rosters, their rules, validation and Tahap."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "rosters"
    verbose_name = _("Komite Pembelajaran")
    # The permissions of this area each staff group holds (events.groups.sync_groups gives them).
    group_permissions = {
        G.ADMIN_PUSAT: ["rosters.*"],
        G.PANITIA: ["events.view_trainingphase"],
        G.KOORDINATOR_SITE: ["events.view_trainingphase"],
        G.VERIFIKATOR: [*_ROSTER_READ, "rosters.change_committee"],
        G.OPERATOR_DINAS: [
            *_ROSTER_READ,
            "rosters.add_committee",
            "rosters.change_committee",
            "rosters.add_committeemember",
            "rosters.change_committeemember",
            "rosters.delete_committeemember",
        ],
        G.PEJABAT: _ROSTER_READ,
    }
    # The words of the audit actions this area records (core.audit_labels shows them).
    audit_actions = {
        "committee.created": _("Komite Pembelajaran created"),
        "committee.members_changed": _("Komite Pembelajaran members changed"),
        "committee.submitted": _("Komite Pembelajaran submitted"),
        "committee.approved": _("Komite Pembelajaran approved at a level, sent to the next"),
        "committee.validated": _("Komite Pembelajaran validated (approved at the last level)"),
        "committee.returned": _("Komite Pembelajaran returned for correction"),
        "committee.returned_to_level": _("Komite Pembelajaran returned to the previous level"),
        "committee.tahap_assigned": _("Tahap assigned"),
    }

    def ready(self) -> None:
        # A person's page (participants) shows the committees the person sits on, without importing this area.
        from rosters import history

        history.register_on_person_page()
