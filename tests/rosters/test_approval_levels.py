"""Approval in levels (issue 17): the declared chain kab/kota → province → centre is followed one level at a time,
each level acts only within its scope, returns go to the previous level or to the submitter as declared, the
history survives a resubmission, the allocator takes only committees approved at the last level, and the queue
page and the dashboard count per level in a constant number of queries."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from events import groups as G
from reports.dashboard import roster_section
from rosters.models import ApprovalLevel, Committee, CommitteeDecision
from rosters.selectors import acting_levels, approval_chain, committees_visible_to
from rosters.services import (
    RosterError,
    committee_approve,
    committee_resubmit,
    committee_return,
    committees_approve_many,
    tahap_allocate_apply,
    tahap_allocate_preview,
    tahap_assign,
)
from tests.factories import user_in
from tests.rosters.conftest import approve_all, good_committee, kab_verifikator

pytestmark = pytest.mark.django_db


@pytest.fixture
def kampar():
    return kab_verifikator("14.01", "verifikator_kampar_test")


@pytest.fixture
def pekanbaru():
    return kab_verifikator("14.71", "verifikator_pekanbaru_test")


@pytest.fixture
def riau():
    return user_in(G.VERIFIKATOR, "verifikator_riau_test", provinces=["14"])


@pytest.fixture
def pusat():
    return user_in(G.ADMIN_PUSAT, "pusat_test")


def decisions(committee) -> list[tuple]:
    return list(
        CommitteeDecision.objects.filter(committee=committee)
        .order_by("decided_at", "pk")
        .values_list("level", "decision", "returned_to", "actor__username", "reason")
    )


def test_the_default_chain_is_kab_kota_province_centre(cohort):
    chain = approval_chain(cohort.program)
    assert [(level.order, level.name, level.group, level.scope) for level in chain] == [
        (1, "Kabupaten/Kota", G.VERIFIKATOR, "regency"),
        (2, "Provinsi", G.VERIFIKATOR, "province"),
        (3, "Pusat", G.ADMIN_PUSAT, "national"),
    ]


def test_each_user_acts_at_the_levels_of_its_group_and_scope(client, cohort, kampar, riau, pusat):
    chain = approval_chain(cohort.program)
    assert [level.order for level in acting_levels(kampar, chain)] == [1]
    assert [level.order for level in acting_levels(riau, chain)] == [2]
    assert [level.order for level in acting_levels(pusat, chain)] == [1, 2, 3]
    assert acting_levels(user_in(G.PEJABAT, provinces=["14"]), chain) == []
    good_committee(cohort, submit=True)
    client.force_login(riau)
    response = client.get(reverse("rosters:roster_list"))
    assert response.context["chosen_level"] == 2  # the bulk form decides at its only level


def test_the_chain_is_followed_level_by_level_with_a_decision_row_and_an_audit_entry_each(
    cohort, pekanbaru, riau, pusat
):
    committee = good_committee(cohort, regency="14.71", submit=True)
    assert (committee.status, committee.level) == ("submitted", 1) and committee.level_since
    committee = committee_approve(committee=committee, actor=pekanbaru, level=1)
    assert (committee.status, committee.level) == ("submitted", 2)
    committee = committee_approve(committee=committee, actor=riau, level=2)
    assert (committee.status, committee.level) == ("submitted", 3)
    committee = committee_approve(committee=committee, actor=pusat, level=3)
    assert (committee.status, committee.level, committee.decided_by) == ("validated", None, pusat)
    assert decisions(committee) == [
        (None, "submitted", "", None, ""),
        (1, "approved", "", "verifikator_pekanbaru_test", ""),
        (2, "approved", "", "verifikator_riau_test", ""),
        (3, "approved", "", "pusat_test", ""),
    ]
    entries = AuditEntry.objects.filter(
        object_id=str(committee.pk), action__in=["committee.approved", "committee.validated"]
    )
    assert [(e.action, e.data["level"], e.actor) for e in entries.order_by("pk")] == [
        ("committee.approved", 1, pekanbaru),
        ("committee.approved", 2, riau),
        ("committee.validated", 3, pusat),
    ]


def test_nothing_skips_a_level(cohort, pekanbaru, riau, pusat):
    committee = good_committee(cohort, regency="14.71", submit=True)
    # Approving at level 2 a committee that waits at level 1 is refused, even for the centre.
    for actor, level in ((None, 2), (pusat, 2), (pusat, 3), (riau, 2)):
        with pytest.raises(RosterError) as error:
            committee_approve(committee=committee, actor=actor, level=level)
        assert error.value.code == "wrong_level", (actor, level)
    committee = committee_approve(committee=committee, actor=pekanbaru, level=1)
    # The level-1 user cannot act at level 2 (nor approve again at level 1).
    with pytest.raises(RosterError) as error:
        committee_approve(committee=committee, actor=pekanbaru, level=2)
    assert error.value.code == "not_your_level"
    with pytest.raises(RosterError) as error:
        committee_approve(committee=committee, actor=pekanbaru, level=1)
    assert error.value.code == "wrong_level"
    # A province verifikator is no centre.
    committee = committee_approve(committee=committee, actor=riau, level=2)
    with pytest.raises(RosterError) as error:
        committee_approve(committee=committee, actor=riau, level=3)
    assert error.value.code == "not_your_level"
    with pytest.raises(RosterError) as error:
        committee_approve(committee=committee, actor=None, level=4)
    assert error.value.code == "unknown_level"
    committee.refresh_from_db()
    assert (committee.status, committee.level) == ("submitted", 3)
    assert CommitteeDecision.objects.filter(committee=committee, decision="approved").count() == 2


def test_a_province_verifikator_does_not_act_at_the_kab_kota_level(cohort, riau):
    committee = good_committee(cohort, regency="14.71", submit=True)
    with pytest.raises(RosterError) as error:
        committee_approve(committee=committee, actor=riau, level=1)
    assert error.value.code == "not_your_level"
    with pytest.raises(RosterError) as error:
        committee_return(committee=committee, actor=riau, level=1, reason="x")
    assert error.value.code == "not_your_level"


def test_a_kampar_verifikator_cannot_see_or_act_on_pekanbaru(client, cohort, kampar):
    mine = good_committee(cohort, regency="14.01", submit=True)
    other = good_committee(cohort, regency="14.71", submit=True)
    assert list(committees_visible_to(kampar)) == [mine]
    with pytest.raises(RosterError) as error:
        committee_approve(committee=other, actor=kampar, level=1)
    assert error.value.code == "not_your_level"
    client.force_login(kampar)
    assert client.get(reverse("rosters:roster_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("rosters:roster_validate", args=[other.pk]), {"level": "1"}).status_code == 404
    response = client.post(reverse("rosters:roster_return", args=[other.pk]), {"level": "1", "reason": "x"})
    assert response.status_code == 404
    body = client.get(reverse("rosters:roster_list") + "?queue=on").content.decode()
    assert mine.school.name in body and other.school.name not in body
    # A bulk post naming the other kab/kota's committee moves nothing there.
    client.post(reverse("rosters:roster_list"), {"action": "validate", "level": "1", "committee": [other.pk, mine.pk]})
    other.refresh_from_db()
    mine.refresh_from_db()
    assert (other.level, mine.level) == (1, 2)
    # The page of its own committee offers the decision at level 1; a user of another group gets 403.
    page = client.get(reverse("rosters:roster_detail", args=[mine.pk])).content.decode()
    assert 'id="decisions"' in page
    # Tahap is the province's: a kab/kota verifikator neither allocates nor assigns it.
    assert client.get(reverse("rosters:roster_allocate")).status_code == 403
    assert client.post(reverse("rosters:roster_tahap", args=[mine.pk]), {"phase": ""}).status_code == 403
    client.force_login(user_in(G.PANITIA))
    assert client.post(reverse("rosters:roster_validate", args=[mine.pk]), {"level": "2"}).status_code == 403


def test_return_to_the_previous_level_and_to_the_submitter_then_resubmission_keeps_the_history(
    cohort, pekanbaru, riau, pusat
):
    operator = user_in(G.OPERATOR_DINAS, "operator_test", provinces=["14"])
    committee = good_committee(cohort, regency="14.71", actor=operator, submit=True)
    # The first level has no previous level: its return goes to the submitter.
    with pytest.raises(RosterError) as error:
        committee_return(committee=committee, actor=pekanbaru, level=1, reason="x", to="previous")
    assert error.value.code == "return_not_allowed"
    committee = committee_approve(committee=committee, actor=pekanbaru, level=1)
    committee = committee_return(committee=committee, actor=riau, level=2, reason="SK belum diunggah", to="previous")
    assert (committee.status, committee.level, committee.return_reason) == ("submitted", 1, "SK belum diunggah")
    assert not committee.is_editable
    committee = committee_approve(committee=committee, actor=pekanbaru, level=1)
    committee = committee_approve(committee=committee, actor=riau, level=2)
    committee = committee_return(committee=committee, actor=pusat, level=3, reason="Pengawas sudah pensiun")
    assert (committee.status, committee.level) == ("returned", None) and committee.is_editable
    committee = committee_resubmit(committee=committee, actor=operator)
    assert (committee.status, committee.level) == ("submitted", 1)
    assert decisions(committee) == [
        (None, "submitted", "", "operator_test", ""),
        (1, "approved", "", "verifikator_pekanbaru_test", ""),
        (2, "returned", "previous", "verifikator_riau_test", "SK belum diunggah"),
        (1, "approved", "", "verifikator_pekanbaru_test", ""),
        (2, "approved", "", "verifikator_riau_test", ""),
        (3, "returned", "submitter", "pusat_test", "Pengawas sudah pensiun"),
        (None, "submitted", "", "operator_test", ""),
    ]
    assert AuditEntry.objects.filter(action="committee.returned_to_level", object_id=str(committee.pk)).count() == 1
    # The last level may also return a validated committee; it leaves its Tahap.
    committee = approve_all(committee)
    assert committee.status == "validated"
    committee = committee_return(committee=committee, actor=pusat, level=3, reason="Data ganda", to="previous")
    assert (committee.status, committee.level) == ("submitted", 2)


def test_a_level_returns_only_where_it_is_declared_to(cohort, riau):
    ApprovalLevel.objects.bulk_create(ApprovalLevel.defaults_for(cohort.program))
    ApprovalLevel.objects.filter(program=cohort.program, order=2).update(may_return_to_submitter=False)
    committee = committee_approve(committee=good_committee(cohort, submit=True), actor=None, level=1)
    with pytest.raises(RosterError) as error:
        committee_return(committee=committee, actor=riau, level=2, reason="x", to="submitter")
    assert error.value.code == "return_not_allowed"
    committee = committee_return(committee=committee, actor=riau, level=2, reason="x")  # its only way: back
    assert (committee.status, committee.level) == ("submitted", 1)


def test_a_program_declares_its_own_chain(cohort, riau):
    """Admin pusat declares two levels (province, then centre): level 2 is the last and validates."""
    program = cohort.program
    ApprovalLevel.objects.create(program=program, order=1, name="Provinsi", group=G.VERIFIKATOR, scope="province")
    ApprovalLevel.objects.create(program=program, order=2, name="Pusat", group=G.ADMIN_PUSAT, scope="national")
    committee = committee_approve(committee=good_committee(cohort, submit=True), actor=riau, level=1)
    assert (committee.status, committee.level) == ("submitted", 2)
    committee = committee_approve(committee=committee, actor=None, level=2)
    assert committee.status == "validated"
    with pytest.raises(ValidationError):
        ApprovalLevel(program=program, order=3, name="x", group=G.VERIFIKATOR, scope="national").clean()


def test_the_allocator_ignores_committees_not_approved_at_the_last_level(cohort, phases):
    done = [approve_all(good_committee(cohort, submit=True)) for _ in range(2)]
    at_three = good_committee(cohort, submit=True)
    for level in (1, 2):
        at_three = committee_approve(committee=at_three, actor=None, level=level)
    at_one = good_committee(cohort, submit=True)
    assert (at_three.status, at_three.level) == ("submitted", 3)
    preview = tahap_allocate_preview(cohort=cohort, committees=Committee.objects.all())
    assert set(preview.committees) == {c.pk for c in done}
    applied = tahap_allocate_apply(cohort=cohort, committees=Committee.objects.all(), actor=None)
    assert set(applied.assignments) == {c.pk for c in done}
    assert set(Committee.objects.filter(phase__isnull=False).values_list("pk", flat=True)) == {c.pk for c in done}
    for waiting in (at_three, at_one):
        with pytest.raises(RosterError) as error:
            tahap_assign(committee=waiting, phase=phases[1], actor=None)
        assert error.value.code == "not_validated"


def test_bulk_approve_one_and_many_and_never_a_committee_at_another_level(client, cohort, pekanbaru):
    client.force_login(pekanbaru)
    url = reverse("rosters:roster_list")
    single = good_committee(cohort, submit=True)
    client.post(url, {"action": "validate", "level": "1", "committee": [single.pk]})
    single.refresh_from_db()
    assert single.level == 2
    many = [good_committee(cohort, submit=True) for _ in range(4)]
    response = client.post(url, {"action": "validate", "level": "1", "committee": [c.pk for c in many] + [single.pk]})
    assert response.status_code == 302
    assert sorted(Committee.objects.filter(pk__in=[c.pk for c in many]).values_list("level", flat=True)) == [2] * 4
    single.refresh_from_db()
    assert single.level == 2  # waited at level 2: refused, not moved
    assert CommitteeDecision.objects.filter(decision="approved").count() == 5
    # Bulk return with a reason, per level; without a level nothing moves.
    client.post(url, {"action": "return", "committee": [many[0].pk], "reason": "x"})
    assert Committee.objects.get(pk=many[0].pk).level == 2
    riau = user_in(G.VERIFIKATOR, provinces=["14"])
    client.force_login(riau)
    client.post(
        url, {"action": "return", "level": "2", "to": "previous", "committee": [many[0].pk], "reason": "Cek SK"}
    )
    many[0].refresh_from_db()
    assert (many[0].level, many[0].return_reason) == (1, "Cek SK")
    # With the reason missing the bulk return is refused as a whole.
    client.post(url, {"action": "return", "level": "2", "committee": [many[1].pk], "reason": " "})
    assert Committee.objects.get(pk=many[1].pk).level == 2


def test_bulk_service_with_one_and_with_many(cohort):
    one = good_committee(cohort, submit=True)
    assert committees_approve_many(committees=Committee.objects.filter(pk=one.pk), actor=None, level=1)[0] == 1
    many = [good_committee(cohort, submit=True) for _ in range(3)]
    done, refused = committees_approve_many(committees=Committee.objects.all(), actor=None, level=1)
    assert done == 3 and [c.pk for c, _e in refused] == [one.pk]
    assert set(Committee.objects.filter(pk__in=[c.pk for c in many]).values_list("level", flat=True)) == {2}


def test_the_roster_page_shows_the_chain_with_names_levels_times_and_reasons(client, cohort, pekanbaru, riau):
    pekanbaru.first_name, pekanbaru.last_name = "Budi", "Kabupaten"
    pekanbaru.save()
    committee = committee_approve(committee=good_committee(cohort, submit=True), actor=pekanbaru, level=1)
    committee_return(committee=committee, actor=riau, level=2, reason="Lampiran SK kurang", to="previous")
    client.force_login(pekanbaru)
    page = client.get(reverse("rosters:roster_detail", args=[committee.pk])).content.decode()
    chain = page[page.index('id="decisions"') :]
    assert "Budi Kabupaten" in chain and "verifikator_riau_test" in chain and "Lampiran SK kurang" in chain
    assert "1. Kabupaten/Kota" in chain and "2. Provinsi" in chain and " WIB" in chain
    assert 'id="committee-level"' in page and f'action="/roster/{committee.pk}/validate/"' in page
    # The province sees the same chain (the decisions of the level below) and has no decision to make now.
    client.force_login(riau)
    page = client.get(reverse("rosters:roster_detail", args=[committee.pk])).content.decode()
    assert "Budi Kabupaten" in page and "/validate/" not in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_queue_page_keeps_a_constant_number_of_queries(client, cohort, riau):
    url = reverse("rosters:roster_list") + "?queue=on"
    client.force_login(riau)
    committee_approve(committee=good_committee(cohort, submit=True), actor=None, level=1)
    _queries(client, url)
    before = _queries(client, url)
    for regency in ("14.71", "14.01", "14.06", "14.71"):
        committee_approve(committee=good_committee(cohort, regency=regency, submit=True), actor=None, level=1)
        good_committee(cohort, regency=regency, submit=True)  # at level 1: not the province's queue
    assert _queries(client, url) == before
    body = client.get(url).content.decode()
    assert body.count('name="committee"') == 5


def test_the_dashboard_counts_per_province_and_level_with_the_oldest_waiting(client, rakor, superuser):
    cohort = rakor.cohort
    good_committee(cohort, regency="14.71", submit=True)
    good_committee(cohort, regency="14.01", submit=True)
    committee_approve(committee=good_committee(cohort, regency="14.71", submit=True), actor=None, level=1)
    at_three = good_committee(cohort, regency="18.71", submit=True)
    for level in (1, 2):
        at_three = committee_approve(committee=at_three, actor=None, level=level)
    approve_all(good_committee(cohort, regency="18.71", submit=True))
    section = roster_section(rakor, user=superuser)
    rows = {province: [cell.count for cell in cells] for province, cells in section.waiting_rows}
    assert rows == {"Riau": [2, 1, 0], "Lampung": [0, 0, 1]}
    oldest = Committee.objects.filter(school__regency__province__code="14", level=1).order_by("level_since").first()
    riau_cells = dict(section.waiting_rows)["Riau"]
    assert riau_cells[0].oldest == oldest.level_since
    client.force_login(superuser)
    page = client.get(reverse("reports:dashboard_event", kwargs={"event_id": rakor.pk})).content.decode()
    assert 'id="roster-waiting"' in page and "3. Pusat" in page

    before = _queries(client, reverse("reports:dashboard_event", kwargs={"event_id": rakor.pk}))
    for regency in ("53.71", "19.71", "14.06"):
        committee_approve(committee=good_committee(cohort, regency=regency, submit=True), actor=None, level=1)
    assert _queries(client, reverse("reports:dashboard_event", kwargs={"event_id": rakor.pk})) == before


def _level_post(level_or_program, **changes) -> dict:
    values = {
        "program": getattr(level_or_program, "program_id", getattr(level_or_program, "pk", None)),
        "order": getattr(level_or_program, "order", 3),
        "name": getattr(level_or_program, "name", "Tambahan"),
        "group": getattr(level_or_program, "group", G.VERIFIKATOR),
        "scope": getattr(level_or_program, "scope", "province"),
        "may_return_to_previous": "on",
        "may_return_to_submitter": "on",
    }
    return values | changes


def test_the_chain_is_not_renumbered_while_committees_wait_in_it(client, cohort, superuser):
    """Committees wait at a level's number: adding, removing or renumbering a level of their program is refused
    until they are decided; renaming a level is not."""
    program = cohort.program
    ApprovalLevel.objects.create(program=program, order=1, name="Provinsi", group=G.VERIFIKATOR, scope="province")
    last = ApprovalLevel.objects.create(program=program, order=2, name="Pusat", group=G.ADMIN_PUSAT, scope="national")
    committee = good_committee(cohort, submit=True)
    assert (committee.status, committee.level) == ("submitted", 1)
    client.force_login(superuser)
    add = reverse("admin:rosters_approvallevel_add")
    change = reverse("admin:rosters_approvallevel_change", args=[last.pk])
    delete = reverse("admin:rosters_approvallevel_delete", args=[last.pk])

    response = client.post(add, _level_post(program))
    assert response.status_code == 200
    assert "1 Komite Pembelajaran program ini sedang menunggu" in response.content.decode()
    assert "(1 di tingkat 1)" in response.content.decode()
    response = client.post(change, _level_post(last, order=3))
    assert response.status_code == 200 and "sedang menunggu" in response.content.decode()
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert "sedang menunggu" in client.get(change).content.decode()  # the page says why it has no delete
    assert list(ApprovalLevel.objects.filter(program=program).values_list("order", "name")) == [
        (1, "Provinsi"),
        (2, "Pusat"),
    ]
    # What does not move a committee may change.
    assert client.post(change, _level_post(last, name="Pusat (Ditjen GTK)")).status_code == 302
    last.refresh_from_db()
    assert last.name == "Pusat (Ditjen GTK)"

    # Once decided (validated at the last level), the chain may change again.
    committee = committee_approve(
        committee=committee_approve(committee=committee, actor=None, level=1), actor=None, level=2
    )
    assert committee.status == "validated"
    assert client.post(add, _level_post(program)).status_code == 302
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert list(ApprovalLevel.objects.filter(program=program).values_list("order", flat=True)) == [1, 3]
