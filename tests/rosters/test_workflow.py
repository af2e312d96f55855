"""Committee workflow: save, submit, validate (errors refuse, warnings need acknowledgement), return, resubmit;
audit entries; scoping by province; the database constraint of one committee per person and cohort."""

import pytest
from django.db import IntegrityError, transaction

from core.models import AuditEntry
from events import groups as G
from rosters.models import Committee, CommitteeMember
from rosters.selectors import committees_visible_to, schools_submittable_by
from rosters.services import (
    RosterError,
    committee_approve,
    committee_resubmit,
    committee_return,
    committee_save,
    committee_submit,
    committees_approve_many,
    committees_return_many,
    tahap_assign,
)
from tests.factories import user_in
from tests.rosters.conftest import approve_all, good_committee, kab_verifikator, make_penggerak, nik_for, sd_members

pytestmark = pytest.mark.django_db


def audit_actions(committee):
    return list(
        AuditEntry.objects.filter(object_id=str(committee.pk), content_type__model="committee")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_the_whole_workflow_with_audit(cohort, superuser):
    operator = user_in(G.OPERATOR_DINAS, provinces=["14"])
    kab_kota = kab_verifikator("14.71")
    verifikator = user_in(G.VERIFIKATOR, provinces=["14"])
    committee = good_committee(cohort, actor=operator)
    assert committee.status == Committee.Status.DRAFT and committee.members.count() == 4
    committee = committee_submit(committee=committee, actor=operator)
    assert committee.status == "submitted" and committee.submitted_at and committee.level == 1
    with pytest.raises(RosterError) as error:
        committee_return(committee=committee, actor=kab_kota, level=1, reason="  ")
    assert error.value.code == "reason_required"
    committee = committee_return(committee=committee, actor=kab_kota, level=1, reason="Guru kelas 4 salah")
    assert committee.status == "returned" and committee.return_reason == "Guru kelas 4 salah"
    with pytest.raises(RosterError) as error:
        committee_approve(committee=committee, actor=kab_kota, level=1)
    assert error.value.code == "transition_forbidden"
    committee = committee_resubmit(committee=committee, actor=operator)
    committee = committee_approve(committee=committee, actor=kab_kota, level=1)
    committee = committee_approve(committee=committee, actor=verifikator, level=2)
    committee = committee_approve(committee=committee, actor=superuser, level=3)
    assert committee.status == "validated" and committee.decided_by == superuser and committee.level is None
    assert audit_actions(committee) == [
        "committee.created",
        "committee.submitted",
        "committee.returned",
        "committee.submitted",
        "committee.approved",
        "committee.approved",
        "committee.validated",
    ]
    entry = AuditEntry.objects.get(action="committee.returned", object_id=str(committee.pk))
    assert entry.reason == "Guru kelas 4 salah" and entry.actor == kab_kota and entry.from_state == "submitted"


def test_a_committee_with_errors_cannot_be_validated(cohort):
    school, principal = make_penggerak(cohort)
    members = sd_members(principal)[:3]  # no pengawas
    committee = committee_save(school=school, cohort=cohort, members=members, actor=None, submit=True)
    assert committee.error_count == 1 and committee.status == "submitted"
    with pytest.raises(RosterError) as error:
        committee_approve(committee=committee, actor=None, level=1)
    assert error.value.code == "has_errors" and error.value.findings[0].code == "composition_count"
    committee.refresh_from_db()
    assert committee.status == "submitted"


def test_warnings_need_an_acknowledgement(cohort):
    school, principal = make_penggerak(cohort)
    members = sd_members(principal)
    members[2].class_taught = "Kelas 5"
    committee = committee_save(school=school, cohort=cohort, members=members, actor=None, submit=True)
    assert (committee.error_count, committee.warning_count) == (0, 1)
    with pytest.raises(RosterError) as error:
        committee_approve(committee=committee, actor=None, level=1)
    assert error.value.code == "warnings_not_acknowledged"
    committee = committee_approve(committee=committee, actor=None, level=1, acknowledge=True)
    assert committee.level == 2 and committee.warnings_acknowledged
    with pytest.raises(RosterError) as error:  # each level acknowledges the warnings it reads
        committee_approve(committee=committee, actor=None, level=2)
    assert error.value.code == "warnings_not_acknowledged"
    committee = approve_all(committee, acknowledge=True)
    assert committee.status == "validated" and committee.warnings_acknowledged


def test_saving_refuses_blocking_findings_and_writes_nothing(cohort):
    school, principal = make_penggerak(cohort)
    members = sd_members(principal)
    members[1].nik = "320101120585000"  # 15 digits
    with pytest.raises(RosterError) as error:
        committee_save(school=school, cohort=cohort, members=members, actor=None)
    assert error.value.code == "blocking"
    assert [(f.code, f.member, f.field) for f in error.value.findings] == [("member_identifier_format", 1, "nik")]
    assert not Committee.objects.exists()


def test_a_submitted_committee_is_locked_but_the_same_members_again_change_nothing(cohort):
    school, principal = make_penggerak(cohort)
    members = sd_members(principal)
    committee = committee_save(school=school, cohort=cohort, members=members, actor=None, submit=True)
    entries = AuditEntry.objects.count()
    again = committee_save(school=school, cohort=cohort, members=members, actor=None, submit=True)
    assert again.pk == committee.pk and AuditEntry.objects.count() == entries
    members[1].class_taught = "Kelas 2"
    with pytest.raises(RosterError) as error:
        committee_save(school=school, cohort=cohort, members=members, actor=None)
    assert error.value.code == "locked"


def test_the_database_refuses_a_person_on_two_committees_of_a_cohort(cohort):
    first = good_committee(cohort)
    second = good_committee(cohort)
    member = first.members.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMember.objects.create(committee=second, cohort=cohort, person=member.person, position="cadangan")


def test_returning_takes_the_committee_out_of_its_tahap(cohort, phases):
    committee = good_committee(cohort, submit=True)
    committee = approve_all(committee)
    committee = tahap_assign(committee=committee, phase=phases[0], actor=None)
    assert committee.phase == phases[0]
    committee = committee_return(committee=committee, actor=None, level=3, reason="Kepala sekolah diganti")
    assert committee.phase is None and committee.status == "returned"


def test_tahap_assign_respects_capacity_and_status(cohort, phases):
    phases[0].capacity = 1
    phases[0].save()
    one = approve_all(good_committee(cohort, submit=True))
    two = approve_all(good_committee(cohort, submit=True))
    draft = good_committee(cohort)
    tahap_assign(committee=one, phase=phases[0], actor=None)
    with pytest.raises(RosterError) as error:
        tahap_assign(committee=two, phase=phases[0], actor=None)
    assert error.value.code == "capacity_full"
    with pytest.raises(RosterError) as error:
        tahap_assign(committee=draft, phase=phases[1], actor=None)
    assert error.value.code == "not_validated"
    assert AuditEntry.objects.filter(action="committee.tahap_assigned").count() == 1


def test_many_at_once(cohort):
    good = [good_committee(cohort, submit=True) for _ in range(2)]
    school, principal = make_penggerak(cohort)
    bad = committee_save(school=school, cohort=cohort, members=sd_members(principal)[:2], actor=None, submit=True)
    done, refused = committees_approve_many(committees=Committee.objects.all(), actor=None, level=1)
    assert done == 2 and [c.pk for c, _e in refused] == [bad.pk]
    done, refused = committees_return_many(
        committees=Committee.objects.filter(pk=good[0].pk), actor=None, level=2, reason="x"
    )
    assert done == 1 and Committee.objects.get(pk=good[0].pk).status == "returned"


def test_a_verifikator_of_riau_cannot_see_a_lampung_committee(cohort):
    riau = good_committee(cohort, regency="14.71")
    lampung = good_committee(cohort, regency="18.71")
    verifikator = user_in(G.VERIFIKATOR, provinces=["14"])
    operator = user_in(G.OPERATOR_DINAS, provinces=["18"])
    pejabat = user_in(G.PEJABAT, provinces=["14", "18"])
    panitia = user_in(G.PANITIA)
    assert list(committees_visible_to(verifikator)) == [riau]
    assert list(committees_visible_to(operator)) == [lampung]
    assert set(committees_visible_to(pejabat)) == {riau, lampung}
    assert not committees_visible_to(panitia).exists()
    assert list(schools_submittable_by(operator)) == [lampung.school]
    assert not schools_submittable_by(verifikator).exists()


def test_an_operator_of_a_kab_kota_sees_its_schools_only(cohort):
    from events.models import Regency, UserScope

    pekanbaru = good_committee(cohort, regency="14.71")
    good_committee(cohort, regency="14.01")
    operator = user_in(G.OPERATOR_DINAS)
    scope = UserScope.objects.create(user=operator)
    scope.regencies.set(Regency.objects.filter(code="14.71"))
    assert list(committees_visible_to(operator)) == [pekanbaru]


def test_a_new_person_is_created_once_and_reused(cohort):
    committee = good_committee(cohort)
    guru = committee.members.get(class_taught="Kelas 1").person
    assert guru.school == committee.school and guru.nik
    assert nik_for("14.71") != guru.nik
