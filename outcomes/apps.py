from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events import groups as G
from events.links import PublicLink

_OUTCOME_MODELS = ["responsibilitymatrix", "actionplan", "actionplanitem"]


class OutcomesConfig(AppConfig):
    """The outcomes of a meeting (responsibility matrix, rencana aksi) and the festival's good practices."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = _("Outcomes")
    # The permissions of this area each staff group holds (events.groups.sync_groups gives them).
    group_permissions = {
        G.ADMIN_PUSAT: ["outcomes.*"],
        G.PANITIA: [f"outcomes.{action}_{m}" for m in _OUTCOME_MODELS for action in ("view", "add", "change")]
        + ["outcomes.view_goodpractice", "outcomes.change_goodpractice"],
        G.PEJABAT: [f"outcomes.view_{m}" for m in _OUTCOME_MODELS],
    }
    # The words of the audit actions this area records (core.audit_labels shows them).
    audit_actions = {
        "matrix.created": _("Responsibility matrix created"),
        "matrix.edited": _("Responsibility matrix edited"),
        "matrix.agreed": _("Responsibility matrix agreed"),
        "action_plan.created": _("Action plan created"),
        "action_plan.link_regenerated": _("Action plan edit link renewed"),
        "action_plan.link_revoked": _("Action plan edit link revoked"),
        "action_plan.item_added": _("Action plan activity added"),
        "action_plan.item_changed": _("Action plan activity changed"),
        "action_plan.item_deleted": _("Action plan activity deleted"),
        "action_plan.item_followed_up": _("Action plan follow-up recorded"),
        "good_practice.submitted": _("Good practice submitted"),
        "good_practice.published": _("Good practice published"),
        "good_practice.unpublished": _("Good practice unpublished"),
    }

    def public_event_links(self, event) -> list[PublicLink]:
        """The agreed responsibility matrix and the good-practice gallery, once they have something to show."""
        links = []
        matrix = self.get_model("ResponsibilityMatrix")
        if matrix.objects.filter(event=event, status=matrix.Status.AGREED).exists():
            links.append(PublicLink(_("Responsibility matrix"), reverse("outcomes:matrix_public", args=[event.slug])))
        practice = self.get_model("GoodPractice")
        if practice.objects.filter(registration__event=event, status=practice.Status.PUBLISHED).exists():
            links.append(
                PublicLink(_("Good-practice gallery"), reverse("outcomes:practice_gallery", args=[event.slug]))
            )
        return links
