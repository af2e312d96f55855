"""The two seed events of `shared/seeds/`, exactly as written there, loaded idempotently.

Every row is upserted by its natural key, so `manage.py load_demo` can run any number of times.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from events.models import (
    Agency,
    AgencyType,
    Cohort,
    Event,
    EventObjective,
    EventSite,
    Program,
    Province,
    Regency,
    Role,
    Session,
    SiteQuota,
    Venue,
)

# Renaming dates are the year of the Permendikbudristek that reorganised the UPT (2022) and of the
# 2025 reorganisation; Admin pusat can refine them in the admin.
AGENCY_TYPES = [
    # code, name, valid_from, valid_to, successor code
    ("BBPMP", "Balai Besar Penjaminan Mutu Pendidikan", dt.date(2022, 1, 1), None, None),
    ("BPMP", "Balai Penjaminan Mutu Pendidikan", dt.date(2022, 1, 1), None, None),
    ("LPMP", "Lembaga Penjaminan Mutu Pendidikan", None, dt.date(2021, 12, 31), "BPMP"),
    ("BP_PAUD_DIKMAS", "Balai Pengembangan PAUD dan Pendidikan Masyarakat", None, dt.date(2021, 12, 31), "BPMP"),
    ("BBGTK", "Balai Besar Guru dan Tenaga Kependidikan", dt.date(2025, 1, 1), None, None),
    ("BGTK", "Balai Guru dan Tenaga Kependidikan", dt.date(2025, 1, 1), None, None),
    ("BBGP", "Balai Besar Guru Penggerak", dt.date(2022, 1, 1), dt.date(2024, 12, 31), "BBGTK"),
    ("BGP", "Balai Guru Penggerak", dt.date(2022, 1, 1), dt.date(2024, 12, 31), "BGTK"),
    (
        "LPPKSPS",
        "Lembaga Pengembangan dan Pemberdayaan Kepala Sekolah dan Pengawas Sekolah",
        None,
        dt.date(2021, 12, 31),
        "BBGP",
    ),
    (
        "PPPPTK",
        "Pusat Pengembangan dan Pemberdayaan Pendidik dan Tenaga Kependidikan",
        None,
        dt.date(2021, 12, 31),
        "BBGP",
    ),
    ("DINAS_PROV", "Dinas Pendidikan Provinsi", None, None, None),
    ("DINAS_KABKOTA", "Dinas Pendidikan Kabupaten/Kota", None, None, None),
    ("SEKOLAH", "Satuan Pendidikan", None, None, None),
]

PROGRAMS = [
    {
        "code": "PSP",
        "name": "Program Sekolah Penggerak",
        "legal_basis": "Keputusan Menteri Pendidikan dan Kebudayaan Republik Indonesia Nomor 1177/M/2020 "
        "tentang Pedoman Penyelenggaraan Program Sekolah Penggerak",
        "valid_from": dt.date(2021, 1, 1),
        "valid_to": dt.date(2024, 12, 31),
        "roles": [
            ("LPMP", "LPMP"),
            ("BP_PAUD_DIKMAS", "BP PAUD Dikmas"),
            ("DINAS_PROV", "Dinas Pendidikan Provinsi"),
            ("DINAS_KABKOTA", "Dinas Pendidikan Kab/Kota"),
            ("NARASUMBER", "Narasumber"),
            ("PANITIA", "Panitia"),
            ("LAINNYA", "Lainnya"),
        ],
    },
    {
        "code": "PPGP",
        "name": "Program Pendidikan Guru Penggerak",
        "legal_basis": "",
        "valid_from": dt.date(2020, 1, 1),
        "valid_to": dt.date(2024, 12, 31),
        "roles": [
            ("CGP", "CGP"),
            ("PP", "PP"),
            ("KEPALA_SEKOLAH", "Kepala Sekolah"),
            ("PENGAWAS_SEKOLAH", "Pengawas Sekolah"),
            ("FASILITATOR", "Fasilitator"),
            ("INSTRUKTUR", "Instruktur"),
            ("NARASUMBER", "Narasumber"),
            ("PANITIA", "Panitia"),
            ("LAINNYA", "Lainnya"),
        ],
    },
]

# Roles whose name is an abbreviation, spelled out for certificates (the seeds write "Calon Guru Penggerak (CGP)").
# The same list fills existing databases in events/migrations/0008_role_full_name.py.
ROLE_FULL_NAMES = {
    ("PSP", "LPMP"): "Lembaga Penjaminan Mutu Pendidikan (LPMP)",
    ("PSP", "BP_PAUD_DIKMAS"): "Balai Pengembangan Pendidikan Anak Usia Dini dan Pendidikan Masyarakat",
    ("PSP", "DINAS_KABKOTA"): "Dinas Pendidikan Kabupaten/Kota",
    ("PPGP", "CGP"): "Calon Guru Penggerak",
    ("PPGP", "PP"): "Pengajar Praktik",
}

RAKOR_OBJECTIVES = [
    "Menyampaikan kebijakan Program Sekolah Penggerak;",
    "Memberikan apresiasi atas terpilihnya Kepala Sekolah Penggerak;",
    "Menyampaikan informasi tentang strategi pelaksanaan Program Sekolah Penggerak;",
    "Melakukan verifikasi dan validasi data peserta pelatihan Komite Pembelajaran;",
    "Menentukan peserta pelatihan Komite Pembelajaran Tahap 1 dan 2;",
    "Menyepakati peran dan tanggung jawab Program Sekolah Penggerak dari unsur LPPKSPS, Dinas Pendidikan, "
    "LPMP, dan BP Paud Dikmas;",
    "Membuat dan memaparkan rencana aksi.",
]

LOKAKARYA_OBJECTIVES = [
    "CGP mampu menjelaskan bentuk evaluasi program yang dibuat pada lokakarya 6;",
    "CGP mampu menjelaskan hasil praktik baik yang telah dilaksanakan di lingkungan belajar sekolah;",
    "CGP mampu menyatakan dan menyampaikan ide yang dipersiapkan untuk program selanjutnya.",
]

EVENTS = [
    {
        "slug": "rakor-persiapan-psp-2021",
        "program": "PSP",
        "cohort": 1,
        "cohort_year": 2021,
        "workshop_number": None,
        "title": "Rapat Koordinasi Persiapan Pelaksanaan Program Sekolah Penggerak",
        "subtitle": "",
        "kind": Event.Kind.RAPAT_KOORDINASI,
        "organizer": {
            "type": "LPPKSPS",
            "name": "Lembaga Pengembangan dan Pemberdayaan Kepala Sekolah dan Pengawas Sekolah",
            "short_name": "LPPKSPS",
            "regency": "33.13",
            "address": "Jl. Adi Sucipto, Karanganyar, Jawa Tengah",
        },
        "signatory": ("Dr. Contoh Pejabat, M.Pd.", "197001012000031001", "Kepala LPPKSPS"),
        "start_date": dt.date(2021, 5, 20),
        "end_date": dt.date(2021, 5, 23),
        "legal_basis": "Keputusan Menteri Pendidikan dan Kebudayaan Republik Indonesia Nomor 1177/M/2020 "
        "tentang Pedoman Penyelenggaraan Program Sekolah Penggerak",
        "description": "Rapat koordinasi bagi unsur LPMP, BP PAUD Dikmas, dan Dinas Pendidikan Prov./Kab./Kota "
        "di 7 (tujuh) provinsi sasaran LPPKSPS, dilaksanakan serentak di 3 (tiga) regional.",
        "objectives": RAKOR_OBJECTIVES,
        "registration": (dt.datetime(2021, 5, 3, 8, 0), dt.datetime(2021, 5, 17, 23, 59)),
        "jp_hours": 32,
        "sites": [
            {
                "name": "Regional Solo",
                "venue": ("Lor In Solo Hotel", "Jl. Adi Sucipto no. 47", "33.72"),
                "provinces": ["19", "21", "18", "14"],
                "quotas": {},
            },
            {
                "name": "Regional Maluku",
                "venue": (
                    "Best Western Plus Makassar Beach",
                    "Jl. Boto Lempangan No. 67, Sawerigading, Kec. Ujung Pandang",
                    "73.71",
                ),
                "provinces": ["81", "82"],
                "quotas": {},
            },
            {
                "name": "Regional Kupang",
                "venue": ("Hotel NEO Eltari Kupang", "Jl. Piet A. Tallo, RT.035/RW.012, Oesapa, Klp. Lima", "53.71"),
                "provinces": ["53"],
                "quotas": {},
            },
        ],
    },
    {
        "slug": "lokakarya-7-angkatan-4-ppgp-ntb-2022",
        "program": "PPGP",
        "cohort": 4,
        "cohort_year": 2022,
        "workshop_number": 7,
        "title": "Lokakarya 7 Angkatan 4 Program Pendidikan Guru Penggerak",
        "subtitle": "Festival Panen Hasil Belajar",
        "kind": Event.Kind.LOKAKARYA,
        "organizer": {
            "type": "BGP",
            "name": "Balai Guru Penggerak Provinsi Nusa Tenggara Barat",
            "short_name": "BGP Provinsi NTB",
            "regency": "52.71",
            "address": "Kota Mataram, Nusa Tenggara Barat",
        },
        "signatory": ("Dra. Contoh Kepala Balai, M.Si.", "196805121994032002", "Kepala BGP Provinsi NTB"),
        "start_date": dt.date(2022, 10, 15),
        "end_date": dt.date(2022, 10, 16),
        "legal_basis": "",
        "description": "Festival Panen Hasil Belajar: refleksi hasil pencapaian selama Program Guru Penggerak, "
        "berbagi praktik baik dengan rekan CGP, pameran hasil praktik baik serta kolaborasi dengan komunitas, "
        "serentak di tiga kabupaten wilayah kerja BGP Provinsi Nusa Tenggara Barat.",
        "objectives": LOKAKARYA_OBJECTIVES,
        "registration": (dt.datetime(2022, 10, 1, 8, 0), dt.datetime(2022, 10, 13, 23, 59)),
        "jp_hours": 16,
        "sites": [
            {
                "name": "Kab. Lombok Utara",
                "venue": ("SDN 8 Sokong", "Sokong, Kec. Tanjung", "52.08"),
                "provinces": ["52"],
                "quotas": {"CGP": 52, "PP": 9, "KEPALA_SEKOLAH": 10, "PENGAWAS_SEKOLAH": 5},
            },
            {
                "name": "Kab. Lombok Timur",
                "venue": ("SMPN 1 Sikur", "Sikur", "52.03"),
                "provinces": ["52"],
                "quotas": {"CGP": 59, "PP": 10, "KEPALA_SEKOLAH": 16, "PENGAWAS_SEKOLAH": 5},
            },
            {
                "name": "Kab. Bima",
                "venue": ("SMPN 3 Woha", "Woha", "52.06"),
                "provinces": ["52"],
                "quotas": {"CGP": 54, "PP": 16, "KEPALA_SEKOLAH": 10, "PENGAWAS_SEKOLAH": 5},
            },
        ],
    },
]

# Signatories of the demo are fictitious ("Contoh" = example): the seeds do not name them.
LETTERHEAD_PARENT = "KEMENTERIAN PENDIDIKAN, KEBUDAYAAN, RISET, DAN TEKNOLOGI"

# Sessions: one a day, 08.00–16.00 in the venue's own zone.
SESSION_START, SESSION_END = dt.time(8, 0), dt.time(16, 0)


def _agency_types() -> dict[str, AgencyType]:
    types, created = {}, set()
    for code, name, valid_from, valid_to, _successor in AGENCY_TYPES:
        types[code], new = AgencyType.objects.get_or_create(
            code=code, defaults={"name": name, "valid_from": valid_from, "valid_to": valid_to}
        )
        if new:
            created.add(code)
    for code, *_rest, successor in AGENCY_TYPES:
        if successor and code in created:
            types[code].successor = types[successor]
            types[code].save(update_fields=["successor"])
    return types


def _programs() -> dict[str, Program]:
    programs = {}
    for spec in PROGRAMS:
        program, _ = Program.objects.get_or_create(
            code=spec["code"],
            defaults={key: spec[key] for key in ("name", "legal_basis", "valid_from", "valid_to")},
        )
        for order, (code, name) in enumerate(spec["roles"], start=1):
            Role.objects.get_or_create(
                program=program,
                code=code,
                defaults={
                    "name": name,
                    "full_name": ROLE_FULL_NAMES.get((program.code, code), ""),
                    "order": order,
                    "is_other": code == "LAINNYA",
                },
            )
        programs[program.code] = program
    return programs


def _event(spec: dict, programs: dict[str, Program], types: dict[str, AgencyType]) -> Event:
    program = programs[spec["program"]]
    cohort, _ = Cohort.objects.get_or_create(
        program=program, number=spec["cohort"], defaults={"year": spec["cohort_year"]}
    )
    organizer_spec = spec["organizer"]
    regency = Regency.objects.select_related("province").get(code=organizer_spec["regency"])
    organizer, _ = Agency.objects.get_or_create(
        type=types[organizer_spec["type"]],
        name=organizer_spec["name"],
        defaults={
            "short_name": organizer_spec["short_name"],
            "province": regency.province,
            "regency": regency,
            "address": organizer_spec["address"],
            "letterhead_parent": LETTERHEAD_PARENT,
        },
    )
    signatory_name, signatory_nip, signatory_title = spec["signatory"]
    first_site_zone = None
    sites = []
    for order, site_spec in enumerate(spec["sites"], start=1):
        venue_name, address, venue_regency = site_spec["venue"]
        venue, _ = Venue.objects.get_or_create(
            name=venue_name,
            regency=Regency.objects.get(code=venue_regency),
            defaults={"address": address},
        )
        first_site_zone = first_site_zone or venue.time_zone
        sites.append((order, site_spec, venue))
    opens, closes = spec["registration"]
    zone = ZoneInfo(first_site_zone)
    event, event_created = Event.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "program": program,
            "cohort": cohort,
            "workshop_number": spec["workshop_number"],
            "title": spec["title"],
            "subtitle": spec["subtitle"],
            "kind": spec["kind"],
            "organizer": organizer,
            "start_date": spec["start_date"],
            "end_date": spec["end_date"],
            "legal_basis": spec["legal_basis"],
            "description": spec["description"],
            "status": Event.Status.PUBLISHED,
            "registration_opens_at": opens.replace(tzinfo=zone),
            "registration_closes_at": closes.replace(tzinfo=zone),
            "retention_until": spec["end_date"].replace(year=spec["end_date"].year + 5),
            "jp_hours": spec["jp_hours"],
            "signatory_name": signatory_name,
            "signatory_nip": signatory_nip,
            "signatory_title": signatory_title,
        },
    )
    if not event_created:
        return event  # an event in the database is the organizers' now: nothing of it is added or changed
    for order, text in enumerate(spec["objectives"], start=1):
        EventObjective.objects.get_or_create(event=event, order=order, defaults={"text": text})
    roles = {role.code: role for role in program.roles.all()}
    for order, site_spec, venue in sites:
        site, _ = EventSite.objects.get_or_create(
            event=event,
            name=site_spec["name"],
            defaults={"order": order, "venue": venue, "start_date": spec["start_date"], "end_date": spec["end_date"]},
        )
        site.provinces_served.add(*Province.objects.filter(code__in=site_spec["provinces"]))
        for role_code, target in site_spec["quotas"].items():
            SiteQuota.objects.get_or_create(site=site, role=roles[role_code], defaults={"target": target})
        site_zone = ZoneInfo(venue.time_zone)
        day = spec["start_date"]
        number = 1
        while day <= spec["end_date"]:
            Session.objects.get_or_create(
                site=site,
                name=f"Hari {number}",
                defaults={
                    "starts_at": dt.datetime.combine(day, SESSION_START, tzinfo=site_zone),
                    "ends_at": dt.datetime.combine(day, SESSION_END, tzinfo=site_zone),
                },
            )
            day += dt.timedelta(days=1)
            number += 1
    return event


@transaction.atomic
def seed_events_load() -> list[Event]:
    """Create the two seed events with their programs, roles, agencies, venues and sites, where missing.

    Nothing that exists is changed: after real use (an organizer edited the event, its sites, its sessions),
    a second `make run` leaves every row as it is (tests/test_demo_rerun.py)."""
    types = _agency_types()
    programs = _programs()
    return [_event(spec, programs, types) for spec in EVENTS]
