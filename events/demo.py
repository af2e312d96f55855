"""The two seed events of `shared/seeds/`, exactly as written there, and the demo's agencies and logins.

Rows are created when missing and never changed after (an organizer may have edited them), so
`manage.py load_demo` can run any number of times.
"""

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

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

# The ministry above the agencies' names on a letterhead, by period.
LETTERHEAD_PARENT = "KEMENTERIAN PENDIDIKAN, KEBUDAYAAN, RISET, DAN TEKNOLOGI"
LETTERHEAD_PARENT_2025 = "KEMENTERIAN PENDIDIKAN DASAR DAN MENENGAH"

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
            "contact": "Telepon (0271) 000000 · Surel: lppksps@contoh.invalid",
            "valid_to": dt.date(2021, 12, 31),
            "successors": [
                (
                    "BBGP",
                    "Balai Besar Guru Penggerak Provinsi Jawa Tengah",
                    "BBGP Provinsi Jawa Tengah",
                    dt.date(2022, 1, 1),
                    dt.date(2024, 12, 31),
                    LETTERHEAD_PARENT,
                ),
                (
                    "BBGTK",
                    "Balai Besar Guru dan Tenaga Kependidikan Provinsi Jawa Tengah",
                    "BBGTK Provinsi Jawa Tengah",
                    dt.date(2025, 1, 1),
                    None,
                    LETTERHEAD_PARENT_2025,
                ),
            ],
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
            "address": "Jl. Pendidikan No. 19, Kota Mataram, Nusa Tenggara Barat 83125",
            "contact": "Telepon (0370) 000000 · Surel: bgp.ntb@contoh.invalid",
            "valid_from": dt.date(2022, 1, 1),
            "valid_to": dt.date(2024, 12, 31),
            "successors": [
                (
                    "BGTK",
                    "Balai Guru dan Tenaga Kependidikan Provinsi Nusa Tenggara Barat",
                    "BGTK Provinsi NTB",
                    dt.date(2025, 1, 1),
                    None,
                    LETTERHEAD_PARENT_2025,
                ),
            ],
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


def _organizer(spec: dict, types: dict[str, AgencyType], *, logos: bool) -> Agency:
    """The organizing agency and the agencies it became (the letterhead of a later event names those)."""
    regency = Regency.objects.select_related("province").get(code=spec["regency"])
    common = {
        "province": regency.province,
        "regency": regency,
        "address": spec["address"],
        "letterhead_contact": spec["contact"],
    }
    first = (spec["type"], spec["name"], spec["short_name"], spec.get("valid_from"), spec.get("valid_to"))
    chain = [(*first, LETTERHEAD_PARENT), *spec.get("successors", [])]
    agencies = []
    for type_code, name, short_name, valid_from, valid_to, parent in chain:
        agency, created = Agency.objects.get_or_create(
            type=types[type_code],
            name=name,
            defaults={
                **common,
                "short_name": short_name,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "letterhead_parent": parent,
            },
        )
        if created and agencies:
            agencies[-1].successor = agency
            agencies[-1].save(update_fields=["successor"])
        if created and logos:
            agency.logo.save(f"contoh-{agency.pk}.png", ContentFile(placeholder_logo(short_name)), save=True)
        agencies.append(agency)
    return agencies[0]


def placeholder_logo(text: str) -> bytes:
    """A round placeholder logo (PNG) with the agency's initials and "CONTOH": the demo has no real logos."""
    size = 240
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=(10, 63, 125, 255), outline=(212, 160, 23, 255), width=10)
    first = text.split()[0]
    initials = first if first.isupper() else "".join(word[0] for word in text.split() if word[:1].isupper())
    initials = initials[:7]
    font_path = Path(settings.BASE_DIR) / "static" / "vendor" / "fonts" / "DejaVuSans-Bold.ttf"
    try:
        big = ImageFont.truetype(str(font_path), 64 if len(initials) <= 3 else 44 if len(initials) <= 5 else 32)
        small = ImageFont.truetype(str(font_path), 24)
    except OSError:  # fonts come with `make assets`; a plain font keeps the demo loading without them
        big = small = ImageFont.load_default()
    draw.text((size / 2, size / 2 - 12), initials, fill="white", font=big, anchor="mm")
    draw.text((size / 2, size / 2 + 48), "CONTOH", fill=(212, 160, 23, 255), font=small, anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def _event(spec: dict, programs: dict[str, Program], types: dict[str, AgencyType], *, logos: bool) -> Event:
    program = programs[spec["program"]]
    cohort, _ = Cohort.objects.get_or_create(
        program=program, number=spec["cohort"], defaults={"year": spec["cohort_year"]}
    )
    organizer = _organizer(spec["organizer"], types, logos=logos)
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
def seed_events_load(*, logos: bool = False) -> list[Event]:
    """Create the two seed events with their programs, roles, agencies, venues and sites, where missing.

    Nothing that exists is changed: after real use (an organizer edited the event, its sites, its sessions),
    a second `make run` leaves every row as it is (tests/test_demo_rerun.py). `logos`: give the organizers
    created now a placeholder logo (a file in the media storage; `load_demo` asks for it, the tests do not).
    """
    types = _agency_types()
    programs = _programs()
    return [_event(spec, programs, types, logos=logos) for spec in EVENTS]


# --- The demo's agencies: where its participants work -------------------------------------------------------

# The provinces of both seed events, each with its capital (where its LPMP/BPMP sits) and the kab/kota
# whose Dinas sends people to the Rapat Koordinasi; the Lokakarya's three kabupaten with their schools.
DEMO_REGIONS = {
    "14": ("14.71", ["14.71", "14.01"]),
    "18": ("18.71", ["18.71", "18.01"]),
    "19": ("19.71", ["19.71", "19.01"]),
    "21": ("21.71", ["21.71", "21.01"]),
    "52": ("52.71", ["52.71", "52.08", "52.03", "52.06"]),
    "53": ("53.71", ["53.71", "53.01"]),
    "81": ("81.71", ["81.71", "81.01"]),
    "82": ("82.71", ["82.71", "82.01"]),
}
# BP PAUD Dikmas existed in some provinces only; like every LPMP, they became the province's BPMP in 2022.
BP_PAUD_DIKMAS_PROVINCES = ["52", "81", "82"]
DEMO_SCHOOLS = {
    "52.08": [
        "SD Negeri 8 Sokong",
        "SD Negeri 1 Tanjung",
        "SMP Negeri 1 Tanjung",
        "SMP Negeri 2 Gangga",
        "SMA Negeri 1 Tanjung",
        "SD Negeri 3 Pemenang",
    ],
    "52.03": [
        "SMP Negeri 1 Sikur",
        "SD Negeri 1 Selong",
        "SD Negeri 2 Masbagik",
        "SMP Negeri 2 Selong",
        "SMA Negeri 1 Selong",
        "SD Negeri 4 Sikur",
    ],
    "52.06": [
        "SMP Negeri 3 Woha",
        "SD Negeri 1 Woha",
        "SD Inpres Bolo",
        "SMP Negeri 1 Bolo",
        "SMA Negeri 1 Woha",
        "SD Negeri 2 Sape",
    ],
}
UPT_RENAMED = dt.date(2022, 1, 1)


def _agency(types, type_code: str, name: str, regency: Regency, *, short_name="", **values) -> Agency:
    """One agency (created when missing; an existing one is left as it is)."""
    in_region = {"regency": regency} if type_code in ("DINAS_KABKOTA", "SEKOLAH") else {"regency": None}
    agency, _created = Agency.objects.get_or_create(
        type=types[type_code],
        name=name,
        province=regency.province,
        **in_region,
        defaults={"short_name": short_name, "address": f"{regency.name}, {regency.province.name}", **values},
    )
    return agency


@transaction.atomic
def demo_agencies_load() -> dict:
    """The Dinas of every province and kab/kota of the seeds, the schools of the Lokakarya sites, and the
    LPMP and BP PAUD Dikmas of each province with the BPMP they became in 2022. Returns them by kind:
    {"dinas_prov": {province code: Agency}, "dinas_kab": {regency code: …}, "lpmp": {province code: …},
    "bp_paud_dikmas": {…}, "schools": {regency code: [Agency, …]}}."""
    types = {agency_type.code: agency_type for agency_type in AgencyType.objects.all()}
    regencies = {
        regency.code: regency
        for regency in Regency.objects.select_related("province").filter(
            code__in=[code for _capital, codes in DEMO_REGIONS.values() for code in codes]
        )
    }
    found = {"dinas_prov": {}, "dinas_kab": {}, "lpmp": {}, "bp_paud_dikmas": {}, "schools": {}}
    for province_code, (capital_code, regency_codes) in DEMO_REGIONS.items():
        capital = regencies[capital_code]
        province = capital.province
        found["dinas_prov"][province_code] = _agency(
            types, "DINAS_PROV", f"Dinas Pendidikan Provinsi {province.name}", capital
        )
        for code in regency_codes:
            found["dinas_kab"][code] = _agency(
                types, "DINAS_KABKOTA", f"Dinas Pendidikan {regencies[code].name}", regencies[code]
            )
        bpmp = _agency(
            types,
            "BPMP",
            f"Balai Penjaminan Mutu Pendidikan Provinsi {province.name}",
            capital,
            short_name=f"BPMP Provinsi {province.name}",
            valid_from=UPT_RENAMED,
            letterhead_parent=LETTERHEAD_PARENT,
        )
        kinds = [("lpmp", "LPMP", "Lembaga Penjaminan Mutu Pendidikan", "LPMP")]
        if province_code in BP_PAUD_DIKMAS_PROVINCES:
            kinds.append(
                (
                    "bp_paud_dikmas",
                    "BP_PAUD_DIKMAS",
                    "Balai Pengembangan PAUD dan Pendidikan Masyarakat",
                    "BP PAUD dan Dikmas",
                )
            )
        for key, type_code, long_name, short in kinds:
            found[key][province_code] = _agency(
                types,
                type_code,
                f"{long_name} Provinsi {province.name}",
                capital,
                short_name=f"{short} Provinsi {province.name}",
                valid_to=UPT_RENAMED - dt.timedelta(days=1),
                successor=bpmp,
                letterhead_parent=LETTERHEAD_PARENT,
            )
    for code, names in DEMO_SCHOOLS.items():
        found["schools"][code] = [_agency(types, "SEKOLAH", name, regencies[code]) for name in names]
    return found


# --- Demo logins ---------------------------------------------------------------------------------------------

DEMO_PASSWORD = "psp-demo-2026"  # noqa: S105 - the documented demo login that load_demo prints


def demo_user(username: str, group: str):
    """A staff login of the demo in `group`; its password is set only when it is created."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, f"{username}@example.invalid", DEMO_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user
