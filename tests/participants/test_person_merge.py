"""Likely duplicates and their merge (Admin pusat): found by name and birth date or by a typo in an identifier,
merged field by field with everything attached moving over, refused when it would give a person two counting
registrations for one event, undone from its audit entry."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import Attendance
from core.models import AuditEntry
from events import groups as G
from events.models import Regency
from participants.duplicates import duplicates_dismiss, likely_duplicates, near_miss
from participants.merge import MergeError, person_merge, person_merge_undo
from participants.models import CorrectionRequest, DistinctPeople, Person, School
from participants.services import correction_request_create, registration_transition
from reports.models import Certificate
from rosters.models import Committee, CommitteeMember
from tests.factories import attend, register, user_in, valid_nik

BIRTH = dt.date(1985, 5, 12)


def swap(nik: str, index: int) -> str:
    chars = list(nik)
    chars[index], chars[index + 1] = chars[index + 1], chars[index]
    return "".join(chars)


def pairs_of(person_ids) -> list[set[int]]:
    return [
        {pair.first.pk, pair.second.pk}
        for pair in likely_duplicates()
        if {pair.first.pk, pair.second.pk} <= set(person_ids)
    ]


def test_near_miss():
    assert near_miss("5201011205850001", "5201011205850010") == "swapped"
    assert near_miss("5201011205850001", "5201011205850002") == "one_digit"
    assert near_miss("5201011205850001", "5201011205850001") == ""
    assert near_miss("5201011205850001", "5201011205851110") == ""
    assert near_miss("5201011205850012", "5201011205850021") == "swapped"
    assert near_miss("", "5201011205850001") == ""


@pytest.mark.django_db
def test_duplicates_by_name_and_birth_date_and_by_swapped_digits(regions):
    # The same name (titles aside) and birth date, unrelated identifiers.
    a = Person.objects.create(full_name="Baiq Ganda Contoh, S.Pd.", birth_date=BIRTH, nik=valid_nik(serial=8101))
    b = Person.objects.create(full_name="baiq ganda contoh", birth_date=BIRTH, nip="198505122010012001")
    # The same name, no birth date, NIKs with two adjacent digits swapped.
    nik = "5201011205858123"
    c = Person.objects.create(full_name="Lalu Tukar Contoh", nik=nik)
    d = Person.objects.create(full_name="Lalu Tukar Contoh, M.Pd.", nik=swap(nik, 13))
    # Not duplicates: the same name, other birth dates and unrelated NIKs; a near NIK under another name.
    e = Person.objects.create(full_name="Siti Beda Contoh", birth_date=BIRTH, nik=valid_nik(serial=8201))
    f = Person.objects.create(
        full_name="Siti Beda Contoh", birth_date=BIRTH.replace(year=1990), nik=valid_nik(serial=8377)
    )
    g = Person.objects.create(full_name="Orang Lain Sekali", nik=swap(nik, 12))

    ids = [p.pk for p in (a, b, c, d, e, f, g)]
    assert sorted(map(sorted, pairs_of(ids))) == sorted([sorted([a.pk, b.pk]), sorted([c.pk, d.pk])])
    reasons = {frozenset((p.first.pk, p.second.pk)): p.reasons for p in likely_duplicates()}
    assert reasons[frozenset((a.pk, b.pk))] == ["Nama dan tanggal lahir sama"]
    assert reasons[frozenset((c.pk, d.pk))] == ["NIK: dua angka berdampingan tertukar"]


def twins(number: int) -> tuple[Person, Person]:
    return tuple(
        Person.objects.create(
            full_name=f"Kembar {number}", birth_date=BIRTH, nik=valid_nik(serial=8400 + 2 * number + i)
        )
        for i in (0, 1)
    )


@pytest.mark.django_db
def test_finding_duplicates_takes_three_queries_whatever_the_number_of_people_and_judgements(regions):
    made = [twins(number) for number in range(3)]
    duplicates_dismiss(first=made[0][0], second=made[0][1], actor=None, reason="Kembar")
    with CaptureQueriesContext(connection) as few:
        assert len(likely_duplicates()) >= 2
    made += [twins(number) for number in range(3, 12)]
    for first, second in made[3:6]:
        duplicates_dismiss(first=second, second=first, actor=None)
    with CaptureQueriesContext(connection) as many:
        assert len(likely_duplicates()) >= 8
    assert len(many) == len(few) == 3


@pytest.fixture
def pair(lokakarya, rakor):
    """Two records of one teacher: the first at the Lokakarya (attended, certificate, a correction request), the
    second — a NIK typed with two digits swapped — at the Rakor and on a Komite Pembelajaran."""
    nik = valid_nik(serial=8523)
    bima = lokakarya.sites.get(name="Kab. Bima")
    solo = rakor.sites.get(name="Regional Solo")
    first = register(bima, "CGP", name="Nurul Gabung Contoh", nik=nik, birth_date=BIRTH, province_code="52")
    second = register(
        solo,
        "DINAS_KABKOTA",
        name="Nurul Gabung Contoh, S.Pd.",
        nik=swap(nik, 13),
        birth_date=BIRTH,
        province_code="14",
        phone="+6281234500001",
    )
    assert first.person_id != second.person_id
    attend(first, bima.sessions.order_by("starts_at").first())
    attend(second, solo.sessions.order_by("starts_at").first())
    Certificate.objects.create(
        registration=first, event=lokakarya, site=bima, sequence=1, number="0001/G/2022", token="g1"
    )
    correction_request_create(registration=second, field="email", correct_value="nurul@example.invalid")
    school = School.objects.create(
        npsn="69977002", name="SD Negeri Gabung", level="SD", regency=Regency.objects.get(code="14.71")
    )
    committee = Committee.objects.create(school=school, cohort=rakor.cohort)
    member = CommitteeMember.objects.create(
        committee=committee, cohort=rakor.cohort, person=second.person, position="guru"
    )
    return {"keep": first.person, "drop": second.person, "first": first, "second": second, "member": member}


def test_merge_moves_everything_and_undo_restores_it(pair):
    admin = user_in(G.ADMIN_PUSAT)
    keep, drop = pair["keep"], pair["drop"]
    drop_id, drop_nik, keep_nik = drop.pk, drop.nik, keep.nik
    attendance_ids = set(Attendance.objects.filter(registration__person=drop).values_list("pk", flat=True))

    entry = person_merge(keep=keep, drop=drop, take=["full_name", "phone"], actor=admin, reason="NIK salah ketik")

    assert not Person.objects.filter(pk=drop_id).exists()
    keep.refresh_from_db()
    assert keep.full_name == "Nurul Gabung Contoh, S.Pd." and keep.phone == "+6281234500001" and keep.nik == keep_nik
    assert set(keep.registrations.values_list("pk", flat=True)) == {pair["first"].pk, pair["second"].pk}
    assert set(Attendance.objects.filter(registration__person=keep).values_list("pk", flat=True)) >= attendance_ids
    assert Attendance.objects.filter(registration__person=keep).count() == 2
    assert Certificate.objects.get(number="0001/G/2022").registration.person_id == keep.pk
    assert CorrectionRequest.objects.get(registration=pair["second"]).registration.person_id == keep.pk
    assert CommitteeMember.objects.get(pk=pair["member"].pk).person_id == keep.pk
    # The audit entry: who, why, what moved, and nothing of the NIK or phone in clear.
    assert entry.action == "person.merged" and entry.actor == admin and entry.reason == "NIK salah ketik"
    assert entry.data["dropped"] == drop_id and entry.data["taken"] == ["full_name", "phone"]
    assert entry.data["moved"]["participants.registration.person"] == [pair["second"].pk]
    assert entry.data["moved"]["rosters.committeemember.person"] == [pair["member"].pk]
    stored = str(entry.data)
    assert drop_nik not in stored and keep_nik not in stored and "6281234500001" not in stored

    restored = person_merge_undo(entry=entry, actor=admin)

    assert restored.pk == drop_id and restored.nik == drop_nik and restored.phone == "+6281234500001"
    assert restored.full_name == "Nurul Gabung Contoh, S.Pd." and restored.birth_date == BIRTH
    keep.refresh_from_db()
    assert keep.full_name == "Nurul Gabung Contoh" and keep.phone == "" and keep.nik == keep_nik
    assert list(keep.registrations.values_list("pk", flat=True)) == [pair["first"].pk]
    assert list(restored.registrations.values_list("pk", flat=True)) == [pair["second"].pk]
    assert CommitteeMember.objects.get(pk=pair["member"].pk).person_id == drop_id
    assert Certificate.objects.get(number="0001/G/2022").registration.person_id == keep.pk
    assert AuditEntry.objects.filter(action="person.merge_undone", data__merge_entry=entry.pk).count() == 1
    with pytest.raises(MergeError):  # once
        person_merge_undo(entry=entry, actor=admin)


def test_a_merge_giving_one_person_two_registrations_for_one_event_is_refused(pair, lokakarya):
    admin = user_in(G.ADMIN_PUSAT)
    sikur = lokakarya.sites.get(name="Kab. Lombok Timur")
    # The second record registered for the Lokakarya too: merged, the person would hold two there.
    register(sikur, "CGP", name="Nurul Gabung Contoh, S.Pd.", nik=pair["drop"].nik, province_code="52")
    with pytest.raises(MergeError) as refused:
        person_merge(keep=pair["keep"], drop=pair["drop"], take=[], actor=admin)
    assert lokakarya.title in refused.value.message and "Tarik" in refused.value.message
    assert Person.objects.filter(pk=pair["drop"].pk).exists()
    assert pair["drop"].registrations.count() == 2  # nothing moved
    assert not AuditEntry.objects.filter(action="person.merged").exists()

    # Withdrawn, it no longer counts: the merge goes through.
    extra = pair["drop"].registrations.get(event=lokakarya)
    registration_transition(registration=extra, to_status="withdrawn", actor=admin)
    person_merge(keep=pair["keep"], drop=pair["drop"], take=[], actor=admin)
    assert pair["keep"].registrations.count() == 3


def test_merge_and_undo_from_the_pages(client, pair):
    admin = user_in(G.ADMIN_PUSAT)
    client.force_login(admin)
    keep, drop = pair["keep"], pair["drop"]
    assert {keep.pk, drop.pk} in pairs_of([keep.pk, drop.pk])
    html = client.get(reverse("participants:duplicate_list")).content.decode()
    url = reverse("participants:person_merge", args=[keep.pk, drop.pk])
    assert url in html

    masked = client.get(url).content.decode()
    assert drop.nik not in masked and keep.nik not in masked  # masked until asked
    assert not AuditEntry.objects.filter(action="personal_data.viewed", data__where="person_merge").exists()
    revealed = client.get(url + "?lengkap=1").content.decode()
    assert drop.nik in revealed and keep.nik in revealed
    assert AuditEntry.objects.filter(action="personal_data.viewed", data__where="person_merge").count() == 2

    response = client.post(url, {"take_full_name": "drop", "take_nik": "keep", "take_phone": "drop", "reason": "Ganda"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=drop.pk).exists()
    keep.refresh_from_db()
    assert keep.full_name == "Nurul Gabung Contoh, S.Pd." and keep.registrations.count() == 2

    merges = client.get(reverse("participants:merge_list")).content.decode()
    entry = AuditEntry.objects.get(action="person.merged")
    undo = reverse("participants:merge_undo", args=[entry.pk])
    assert undo in merges
    assert client.post(undo).status_code == 302
    assert Person.objects.filter(pk=drop.pk).exists()
    assert undo not in client.get(reverse("participants:merge_list")).content.decode()  # undone: no button


def test_the_merge_form_refuses_the_conflicting_case_with_a_message(client, pair, lokakarya):
    client.force_login(user_in(G.ADMIN_PUSAT))
    register(lokakarya.sites.get(name="Kab. Lombok Timur"), "CGP", name="Nurul Gabung Contoh", nik=pair["drop"].nik)
    url = reverse("participants:person_merge", args=[pair["keep"].pk, pair["drop"].pk])
    assert lokakarya.title in client.get(url).content.decode()
    response = client.post(url, {"take_full_name": "keep"})
    assert response.status_code == 400
    assert "Keduanya memiliki pendaftaran" in response.content.decode()
    assert Person.objects.filter(pk=pair["drop"].pk).exists()


@pytest.mark.parametrize("group", [G.PANITIA, G.KOORDINATOR_SITE, G.VERIFIKATOR, G.OPERATOR_DINAS, G.PEJABAT])
def test_only_admin_pusat_sees_duplicates_and_merges(client, pair, group):
    client.force_login(user_in(group, provinces=["52"]))
    merge = reverse("participants:person_merge", args=[pair["keep"].pk, pair["drop"].pk])
    assert client.get(reverse("participants:duplicate_list")).status_code == 403
    assert client.get(merge).status_code == 403
    assert client.post(merge, {"take_full_name": "drop"}).status_code == 403
    assert client.get(reverse("participants:merge_list")).status_code == 403
    entry = person_merge(keep=pair["keep"], drop=pair["drop"], take=[], actor=None)
    assert client.post(reverse("participants:merge_undo", args=[entry.pk])).status_code == 403
    assert not Person.objects.filter(pk=pair["drop"].pk).exists()  # the undo did not run


def test_the_merge_list_costs_the_same_whatever_the_number_of_merges(client, regions):
    admin = user_in(G.ADMIN_PUSAT)
    client.force_login(admin)
    url = reverse("participants:merge_list")

    def merge_some(count: int, start: int):
        for number in range(start, start + count):
            keep = Person.objects.create(full_name=f"Gabung {number}", nik=valid_nik(serial=8600 + 2 * number))
            drop = Person.objects.create(full_name=f"Gabung {number}", nik=valid_nik(serial=8601 + 2 * number))
            entry = person_merge(keep=keep, drop=drop, take=["nik"], actor=admin)
            if number % 2:
                person_merge_undo(entry=entry, actor=admin)

    merge_some(2, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    merge_some(6, 2)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count('data-entry="') == 8
    assert len(many) == len(few)


# --- a pair judged to be two people ------------------------------------------------------------------------------


def test_a_pair_judged_two_people_is_no_longer_listed_until_the_judgement_is_taken_back(client, regions):
    admin = user_in(G.ADMIN_PUSAT)
    client.force_login(admin)
    a, b = twins(40)
    c, d = twins(41)
    page = reverse("participants:duplicate_list")
    merge_ab = reverse("participants:person_merge", args=[a.pk, b.pk])
    merge_cd = reverse("participants:person_merge", args=[c.pk, d.pk])
    html = client.get(page).content.decode()
    assert merge_ab in html and merge_cd in html

    # Posted in either order: stored once, the lower id first.
    response = client.post(
        reverse("participants:duplicate_dismiss", args=[b.pk, a.pk]), {"reason": "  Kembar   identik "}
    )
    assert response.status_code == 302
    decision = DistinctPeople.objects.get()
    assert (decision.first, decision.second, decision.reason, decision.decided_by) == (a, b, "Kembar identik", admin)
    entry = AuditEntry.objects.get(action="person.not_duplicate")
    assert (entry.object_id, entry.data, entry.reason, entry.actor) == (
        str(a.pk),
        {"other": b.pk},
        "Kembar identik",
        admin,
    )
    assert pairs_of([a.pk, b.pk]) == [] and pairs_of([c.pk, d.pk]) == [{c.pk, d.pk}]
    html = client.get(page).content.decode()
    assert merge_ab not in html and merge_cd in html  # no longer listed; the other pair still is
    undo = reverse("participants:duplicate_dismiss_undo", args=[decision.pk])
    assert undo in html and "Kembar identik" in html  # in the judged pairs, with its reason
    # Judged again: nothing more.
    client.post(reverse("participants:duplicate_dismiss", args=[a.pk, b.pk]))
    assert DistinctPeople.objects.count() == 1 and AuditEntry.objects.filter(action="person.not_duplicate").count() == 1

    assert client.post(undo).status_code == 302
    assert not DistinctPeople.objects.exists()
    undone = AuditEntry.objects.get(action="person.not_duplicate_undone")
    assert undone.object_id == str(a.pk) and undone.data == {"other": b.pk, "judged_reason": "Kembar identik"}
    assert pairs_of([a.pk, b.pk]) == [{a.pk, b.pk}]
    assert merge_ab in client.get(page).content.decode()


def test_judging_a_pair_refuses_bad_input_and_changes_nothing(client, regions):
    client.force_login(user_in(G.ADMIN_PUSAT))
    a, b = twins(42)
    url = reverse("participants:duplicate_dismiss", args=[a.pk, b.pk])
    response = client.post(url, {"reason": "x" * 301}, follow=True)
    assert "Alasan paling banyak 300 karakter" in response.content.decode()
    assert client.get(url).status_code == 405  # a judgement is a POST
    assert client.post(reverse("participants:duplicate_dismiss", args=[a.pk, a.pk])).status_code == 404
    assert client.post(reverse("participants:duplicate_dismiss", args=[a.pk, 999999])).status_code == 404
    assert client.post(reverse("participants:duplicate_dismiss_undo", args=[999999])).status_code == 404
    assert not DistinctPeople.objects.exists() and pairs_of([a.pk, b.pk]) == [{a.pk, b.pk}]


@pytest.mark.parametrize("group", [G.PANITIA, G.KOORDINATOR_SITE, G.VERIFIKATOR, G.OPERATOR_DINAS, G.PEJABAT])
def test_only_admin_pusat_judges_pairs(client, regions, group):
    client.force_login(user_in(group, provinces=["52"]))
    a, b = twins(43)
    assert client.post(reverse("participants:duplicate_dismiss", args=[a.pk, b.pk])).status_code == 403
    decision = duplicates_dismiss(first=a, second=b, actor=None)
    assert client.post(reverse("participants:duplicate_dismiss_undo", args=[decision.pk])).status_code == 403
    assert list(DistinctPeople.objects.values_list("first", "second")) == [(a.pk, b.pk)]  # nothing changed


def test_a_judgement_goes_with_a_record_a_merge_removes(pair):
    keep, drop = pair["keep"], pair["drop"]
    namesake = Person.objects.create(full_name="Nurul Gabung Contoh", birth_date=BIRTH, nik=valid_nik(serial=8599))
    duplicates_dismiss(first=namesake, second=drop, actor=None, reason="Beda orang tua")
    duplicates_dismiss(first=namesake, second=keep, actor=None)
    person_merge(keep=keep, drop=drop, take=[], actor=None)
    # The judgement about the removed record is gone with it; the one about the kept record stays.
    assert list(DistinctPeople.objects.values_list("first", "second")) == [(keep.pk, namesake.pk)]
