import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import AuditEntry, ImportBatch
from core.xlsx import CHOICES_SHEET_TITLE, MAX_UPLOAD_BYTES
from events.models import SiteQuota
from participants.imports import (
    COLUMN_BY_KEY,
    ImportRefused,
    import_batch_confirm,
    import_batch_create,
    import_check,
    import_template_build,
)
from participants.models import Person, Registration
from participants.waitlist import waiting_line
from tests.factories import register, user_in, valid_nik

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEYS = ["full_name", "nik", "nip", "gender", "birth_date", "agency", "province", "site", "role", "phone", "email"]


@pytest.fixture
def panitia(lokakarya):
    return user_in("Panitia", organized=[lokakarya])


def row(name="Lalu Peserta", nik=None, site="Kab. Bima", role="CGP", **values):
    values = {"full_name": name, "nik": nik if nik is not None else valid_nik(), "site": site, "role": role, **values}
    return values


def workbook_bytes(rows, keys=KEYS) -> bytes:
    """A workbook with the template's headers; values are written as given (str, int, float, date)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(COLUMN_BY_KEY[key].label) for key in keys])
    for values in rows:
        sheet.append([values.get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, event, data, name="peserta.xlsx"):
    return client.post(
        reverse("participants:import_start"),
        {"event": event.pk, "file": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def codes(check):
    return {(finding.row, finding.column, finding.code) for finding in check.findings}


# --- Template ------------------------------------------------------------------------------------------------


def test_template_has_text_identifiers_dropdowns_and_instructions(lokakarya, bima):
    koordinator = user_in("Koordinator site", sites=[bima])
    workbook = load_workbook(io.BytesIO(import_template_build(event=lokakarya, user=koordinator)))
    data, instructions = workbook.worksheets[0], workbook.worksheets[1]
    headers = [cell.value for cell in data[1]]
    assert headers[:2] == [str(COLUMN_BY_KEY["full_name"].label), "NIK"]
    nik_column = headers.index("NIK") + 1
    assert data.cell(row=2, column=nik_column).number_format == "@"
    assert data.cell(row=200, column=nik_column).number_format == "@"
    formulas = {
        str(validation.sqref).split(":")[0].rstrip("0123456789"): validation.formula1
        for validation in data.data_validations.dataValidation
    }
    site_letter = chr(ord("A") + headers.index(str(COLUMN_BY_KEY["site"].label)))
    role_letter = chr(ord("A") + headers.index(str(COLUMN_BY_KEY["role"].label)))
    province_letter = chr(ord("A") + headers.index(str(COLUMN_BY_KEY["province"].label)))
    # The koordinator of Bima may only choose Bima; the roles are the program's.
    assert formulas[site_letter] == '"Kab. Bima"'
    assert "CGP" in formulas[role_letter] and "Pengawas Sekolah" in formulas[role_letter]
    # 38 province names exceed Excel's 255 characters: they live on a hidden sheet.
    assert formulas[province_letter].startswith(f"'{CHOICES_SHEET_TITLE}'!")
    hidden = workbook[CHOICES_SHEET_TITLE]
    assert hidden.sheet_state == "hidden"
    column = formulas[province_letter].split("!")[1].split(":")[0].strip("$")[0]
    names = [cell.value for cell in hidden[column] if cell.value]
    assert len(names) == 38 and "Nusa Tenggara Barat" in names
    # The instructions are in Indonesian by default.
    text = " ".join(str(cell.value) for cell in instructions["A"])
    assert lokakarya.title in text
    assert "Teks" in text and "3.20101E+15" in text


def test_template_download_is_scoped(client, lokakarya, rakor, panitia):
    client.force_login(panitia)
    response = client.get(reverse("participants:import_template", args=[lokakarya.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert client.get(reverse("participants:import_template", args=[rakor.pk])).status_code == 404


# --- Clean files ---------------------------------------------------------------------------------------------


def test_clean_file_is_imported_with_audit_entries(client, lokakarya, bima, panitia):
    rows = [
        row("Baiq Nurul Aini, S.Pd.", gender="P", birth_date="12/05/1985", province="Nusa Tenggara Barat"),
        row("Lalu Ahmad", role="Kepala Sekolah", phone="0812-3456-7890", email="lalu@example.invalid"),
        row("Made Wirawan", site="Kab. Lombok Timur", role="PP", agency="BGP Provinsi NTB"),
    ]
    client.force_login(panitia)
    content = workbook_bytes(rows)
    response = upload(client, lokakarya, content)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("participants:import_batch", args=[batch.pk])
    # The waiting upload is encrypted at rest (a Fernet token in the column), and reads back whole.
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM core_importbatch WHERE id = %s", [batch.pk])
        raw = bytes(cursor.fetchone()[0])
    assert raw.startswith(b"gAAAA") and not raw.startswith(b"PK") and bytes(batch.data) == content
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["check"].is_clean and len(page.context["check"].clean_rows) == 3
    assert Registration.objects.count() == 0  # nothing before the confirmation

    response = client.post(response.url, {"mode": "all"})
    assert response.status_code == 302
    registrations = Registration.objects.select_related("person", "site", "role").order_by("person__full_name")
    assert [(r.person.full_name, r.site.name, r.role.code, r.source) for r in registrations] == [
        ("Baiq Nurul Aini, S.Pd.", "Kab. Bima", "CGP", "import"),
        ("Lalu Ahmad", "Kab. Bima", "KEPALA_SEKOLAH", "import"),
        ("Made Wirawan", "Kab. Lombok Timur", "PP", "import"),
    ]
    baiq = registrations[0].person
    assert baiq.gender == "P" and baiq.birth_date.isoformat() == "1985-05-12" and baiq.province.code == "52"
    assert registrations[1].person.phone == "+6281234567890"
    assert registrations[2].person.agency.short_name == "BGP Provinsi NTB"
    assert all(r.created_by == panitia for r in registrations)
    assert AuditEntry.objects.filter(action="registration.created").count() == 3
    entry = AuditEntry.objects.get(action="import.completed")
    assert entry.actor == panitia and entry.data["created"] == 3
    batch.refresh_from_db()
    assert batch.status == "imported" and bytes(batch.data) == b""  # no personal data left in the batch
    # Confirming twice does nothing more.
    client.post(reverse("participants:import_batch", args=[batch.pk]), {"mode": "all"})
    assert Registration.objects.count() == 3


def test_the_same_file_twice_creates_no_duplicates(lokakarya, panitia):
    data = workbook_bytes([row("Ni Made Sari"), row("I Ketut Arta", role="PP")])
    first = import_batch_create(user=panitia, event=lokakarya, filename="a.xlsx", data=data)
    assert len(import_batch_confirm(batch=first, actor=panitia).registrations) == 2

    second = import_batch_create(user=panitia, event=lokakarya, filename="a.xlsx", data=data)
    check = import_check(event=lokakarya, user=panitia, data=data)
    assert check.is_clean and len(check.skipped_rows) == 2 and not check.clean_rows
    assert {f.code for f in check.findings} == {"already_registered"}
    assert all(f.severity == "skipped" for f in check.findings)
    result = import_batch_confirm(batch=second, actor=panitia)
    assert result.registrations == [] and result.skipped == 2
    assert Registration.objects.count() == 2 and Person.objects.count() == 2


# --- Findings ------------------------------------------------------------------------------------------------


def test_every_kind_of_error_is_reported_by_row_and_column_and_nothing_is_written(lokakarya, bima, panitia):
    registered = register(bima, "CGP", name="Sudah Terdaftar")
    other = register(bima, "PP", name="Nama Lain")
    people, registrations = Person.objects.count(), Registration.objects.count()
    duplicate = valid_nik()
    rows = [
        row("Bersih Satu", nik=duplicate),  # 2: clean
        row("", nik=valid_nik()),  # 3: no name
        row("NIK Pendek", nik="520101120585001"),  # 4: 15 digits
        row("NIK Angka", nik=3201010000000000.0),  # 5: a number cell (Excel kept 15 digits)
        row("NIK Ilmiah", nik="3.20101E+15"),  # 6: the same, typed or pasted as text
        row("Ganda", nik=duplicate),  # 7: the same NIK as row 2
        row("Sudah Terdaftar", nik=registered.person.nik),  # 8: already registered: skipped, not an error
        row("Orang Lain", nik=other.person.nik),  # 9: NIK registered under another name
        row("Site Salah", site="Kab. Sumbawa"),  # 10
        row("Unsur Salah", role="Astronaut"),  # 11
        row("Instansi Salah", agency="Dinas Antah Berantah"),  # 12
        row("Tanpa Nomor", nik=""),  # 13: no identifier at all
        row("Data Salah", gender="X", birth_date="31/02/1990", phone="12", email="bukan-email", province="Atlantis"),
        row("NIP Salah", nip="19800512200501100"),  # 15: 17 digits
    ]
    check = import_check(event=lokakarya, user=panitia, data=workbook_bytes(rows))
    label = {key: str(COLUMN_BY_KEY[key].label) for key in COLUMN_BY_KEY}
    expected = {
        (3, label["full_name"], "name_missing"),
        (4, "NIK", "nik_length"),
        (5, "NIK", "excel_number_damage"),
        (6, "NIK", "excel_number_damage"),
        (7, "NIK", "duplicate_in_file"),
        (8, "NIK", "already_registered"),
        (9, "NIK", "identifier_under_other_name"),
        (10, label["site"], "site_unknown"),
        (11, label["role"], "role_unknown"),
        (12, label["agency"], "agency_unknown"),
        (13, "NIK", "identifier_missing"),
        (14, label["gender"], "gender_invalid"),
        (14, label["birth_date"], "date_invalid"),
        (14, label["phone"], "phone_too_short"),
        (14, label["email"], "email_invalid"),
        (14, label["province"], "province_unknown"),
        (15, "NIP", "nip_length"),
    }
    assert codes(check) == expected
    assert [r.number for r in check.clean_rows] == [2]
    assert [r.number for r in check.skipped_rows] == [8]
    assert "row 2" in str(next(f.message for f in check.findings if f.code == "duplicate_in_file")) or "baris 2" in str(
        next(f.message for f in check.findings if f.code == "duplicate_in_file")
    )
    batch = import_batch_create(user=panitia, event=lokakarya, filename="x.xlsx", data=workbook_bytes(rows))
    with pytest.raises(ImportRefused) as refused:
        import_batch_confirm(batch=batch, actor=panitia)
    assert codes(refused.value.check) == expected
    assert (Person.objects.count(), Registration.objects.count()) == (people, registrations)
    batch.refresh_from_db()
    assert batch.status == "checked"


@pytest.mark.parametrize("value", [3201010000000000.0, 3201011205850001, "3.20101E+15", "3201011205850000.0"])
def test_excel_number_damage_as_number_cell_and_as_text(lokakarya, panitia, value):
    check = import_check(event=lokakarya, user=panitia, data=workbook_bytes([row("Rusak", nik=value)]))
    [finding] = check.findings
    assert (finding.row, finding.column, finding.code) == (2, "NIK", "excel_number_damage")
    assert "Teks" in str(finding.message)  # "format the column as Text and type the number again"


def test_only_the_clean_rows_option(client, lokakarya, panitia):
    rows = [row("Bersih A"), row("Rusak", nik="3.20101E+15"), row("Bersih B", role="PP")]
    client.force_login(panitia)
    response = upload(client, lokakarya, workbook_bytes(rows))
    url = response.url
    page = client.get(url)
    assert len(page.context["check"].error_rows) == 1 and page.context["check"].can_import_clean_rows
    refused = client.post(url, {"mode": "all"})
    assert refused.status_code == 200 and Registration.objects.count() == 0
    done = client.post(url, {"mode": "clean"})
    assert done.status_code == 302
    assert sorted(Registration.objects.values_list("person__full_name", flat=True)) == ["Bersih A", "Bersih B"]
    assert ImportBatch.objects.get().result == {"created": 2, "waiting": 0, "skipped": 0, "refused": 1}


def test_sites_outside_the_users_scope_are_findings(lokakarya, bima):
    koordinator = user_in("Koordinator site", sites=[bima])
    rows = [row("Di Bima"), row("Di Sikur", site="Kab. Lombok Timur")]
    check = import_check(event=lokakarya, user=koordinator, data=workbook_bytes(rows))
    assert codes(check) == {(3, str(COLUMN_BY_KEY["site"].label), "site_not_allowed")}


def test_a_closed_quota_refuses_the_rows_beyond_the_free_seats(lokakarya, bima, panitia):
    SiteQuota.objects.filter(site=bima, role__code="PENGAWAS_SEKOLAH").update(close_when_full=True)
    for _ in range(3):
        register(bima, "PENGAWAS_SEKOLAH")
    rows = [row(f"Pengawas {n}", role="Pengawas Sekolah") for n in range(4)]
    check = import_check(event=lokakarya, user=panitia, data=workbook_bytes(rows))
    assert [r.number for r in check.clean_rows] == [2, 3]
    assert {f.code for f in check.findings} == {"quota_full"}


def test_rows_beyond_a_full_quota_may_join_its_waiting_list_in_the_order_of_the_file(client, lokakarya, bima, panitia):
    SiteQuota.objects.filter(site=bima, role__code="PENGAWAS_SEKOLAH").update(close_when_full=True)
    for _ in range(3):
        register(bima, "PENGAWAS_SEKOLAH")  # two places are left
    rows = [row(f"Pengawas {n}", role="Pengawas Sekolah") for n in range(4)] + [row("Guru Bersih")]
    client.force_login(panitia)
    url = upload(client, lokakarya, workbook_bytes(rows)).url
    page = client.get(url)
    check = page.context["check"]
    assert [r.number for r in check.waitlist_rows] == [4, 5] and check.clean_with_waitlist
    html = page.content.decode()
    assert "2 baris ditolak hanya karena kuotanya penuh" in html
    assert "Impor 3 baris dan masukkan 2 ke daftar tunggu" in html

    assert client.post(url, {"mode": "all"}).status_code == 200  # without the waiting list: refused whole
    assert not Registration.objects.filter(source=Registration.Source.IMPORT).exists()
    assert client.post(url, {"mode": "all_waitlist"}).status_code == 302
    imported = Registration.objects.filter(source=Registration.Source.IMPORT).order_by("submitted_at", "pk")
    assert [(r.full_name, r.status) for r in imported] == [
        ("Pengawas 0", "submitted"),
        ("Pengawas 1", "submitted"),
        ("Pengawas 2", "waiting"),
        ("Pengawas 3", "waiting"),
        ("Guru Bersih", "submitted"),
    ]
    line = waiting_line(site_id=bima.pk, role_id=imported[0].role_id)
    assert [r.full_name for r in line] == ["Pengawas 2", "Pengawas 3"]  # the file's order
    batch = ImportBatch.objects.get()
    assert batch.result == {"created": 5, "waiting": 2, "skipped": 0, "refused": 0}
    assert "2 di antaranya masuk daftar tunggu" in client.get(url).content.decode()
    entry = AuditEntry.objects.get(action="import.completed")
    assert entry.data["waitlist"] is True and entry.data["waiting"] == 2


def test_other_errors_still_block_the_rows_that_would_wait(client, lokakarya, bima, panitia):
    SiteQuota.objects.filter(site=bima, role__code="PENGAWAS_SEKOLAH").update(close_when_full=True, target=0)
    rows = [row("Pengawas Antre", role="Pengawas Sekolah"), row("Rusak", nik="3.20101E+15"), row("Guru Bersih")]
    client.force_login(panitia)
    url = upload(client, lokakarya, workbook_bytes(rows)).url
    check = client.get(url).context["check"]
    assert [r.number for r in check.waitlist_rows] == [2] and not check.clean_with_waitlist
    assert client.post(url, {"mode": "all_waitlist"}).status_code == 200  # the broken row blocks the whole file
    assert not Registration.objects.filter(source=Registration.Source.IMPORT).exists()
    assert client.post(url, {"mode": "clean_waitlist"}).status_code == 302
    imported = Registration.objects.filter(source=Registration.Source.IMPORT)
    assert sorted(imported.values_list("full_name", "status")) == [
        ("Guru Bersih", "submitted"),
        ("Pengawas Antre", "waiting"),
    ]
    assert ImportBatch.objects.get().result == {"created": 2, "waiting": 1, "skipped": 0, "refused": 1}


def test_missing_columns_and_empty_files_are_file_findings(lokakarya, panitia):
    check = import_check(event=lokakarya, user=panitia, data=workbook_bytes([row()], keys=["full_name", "nik"]))
    assert {(f.column, f.code) for f in check.file_findings} == {
        (str(COLUMN_BY_KEY["site"].label), "column_missing"),
        (str(COLUMN_BY_KEY["role"].label), "column_missing"),
    }
    assert {f.code for f in import_check(event=lokakarya, user=panitia, data=workbook_bytes([])).file_findings} == {
        "empty"
    }


# --- Files that are not workbooks ----------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def _corrupted_workbook() -> bytes:
    """A real zip whose workbook part is garbage: the central directory is fine, the content is not."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "this is not xml <<<")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("gambar.xlsx", PNG, "bukan berkas Excel"),
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 100, "xlsx"),
        ("terpotong.xlsx", workbook_bytes([row()])[:2000], "bukan berkas Excel"),
        ("rusak.xlsx", _corrupted_workbook(), "rusak"),
        ("besar.xlsx", b"0" * (MAX_UPLOAD_BYTES + 1), "10 MB"),
    ],
)
def test_unreadable_files_get_a_clear_message_never_a_500(client, lokakarya, panitia, name, data, message):
    client.force_login(panitia)
    response = upload(client, lokakarya, data, name=name)
    assert response.status_code == 200
    errors = " ".join(str(error) for error in response.context["form"].errors["file"])
    assert message in errors
    assert ImportBatch.objects.count() == 0


# --- Permissions ---------------------------------------------------------------------------------------------


def test_who_may_import(client, lokakarya, panitia):
    verifikator = user_in("Verifikator", provinces=["52"])
    client.force_login(verifikator)
    assert client.get(reverse("participants:import_start")).status_code == 403
    batch = import_batch_create(user=panitia, event=lokakarya, filename="a.xlsx", data=workbook_bytes([row()]))
    other_panitia = user_in("Panitia", organized=[lokakarya])
    client.force_login(other_panitia)
    assert client.get(reverse("participants:import_batch", args=[batch.pk])).status_code == 404
    client.force_login(panitia)
    page = client.get(reverse("participants:import_start"))
    assert page.status_code == 200 and list(page.context["events"]) == [lokakarya]


# --- Query count ---------------------------------------------------------------------------------------------


def test_validation_queries_do_not_grow_with_the_rows(lokakarya, bima, panitia):
    registered = [register(bima, "CGP", name=f"Lama {n}") for n in range(3)]

    def file_with(count):
        rows = [row(f"Baru {n}", agency="BGP Provinsi NTB", province="52") for n in range(count)]
        rows += [row(r.person.full_name, nik=r.person.nik) for r in registered]
        return workbook_bytes(rows)

    small, large = file_with(10), file_with(100)
    import_check(event=lokakarya, user=panitia, data=small)  # warm the user's group cache
    with CaptureQueriesContext(connection) as ten:
        check_small = import_check(event=lokakarya, user=panitia, data=small)
    with CaptureQueriesContext(connection) as hundred:
        check_large = import_check(event=lokakarya, user=panitia, data=large)
    assert len(check_small.clean_rows) == 10 and len(check_large.clean_rows) == 100
    assert len(check_large.skipped_rows) == 3
    assert len(ten) == len(hundred)


def test_the_downloaded_template_filled_in_imports_cleanly(lokakarya, panitia):
    workbook = load_workbook(io.BytesIO(import_template_build(event=lokakarya, user=panitia)))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for number, values in enumerate([row("Ni Luh Template"), row("I Made Template", role="PP")], start=2):
        for key, value in values.items():
            sheet.cell(row=number, column=headers.index(str(COLUMN_BY_KEY[key].label)) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    check = import_check(event=lokakarya, user=panitia, data=buffer.getvalue())
    assert check.is_clean and [r.number for r in check.clean_rows] == [2, 3]


def test_the_check_page_lists_findings_by_row_and_column(client, lokakarya, panitia):
    client.force_login(panitia)
    response = upload(client, lokakarya, workbook_bytes([row("Baik"), row("Rusak", nik="3.20101E+15")]))
    page = client.get(response.url).content.decode()
    assert "Format kolom sebagai Teks" in page
    assert "<td>3</td>" in page and "<td>NIK</td>" in page
    assert "Impor hanya 1 baris yang bersih" in page


def test_a_csv_file_is_read_like_a_workbook_and_a_csv_renamed_xlsx_is_refused(client, lokakarya, panitia):
    """One reader for both imports (core.imports): headers by name in any case and punctuation, ';' or ','."""
    nik = valid_nik()
    text = (
        "No.;NAMA LENGKAP;No. Induk Kependudukan;Site;Unsur;No. HP\r\n"
        f"1;Lalu Peserta;{nik};Kab. Bima;CGP;0812-3456-7890\r\n"
    )
    check = import_check(event=lokakarya, user=panitia, data=text.encode(), filename="peserta.csv")
    assert not check.findings and [row.number for row in check.rows] == [2]
    assert (check.rows[0].person_data.nik, check.rows[0].person_data.phone) == (nik, "+6281234567890")
    client.force_login(panitia)
    response = upload(client, lokakarya, text.encode(), name="peserta.xlsx")
    errors = " ".join(str(error) for error in response.context["form"].errors["file"])
    assert "CSV" in errors and ImportBatch.objects.count() == 0
    response = upload(client, lokakarya, text.encode(), name="peserta.csv")
    assert ImportBatch.objects.get().filename == "peserta.csv"


def test_the_pppk_column_chooses_the_ni_pppk_rule_and_is_saved(lokakarya, panitia):
    keys = [*KEYS, "nip_is_pppk"]
    rows = [
        row("Guru PPPK", nik="", nip="199005122023211002", nip_is_pppk="Ya"),  # 2: an NI PPPK, marked
        row("Guru PNS", nik="", nip="198609262015053001", nip_is_pppk=""),  # 3: gender digit 3, not marked
        row("Tanda Salah", nik="", nip="199005122023211003", nip_is_pppk="mungkin"),  # 4: neither yes nor no
    ]
    check = import_check(event=lokakarya, user=panitia, data=workbook_bytes(rows, keys))
    assert codes(check) == {(3, "NIP", "nip_gender"), (4, "PPPK", "pppk_mark_invalid")}
    # No more "accepted as an NI PPPK" warning: a NIP breaking the PNS structure is an error, said precisely.
    assert "(3)" in str(next(f.message for f in check.findings if f.row == 3))
    batch = import_batch_create(user=panitia, event=lokakarya, filename="p.xlsx", data=workbook_bytes(rows, keys))
    import_batch_confirm(batch=batch, actor=panitia, clean_only=True)
    saved = Registration.objects.get(full_name="Guru PPPK")
    assert (saved.nip, saved.nip_is_pppk, saved.person.nip_is_pppk) == ("199005122023211002", True, True)
    assert not Registration.objects.filter(full_name__in=["Guru PNS", "Tanda Salah"]).exists()
