"""Demo data of the outcomes area: the responsibility matrix and the rencana aksi of the Rapat
Koordinasi PSP, and a few good practices of the Lokakarya 7 (fictitious people, "Contoh" names).

Idempotent: each part is created once and left alone afterwards.
"""

import datetime as dt
import io

from django.db import transaction
from PIL import Image, ImageDraw

from events.models import Agency, AgencyType, Event, Province, Role
from outcomes import services
from outcomes.models import ActionPlan, GoodPractice, ResponsibilityMatrix
from outcomes.services import good_practice_publish, good_practice_submit
from participants.models import Person, Registration, identifier_q
from participants.services import PersonData, registration_create

RAKOR_SLUG = "rakor-persiapan-psp-2021"
LOKAKARYA_SLUG = "lokakarya-7-angkatan-4-ppgp-ntb-2022"

MATRIX_COLUMNS = [
    ("LPPKSPS", ""),
    ("DINAS_PROV", "Dinas Pendidikan"),
    ("LPMP", ""),
    ("BP_PAUD_DIKMAS", "BP PAUD Dikmas"),
]
MATRIX_ROWS = [
    (
        "Sosialisasi program",
        [
            "Menyiapkan bahan dan narasumber sosialisasi",
            "Menyelenggarakan sosialisasi kepada sekolah dan pengawas",
            "Mendampingi sosialisasi di kab/kota",
            "Mendampingi sosialisasi satuan PAUD",
        ],
    ),
    (
        "Pendataan Komite Pembelajaran",
        [
            "Menetapkan format dan jadwal pendataan",
            "Mengumpulkan data Komite Pembelajaran sekolah",
            "Memverifikasi dan memvalidasi data",
            "Memverifikasi data Komite Pembelajaran PAUD",
        ],
    ),
    (
        "Pelatihan Komite Pembelajaran",
        [
            "Menyelenggarakan pelatihan Tahap 1 dan 2",
            "Menugaskan peserta sesuai Tahap",
            "Menyiapkan fasilitator daerah",
            "Menyiapkan fasilitator PAUD",
        ],
    ),
    (
        "Pendampingan sekolah",
        [
            "Menyusun pedoman pendampingan",
            "Memastikan dukungan anggaran daerah",
            "Melakukan pendampingan berkala",
            "Melakukan pendampingan satuan PAUD",
        ],
    ),
    (
        "Monitoring dan evaluasi",
        [
            "Menyusun instrumen dan laporan nasional",
            "Melaporkan kemajuan sekolah di daerah",
            "Mengolah data capaian mutu",
            "Melaporkan capaian satuan PAUD",
        ],
    ),
]

PLAN_ITEMS = [
    # activity, objective, start (month of 2021), end, person in charge, responsible agency, status
    (
        "Sosialisasi Program Sekolah Penggerak kepada kepala sekolah dan pengawas",
        "Seluruh sekolah penggerak memahami tahapan program",
        6,
        6,
        "Kepala Bidang GTK",
        "Dinas Pendidikan Provinsi",
        "done",
    ),
    (
        "Verifikasi data Komite Pembelajaran",
        "100% data Komite Pembelajaran tervalidasi",
        6,
        7,
        "Kepala Seksi Kurikulum",
        "Dinas Pendidikan Provinsi",
        "in_progress",
    ),
    (
        "Pendampingan sekolah pasca pelatihan",
        "Setiap sekolah didampingi minimal 2 kali per semester",
        8,
        12,
        "Koordinator Pengawas",
        "Dinas Pendidikan Kab/Kota",
        "planned",
    ),
]

PRACTICES = [
    # name, NIK, NIP, site, school (an agency of the demo), title
    (
        "Contoh Baiq Nurhasanah, S.Pd.",
        "5208015204859201",
        "198504122010032001",
        "Kab. Lombok Utara",
        "SD Negeri 1 Tanjung",
        "Pojok baca kelas rendah",
    ),
    (
        "Contoh Lalu Muhamad Zaini, S.Pd.",
        "5203011204859202",
        "198504122010031002",
        "Kab. Lombok Timur",
        "SD Negeri 2 Masbagik",
        "Refleksi harian dengan jurnal",
    ),
    (
        "Contoh Siti Rahmawati, S.Pd.",
        "5206015204859203",
        "198504122010032003",
        "Kab. Bima",
        "SMP Negeri 1 Bolo",
        "Kelas kolaboratif berbasis proyek",
    ),
]


def _matrix(event: Event) -> None:
    if ResponsibilityMatrix.objects.filter(event=event).exists():
        return
    types = {t.code: t for t in AgencyType.objects.filter(code__in=[code for code, _ in MATRIX_COLUMNS])}
    ordered = [types[code] for code, _ in MATRIX_COLUMNS]
    labels = {types[code].pk: label for code, label in MATRIX_COLUMNS if label}
    matrix = services.matrix_create(event=event, agency_types=ordered, labels=labels, actor=None)
    columns = list(matrix.columns.order_by("order"))
    rows = [
        services.MatrixRow(title=title, cells={column.pk: text for column, text in zip(columns, texts, strict=True)})
        for title, texts in MATRIX_ROWS
    ]
    services.matrix_save(matrix=matrix, rows=rows, actor=None)
    services.matrix_agree(
        matrix=matrix, actor=None, note="Disepakati oleh seluruh delegasi dalam rapat pleno ketiga regional"
    )
    # The demo's agreement happened at the meeting, not when the demo was loaded.
    ResponsibilityMatrix.objects.filter(pk=matrix.pk).update(agreed_at=dt.datetime(2021, 5, 22, 6, 0, tzinfo=dt.UTC))


def _plans(event: Event) -> None:
    if ActionPlan.objects.filter(event=event).exists():
        return  # plans exist (the demo's or real ones): nothing is added or changed
    provinces = Province.objects.filter(served_by_sites__event=event).distinct().order_by("code")
    for province in provinces:
        delegation = f"Provinsi {province.name.title()}"
        if ActionPlan.objects.filter(event=event, province=province).exists():
            continue
        plan = services.action_plan_create(event=event, delegation=delegation, province=province, actor=None)
        count = 2 + (int(province.code) % 2)
        for activity, objective, start, end, person, agency, status in PLAN_ITEMS[:count]:
            item = services.action_plan_item_save(
                plan=plan,
                data=services.ItemData(
                    activity=activity,
                    objective=objective,
                    start_month=dt.date(2021, start, 1),
                    end_month=dt.date(2021, end, 1),
                    person_in_charge=person,
                    responsible_agency=agency,
                ),
                actor=None,
            )
            if status != "planned":
                note = "Terlaksana sesuai jadwal" if status == "done" else "Sedang berjalan di 60% kab/kota"
                services.action_plan_item_follow_up(plan=plan, item=item, status=status, note=note, actor=None)


def _picture(title: str) -> io.BytesIO:
    image = Image.new("RGB", (640, 400), (13, 110, 253))
    ImageDraw.Draw(image).text((24, 180), title, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "foto.png"
    return buffer


def _practices(event: Event) -> None:
    if GoodPractice.objects.filter(registration__event=event).exists():
        return  # practices exist (the demo's or real ones): nothing is added or changed
    role = Role.objects.get(program=event.program, code="CGP")
    province = Province.objects.get(code="52")
    schools = {agency.name: agency for agency in Agency.objects.filter(type__code="SEKOLAH", province=province)}
    for name, nik, nip, site_name, school, title in PRACTICES:
        registration = Registration.objects.filter(identifier_q("nik", nik), event=event).first()
        if registration is None:
            if Person.objects.filter(identifier_q("nik", nik)).exclude(full_name=name).exists():
                continue
            registration = registration_create(
                site=event.sites.get(name=site_name),
                role=role,
                person_data=PersonData(
                    full_name=name,
                    nik=nik,
                    nip=nip,
                    province=province,
                    position="Guru",
                    agency=schools.get(school),
                    gender="L" if "Lalu" in name else "P",
                ),
                source=Registration.Source.ADMIN,
            )
        if GoodPractice.objects.filter(registration=registration).exists():
            continue
        practice = good_practice_submit(
            event=event,
            code=registration.code,
            title=title,
            summary=f"{title}: praktik baik yang dijalankan selama Program Pendidikan Guru Penggerak (contoh).",
            changes="Murid lebih aktif bertanya dan berdiskusi; rekan guru ikut menerapkan (contoh).",
            uploads=[_picture(title)],
        )
        good_practice_publish(practice=practice, actor=None)


def load() -> None:
    """Idempotent."""
    events = {e.slug: e for e in Event.objects.filter(slug__in=[RAKOR_SLUG, LOKAKARYA_SLUG])}
    with transaction.atomic():
        if RAKOR_SLUG in events:
            _matrix(events[RAKOR_SLUG])
            _plans(events[RAKOR_SLUG])
    if LOKAKARYA_SLUG in events:
        _practices(events[LOKAKARYA_SLUG])
