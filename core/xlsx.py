"""Reading uploaded .xlsx files safely, and writing workbooks that Excel cannot damage.

- Uploads are checked before openpyxl sees them: size, a real zip, the declared uncompressed size,
  the compression ratio and the number of entries (zip bombs), and no external links. They are
  opened read-only, values only. defusedxml is installed, so openpyxl parses every XML part with
  it (``openpyxl.DEFUSEDXML``): entity declarations (billion laughs, external entities) are refused.
- Every written cell that holds user data is neutralised against formula injection, and
  identifier columns are formatted as Text so Excel keeps all 16 or 18 digits.
"""

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ENTRIES = 10_000
TEXT_FORMAT = "@"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses an in-cell drop-down list longer than 255 characters (commas included); longer lists,
# or choices holding a comma or a quote, go on a hidden sheet that the drop-down refers to.
MAX_INLINE_LIST_CHARS = 255
CHOICES_SHEET_TITLE = "_choices"


NOT_XLSX_MESSAGE = _("This is not an Excel .xlsx file. Save it as 'Excel Workbook (.xlsx)' and upload it again.")


class XlsxError(Exception):
    """The upload is not a workbook we can read; `message` says why, for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check_upload(data: bytes) -> None:
    """Refuse what is not a plain, reasonably sized .xlsx before any XML is parsed."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise XlsxError(_("The file is larger than 10 MB."))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise XlsxError(NOT_XLSX_MESSAGE)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise XlsxError(_("The file is damaged and cannot be read.")) from error
    if len(entries) > MAX_ENTRIES:
        raise XlsxError(_("The file has too many parts to be a normal workbook."))
    declared = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries) or 1
    if declared > MAX_UNCOMPRESSED_BYTES or declared / compressed > MAX_COMPRESSION_RATIO:
        raise XlsxError(_("The file unpacks to far more data than a workbook should hold."))
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise XlsxError(NOT_XLSX_MESSAGE)
    if any(name.startswith("xl/externalLinks/") for name in names):
        raise XlsxError(_("The workbook links to other files. Copy the values into a new workbook and upload that."))


def read_rows(data: bytes, *, sheet: str | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield (row number, values) of a checked upload, read-only, values only (no formulas run)."""
    check_upload(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise XlsxError(_("The file is damaged and cannot be read.")) from error
    try:
        worksheet = workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        number = 0
        while True:
            # Read-only mode parses the sheet XML while rows are read: a broken or hostile part (an XML
            # entity declaration, refused by defusedxml) surfaces here, not in load_workbook.
            try:
                values = next(rows)
            except StopIteration:
                break
            except Exception as error:
                raise XlsxError(_("The file is damaged and cannot be read.")) from error
            number += 1
            yield number, values
    finally:
        workbook.close()


# "+62 812-3456-7890", "-5", "+628******7890": a sign, then only digits, separators and mask stars.
# Even run as a formula this is plain arithmetic, so phone numbers keep their "+" instead of gaining
# a visible apostrophe.
_PLAIN_SIGNED_NUMBER = re.compile(r"[+-][0-9][0-9 .,()*\-]*")


def neutralise(value: Any) -> Any:
    """A text that Excel would run as a formula gets a leading apostrophe-like quote; others pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


@dataclass
class Column:
    header: str
    width: int = 18
    text: bool = False  # identifiers: formatted as Text so Excel keeps every digit
    choices: Sequence[str] | None = None  # a drop-down list


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)
    template_rows: int = 0  # empty rows pre-formatted (Text columns, drop-downs) for data entry
    wrap_text: bool = False  # long texts (instructions) wrap inside their column
    hidden: bool = False


def _inline_list(choices: Sequence[str]) -> str | None:
    """The drop-down formula for a short list written in the cell rule, or None when it cannot be inline."""
    texts = [str(choice) for choice in choices]
    if any("," in text or '"' in text for text in texts):
        return None
    listing = ",".join(texts)
    if len(listing) > MAX_INLINE_LIST_CHARS:
        return None
    return f'"{listing}"'


def _list_on_choices_sheet(workbook: Workbook, choices: Sequence[str]) -> str:
    """Write the choices in a new column of the hidden choices sheet; the range formula that refers to them."""
    if CHOICES_SHEET_TITLE in workbook.sheetnames:
        sheet = workbook[CHOICES_SHEET_TITLE]
        column = sheet.max_column + 1 if sheet.max_row > 1 or sheet["A1"].value is not None else 1
    else:
        sheet = workbook.create_sheet(CHOICES_SHEET_TITLE)
        sheet.sheet_state = "hidden"
        column = 1
    for row_number, choice in enumerate(choices, start=1):
        cell = sheet.cell(row=row_number, column=column, value=neutralise(str(choice)))
        cell.number_format = TEXT_FORMAT
    letter = get_column_letter(column)
    return f"'{CHOICES_SHEET_TITLE}'!${letter}$1:${letter}${max(len(choices), 1)}"


def build_workbook(sheets: Sequence[Sheet]) -> bytes:
    """Write sheets to an .xlsx (bytes). User data is neutralised; Text columns stay text.

    A column's drop-down is written in the cell rule when it fits Excel's 255-character limit, else its
    choices go on a hidden sheet (``_choices``) and the rule refers to that range.

    Sheets without drop-downs or pre-formatted template rows (every export, whatever its size) are streamed
    through openpyxl's write-only mode: each row is written once as it comes and never kept, so a 20,000-row
    export costs a fraction of the cell-by-cell workbook; import templates (drop-downs) take the editable one.
    """
    if not any(spec.template_rows or any(column.choices for column in spec.columns) for spec in sheets):
        return _build_streamed(sheets)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        worksheet = workbook.create_sheet(spec.title[:31])
        if spec.hidden:
            worksheet.sheet_state = "hidden"
        worksheet.append([neutralise(column.header) for column in spec.columns])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "A2"
        last_row = 1
        for row in spec.rows:
            worksheet.append([neutralise(value) for value in row])
            last_row += 1
            if spec.wrap_text:
                for cell in worksheet[last_row]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        last_row = max(last_row, 1 + spec.template_rows)
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            worksheet.column_dimensions[letter].width = column.width
            if column.text:
                for row_number in range(2, last_row + 1):
                    cell = worksheet.cell(row=row_number, column=index)
                    cell.number_format = TEXT_FORMAT
                    if cell.value is not None and not isinstance(cell.value, str):
                        cell.value = str(cell.value)
            if column.choices:
                formula = _inline_list(column.choices) or _list_on_choices_sheet(workbook, column.choices)
                validation = DataValidation(type="list", formula1=formula, allow_blank=True)
                validation.error = str(_("Choose a value from the list."))
                validation.showErrorMessage = True
                worksheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{max(last_row, 1000)}")
    if CHOICES_SHEET_TITLE in workbook.sheetnames:  # last, after the sheets people read
        position = workbook.sheetnames.index(CHOICES_SHEET_TITLE)
        workbook.move_sheet(CHOICES_SHEET_TITLE, offset=len(workbook.sheetnames) - 1 - position)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _style(workbook: Workbook, *, bold: bool = False, text: bool = False, wrap: bool = False) -> StyleArray:
    """The style of a cell (bold font, Text number format, wrapped alignment) registered once in `workbook`:
    every cell that shares it carries the same small array, not a style of its own."""
    style = StyleArray()
    if bold:
        style.fontId = workbook._fonts.add(Font(bold=True))
    if text:
        style.numFmtId = 49  # the built-in "@" (Text) format
    if wrap:
        style.alignmentId = workbook._alignments.add(Alignment(wrap_text=True, vertical="top"))
    return style


def _build_streamed(sheets: Sequence[Sheet]) -> bytes:
    """`build_workbook` for sheets of plain rows, in write-only mode: the same cells, formats, widths and frozen
    header as the editable workbook, written row by row."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        worksheet = workbook.create_sheet(spec.title[:31])
        if spec.hidden:
            worksheet.sheet_state = "hidden"
        for index, column in enumerate(spec.columns, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = column.width
        worksheet.freeze_panes = "A2"
        bold = _style(workbook, bold=True)
        # A styled cell is a Cell of its own (row and column are set by the writer; openpyxl needs some to start).
        worksheet.append(
            [
                Cell(worksheet, row=1, column=1, value=neutralise(column.header), style_array=bold)
                for column in spec.columns
            ]
        )
        # One style per column (None: a plain value, no Cell object); Text columns also get their empty cells.
        styles = [
            _style(workbook, text=column.text, wrap=spec.wrap_text) if column.text or spec.wrap_text else None
            for column in spec.columns
        ]
        texts = [column.text for column in spec.columns]
        plain = not any(styles)
        for row in spec.rows:
            if plain:
                worksheet.append([neutralise(value) for value in row])
                continue
            values = []
            for value, style, text in zip(row, styles, texts, strict=False):
                value = neutralise(value)
                if style is None:
                    values.append(value)
                    continue
                if text and value is not None and not isinstance(value, str):
                    value = str(value)
                values.append(Cell(worksheet, row=1, column=1, value=value, style_array=style))
            worksheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
