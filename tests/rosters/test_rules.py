"""Every rule of the engine with a passing and a failing committee, and a committee with several problems."""

import pytest

from events import groups as G
from participants.models import Person, School, identifier_q
from rosters.rules import RULES, MemberFacts, Proposal, evaluate, facts_for_proposals
from tests.factories import user_in
from tests.rosters.conftest import make_penggerak, make_school, nik_for, sd_members

pytestmark = pytest.mark.django_db


def run(school: School, cohort, members: list[MemberFacts]) -> list:
    facts = facts_for_proposals([Proposal(school=school, cohort_id=cohort.pk, members=members)])[0]
    return evaluate(facts)


def codes(findings) -> set[str]:
    return {f.code for f in findings}


@pytest.fixture
def good(cohort):
    school, principal = make_penggerak(cohort)
    return school, principal, sd_members(principal)


def test_a_good_committee_has_no_finding(cohort, good):
    school, _principal, members = good
    assert run(school, cohort, members) == []


def test_every_rule_has_a_code_severity_and_a_docstring():
    assert len(RULES) >= 12
    for registered in RULES:
        assert registered.severity in ("error", "warning")
        assert registered.description


def test_school_npsn_format(cohort, good):
    school, _p, members = good
    school.npsn = "12AB"
    found = [f for f in run(school, cohort, members) if f.code == "school_npsn_format"]
    assert found and found[0].field == "npsn" and found[0].is_error


def test_school_not_penggerak(cohort):
    school = make_school()
    principal = Person(full_name="Kepala Biasa", nik=nik_for("14.71"))
    assert "school_not_penggerak" in codes(run(school, cohort, sd_members(principal)))


def test_school_outside_served_provinces(cohort):
    # Jawa Barat (32) is not among the 7 provinces of the Rapat Koordinasi of PSP Angkatan 1.
    school, principal = make_penggerak(cohort, regency="32.73")
    found = codes(run(school, cohort, sd_members(principal, "32.73")))
    assert "school_outside_served_provinces" in found
    school_ok, principal_ok = make_penggerak(cohort, regency="53.71")
    assert "school_outside_served_provinces" not in codes(run(school_ok, cohort, sd_members(principal_ok, "53.71")))


def test_member_identifier_missing(cohort, good):
    school, _p, members = good
    members[1].nik = ""
    found = [f for f in run(school, cohort, members) if f.code == "member_identifier_missing"]
    assert [(f.member, f.field) for f in found] == [(1, "nik")]


def test_member_identifier_format_and_excel_damage(cohort, good):
    school, _p, members = good
    members[1].nik = 3.20101e15  # a number cell from Excel
    members[2].nuptk = "123"
    members[3].nip = "19800512 200501 1 000"  # serial 000
    found = {(f.member, f.field) for f in run(school, cohort, members) if f.code == "member_identifier_format"}
    assert found == {(1, "nik"), (2, "nuptk"), (3, "nip")}
    message = next(str(f.message) for f in run(school, cohort, members) if f.member == 1)
    assert "Text" in message or "Teks" in message


def test_member_identifier_check_warns_on_nik_nip_mismatch(cohort, good):
    school, _p, members = good
    members[3].nip = "198005122005011002"  # born 1980-05-12, the NIK says 12-05-85
    found = [f for f in run(school, cohort, members) if f.code == "member_identifier_check"]
    assert found and found[0].severity == "warning" and found[0].member == 3


def test_member_twice(cohort, good):
    school, _p, members = good
    members[2].nik = members[1].nik
    assert [f.member for f in run(school, cohort, members) if f.code == "member_twice"] == [2]


def test_identifier_under_two_names(cohort, good):
    school, _p, members = good
    Person.objects.create(full_name="Orang Lain Sekali", nik=members[1].nik)
    found = [f for f in run(school, cohort, members) if f.code == "identifier_under_two_names"]
    assert [(f.member, f.field) for f in found] == [(1, "nik")]
    # The name recorded is never told: a NIK must not be a way to learn who holds it (issue 12, finding 2).
    assert "Orang Lain Sekali" not in str(found[0].message) and "atas nama lain" in str(found[0].message)
    # The same name with academic titles is the same person.
    Person.objects.filter(identifier_q("nik", members[1].nik)).update(full_name=f"Dr. {members[1].full_name}, M.Pd.")
    assert "identifier_under_two_names" not in codes(run(school, cohort, members))


def test_person_on_two_committees(cohort, good):
    from rosters.services import committee_save

    school, _p, members = good
    other, other_principal = make_penggerak(cohort)
    other_members = sd_members(other_principal)
    other_members[3].nik = members[3].nik  # the same pengawas on both committees
    other_members[3].full_name = members[3].full_name
    committee_save(school=other, cohort=cohort, members=other_members, actor=None)
    found = [f for f in run(school, cohort, members) if f.code == "person_on_two_committees"]
    # Where the person sits is told only to a viewer who may see that committee.
    assert [f.member for f in found] == [3] and other.name not in str(found[0].message)
    central = user_in(G.ADMIN_PUSAT)
    facts = facts_for_proposals([Proposal(school=school, cohort_id=cohort.pk, members=members)], viewer=central)[0]
    found = [f for f in evaluate(facts) if f.code == "person_on_two_committees"]
    assert [f.member for f in found] == [3] and other.name in str(found[0].message)
    stranger = user_in(G.OPERATOR_DINAS, provinces=["18"])
    facts = facts_for_proposals([Proposal(school=school, cohort_id=cohort.pk, members=members)], viewer=stranger)[0]
    found = [f for f in evaluate(facts) if f.code == "person_on_two_committees"]
    assert [f.member for f in found] == [3] and other.name not in str(found[0].message)


def test_a_name_typed_earlier_in_the_same_file_is_told(cohort, good):
    school, _p, members = good
    other, other_principal = make_penggerak(cohort)
    other_members = sd_members(other_principal)
    other_members[3].nik = members[3].nik
    other_members[3].full_name = "Nama Di Baris Sebelumnya"
    proposals = [
        Proposal(school=other, cohort_id=cohort.pk, members=other_members),
        Proposal(school=school, cohort_id=cohort.pk, members=members),
    ]
    found = [f for f in evaluate(facts_for_proposals(proposals)[1]) if f.code == "identifier_under_two_names"]
    # The user typed both rows: the earlier name is the user's own input, told to help correct the file.
    assert [f.member for f in found] == [3] and "Nama Di Baris Sebelumnya" in str(found[0].message)


def test_kepala_sekolah_single(cohort, good):
    school, _p, members = good
    kepala = members.pop(0)
    assert "kepala_sekolah_single" in codes(run(school, cohort, members))
    members = [kepala, kepala.__class__(full_name="Kepala Kedua", position="kepala_sekolah", nik=nik_for("14.71"))]
    found = [f for f in run(school, cohort, members) if f.code == "kepala_sekolah_single"]
    assert [f.member for f in found] == [1]


def test_kepala_sekolah_not_penggerak(cohort, good):
    school, _p, members = good
    members[0] = MemberFacts(full_name="Bukan Kepala Penggerak", position="kepala_sekolah", nik=nik_for("14.71"))
    found = [f for f in run(school, cohort, members) if f.code == "kepala_sekolah_not_penggerak"]
    assert [f.member for f in found] == [0]


def test_composition_count(cohort, good):
    school, _p, members = good
    members.pop(3)  # no pengawas
    members.append(MemberFacts(full_name="Penilik Salah Jenjang", position="penilik", nik=nik_for("14.71")))
    messages = [str(f.message) for f in run(school, cohort, members) if f.code == "composition_count"]
    assert len(messages) == 2  # too few pengawas, a penilik SD does not allow


def test_composition_count_follows_the_rows_as_data(cohort, good):
    from rosters.models import CompositionRule

    school, _p, members = good
    CompositionRule.objects.filter(level="SD", position="guru").update(minimum=3, maximum=3)
    assert "composition_count" in codes(run(school, cohort, members))


def test_teacher_without_class(cohort, good):
    school, _p, members = good
    members[1].class_taught = " "
    found = [f for f in run(school, cohort, members) if f.code == "teacher_without_class"]
    assert [(f.member, f.field) for f in found] == [(1, "class_taught")]


def test_required_classes_missing_is_a_warning(cohort, good):
    school, _p, members = good
    members[2].class_taught = "Kelas 5"
    found = [f for f in run(school, cohort, members) if f.code == "required_classes_missing"]
    assert len(found) == 1 and found[0].severity == "warning" and "Kelas 4" in str(found[0].message)


def test_paud_needs_a_penilik(cohort):
    school, principal = make_penggerak(cohort, level="PAUD")
    members = [
        MemberFacts(full_name=principal.full_name, position="kepala_sekolah", nik=principal.nik),
        MemberFacts(full_name="Guru TK B", position="guru", class_taught="TK B", nik=nik_for("14.71")),
        MemberFacts(full_name="Pengawas SD", position="pengawas", nik=nik_for("14.71")),
    ]
    found = codes(run(school, cohort, members))
    assert "composition_count" in found
    members[2].position = "penilik"
    assert run(school, cohort, members) == []


def test_a_committee_with_several_problems_at_once(cohort):
    school, _principal = make_penggerak(cohort, regency="32.73")
    school.npsn = "1234"
    members = [
        MemberFacts(full_name="Kepala Palsu", position="kepala_sekolah", nik="3201011205850000"),
        MemberFacts(full_name="Guru Tanpa Kelas", position="guru", nik=nik_for("32.73")),
        MemberFacts(full_name="Guru Tanpa Nomor", position="guru", class_taught="Kelas 1"),
    ]
    findings = run(school, cohort, members)
    assert codes(findings) >= {
        "school_npsn_format",
        "school_outside_served_provinces",
        "member_identifier_format",
        "member_identifier_missing",
        "kepala_sekolah_not_penggerak",
        "composition_count",
        "teacher_without_class",
        "required_classes_missing",
    }
    # Errors come first, each pointing at its member and field.
    severities = [f.severity for f in findings]
    assert severities == sorted(severities)  # "error" < "warning"
    assert {(f.code, f.member) for f in findings if f.member is not None} >= {
        ("member_identifier_format", 0),
        ("teacher_without_class", 1),
        ("member_identifier_missing", 2),
    }
