"""Import of Komite Pembelajaran from one Excel file for many schools, in two phases (the import kit,
`core.imports`: columns found by their header names, findings by row and column, the file staged
encrypted between the phases).

Phase 1 (`roster_import_check`) reads every row, groups the rows by NPSN and runs the rule engine on
each school's proposed committee, without writing: findings by row and column. Phase 2
(`roster_import_save`, or `roster_import_confirm` for a staged file) checks again and saves everything
in one transaction through `committees_save`, or nothing when a finding blocks. Unchanged committees
are left alone, so the same file twice creates nothing new. Queries are constant per file, not per row.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.identifiers import validate_npsn
from core.imports import (
    ImportColumn,
    ImportFileError,
    ImportFinding,
    batch_lock_waiting,
    batch_mark_imported,
    batch_stage,
    batches_of,
    normal,
    read_table,
)
from core.models import ImportBatch
from core.xlsx import Column, Sheet, build_workbook
from events.models import Cohort
from participants.models import School
from rosters.models import Position
from rosters.services import MemberData, SaveOutcome, committees_plan, committees_save

SHEET = "Anggota"
KIND = "rosters"
COLUMNS = (
    ImportColumn("npsn", "NPSN", width=14, text=True, required=True),
    ImportColumn("school_name", "Nama Sekolah", aliases=("Sekolah", "School name")),
    ImportColumn("full_name", "Nama Lengkap", required=True, aliases=("Nama", "Nama Anggota", "Full name")),
    ImportColumn("position", "Jabatan", required=True, aliases=("Position",)),
    ImportColumn("class_taught", "Kelas/Mapel", aliases=("Kelas", "Mapel", "Class or subject taught")),
    ImportColumn("nik", "NIK", width=14, text=True),
    ImportColumn("nip", "NIP", width=14, text=True),
    ImportColumn("nuptk", "NUPTK", width=14, text=True),
)


def position_names() -> list[str]:
    """The positions as the template's drop-down offers them and messages name them: in words, never codes."""
    return [str(position.label) for position in Position]


def position_names_read() -> dict[str, str]:
    """Every way a cell may name a position → its code: its label in Indonesian or English (as the template
    offers it) and its code (files made before the drop-down was in words: `kepala_sekolah`). Built once per
    import: switching languages for each of 10,000 rows made the import half as fast again."""
    names = {}
    for position in Position:
        names[position.value.replace("_", " ")] = position.value
        for language in ("id", "en"):
            with translation.override(language):
                names[normal(position.label)] = position.value
    return names


def position_code(text, names: dict[str, str] | None = None) -> str | None:
    """The position a cell names (see `position_names_read`); None when it names none."""
    return (names or position_names_read()).get(normal(text).replace("_", " "))


@dataclass(frozen=True)
class RowFinding(ImportFinding):
    """A finding of the roster import: also the school (NPSN) it is about, and whether it blocks saving."""

    school: str = ""
    blocking: bool = True


@dataclass
class ImportReport:
    rows: int = 0
    schools: int = 0
    findings: list[RowFinding] = field(default_factory=list)
    entries: list[tuple[School, list[MemberData]]] = field(default_factory=list)
    plans: list = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def blocking(self) -> list[RowFinding]:
        return [f for f in self.findings if f.blocking]

    @property
    def can_save(self) -> bool:
        return not self.blocking and bool(self.entries)


def template_workbook() -> bytes:
    """The file to fill in: identifier columns formatted as Text, a drop-down of positions, and instructions."""
    columns = [
        Column(
            column.label,
            width=column.width if column.text else 24,
            text=column.text,
            choices=position_names() if column.key == "position" else None,
        )
        for column in COLUMNS
    ]
    instructions = [
        ["Satu baris untuk setiap anggota Komite Pembelajaran; beberapa sekolah boleh dalam satu berkas."],
        ["Kolom NPSN, NIK, NIP dan NUPTK berformat Teks: ketik angkanya, jangan ubah format kolom."],
        ["Jika NIK tampil seperti 3.20101E+15, format kolom sebagai Teks dan ketik ulang angkanya."],
        [f"Jabatan (pilih dari daftar): {'; '.join(position_names())}."],
        ["Guru wajib mengisi Kelas/Mapel, misalnya 'Kelas 1' dan 'Kelas 4' untuk SD."],
        ["Setiap anggota wajib memiliki minimal satu dari NIK, NIP atau NUPTK."],
        ["Mengunggah berkas yang sama dua kali tidak membuat data baru."],
    ]
    return build_workbook(
        [
            Sheet(SHEET, columns, template_rows=200),
            Sheet("Petunjuk", [Column("Petunjuk", width=110)], rows=instructions),
        ]
    )


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _identifier_cell(value):
    """A text cell as typed (trimmed); a number cell as it is, so the rules can say it was damaged."""
    return value.strip() if isinstance(value, str) else value


def roster_import_check(*, data: bytes, cohort: Cohort, schools, viewer=None) -> ImportReport:
    """Read and check the file; `schools` is the queryset of schools the user may submit for."""
    report = ImportReport()
    try:
        table = read_table(data, columns=COLUMNS, sheet=SHEET)
    except ImportFileError as error:
        report.findings.append(RowFinding(None, "", error.message))
        return report

    def finding(row, key, school, message, **kwargs) -> RowFinding:
        return RowFinding(row, table.label(key), message, letter=table.letter(key), school=school, **kwargs)

    if table.empty:
        report.findings.append(RowFinding(None, "", _("The file is empty.")))
        return report
    report.findings += [RowFinding(f.row, f.column, f.message, f.severity, f.code, f.letter) for f in table.findings]
    if report.findings:
        return report
    by_npsn: OrderedDict[str, list[tuple[int, dict]]] = OrderedDict()
    npsn_checked = {}  # the rows of a school repeat its NPSN: check each value once
    names = position_names_read()
    for number, record in table.rows:
        report.rows += 1
        raw_npsn = record.get("npsn")
        npsn_result = npsn_checked.get(raw_npsn) if isinstance(raw_npsn, str) else None
        if npsn_result is None:
            npsn_result = validate_npsn(raw_npsn, from_file=True)
            if isinstance(raw_npsn, str):
                npsn_checked[raw_npsn] = npsn_result
        if not npsn_result.ok:
            for error in npsn_result.errors:
                report.findings.append(finding(number, "npsn", _text(raw_npsn), error.message, code=error.code))
            continue
        if npsn_result.value not in by_npsn:
            # A warning (a letter in the NPSN) once per school, on its first row; it does not block.
            for warning in npsn_result.warnings:
                report.findings.append(
                    finding(
                        number,
                        "npsn",
                        npsn_result.value,
                        warning.message,
                        severity="warning",
                        code=warning.code,
                        blocking=False,
                    )
                )
        by_npsn.setdefault(npsn_result.value, []).append((number, record))
    known = {s.npsn: s for s in schools.filter(npsn__in=list(by_npsn)).select_related("regency")}
    for npsn, school_rows in by_npsn.items():
        school = known.get(npsn)
        if school is None:
            for number, _record in school_rows:
                report.findings.append(
                    finding(
                        number,
                        "npsn",
                        npsn,
                        _("No school with this NPSN in your area. Check the NPSN or ask Admin pusat to add it."),
                    )
                )
            continue
        members = []
        for number, record in school_rows:
            position = position_code(_text(record.get("position")), names)
            if position is None:
                report.findings.append(
                    finding(
                        number,
                        "position",
                        npsn,
                        _("Unknown position; use one of: %(codes)s.") % {"codes": "; ".join(position_names())},
                    )
                )
                continue
            if not _text(record.get("full_name")):
                report.findings.append(finding(number, "full_name", npsn, _("The name is missing.")))
                continue
            members.append(
                MemberData(
                    full_name=_text(record.get("full_name")),
                    position=position,
                    class_taught=_text(record.get("class_taught")),
                    **{key: _identifier_cell(record.get(key)) for key in ("nik", "nip", "nuptk")},
                    ref=number,
                    from_file=True,
                )
            )
        report.entries.append((school, members))
    report.schools = len(report.entries)
    report.plans = committees_plan(cohort=cohort, entries=report.entries, viewer=viewer)
    for plan in report.plans:
        for finding in plan.findings:
            located = finding.ref is not None and table.has(finding.field)
            report.findings.append(
                RowFinding(
                    finding.ref,
                    table.label(finding.field) if located else "",
                    finding.message,
                    finding.severity,
                    finding.code,
                    table.letter(finding.field) if located else "",
                    school=plan.school.npsn,
                    blocking=finding in plan.blocking,
                )
            )
        if plan.locked:
            report.findings.append(
                RowFinding(
                    None,
                    "",
                    _("The committee of this school is %(status)s and cannot be changed now.")
                    % {"status": plan.existing.get_status_display()},
                    school=plan.school.npsn,
                )
            )
        if plan.existing is None:
            report.new += 1
        elif plan.unchanged:
            report.unchanged += 1
        else:
            report.changed += 1
    report.findings.sort(key=lambda f: (f.row or 0, f.letter))
    return report


def roster_import_save(
    *, data: bytes, cohort: Cohort, schools, actor, submit: bool = False
) -> tuple[ImportReport, SaveOutcome | None]:
    """Check again and save when nothing blocks; returns the report and what was saved (None if nothing)."""
    with transaction.atomic():
        report = roster_import_check(data=data, cohort=cohort, schools=schools, viewer=actor)
        if not report.can_save:
            return report, None
        outcome = committees_save(cohort=cohort, entries=report.entries, actor=actor, submit=submit, plans=report.plans)
    return report, outcome


def roster_import_stage(*, data: bytes, filename: str, cohort: Cohort, user) -> ImportBatch:
    """Keep a checked file (encrypted) until the user confirms it."""
    return batch_stage(kind=KIND, scope={"cohort_id": cohort.pk}, user=user, filename=filename, data=data)


def roster_import_batches_of(user):
    """The roster files `user` uploaded and has not confirmed yet (nobody else sees them)."""
    return batches_of(user=user, kind=KIND).filter(status=ImportBatch.Status.CHECKED)


def roster_import_confirm(
    *, batch: ImportBatch, cohort: Cohort, schools, actor, submit: bool = False
) -> tuple[ImportReport, SaveOutcome | None]:
    """Check the staged file again and save it (`roster_import_save`); the file's bytes go once it is saved."""
    with transaction.atomic():
        locked = batch_lock_waiting(batch)
        if locked is None or locked.scope.get("cohort_id") != cohort.pk:
            report = ImportReport()
            report.findings.append(RowFinding(None, "", _("This file has already been imported.")))
            return report, None
        report, outcome = roster_import_save(
            data=bytes(locked.data), cohort=cohort, schools=schools, actor=actor, submit=submit
        )
        if outcome is not None:
            batch_mark_imported(
                locked,
                result={
                    "created": len(outcome.created),
                    "updated": len(outcome.updated),
                    "unchanged": len(outcome.unchanged),
                },
            )
    return report, outcome
