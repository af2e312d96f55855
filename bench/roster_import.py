"""Benchmark of the Komite Pembelajaran import: 10,000 member rows of 2,500 schools, imported and validated.

Run: `.venv/bin/python bench/roster_import.py`, with nothing prepared: its own PostgreSQL database
(bench/common.py: bench_roster_import, or BENCH_DATABASE_URL), created empty and dropped at the end, and
production-like settings (DEBUG off) with throw-away keys. Prints the import time, the peak RSS, the query
counts of a small and of the big file (they must be equal: queries per file, not per row), and last the ratio of the
import time to a bare openpyxl read-only pass over the same file: `ratio=<import / bare read>`.
Targets: ratio ≤ 4, peak RSS < 300 MB, equal query counts.
"""

import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_environment, machine, migrate, own_database  # noqa: E402

# Production-like settings with throw-away keys, and a database of its own, dropped at the end (bench/common.py).
own_database(bench_environment("roster_import"))
migrate()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from events.demo import seed_events_load  # noqa: E402
from events.models import Regency  # noqa: E402
from events.services.regions import regions_load  # noqa: E402
from participants.models import Person, School  # noqa: E402
from rosters.imports import COLUMNS, roster_import_save  # noqa: E402
from rosters.models import Committee, CommitteeMember, SekolahPenggerak  # noqa: E402

SCHOOLS = 2_500
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
REGENCIES = ["14.71", "14.01", "18.71", "18.01", "19.71", "21.71", "53.71", "53.01", "81.71", "82.71"]


def nik(regency: str, serial: int) -> str:
    province, code = regency.split(".")
    day = 1 + serial % 28
    month = 1 + (serial // 28) % 12
    return f"{province}{code}{1 + serial // 9000:02d}{day:02d}{month:02d}80{1 + serial % 9000:04d}"


def prepare(cohort):
    regencies = {r.code: r for r in Regency.objects.filter(code__in=REGENCIES)}
    schools = School.objects.bulk_create(
        [
            School(
                npsn=f"{50000000 + i}", name=f"SD Negeri Bench {i}", level="SD", regency=regencies[REGENCIES[i % 10]]
            )
            for i in range(SCHOOLS)
        ]
    )
    principals = Person.objects.bulk_create(
        [Person(full_name=f"Kepala Bench {i}", nik=nik(s.regency.code, i * 4)) for i, s in enumerate(schools)]
    )
    SekolahPenggerak.objects.bulk_create(
        [SekolahPenggerak(school=s, cohort=cohort, principal=p) for s, p in zip(schools, principals, strict=True)]
    )
    return schools, principals


def workbook(schools, principals, count) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Anggota")
    sheet.append([column.label for column in COLUMNS])
    for i, (school, principal) in enumerate(zip(schools[:count], principals[:count], strict=True)):
        code = school.regency.code
        sheet.append([school.npsn, school.name, principal.full_name, "kepala_sekolah", "", principal.nik, "", ""])
        sheet.append([school.npsn, school.name, f"Guru Satu {i}", "guru", "Kelas 1", nik(code, i * 4 + 1), "", ""])
        sheet.append([school.npsn, school.name, f"Guru Empat {i}", "guru", "Kelas 4", nik(code, i * 4 + 2), "", ""])
        sheet.append([school.npsn, school.name, f"Pengawas {i}", "pengawas", "", nik(code, i * 4 + 3), "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bare_read(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = sum(1 for _row in book["Anggota"].iter_rows(values_only=True))
    book.close()
    return rows


def import_file(data, cohort, *, capture=False):
    if capture:
        with CaptureQueriesContext(connection) as captured:
            report, outcome = roster_import_save(data=data, cohort=cohort, schools=School.objects.all(), actor=None)
        return report, outcome, len(captured.captured_queries)
    report, outcome = roster_import_save(data=data, cohort=cohort, schools=School.objects.all(), actor=None)
    return report, outcome, None


def main() -> None:
    regions_load()
    cohort = {e.slug: e for e in seed_events_load()}["rakor-persiapan-psp-2021"].cohort
    schools, principals = prepare(cohort)

    def reset():
        CommitteeMember.objects.all().delete()
        Committee.objects.all().delete()
        Person.objects.exclude(pk__in=[p.pk for p in principals]).delete()

    ContentType.objects.get_for_model(Committee)  # cached once per process, as in a running server
    small = workbook(schools, principals, 100)
    _report, _outcome, small_queries = import_file(small, cohort, capture=True)
    reset()

    data = workbook(schools, principals, SCHOOLS)
    # The machine is shared: each figure is the best of REPEAT runs (as timeit does), alternating the two.
    bare_times, import_times = [], []
    for _round in range(REPEAT):
        start = time.perf_counter()
        rows = bare_read(data)
        bare_times.append(time.perf_counter() - start)

        reset()
        start = time.perf_counter()
        report, outcome, _none = import_file(data, cohort)
        import_times.append(time.perf_counter() - start)
        assert outcome is not None, [str(f.message) for f in report.findings[:5]]
        assert CommitteeMember.objects.count() == SCHOOLS * 4
    bare, elapsed = min(bare_times), min(import_times)

    reset()
    _report, _outcome, big_queries = import_file(data, cohort, capture=True)

    start = time.perf_counter()
    again, outcome_again, _none = import_file(data, cohort)
    second = time.perf_counter() - start
    assert not outcome_again.created and not outcome_again.updated and again.unchanged == SCHOOLS

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows={rows - 1} schools={report.schools} committees={len(outcome.created)}")
    print(f"bare_read_s={bare:.2f} (runs: {', '.join(f'{t:.2f}' for t in bare_times)})")
    print(f"import_and_validate_s={elapsed:.2f} (runs: {', '.join(f'{t:.2f}' for t in import_times)})")
    print(f"same_file_again_s={second:.2f} (creates nothing)")
    print(f"peak_rss_mb={peak_mb:.0f}")
    print(f"queries_small_file={small_queries} queries_big_file={big_queries}")
    print(f"PostgreSQL, {machine()}")
    print(f"ratio={elapsed / bare:.2f}")


if __name__ == "__main__":
    main()
