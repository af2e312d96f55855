"""Correction requests: a participant asks (by its registration code), the panitia/verifikator decide."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit
from participants.models import CorrectionRequest, Registration


class CorrectionError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


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
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        if status not in CorrectionRequest.TRANSITIONS[locked.status]:
            raise CorrectionError(_("This request has already been handled."))
        previous = locked.status
        locked.status, locked.decided_by, locked.decided_at = status, actor, timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit.record(
            actor=actor,
            action=f"correction.{status}",
            target=locked,
            from_state=previous,
            to_state=status,
            reason=reason,
        )
    return locked
