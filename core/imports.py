"""The two-phase import kit: read a spreadsheet by its header names, report findings by row and column,
and keep the uploaded file (encrypted, expiring) between the check and the confirmation.

Files come as people make them: Excel .xlsx, old Excel .xls (BIFF, read with xlrd) or .csv text, a title
row or two above the header, a two-level merged header ("Identitas" over NIK / NIP / NUPTK), columns in
any order with headers in any case and punctuation ("No. Induk Kependudukan", "NIK", "nik *"), extra
columns, rows of spaces. `read_upload_rows` tells a file it cannot read by its own message (0 bytes, a
CSV renamed .xlsx, a password, damage); `read_table` finds the header row and the columns by name.

An import of an area (registrations, Komite Pembelajaran rosters) is two phases (STYLE.md habit 6):

1. check: `read_table()` finds the header row and the columns by their names (never by position), the
   area validates every row into `ImportFinding`s without writing, and `batch_stage()` keeps the file;
2. confirm: the area reads the staged file again (`batch.data`), checks it again (the database may have
   changed) and saves in one short transaction, then `batch_mark_imported()` drops the file's bytes.

The file waits in the database (`core.ImportBatch`), encrypted like NIKs, never on a server's disk: the
check and the confirmation may be served by two servers, and a checked file that is never confirmed is
dropped after `STALE_AFTER`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain
from typing import Any, Literal

import xlrd
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from core.errors import DomainError
from core.models import ImportBatch
from core.xlsx import MAX_UPLOAD_BYTES, NOT_XLSX_MESSAGE, XlsxError, read_rows

Severity = Literal["error", "warning", "skipped"]

# A checked file that was never confirmed is dropped after this long (it holds personal data).
STALE_AFTER = timedelta(days=1)
# The header row is looked for in the first rows of the sheet (title rows, a logo, a blank line above it).
HEADER_SEARCH_ROWS = 15
# The names of the files an import reads; anything else is refused by its name.
ACCEPTED_EXTENSIONS = (".xlsx", ".xls", ".csv")
# The file input's `accept`: the three kinds by name and by media type.
UPLOAD_ACCEPT = (
    ".xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.ms-excel,text/csv"
)
ACCEPTED_FORMATS_MESSAGE = _("Upload an Excel file (.xlsx or .xls) or a CSV file (.csv).")


class ImportFileError(DomainError):
    """The upload cannot be read as an import at all; `message` says why, for the user."""


@dataclass(frozen=True)
class ImportColumn:
    """A column of an import: found by its `key`, its `label` (English or Indonesian) or an alias."""

    key: str
    label: Any  # a lazy translation: the header written in the template and shown in findings
    width: int = 18
    text: bool = False  # identifiers: formatted as Text in the template
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportFinding:
    """One problem: the sheet's row number (None: the whole file or a group of rows), the column's header
    (and its letter in the sheet), the message."""

    row: int | None
    column: str
    message: Any
    severity: Severity = "error"
    code: str = ""
    letter: str = ""


def normal(text: Any) -> str:
    """A cell's text as choices are compared: no '*' marks, single spaces, case folded."""
    return re.sub(r"\s+", " ", str(text or "").replace("*", "")).strip().casefold()


def header_text(text: Any) -> str:
    """A header as headers are compared: case, spaces, line breaks, punctuation and '*' marks ignored, so that
    "No. HP", "NO HP" and "No.HP *" are one header."""
    return re.sub(r"[\W_]+", "", str(text or "").casefold())


def _without_notes(text: Any) -> str:
    """A header without its note in brackets: "Jenis Kelamin (L/P)" → "Jenis Kelamin"."""
    return re.sub(r"\([^)]*\)|\[[^]]*\]", "", str(text or ""))


# Headers people write for the columns every import of people may have, beyond the labels of the template.
# An area's own label and aliases come first: "Jabatan" is a committee position in one import, a job in another.
COMMON_ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": ("Nama", "Nama Lengkap", "Nama Lengkap dan Gelar", "Nama Lengkap (dengan gelar)", "Nama Peserta"),
    "nik": ("No. Induk Kependudukan", "Nomor Induk Kependudukan", "NIK KTP", "No. KTP", "Nomor KTP"),
    "nip": ("Nomor Induk Pegawai", "NIP/NI PPPK", "NIP/NIPPPK", "NIP PNS"),
    "nuptk": ("Nomor Unik Pendidik dan Tenaga Kependidikan",),
    "npsn": ("NPSN Sekolah", "Nomor Pokok Sekolah Nasional"),
    "school_name": ("Nama Sekolah", "Sekolah", "Nama Satuan Pendidikan", "Satuan Pendidikan", "Asal Sekolah"),
    "phone": (
        "No. HP",
        "Nomor HP",
        "HP",
        "No. HP/WA",
        "No. WA",
        "WhatsApp",
        "No. WhatsApp",
        "Telepon",
        "No. Telepon",
        "Nomor Telepon",
        "No. Telp",
        "Telp",
        "Handphone",
        "Ponsel",
    ),
    "email": ("Email", "E-mail", "Alamat Email", "Alamat E-mail", "Surel", "Alamat Surel"),
    "nip_is_pppk": ("PPPK", "Status PPPK", "ASN PPPK", "NI PPPK"),
}

# What a blank cell may hold besides nothing: spaces of every kind, and the invisible ones Excel users paste.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip().strip(_INVISIBLE).strip())


def header_keys(columns: Sequence[ImportColumn]) -> dict[str, str]:
    """Every header text accepted (key, English and Indonesian label, aliases, the common aliases of the key),
    compared as `header_text` compares them → column key."""
    keys: dict[str, str] = {}

    def accept(text: Any, key: str) -> None:
        for variant in (text, _without_notes(text)):
            if header_text(variant):
                keys.setdefault(header_text(variant), key)

    for column in columns:  # the area's own names win over the common ones
        accept(column.key, column.key)
        for language in ("id", "en"):
            with translation.override(language):
                accept(str(column.label), column.key)
        for alias in column.aliases:
            accept(alias, column.key)
    for column in columns:
        for alias in COMMON_ALIASES.get(column.key, ()):
            accept(alias, column.key)
    return keys


@dataclass
class Table:
    """The data rows of a sheet as {column key: cell value}, with where each column was found."""

    columns: Sequence[ImportColumn]
    header_row: int = 1
    positions: dict[str, int] = field(default_factory=dict)  # column key → index in the row
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row number, values)
    findings: list[ImportFinding] = field(default_factory=list)  # about the file as a whole
    empty: bool = True  # not one filled cell in the rows read

    def has(self, key: str) -> bool:
        return key in self.positions

    def label(self, key: str) -> str:
        column = next((c for c in self.columns if c.key == key), None)
        return str(column.label) if column else ""

    def letter(self, key: str) -> str:
        return get_column_letter(self.positions[key] + 1) if key in self.positions else ""

    def finding(self, row: int | None, key: str, message, *, severity: Severity = "error", code: str = ""):
        return ImportFinding(row, self.label(key), message, severity, code, self.letter(key))


def _header_positions(values: Sequence[Any], keys: dict[str, str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, text in enumerate(values):
        key = keys.get(header_text(text)) if isinstance(text, str) else None
        if key and key not in positions:
            positions[key] = index
    return positions


def _second_header_row(values: Sequence[Any], keys: dict[str, str], found: dict[str, int]) -> dict[str, int]:
    """The columns a row next to the header row adds, when it is the other level of a two-level header
    ("Identitas" merged over NIK / NIP / NUPTK on the row below): at least one column not found yet, in cells
    the header row left empty, and mostly header names, not data."""
    taken = set(found.values())
    added = {
        key: index for key, index in _header_positions(values, keys).items() if key not in found and index not in taken
    }
    filled = sum(1 for value in values if not blank(value))
    return added if added and 2 * len(added) >= filled else {}


def _find_header(top: list[tuple[int, tuple]], keys: dict[str, str]) -> tuple[int, dict[str, int]]:
    """(index in `top` of the last header row, column positions): the row naming the most known columns (the
    first of equals), with the row above or below it when the header has two levels."""
    best, positions = -1, {}
    for index, (_number, values) in enumerate(top):
        found = _header_positions(values, keys)
        if len(found) > len(positions):
            best, positions = index, found
    if best < 0:
        return -1, {}
    last = best
    if best + 1 < len(top):
        below = _second_header_row(top[best + 1][1], keys, positions)
        if below:
            positions = {**positions, **below}
            last = best + 1
    if last == best and best > 0:
        positions = {**positions, **_second_header_row(top[best - 1][1], keys, positions)}
    return last, positions


def _data_row(values: Sequence[Any], positions: dict[str, int]) -> dict[str, Any] | None:
    """A row's values by column key, None when every known column is blank (a row of spaces, or only a
    running number in a "No." column the import does not read)."""
    record = {key: values[index] if index < len(values) else None for key, index in positions.items()}
    return None if all(blank(value) for value in record.values()) else record


def read_table(
    data: bytes,
    *,
    columns: Sequence[ImportColumn],
    sheet: str | None = None,
    max_rows: int | None = None,
    filename: str | None = None,
) -> Table:
    """Read the first sheet (or `sheet`) of an upload (.xlsx, .xls or .csv, see `read_upload_rows`): the header
    row is found among the top rows (the one naming the most known columns, with its second level if merged
    headers have two), columns are found by name, rows without a value in a known column are skipped.

    Raises ImportFileError when the file cannot be read. An empty sheet, a missing required column or more
    than `max_rows` rows are findings of the table (`table.findings`); row numbers are the sheet's own.
    """
    keys = header_keys(columns)
    table = Table(columns=columns)
    try:
        rows = read_upload_rows(data, filename=filename, sheet=sheet)
        top: list[tuple[int, tuple]] = []
        for number, values in rows:
            if top or not all(blank(value) for value in values):  # blank rows above it do not count
                top.append((number, values))
            if len(top) >= HEADER_SEARCH_ROWS:
                break
        table.empty = not top
        last, table.positions = _find_header(top, keys)
        if table.empty:
            table.findings.append(ImportFinding(None, "", EMPTY_SHEET_MESSAGE, code="empty_file"))
            return table
        if last < 0:
            # No header found: report against the first filled row, and read nothing as data.
            table.header_row = top[0][0]
            rows = iter(())
        else:
            table.header_row = top[last][0]
            rows = chain(top[last + 1 :], rows)
        for number, values in rows:
            record = _data_row(values, table.positions)
            if record is None:
                continue
            table.rows.append((number, record))
            if max_rows is not None and len(table.rows) > max_rows:
                table.rows = []
                table.findings.append(
                    ImportFinding(
                        None,
                        "",
                        _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": max_rows},
                        code="too_many_rows",
                    )
                )
                return table
    except XlsxError as error:
        raise ImportFileError(error.message) from error
    for column in columns:
        if column.required and not table.has(column.key):
            table.findings.append(
                ImportFinding(
                    table.header_row,
                    str(column.label),
                    _(
                        "The column is missing from the header row. Download the template again and copy the "
                        "data into it."
                    ),
                    code="column_missing",
                )
            )
    return table


# --- reading an upload: .xlsx, .xls, .csv, and why a file cannot be read -----------------------------------------

EMPTY_SHEET_MESSAGE = _("The workbook is empty: its first sheet has no data. Copy the rows into the template.")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: .xls, and Office's encrypted .xlsx
_ENCRYPTED_PARTS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def _password_error() -> XlsxError:
    return XlsxError(
        _(
            "The file is protected with a password. Open it, remove the password (File, Info, Protect Workbook, "
            "Encrypt with Password: leave it empty), save it and upload it again."
        )
    )


def _extension(filename: str | None) -> str:
    name = (filename or "").strip().lower()
    return name[name.rfind(".") :] if "." in name else ""


def check_upload_name(filename: str | None) -> None:
    """Refuse by its name a file no import reads (a .pdf, a .docx, an .ods); raises ImportFileError."""
    if _extension(filename) not in ACCEPTED_EXTENSIONS:
        raise ImportFileError(ACCEPTED_FORMATS_MESSAGE)


def read_upload_rows(
    data: bytes, *, filename: str | None = None, sheet: str | None = None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield (row number, values) of an uploaded sheet, whatever it was saved as; the kind is read from the
    bytes, the name only tells a CSV from a text file renamed .xlsx (no name: an .xlsx is expected).

    Raises XlsxError with the message for the user: 0 bytes, larger than 10 MB, a password, a CSV renamed
    .xlsx, a damaged file, not a spreadsheet.
    """
    if not data:
        raise XlsxError(
            _("The file is empty (0 bytes): it was not saved, or not copied whole. Save it again and upload it.")
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise XlsxError(_("The file is larger than 10 MB."))
    if data.startswith(b"PK"):
        return read_rows(data, sheet=sheet)
    if data.startswith(_OLE2_MAGIC):
        if any(part in data for part in _ENCRYPTED_PARTS):
            raise _password_error()
        return _xls_rows(data, sheet=sheet)
    text = _as_text(data)
    if text is None:
        raise XlsxError(NOT_XLSX_MESSAGE)
    if _extension(filename) != ".csv":
        raise XlsxError(
            _(
                "This file is text (CSV), not an Excel workbook, although its name ends in %(extension)s. Open it "
                "and save it as 'Excel Workbook (.xlsx)', or upload it under a name ending in .csv."
            )
            % {"extension": _extension(filename) or ".xlsx"}
        )
    return _csv_rows(text)


def _cell(value: Any) -> Any:
    """A value of a .xls or .csv cell as openpyxl gives it: a whole number as an int, blank as None."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == "":
        return None
    return value


def _xls_rows(data: bytes, *, sheet: str | None) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of an Excel 97-2003 .xls (BIFF) workbook, read by xlrd: numbers as numbers (so a NIK typed in a
    number cell is seen for what it is), dates as datetimes, errors as blank."""
    try:
        book = xlrd.open_workbook(file_contents=data, logfile=io.StringIO(), on_demand=True)
    except Exception as error:  # xlrd raises many kinds on a broken or foreign compound file
        if "encrypted" in str(error).lower():
            raise _password_error() from error
        if "workbook" in str(error).lower():  # "Can't find workbook in OLE2 compound document": a .doc, a .msg
            raise XlsxError(NOT_XLSX_MESSAGE) from error
        raise XlsxError(_("The file is damaged and cannot be read.")) from error

    def rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            names = book.sheet_names()
            worksheet = book.sheet_by_name(sheet) if sheet and sheet in names else book.sheet_by_index(0)
            for index in range(worksheet.nrows):
                values = []
                for cell in worksheet.row(index):
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        values.append(bool(cell.value))
                    elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        values.append(None)
                    else:
                        values.append(_cell(cell.value))
                yield index + 1, tuple(values)
        except XlsxError:
            raise
        except Exception as error:
            raise XlsxError(_("The file is damaged and cannot be read.")) from error
        finally:
            book.release_resources()

    return rows()


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _as_text(data: bytes) -> str | None:
    """The upload as text when it is text (UTF-8, UTF-16 with its mark, or Windows' ANSI as Excel saves a CSV);
    None when it is some other binary file."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    controls = sum(1 for char in text[:8192] if ord(char) < 32 and char not in "\r\n\t")
    return None if controls else text


def _csv_rows(text: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of a CSV text: the separator guessed (Excel in Indonesian writes ';', others ','), every value
    text as typed (a CSV keeps the digits a Text column shows)."""
    sample = text[:16384]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        first = sample.splitlines()[0] if sample.strip() else ""
        delimiter = max(",;\t|", key=first.count)
        dialect = type("Guessed", (csv.excel,), {"delimiter": delimiter})

    def rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        try:
            for values in reader:
                yield reader.line_num, tuple(_cell(value) for value in values)
        except csv.Error as error:
            raise XlsxError(_("The file is damaged and cannot be read.")) from error

    return rows()


# --- the staged file between the check and the confirmation ------------------------------------------------


def batch_stage(*, kind: str, scope: dict, user, filename: str, data: bytes) -> ImportBatch:
    """Keep an uploaded file (encrypted) for its confirmation; drops the unconfirmed files of over a day."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is larger than 10 MB."))
    ImportBatch.objects.filter(status=ImportBatch.Status.CHECKED, created_at__lt=timezone.now() - STALE_AFTER).delete()
    return ImportBatch.objects.create(kind=kind, scope=scope, created_by=user, filename=filename[:200], data=data)


def batches_of(*, user, kind: str):
    """The batches `user` uploaded for imports of `kind`: nobody else ever sees a staged file."""
    if not getattr(user, "is_authenticated", False):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by=user, kind=kind)


def batch_lock_waiting(batch: ImportBatch) -> ImportBatch | None:
    """Lock the batch (inside the caller's transaction); None when it was imported meanwhile.

    A double click or a second tab waits on the lock, then finds the batch imported.
    """
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    return locked if locked.status == ImportBatch.Status.CHECKED else None


def batch_mark_imported(locked: ImportBatch, *, result: dict) -> None:
    """The file is imported: its bytes go (the personal data now live in the area's rows), its result stays."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("batch_mark_imported runs inside the import's transaction")
    locked.status = ImportBatch.Status.IMPORTED
    locked.data = b""
    locked.result = result
    locked.save(update_fields=["status", "data", "result", "updated_at"])
