"""The roster demo: committees in every state, Tahap with capacities, the demo users of each approval level;
idempotent."""

import pytest
from django.contrib.auth import authenticate, get_user_model

from participants.models import Person
from rosters import demo as roster
from rosters.models import Committee, CommitteeDecision, CommitteeMember
from rosters.selectors import committees_visible_to

User = get_user_model()


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
    for username in ("operator_riau", "verifikator_riau", "verifikator_kampar", "verifikator_pekanbaru", "pusat_psp"):
        assert authenticate(username=username, password="psp-demo-2026"), username
    # Riau holds a committee waiting at each approval level, and one that went back to the level below.
    riau = Committee.objects.filter(school__regency__province__code="14", status="submitted")
    assert set(riau.values_list("level", flat=True)) == {1, 2, 3}
    assert CommitteeDecision.objects.filter(returned_to="previous", committee__in=riau).exists()
    assert Committee.objects.filter(school__regency__province__code="14", status="validated").exists()
    kampar = User.objects.get(username="verifikator_kampar")
    assert set(committees_visible_to(kampar).values_list("school__regency__code", flat=True)) == {"14.01"}
