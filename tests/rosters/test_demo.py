"""The roster demo: committees in every state, Tahap with capacities, the two demo users; idempotent."""

import pytest
from django.contrib.auth import authenticate

from participants.models import Person
from rosters import demo as roster
from rosters.models import Committee, CommitteeMember


@pytest.mark.django_db
def test_the_demo_loads_twice_to_the_same_rows(rakor):
    roster.load()
    snapshot = (Committee.objects.count(), CommitteeMember.objects.count(), Person.objects.count())
    statuses = set(Committee.objects.values_list("status", flat=True))
    roster.load()
    assert (Committee.objects.count(), CommitteeMember.objects.count(), Person.objects.count()) == snapshot
    assert statuses == {"draft", "submitted", "validated", "returned"}
    assert (
        Committee.objects.filter(error_count__gt=0).exists() and Committee.objects.filter(warning_count__gt=0).exists()
    )
    assert Committee.objects.filter(phase__number=1).count() == 2
    provinces = set(Committee.objects.values_list("school__regency__province__code", flat=True))
    assert provinces == {"14", "18", "19", "21", "53", "81", "82"}
    assert authenticate(username="operator_riau", password="psp-demo-2026")
    assert authenticate(username="verifikator_riau", password="psp-demo-2026")
