"""Import of a messy roster file: a 15-digit NIK, a missing kepala sekolah, a person in two schools."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from participants.models import Person, School
from rosters.imports import COLUMNS, roster_import_check, roster_import_save, template_workbook
from rosters.models import Committee, CommitteeMember
from tests.rosters.conftest import make_penggerak, nik_for

pytestmark = pytest.mark.django_db


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Anggota"
    sheet.append([column.label for column in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def school_rows(school, principal, *, pengawas_nik=None, pengawas_name="Pengawas Bersama"):
    return [
        [school.npsn, school.name, principal.full_name, "kepala_sekolah", "", principal.nik, "", ""],
        [school.npsn, school.name, f"Guru Satu {school.npsn}", "guru", "Kelas 1", nik_for("14.71"), "", ""],
        [school.npsn, school.name, f"Guru Empat {school.npsn}", "guru", "Kelas 4", nik_for("14.71"), "", ""],
        [school.npsn, school.name, pengawas_name, "pengawas", "", pengawas_nik or nik_for("14.71"), "", ""],
    ]


def test_the_template_has_text_identifier_columns_and_instructions():
    book = load_workbook(io.BytesIO(template_workbook()))
    assert book.sheetnames == ["Anggota", "Petunjuk"]
    sheet = book["Anggota"]
    assert [c.value for c in sheet[1]] == [column.label for column in COLUMNS]
    assert sheet["F2"].number_format == "@" and sheet["A2"].number_format == "@"
    assert "Teks" in book["Petunjuk"]["A3"].value


def test_a_messy_file_is_reported_by_row_and_column_and_nothing_is_saved(cohort):
    one, p1 = make_penggerak(cohort)
    two, p2 = make_penggerak(cohort)
    three, p3 = make_penggerak(cohort)
    shared = nik_for("14.71")
    rows = school_rows(one, p1, pengawas_nik=shared)
    rows += school_rows(two, p2, pengawas_nik=shared)  # the same pengawas in two schools
    third = school_rows(three, p3)
    third[1][5] = 1471011205850001  # a number cell: 16 digits that Excel cannot keep
    third[2][5] = "147101120585001"  # 15 digits
    rows += third[1:]  # no kepala sekolah
    report = roster_import_check(data=workbook(rows), cohort=cohort, schools=School.objects.all())
    assert report.rows == 11 and report.schools == 3
    located = {(f.row, f.letter, f.code) for f in report.findings}
    assert (8, "D", "person_on_two_committees") not in located  # the pengawas row of school two is row 9
    assert (9, "F", "person_on_two_committees") in located
    assert (10, "F", "member_identifier_format") in located
    assert (11, "F", "member_identifier_format") in located
    assert ("", "kepala_sekolah_single") in {(f.letter, f.code) for f in report.findings if f.row is None}
    damage = next(f for f in report.findings if f.row == 10)
    assert "Text" in str(damage.message) or "Teks" in str(damage.message)
    saved_report, outcome = roster_import_save(
        data=workbook(rows), cohort=cohort, schools=School.objects.all(), actor=None
    )
    assert outcome is None and not Committee.objects.exists() and not CommitteeMember.objects.exists()


def test_a_clean_file_saves_and_the_same_file_twice_creates_nothing_new(cohort):
    schools = [make_penggerak(cohort) for _ in range(3)]
    rows = [row for school, principal in schools for row in school_rows(school, principal)]
    data = workbook(rows)
    report, outcome = roster_import_save(
        data=data, cohort=cohort, schools=School.objects.all(), actor=None, submit=True
    )
    assert len(outcome.created) == 3 and len(outcome.submitted) == 3
    assert CommitteeMember.objects.count() == 12
    people, members = Person.objects.count(), CommitteeMember.objects.count()
    report, outcome = roster_import_save(
        data=data, cohort=cohort, schools=School.objects.all(), actor=None, submit=True
    )
    assert report.unchanged == 3 and not outcome.created and not outcome.updated and not outcome.submitted
    assert (Person.objects.count(), CommitteeMember.objects.count()) == (people, members)


def test_a_school_outside_the_user_area_is_refused(cohort):
    school, principal = make_penggerak(cohort, regency="18.71")
    report = roster_import_check(
        data=workbook(school_rows(school, principal)),
        cohort=cohort,
        schools=School.objects.filter(regency__code="14.71"),
    )
    assert {(f.row, f.letter) for f in report.findings} == {(2, "A"), (3, "A"), (4, "A"), (5, "A")}


def test_the_import_keeps_a_constant_number_of_queries(cohort):
    def queries_for(count):
        schools = [make_penggerak(cohort) for _ in range(count)]
        data = workbook([row for school, principal in schools for row in school_rows(school, principal)])
        Committee.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            roster_import_save(data=data, cohort=cohort, schools=School.objects.all(), actor=None, submit=True)
        return len(captured.captured_queries)

    queries_for(1)  # warm the caches (content types of the audit entries)
    assert queries_for(2) == queries_for(6)
