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
