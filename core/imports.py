"""The two-phase import kit: read a spreadsheet by its header names, report findings by row and column,
and keep the uploaded file (encrypted, expiring) between the check and the confirmation.

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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from core.errors import DomainError
from core.models import ImportBatch
from core.xlsx import MAX_UPLOAD_BYTES, XlsxError, read_rows

Severity = Literal["error", "warning", "skipped"]

# A checked file that was never confirmed is dropped after this long (it holds personal data).
STALE_AFTER = timedelta(days=1)
# The header row is looked for in the first rows of the sheet (a title row or two above it is common).
HEADER_SEARCH_ROWS = 10


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
    """A cell's text as headers and choices are compared: no '*' marks, single spaces, case folded."""
    return re.sub(r"\s+", " ", str(text or "").replace("*", "")).strip().casefold()


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def header_keys(columns: Sequence[ImportColumn]) -> dict[str, str]:
    """Every header text accepted (key, English and Indonesian label, aliases) → column key."""
    keys: dict[str, str] = {}
    for column in columns:
        keys[normal(column.key)] = column.key
        for alias in column.aliases:
            keys[normal(alias)] = column.key
        for language in ("en", "id"):
            with translation.override(language):
                keys[normal(column.label)] = column.key
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
        key = keys.get(normal(text))
        if key and key not in positions:
            positions[key] = index
    return positions


def read_table(
    data: bytes, *, columns: Sequence[ImportColumn], sheet: str | None = None, max_rows: int | None = None
) -> Table:
    """Read the first sheet (or `sheet`) of an upload: the header row is the first of the top rows that
    names a known column; columns are found by name; empty rows are skipped.

    Raises ImportFileError when the file cannot be read. A missing required column, a file without data
    rows or with more than `max_rows` rows are findings of the table (`table.findings`).
    """
    keys = header_keys(columns)
    table = Table(columns=columns)
    try:
        rows = read_rows(data, sheet=sheet)
        top: list[tuple[int, tuple]] = []
        for number, values in rows:
            top.append((number, values))
            if not all(blank(value) for value in values):
                table.empty = False
            positions = _header_positions(values, keys)
            if positions:
                table.header_row, table.positions = number, positions
                break
            if len(top) >= HEADER_SEARCH_ROWS:
                break
        if not table.positions:
            # No header found: report against the first row, and read nothing as data.
            table.header_row = top[0][0] if top else 1
            rows = iter(())
        for number, values in rows:
            if all(blank(value) for value in values):
                continue
            table.empty = False
            record = {key: values[index] if index < len(values) else None for key, index in table.positions.items()}
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
