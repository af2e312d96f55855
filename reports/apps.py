from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events import groups as G


class ReportsConfig(AppConfig):
    """The papers officials sign and read: daftar hadir, rekap, attendance recap, badges, certificates; the
    dashboard; the retention purge; the demo of every area."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")
    # The permissions of this area each staff group holds (events.groups.sync_groups gives them).
    group_permissions = {G.ADMIN_PUSAT: ["reports.*"]}
    # The words of the audit actions this area records (core.audit_labels shows them).
    audit_actions = {
        "certificates.issued": _("Certificates issued"),
        "event.personal_data_purged": _("Personal data of the event purged"),
        "certificate.revoked": _("Certificate revoked"),
        "number_series.format_set": _("Certificate number format set"),
        "piagam.selected": _("Piagam awarded"),
        "piagam.citation_changed": _("Piagam citation changed"),
        "piagam.revoked": _("Piagam revoked"),
    }
    # The states of a certificate or piagam, which has no status field (it is valid until revoked).
    audit_states = {"valid": _("Valid"), "revoked": _("Revoked")}

    def ready(self) -> None:
        # A certificate is revoked when its registration is rejected or withdrawn (participants' signal).
        # A person's page (participants) lists the certificates, without importing this area.
        from reports import history, services

        services.signals_connect()
        history.register_on_person_page()
