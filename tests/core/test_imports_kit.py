"""The two-phase import kit: columns found by their header names, findings by row and column, and the staged
file kept encrypted, for its uploader only, dropped when imported or stale."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from core.imports import (
    ImportColumn,
    ImportFileError,
    batch_lock_waiting,
    batch_mark_imported,
    batch_stage,
    batches_of,
    read_table,
)
from core.models import ImportBatch
from tests.factories import user_in

COLUMNS = (
    ImportColumn("npsn", "NPSN", required=True),
    ImportColumn("full_name", "Nama Lengkap", required=True, aliases=("Nama",)),
    ImportColumn("nik", "NIK"),
)


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_columns_are_found_by_name_in_any_order_and_empty_rows_are_skipped():
    table = read_table(
        workbook(
            ["NIK", "Catatan", "nama lengkap *", "NPSN"], ["5201", "x", "Ani", "10000001"], [], [None, "", "Budi"]
        ),
        columns=COLUMNS,
    )
    assert table.findings == []
    assert table.positions == {"nik": 0, "full_name": 2, "npsn": 3}
    assert table.rows == [
        (2, {"nik": "5201", "full_name": "Ani", "npsn": "10000001"}),
        (4, {"nik": None, "full_name": "Budi", "npsn": None}),
    ]
    assert (table.letter("full_name"), table.label("full_name")) == ("C", "Nama Lengkap")


def test_the_header_row_may_sit_below_a_title_and_an_alias_names_a_column():
    table = read_table(
        workbook(["DAFTAR KOMITE PEMBELAJARAN KAB. BIMA"], [], ["NPSN", "Nama"], ["10000001", "Ani"]),
        columns=COLUMNS,
    )
    assert table.header_row == 3 and table.findings == []
    assert table.rows == [(4, {"npsn": "10000001", "full_name": "Ani"})]


def test_a_missing_required_column_is_a_finding_on_the_header_row():
    table = read_table(workbook(["NPSN", "NIK"], ["10000001", "5201"]), columns=COLUMNS)
    assert [(f.row, f.column, f.code) for f in table.findings] == [(1, "Nama Lengkap", "column_missing")]


def test_too_many_rows_is_a_finding_and_reads_nothing():
    rows = [["NPSN", "Nama"]] + [[str(10000000 + n), f"Orang {n}"] for n in range(6)]
    table = read_table(workbook(*rows), columns=COLUMNS, max_rows=5)
    assert [f.code for f in table.findings] == ["too_many_rows"] and table.rows == []


def test_an_empty_file_and_an_unreadable_one():
    assert read_table(workbook(), columns=COLUMNS).empty
    with pytest.raises(ImportFileError):
        read_table(b"not a workbook", columns=COLUMNS)


@pytest.mark.django_db
def test_a_staged_file_is_encrypted_kept_for_its_uploader_and_dropped_when_imported():
    owner, other = user_in("Panitia"), user_in("Panitia")
    data = workbook(["NIK"], ["5201011205850001"])
    batch = batch_stage(kind="registrations", scope={"event_id": 1}, user=owner, filename="x.xlsx", data=data)

    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM core_importbatch WHERE id = %s", [batch.pk])
        stored = bytes(cursor.fetchone()[0])
    assert b"5201011205850001" not in stored and stored != data
    assert bytes(ImportBatch.objects.get(pk=batch.pk).data) == data

    assert list(batches_of(user=owner, kind="registrations")) == [batch]
    assert not batches_of(user=other, kind="registrations").exists()
    assert not batches_of(user=owner, kind="rosters").exists()

    from django.db import transaction

    with transaction.atomic():
        locked = batch_lock_waiting(batch)
        batch_mark_imported(locked, result={"created": 1})
    batch.refresh_from_db()
    assert (batch.status, bytes(batch.data), batch.result) == (ImportBatch.Status.IMPORTED, b"", {"created": 1})
    with transaction.atomic():
        assert batch_lock_waiting(batch) is None  # a second confirmation finds it imported


@pytest.mark.django_db
def test_unconfirmed_files_older_than_a_day_are_dropped_at_the_next_upload():
    user = user_in("Panitia")
    old = batch_stage(kind="rosters", scope={}, user=user, filename="old.xlsx", data=b"x")
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    new = batch_stage(kind="rosters", scope={}, user=user, filename="new.xlsx", data=b"y")
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [new.pk]


def test_headers_are_compared_without_case_spaces_punctuation_or_notes_and_with_common_names():
    table = read_table(
        workbook(
            ["No.", "N.I.K *", "NAMA LENGKAP (dengan gelar)", "npsn\nsekolah", "No. HP"],
            [1, "5201", "Ani", "10000001", "0812"],
        ),
        columns=COLUMNS,
    )
    assert table.positions == {"nik": 1, "full_name": 2, "npsn": 3} and table.findings == []
    assert table.rows == [(2, {"nik": "5201", "full_name": "Ani", "npsn": "10000001"})]


def test_a_two_level_header_is_read_whichever_level_names_more_columns():
    # "Identitas" above NIK on the lower level; NPSN merged down from the upper level.
    table = read_table(
        workbook(["NPSN", "Identitas"], [None, "NIK", "Nama"], ["10000001", "5201", "Ani"]), columns=COLUMNS
    )
    assert (table.header_row, table.positions) == (2, {"nik": 1, "full_name": 2, "npsn": 0})
    assert table.rows == [(3, {"nik": "5201", "full_name": "Ani", "npsn": "10000001"})]


def test_a_csv_is_read_by_name_and_a_text_file_named_xlsx_is_refused():
    data = b"NPSN;Nama;NIK\r\n10000001;Ani;5201\r\n"
    table = read_table(data, columns=COLUMNS, filename="komite.CSV")
    assert table.rows == [(2, {"npsn": "10000001", "full_name": "Ani", "nik": "5201"})]
    with pytest.raises(ImportFileError):
        read_table(data, columns=COLUMNS, filename="komite.xlsx")
