"""Roster files as Dinas staff make them, generated here: title rows, a merged title, a two-level merged header,
columns reordered, renamed and extra, a "No." column, rows of spaces, a NIK column typed as numbers, .xls and
.csv files, a LibreOffice-saved workbook, and the files no import can read. Each is imported (the committees
and members are in the database with the right values) or refused with its message and nothing saved."""

import io
import shutil
import subprocess
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment

from core.identifiers import EXCEL_NUMBER_DAMAGE_MESSAGE
from core.models import ImportBatch
from events import groups as G
from participants.models import Person, School
from rosters.imports import roster_import_check, roster_import_save
from rosters.models import Committee, CommitteeMember
from rosters.rules import findings_for_committees
from tests.factories import user_in
from tests.rosters.conftest import make_penggerak, nik_for

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
)


# --- building the files -------------------------------------------------------------------------------------


def members_of(school, principal):
    """The four members of an SD committee that passes every rule, as {header key: value}."""
    return [
        {"name": principal.full_name, "position": "Kepala Sekolah", "class": "", "nik": principal.nik},
        {"name": f"Guru Satu {school.npsn}", "position": "Guru", "class": "Kelas 1", "nik": nik_for("14.71")},
        {"name": f"Guru Empat {school.npsn}", "position": "Guru", "class": "Kelas 4", "nik": nik_for("14.71")},
        {"name": f"Pengawas {school.npsn}", "position": "Pengawas Sekolah", "class": "", "nik": nik_for("14.71")},
    ]


def book_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messy_workbook(schools) -> tuple[bytes, list[tuple[int, str, dict]]]:
    """A title merged over the columns, a subtitle, a blank row, a two-level header ("Identitas" merged over
    NIK / NIP / NUPTK, the other headers merged down over both rows), a "No." column, the columns in another
    order than the template's, an extra "Keterangan" column, and trailing rows of spaces.

    Returns the file and (sheet row, NPSN, member) of every member row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Komite"
    sheet["A1"] = "DAFTAR ANGGOTA KOMITE PEMBELAJARAN SEKOLAH PENGGERAK ANGKATAN 1"
    sheet.merge_cells("A1:J1")
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet["A2"] = "Dinas Pendidikan Kota Pekanbaru"
    sheet.merge_cells("A2:J2")
    top = ["No.", "Nama Lengkap", "Jabatan di Komite", "Kelas/Mapel", "Identitas", None, None, "NPSN", "Sekolah"]
    top.append("Keterangan")
    for column, text in enumerate(top, start=1):
        sheet.cell(row=4, column=column, value=text)
    for column, text in ((5, "No. Induk Kependudukan"), (6, "NIP"), (7, "NUPTK")):
        sheet.cell(row=5, column=column, value=text)
    sheet.merge_cells("E4:G4")
    for letter in "ABCDHIJ":
        sheet.merge_cells(f"{letter}4:{letter}5")
    placed = []
    row = 6
    for school, principal in schools:
        for member in members_of(school, principal):
            values = [row - 5, member["name"], member["position"], member["class"], member["nik"], None, None]
            values += [school.npsn, school.name, "lengkap"]
            for column, value in enumerate(values, start=1):
                sheet.cell(row=row, column=column, value=value)
            placed.append((row, school.npsn, member))
            row += 1
    for column in (2, 5, 8):  # a row of spaces: blank, not a member
        sheet.cell(row=row, column=column, value="   ")
    sheet.cell(row=row + 1, column=2, value="\u00a0")
    sheet.cell(row=row + 1, column=1, value=row - 4)  # a running number with no member beside it
    return book_bytes(book), placed


def plain_workbook(header, rows) -> bytes:
    book = Workbook()
    book.active.append(header)
    for values in rows:
        book.active.append(values)
    return book_bytes(book)


def import_saves(data, cohort, *, filename=None):
    report, outcome = roster_import_save(
        data=data, cohort=cohort, schools=School.objects.all(), actor=None, filename=filename
    )
    assert outcome is not None, [(f.row, f.letter, str(f.message)) for f in report.findings]
    return report, outcome


def assert_saved(schools, *, members_per_school=4):
    """The committees of `schools` hold the members of `members_of`, in order, with their positions, classes
    and NIKs."""
    assert Committee.objects.count() == len(schools)
    for school, principal in schools:
        committee = Committee.objects.get(school=school)
        saved = list(committee.members.select_related("person").order_by("order"))
        assert len(saved) == members_per_school
        assert [m.person.full_name for m in saved][0] == principal.full_name
        assert [m.position for m in saved] == ["kepala_sekolah", "guru", "guru", "pengawas"]
        assert [m.class_taught for m in saved] == ["", "Kelas 1", "Kelas 4", ""]
        assert saved[0].person_id == principal.pk  # found by NIK, not created again
        assert all(len(m.person.nik) == 16 for m in saved)


def libreoffice(data: bytes, *, source: str, target: str, tmp_path: Path) -> bytes:
    """The file as LibreOffice Calc saves it (`target`: "xls" for Excel 97-2003 BIFF8, "xlsx")."""
    folder = tmp_path / "lo"
    folder.mkdir(exist_ok=True)
    path = folder / f"roster.{source}"
    path.write_bytes(data)
    out = folder / "out"
    subprocess.run(  # noqa: S603 (soffice, found on the PATH, on files this test wrote)
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (out / f"roster.{target}").read_bytes()


# --- files that import ----------------------------------------------------------------------------------------


def test_title_rows_a_merged_title_and_a_two_level_merged_header_are_found_not_read_as_data(cohort):
    schools = [make_penggerak(cohort) for _ in range(2)]
    data, placed = messy_workbook(schools)
    report = roster_import_check(data=data, cohort=cohort, schools=School.objects.all())
    assert report.findings == [] and report.rows == 8 and report.schools == 2 and report.new == 2
    import_saves(data, cohort)
    assert_saved(schools)


def test_findings_name_the_sheets_own_rows_and_letters(cohort):
    schools = [make_penggerak(cohort)]
    data, placed = messy_workbook(schools)
    book_rows = {row: member for row, _npsn, member in placed}
    bad_row = placed[2][0]  # Guru Empat
    assert bad_row == 8
    book = load_workbook(io.BytesIO(data))
    book.active.cell(row=bad_row, column=5, value="52080115089")  # a NIK of 11 digits
    report = roster_import_check(data=book_bytes(book), cohort=cohort, schools=School.objects.all())
    assert [(f.row, f.letter, f.code) for f in report.findings] == [(8, "E", "member_identifier_format")]
    assert book_rows[8]["name"].startswith("Guru Empat")
    with translation.override("id"):
        assert "16 digit" in str(report.findings[0].message)
    _report, outcome = roster_import_save(
        data=book_bytes(book), cohort=cohort, schools=School.objects.all(), actor=None
    )
    assert outcome is None and not Committee.objects.exists() and not CommitteeMember.objects.exists()


def test_reordered_renamed_and_extra_columns_in_any_case_and_punctuation(cohort):
    schools = [make_penggerak(cohort) for _ in range(2)]
    header = [
        "NO",
        "Catatan Dinas",
        "n.i.k.",
        "NAMA",
        "No. HP",
        "jabatan  dalam komite",
        "KELAS / MAPEL *",
        "NPSN Sekolah",
        "Nama Satuan Pendidikan",
    ]
    rows = [
        [n, "-", member["nik"], member["name"], "081234567890", member["position"].upper(), member["class"], s.npsn]
        for n, (s, p) in enumerate(schools, start=1)
        for member in members_of(s, p)
    ]
    report, outcome = import_saves(plain_workbook(header, rows), cohort)
    assert report.rows == 8 and len(outcome.created) == 2
    assert_saved(schools)


def test_rows_of_spaces_and_a_numbered_but_empty_row_are_not_members(cohort):
    schools = [make_penggerak(cohort)]
    school, principal = schools[0]
    rows = [[school.npsn, m["name"], m["position"], m["class"], m["nik"]] for m in members_of(school, principal)]
    rows += [["  ", " ", "\t", "\u00a0", "\u200b"], [None, "   "]]
    header = ["NPSN", "Nama Lengkap", "Jabatan", "Kelas/Mapel", "NIK"]
    report, _outcome = import_saves(plain_workbook(header, rows), cohort)
    assert report.rows == 4
    assert_saved(schools)


def test_a_nik_column_typed_as_numbers_gives_one_text_message_per_cell_and_nothing_else(cohort):
    """Excel keeps 15 digits: 5208011508900001 and 5208011508900002 typed in number cells both arrive as
    5208011508900000. Each cell says "format as Text"; they do not also read as one person listed twice, in two
    schools, or under two names."""
    schools = [make_penggerak(cohort) for _ in range(2)]
    header = ["NPSN", "Nama Lengkap", "Jabatan", "Kelas/Mapel", "NIK"]
    rows = []
    for school, principal in schools:
        members = members_of(school, principal)
        for member in members[1:3]:  # both teachers of both schools
            member["nik"] = 5208011508900000
        rows += [[school.npsn, m["name"], m["position"], m["class"], m["nik"]] for m in members]
    data = plain_workbook(header, rows)
    report = roster_import_check(data=data, cohort=cohort, schools=School.objects.all())
    assert sorted((f.row, f.letter, f.code) for f in report.findings) == [
        (row, "E", "member_identifier_format") for row in (3, 4, 7, 8)
    ]
    with translation.override("id"):
        assert {str(f.message) for f in report.findings} == {str(EXCEL_NUMBER_DAMAGE_MESSAGE)}
        assert "Teks" in str(EXCEL_NUMBER_DAMAGE_MESSAGE)
    people = Person.objects.count()
    _report, outcome = roster_import_save(data=data, cohort=cohort, schools=School.objects.all(), actor=None)
    assert outcome is None
    assert (Committee.objects.count(), CommitteeMember.objects.count(), Person.objects.count()) == (0, 0, people)


def test_the_pppk_column_checks_the_nip_as_an_ni_pppk_and_is_kept(cohort):
    school, principal = make_penggerak(cohort)
    header = ["NPSN", "Nama Lengkap", "Jabatan", "Kelas/Mapel", "NIK", "NIP", "Status PPPK"]
    members = members_of(school, principal)
    rows = [[school.npsn, m["name"], m["position"], m["class"], m["nik"], None, None] for m in members]
    rows[1][5] = "199005122023211002"  # appointment month 21: not a PNS NIP, a valid NI PPPK
    report = roster_import_check(data=plain_workbook(header, rows), cohort=cohort, schools=School.objects.all())
    assert [(f.row, f.letter, f.code) for f in report.findings] == [(3, "F", "member_identifier_format")]
    with translation.override("id"):
        assert "PPPK" in str(report.findings[0].message)

    rows[1][6] = "tidak tahu"
    report = roster_import_check(data=plain_workbook(header, rows), cohort=cohort, schools=School.objects.all())
    assert sorted((f.row, f.letter, f.code) for f in report.findings) == [
        (3, "F", "member_identifier_format"),
        (3, "G", "pppk_mark_invalid"),
    ]

    rows[1][6] = "Ya"
    import_saves(plain_workbook(header, rows), cohort)
    member = CommitteeMember.objects.get(person__nip="199005122023211002")
    assert member.person.nip_is_pppk and member.person.full_name == members[1]["name"]
    committee = Committee.objects.select_related("school__regency").get()
    assert not [f for f in findings_for_committees([committee])[committee.pk] if f.is_error]

    # The same file without the PPPK mark is a change of the committee, and refused again.
    rows[1][6] = None
    report = roster_import_check(data=plain_workbook(header, rows), cohort=cohort, schools=School.objects.all())
    assert [f.code for f in report.findings] == ["member_identifier_format"]


@pytest.mark.parametrize(
    ("separator", "encoding"), [(";", "utf-8-sig"), (",", "utf-8"), ("\t", "utf-16"), (";", "cp1252")]
)
def test_a_csv_file_imports(cohort, separator, encoding):
    schools = [make_penggerak(cohort, principal_name="Kepala Sekolah Désiré") for _ in range(2)]
    lines = [separator.join(["No.", "NPSN", "Nama Lengkap", "Jabatan", "Kelas/Mapel", "NIK"])]
    for n, (school, principal) in enumerate(schools):
        for member in members_of(school, principal):
            values = [str(n), school.npsn, member["name"], member["position"], member["class"], member["nik"]]
            lines.append(separator.join(values))
    lines.append(separator * 5)  # Excel writes the empty rows it thinks are used
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    report, _outcome = import_saves(data, cohort, filename="komite.csv")
    assert report.rows == 8
    assert_saved(schools)
    assert Person.objects.filter(full_name="Kepala Sekolah Désiré").count() == 2


@needs_soffice
@pytest.mark.slow
@pytest.mark.parametrize("target", ["xls", "xlsx"])
def test_a_file_saved_by_libreoffice_imports(cohort, tmp_path, target):
    """The messy workbook opened and saved by LibreOffice Calc: as Excel 97-2003 (.xls, BIFF8, read by xlrd)
    and as .xlsx (LibreOffice's own writer: its merged cells, shared strings and dimensions)."""
    schools = [make_penggerak(cohort) for _ in range(2)]
    data, _placed = messy_workbook(schools)
    saved = libreoffice(data, source="xlsx", target=target, tmp_path=tmp_path)
    if target == "xls":
        assert saved.startswith(b"\xd0\xcf\x11\xe0")
    report, _outcome = import_saves(saved, cohort, filename=f"komite.{target}")
    assert report.rows == 8
    assert_saved(schools)


@needs_soffice
@pytest.mark.slow
def test_an_xls_with_a_nik_in_number_cells_says_format_as_text(cohort, tmp_path):
    school, principal = make_penggerak(cohort)
    members = members_of(school, principal)
    members[3]["nik"] = 1471011205850000  # a number cell; .xls keeps it as a float
    header = ["NPSN", "Nama Lengkap", "Jabatan", "Kelas/Mapel", "NIK"]
    rows = [[school.npsn, m["name"], m["position"], m["class"], m["nik"]] for m in members]
    saved = libreoffice(plain_workbook(header, rows), source="xlsx", target="xls", tmp_path=tmp_path)
    report = roster_import_check(data=saved, cohort=cohort, schools=School.objects.all(), filename="komite.xls")
    assert [(f.row, f.letter, f.code) for f in report.findings] == [(5, "E", "member_identifier_format")]
    with translation.override("id"):
        assert "Teks" in str(report.findings[0].message)


# --- files that are refused, through the screen --------------------------------------------------------------


def _encrypted(data: bytes) -> bytes:
    """The workbook encrypted with a password to open, as Excel does it (ECMA-376 agile encryption)."""
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(data)).encrypt("rahasia", out)
    return out.getvalue()


def _header_only() -> bytes:
    return plain_workbook(["NPSN", "Nama Lengkap", "Jabatan", "NIK"], [])


REFUSED = [
    ("kosong.xlsx", lambda: b"", "0 byte"),
    ("komite.xlsx", lambda: b"NPSN;Nama Lengkap;Jabatan;NIK\r\n10000001;Ani;Guru;1471011205850001\r\n", "CSV"),
    ("komite.xls", lambda: b"NPSN,Nama Lengkap\r\n10000001,Ani\r\n", "berakhiran .xls"),
    ("kosong2.xlsx", lambda: book_bytes(Workbook()), "Buku kerja kosong"),
    ("judul.xlsx", _header_only, "tidak berisi baris anggota"),
    ("sandi.xlsx", lambda: _encrypted(_header_only()), "kata sandi"),
    ("rusak.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 3000, "rusak"),
    ("gambar.csv", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "bukan berkas Excel"),
    ("komite.ods", lambda: b"PK\x03\x04", ".xlsx atau .xls) atau berkas CSV"),
    ("komite.pdf", lambda: b"%PDF-1.4", ".xlsx atau .xls) atau berkas CSV"),
]


@pytest.mark.parametrize(("name", "build", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_a_file_that_cannot_be_read_gets_its_own_message_and_nothing_is_saved(client, cohort, name, build, message):
    make_penggerak(cohort)
    client.force_login(user_in(G.OPERATOR_DINAS, provinces=["14"]))
    upload = io.BytesIO(build())
    upload.name = name
    people = Person.objects.count()
    with translation.override("id"):
        response = client.post(reverse("rosters:roster_import"), {"file": upload, "submit": "on"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, page[page.find("<main") :][:3000]
    assert response.context["batch"] is None
    assert (ImportBatch.objects.count(), Committee.objects.count(), CommitteeMember.objects.count()) == (0, 0, 0)
    assert Person.objects.count() == people


def test_the_summary_never_counts_committees_when_a_finding_blocks(client, cohort):
    """Before the header was found, a two-level header read its second row as data: "NPSN harus 8 karakter" on
    row 2 beside "1 komite baru". A blocking finding now says that nothing will be saved."""
    school, principal = make_penggerak(cohort)
    header = ["NPSN", "Nama Lengkap", "Jabatan", "Kelas/Mapel", "NIK"]
    rows = [[school.npsn, m["name"], m["position"], m["class"], m["nik"]] for m in members_of(school, principal)]
    rows.append(["1234", "Orang Lain", "Guru", "Kelas 1", nik_for("14.71")])
    client.force_login(user_in(G.OPERATOR_DINAS, provinces=["14"]))
    upload = io.BytesIO(plain_workbook(header, rows))
    upload.name = "komite.xlsx"
    with translation.override("id"):
        response = client.post(reverse("rosters:roster_import"), {"file": upload, "submit": "on"})
    page = response.content.decode()
    assert "5 baris dibaca; 1 masalah menghalangi impor, jadi tidak ada komite yang disimpan." in page
    assert "komite baru" not in page
    assert not Committee.objects.exists() and ImportBatch.objects.count() == 0


def test_the_pppk_mark_reaches_a_person_already_recorded(cohort):
    """Someone recorded before without the mark (a registration, an earlier roster): the roster's PPPK mark is
    kept on the person, so the saved committee reads the NIP by the same rule as the file did."""
    school, principal = make_penggerak(cohort)
    members = members_of(school, principal)
    header = ["NPSN", "Nama Lengkap", "Jabatan", "Kelas/Mapel", "NIK", "NIP", "PPPK"]
    rows = [[school.npsn, m["name"], m["position"], m["class"], m["nik"], None, None] for m in members]
    rows[1][5], rows[1][6] = "199005122023211002", "Ya"
    known = Person.objects.create(full_name=members[1]["name"], nik=members[1]["nik"], nip="199005122023211002")
    assert not known.nip_is_pppk

    import_saves(plain_workbook(header, rows), cohort)

    known.refresh_from_db()
    assert known.nip_is_pppk
    committee = Committee.objects.select_related("school__regency").get()
    assert CommitteeMember.objects.filter(committee=committee, person=known).exists()
    assert not [f for f in findings_for_committees([committee])[committee.pk] if f.is_error]
