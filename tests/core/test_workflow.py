"""The workflow helper: declared transitions, a guard, a locked save of the changed fields, one audit entry."""

import pytest
from django.contrib.contenttypes.models import ContentType

from core import workflow
from core.errors import DomainError
from core.models import AuditEntry
from participants.models import CorrectionRequest, Registration
from tests.factories import register

pytestmark = pytest.mark.django_db


class Refused(DomainError):
    pass


def _refused(locked, to_status):
    return Refused(f"{locked.status} → {to_status}", code="transition_forbidden")


def test_allowed_moves_follow_the_declared_map(lokakarya):
    registration = register(lokakarya.sites.first())
    assert workflow.allowed_moves(registration) == frozenset(Registration.TRANSITIONS[Registration.Status.SUBMITTED])
    registration.status = Registration.Status.WITHDRAWN
    assert workflow.allowed_moves(registration) == frozenset()


def test_a_move_saves_the_status_and_the_applied_fields_and_writes_one_audit_entry(lokakarya, superuser):
    registration = register(lokakarya.sites.first())

    def apply(locked, data):
        locked.rejection_reason = "Berkas tidak lengkap"
        data["checked"] = True
        return ["rejection_reason"]

    moved = workflow.transition(
        registration,
        to_status=Registration.Status.REJECTED,
        actor=superuser,
        action="registration",
        forbidden=_refused,
        apply=apply,
        reason="Berkas tidak lengkap",
    )

    registration.refresh_from_db()
    assert moved.status == registration.status == Registration.Status.REJECTED
    assert registration.rejection_reason == "Berkas tidak lengkap"
    entry = AuditEntry.objects.get(
        action="registration.rejected",
        content_type=ContentType.objects.get_for_model(Registration),
        object_id=str(registration.pk),
    )
    assert (entry.actor, entry.from_state, entry.to_state) == (superuser, "submitted", "rejected")
    assert entry.reason == "Berkas tidak lengkap" and entry.data == {"checked": True}


def test_a_move_the_map_does_not_allow_is_refused_and_changes_nothing(lokakarya, superuser):
    registration = register(lokakarya.sites.first())
    before = AuditEntry.objects.count()
    with pytest.raises(Refused) as refused:
        workflow.transition(
            registration,
            to_status="no-such-status",
            actor=superuser,
            action="registration",
            forbidden=_refused,
        )
    assert refused.value.code == "transition_forbidden"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED
    assert AuditEntry.objects.count() == before


def test_a_guard_that_refuses_undoes_the_whole_move(lokakarya, superuser):
    registration = register(lokakarya.sites.first())
    correction = CorrectionRequest.objects.create(registration=registration, field="nik", correct_value="x")
    before = AuditEntry.objects.count()

    def apply(locked, data):
        locked.decided_by = superuser
        raise Refused("not now")

    with pytest.raises(Refused):
        workflow.transition(
            correction,
            to_status=CorrectionRequest.Status.DONE,
            actor=superuser,
            action="correction",
            forbidden=_refused,
            apply=apply,
        )
    correction.refresh_from_db()
    assert (correction.status, correction.decided_by) == (CorrectionRequest.Status.OPEN, None)
    assert AuditEntry.objects.count() == before
