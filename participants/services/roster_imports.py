"""Import of Komite Pembelajaran from one Excel file for many schools, in two phases.

Phase 1 (`roster_import_check`) reads every row, groups the rows by NPSN and runs the rule engine on
each school's proposed committee, without writing: findings by row and column. Phase 2
(`roster_import_save`) checks again and saves everything in one transaction through
`committees_save`, or nothing when a finding blocks. Unchanged committees are left alone, so the same
file twice creates nothing new. Queries are constant per file, not per row.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from core.identifiers import validate_npsn
from core.xlsx import Column, Sheet, XlsxError, build_workbook, read_rows
from events.models import Cohort
from participants.models import Position, School
from participants.services.roster import MemberData, SaveOutcome, committees_plan, committees_save

SHEET = "Anggota"
COLUMNS = [
    ("npsn", "NPSN"),
    ("school_name", "Nama Sekolah"),
    ("full_name", "Nama Lengkap"),
    ("position", "Jabatan"),
    ("class_taught", "Kelas/Mapel"),
    ("nik", "NIK"),
    ("nip", "NIP"),
    ("nuptk", "NUPTK"),
]
COLUMN_LETTER = {key: get_column_letter(i) for i, (key, _h) in enumerate(COLUMNS, start=1)}
TEXT_COLUMNS = {"npsn", "nik", "nip", "nuptk"}
POSITION_CODES = [p.value for p in Position]


@dataclass
class RowFinding:
    row: int | None
    column: str  # letter, "" for the committee as a whole
    school: str
    message: Any
    severity: str = "error"
    code: str = ""
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
            header,
            width=14 if key in TEXT_COLUMNS else 24,
            text=key in TEXT_COLUMNS,
            choices=POSITION_CODES if key == "position" else None,
        )
        for key, header in COLUMNS
    ]
    instructions = [
        ["Satu baris untuk setiap anggota Komite Pembelajaran; beberapa sekolah boleh dalam satu berkas."],
        ["Kolom NPSN, NIK, NIP dan NUPTK berformat Teks: ketik angkanya, jangan ubah format kolom."],
        ["Jika NIK tampil seperti 3.20101E+15, format kolom sebagai Teks dan ketik ulang angkanya."],
        [f"Jabatan: {', '.join(POSITION_CODES)}."],
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


def roster_import_check(*, data: bytes, cohort: Cohort, schools) -> ImportReport:
    """Read and check the file; `schools` is the queryset of schools the user may submit for."""
    report = ImportReport()
    try:
        rows = read_rows(data, sheet=SHEET)
        header = next(rows, None)
        by_npsn: OrderedDict[str, list[tuple[int, dict]]] = OrderedDict()
        npsn_checked = {}  # the rows of a school repeat its NPSN: check each value once
        for number, values in rows:
            if not any(v not in (None, "") for v in values):
                continue
            record = {key: values[i] if i < len(values) else None for i, (key, _h) in enumerate(COLUMNS)}
            report.rows += 1
            raw_npsn = record["npsn"]
            npsn_result = npsn_checked.get(raw_npsn) if isinstance(raw_npsn, str) else None
            if npsn_result is None:
                npsn_result = validate_npsn(raw_npsn)
                if isinstance(raw_npsn, str):
                    npsn_checked[raw_npsn] = npsn_result
            if not npsn_result.ok:
                report.findings.append(
                    RowFinding(number, COLUMN_LETTER["npsn"], _text(record["npsn"]), npsn_result.errors[0].message)
                )
                continue
            by_npsn.setdefault(npsn_result.value, []).append((number, record))
    except XlsxError as error:
        report.findings.append(RowFinding(None, "", "", error.message))
        return report
    if header is None:
        report.findings.append(RowFinding(None, "", "", _("The file is empty.")))
        return report
    known = {s.npsn: s for s in schools.filter(npsn__in=list(by_npsn)).select_related("regency")}
    for npsn, school_rows in by_npsn.items():
        school = known.get(npsn)
        if school is None:
            for number, _record in school_rows:
                report.findings.append(
                    RowFinding(
                        number,
                        COLUMN_LETTER["npsn"],
                        npsn,
                        _("No school with this NPSN in your area. Check the NPSN or ask Admin pusat to add it."),
                    )
                )
            continue
        members = []
        for number, record in school_rows:
            position = _text(record["position"]).lower().replace(" ", "_")
            if position not in POSITION_CODES:
                report.findings.append(
                    RowFinding(
                        number,
                        COLUMN_LETTER["position"],
                        npsn,
                        _("Unknown position; use one of: %(codes)s.") % {"codes": ", ".join(POSITION_CODES)},
                    )
                )
                continue
            if not _text(record["full_name"]):
                report.findings.append(RowFinding(number, COLUMN_LETTER["full_name"], npsn, _("The name is missing.")))
                continue
            members.append(
                MemberData(
                    full_name=_text(record["full_name"]),
                    position=position,
                    class_taught=_text(record["class_taught"]),
                    nik=record["nik"] if not isinstance(record["nik"], str) else record["nik"].strip(),
                    nip=record["nip"] if not isinstance(record["nip"], str) else record["nip"].strip(),
                    nuptk=record["nuptk"] if not isinstance(record["nuptk"], str) else record["nuptk"].strip(),
                    ref=number,
                )
            )
        report.entries.append((school, members))
    report.schools = len(report.entries)
    report.plans = committees_plan(cohort=cohort, entries=report.entries)
    for plan in report.plans:
        for finding in plan.findings:
            report.findings.append(
                RowFinding(
                    finding.ref,
                    COLUMN_LETTER.get(finding.field, "") if finding.ref is not None else "",
                    plan.school.npsn,
                    finding.message,
                    finding.severity,
                    finding.code,
                    blocking=finding in plan.blocking,
                )
            )
        if plan.locked:
            report.findings.append(
                RowFinding(
                    None,
                    "",
                    plan.school.npsn,
                    _("The committee of this school is %(status)s and cannot be changed now.")
                    % {"status": plan.existing.get_status_display()},
                )
            )
        if plan.existing is None:
            report.new += 1
        elif plan.unchanged:
            report.unchanged += 1
        else:
            report.changed += 1
    report.findings.sort(key=lambda f: (f.row or 0, f.column))
    return report


def roster_import_save(
    *, data: bytes, cohort: Cohort, schools, actor, submit: bool = False
) -> tuple[ImportReport, SaveOutcome | None]:
    """Check again and save when nothing blocks; returns the report and what was saved (None if nothing)."""
    with transaction.atomic():
        report = roster_import_check(data=data, cohort=cohort, schools=schools)
        if not report.can_save:
            return report, None
        outcome = committees_save(cohort=cohort, entries=report.entries, actor=actor, submit=submit, plans=report.plans)
    return report, outcome
