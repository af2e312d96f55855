"""Benchmark of the daftar hadir PDF against a bare reportlab LongTable of the same rows.

Run: `.venv/bin/python bench/daftar_hadir.py`, with nothing prepared: its own PostgreSQL database
(bench/common.py: bench_daftar_hadir, or BENCH_DATABASE_URL), created empty and dropped at the end, and
production-like settings (DEBUG off) with throw-away keys.
Prints the CPU times (process time: steady on a machine shared with other jobs) of the daftar hadir
(5,000 and 20,000 registrations, the query included) and of one LongTable of the same 5,000 rows
(rows already fetched); the last line is `ratio=<daftar hadir time / bare time>`
(target ≤ 0.6), and the 20,000-row time should stay within 4.5 × the 5,000-row time (linear).
"""

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_environment, machine, migrate, own_database  # noqa: E402

# Production-like settings with throw-away keys, and a database of its own, dropped at the end (bench/common.py).
own_database(bench_environment("daftar_hadir"))
migrate()

from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.platypus import LongTable, SimpleDocTemplate  # noqa: E402

from core.pdf import grid_style  # noqa: E402
from events.demo import seed_events_load  # noqa: E402
from events.models import Province, Role  # noqa: E402
from events.services.regions import regions_load  # noqa: E402
from participants.models import Person, Registration  # noqa: E402
from reports.outputs.base import site_registrations  # noqa: E402
from reports.outputs.daftar_hadir import DaftarHadir  # noqa: E402

FIRST = ["Ahmad", "Siti", "Made", "Ni Luh", "Baiq", "Lalu", "Muhammad", "Nurul", "Dewi", "Rahmat"]
LAST = ["Hidayat", "Lestari", "Saputra", "Wulandari", "Kurniawan", "Rahmawati", "Pratama", "Sari"]


def fill(site, count: int, offset: int) -> None:
    """`count` fictitious registrations at the site, straight into the database (bulk)."""
    role = Role.objects.get(program=site.event.program, code="CGP")
    province = Province.objects.get(code="52")
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]} {i}, S.Pd., M.Pd.",
                nip=f"1985051220100{i:05d}" if i % 3 else "",
                position="Guru Kelas" if i % 2 else "Kepala Sekolah",
                province=province,
            )
            for i in range(offset, offset + count)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    Registration.objects.bulk_create(
        [
            Registration(
                person=p,
                event=site.event,
                site=site,
                role=role,
                source="import",
                submitted_at=now,
                # the daftar hadir lists the verified registrations
                status=Registration.Status.VERIFIED,
                # The registration's own copy of the person's data (what the papers print).
                full_name=p.full_name,
                nip=p.nip,
                position=p.position,
                province=province,
            )
            for p in people
        ],
        batch_size=1000,
    )


def time_daftar_hadir(site, user) -> float:
    session = site.sessions.order_by("starts_at").first()
    report = DaftarHadir(user=user, params={"event_id": site.event_id, "site": site.pk, "session": session.pk})
    started = time.process_time()
    report.render()
    return time.process_time() - started


def time_bare_longtable(site) -> float:
    """The same 5,000 rows (No, Nama, NIP, Jabatan, Instansi, two signature halves) in one LongTable."""
    rows = [["No", "Nama", "NIP", "Jabatan", "Instansi", "Tanda Tangan", ""]]
    for number, registration in enumerate(site_registrations(site), start=1):
        sign = f"{number}. ........"
        rows.append(
            [
                str(number),
                registration.full_name,
                registration.nip or "-",
                registration.position,
                registration.institution,
            ]
            + ([sign, ""] if number % 2 else ["", sign])
        )
    started = time.process_time()
    document = SimpleDocTemplate(io.BytesIO(), pagesize=A4)
    table = LongTable(rows, repeatRows=1)
    table.setStyle(grid_style())
    document.build([table])
    return time.process_time() - started


def main() -> None:
    regions_load()
    events = {event.slug: event for event in seed_events_load()}
    sites = list(events["lokakarya-7-angkatan-4-ppgp-ntb-2022"].sites.order_by("order"))
    fill(sites[0], 5_000, 0)
    fill(sites[1], 20_000, 5_000)

    admin = get_user_model().objects.create_superuser("bench", "bench@example.invalid", None)
    five = time_daftar_hadir(sites[0], admin)
    bare = time_bare_longtable(sites[0])
    twenty = time_daftar_hadir(sites[1], admin)
    print(f"daftar hadir, 5,000 rows:  {five:.2f} s")
    print(f"daftar hadir, 20,000 rows: {twenty:.2f} s ({twenty / five:.2f} x the 5,000-row time, target <= 4.5)")
    print(f"bare LongTable, 5,000 rows: {bare:.2f} s")
    print(f"PostgreSQL, {machine()}")
    print(f"ratio={five / bare:.2f}")


if __name__ == "__main__":
    main()
