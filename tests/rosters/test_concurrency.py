"""Two operators save, at the same moment, two committees that share a person: the database lets one through."""

import threading

import pytest
from django.db import connection, connections

from participants.models import identifier_q
from rosters.models import CommitteeMember
from rosters.services import RosterError, committee_save

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"),
]


def test_one_person_on_two_committees_saved_at_once_ends_on_one(regions):
    from django.contrib.contenttypes.models import ContentType

    from events.demo import seed_events_load
    from rosters.rules import composition_defaults_load
    from tests.rosters.conftest import make_penggerak, nik_for, sd_members

    ContentType.objects.clear_cache()  # a flushed database has new content type ids
    composition_defaults_load()
    cohort = {e.slug: e for e in seed_events_load()}["rakor-persiapan-psp-2021"].cohort
    shared = nik_for("14.71")
    entries = []
    for _ in range(2):
        school, principal = make_penggerak(cohort)
        members = sd_members(principal)
        members[3].nik, members[3].full_name = shared, "Pengawas Bersama"
        entries.append((school, members))

    barrier = threading.Barrier(2)
    outcomes = []

    def save(school, members):
        try:
            barrier.wait()
            committee_save(school=school, cohort=cohort, members=members, actor=None)
            outcomes.append("saved")
        except RosterError as error:
            outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=entry) for entry in entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("saved") == 1, outcomes
    assert set(outcomes) - {"saved"} <= {"concurrent", "blocking"}, outcomes
    assert CommitteeMember.objects.filter(identifier_q("nik", shared, prefix="person__")).count() == 1


def test_two_approvals_of_one_committee_at_once_move_it_one_level(regions):
    """Two verifikator approve the same committee at level 1 at the same moment: the row lock lets one through,
    the other finds it waiting at level 2 and is refused; one decision row, one audit entry."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry
    from events.demo import seed_events_load
    from rosters.models import CommitteeDecision
    from rosters.rules import composition_defaults_load
    from rosters.services import committee_approve
    from tests.rosters.conftest import good_committee

    ContentType.objects.clear_cache()
    composition_defaults_load()
    cohort = {e.slug: e for e in seed_events_load()}["rakor-persiapan-psp-2021"].cohort
    committee = good_committee(cohort, submit=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve():
        try:
            barrier.wait()
            committee_approve(committee=committee, actor=None, level=1)
            outcomes.append("approved")
        except RosterError as error:
            outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "wrong_level"], outcomes
    committee.refresh_from_db()
    assert committee.level == 2
    assert CommitteeDecision.objects.filter(committee=committee, decision="approved").count() == 1
    assert AuditEntry.objects.filter(action="committee.approved", object_id=str(committee.pk)).count() == 1
