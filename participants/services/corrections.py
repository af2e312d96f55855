"""Correction requests: a participant asks (by its registration code), the panitia/verifikator decide."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit, workflow
from core.errors import DomainError
from participants.models import CorrectionRequest, Registration


class CorrectionError(DomainError):
    pass


def correction_request_create(
    *, registration: Registration, field: str, correct_value: str, note: str = ""
) -> CorrectionRequest:
    with transaction.atomic():
        request = CorrectionRequest.objects.create(
            registration=registration, field=field, correct_value=correct_value.strip(), note=note.strip()
        )
        # The audit entry names the field, never the value (it may be a NIK).
        audit.record(
            actor=None, action="correction.requested", target=request, to_state=request.status, data={"field": field}
        )
    return request


def correction_request_decide(
    *, correction: CorrectionRequest, status: str, actor, reason: str = ""
) -> CorrectionRequest:
    """Close a request as corrected or refused; the data itself is changed through the person edit form."""

    def apply(locked: CorrectionRequest, data: dict) -> list[str]:
        locked.decided_by, locked.decided_at = actor, timezone.now()
        return ["decided_by", "decided_at"]

    return workflow.transition(
        correction,
        to_status=status,
        actor=actor,
        action="correction",
        forbidden=lambda locked, to_status: CorrectionError(_("This request has already been handled.")),
        apply=apply,
        reason=reason,
    )
