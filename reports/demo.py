"""Demo data of the reports area (fictitious people only): the certificate number format of the Lokakarya as BGP
NTB writes it, piagam penghargaan for three Kepala Sekolah Penggerak of the Rakor's cohort (from the roster
demo), and the narrative and documentation photos (generated pictures) of the Lokakarya's laporan kegiatan.
Create-only: a series, a selection, a narrative or photos that exist (the demo's or real ones) are left as they
are."""

import io

from PIL import Image, ImageDraw, ImageFont

from core.pdf import font_dir
from events.models import Event
from reports.models import ActivityReport, Appreciation, DocumentationPhoto, NumberSeries
from reports.selectors import appreciation_candidates
from reports.services import (
    Narrative,
    activity_report_save,
    appreciation_select,
    documentation_photo_add,
    number_series_set_format,
)

LOKAKARYA_SLUG = "lokakarya-7-angkatan-4-ppgp-ntb-2022"
RAKOR_SLUG = "rakor-persiapan-psp-2021"
LOKAKARYA_CERTIFICATE_FORMAT = "{seq:04}/BGP-NTB/LK7/{year}"
PIAGAM_CITATIONS = [
    "dedikasi dan kepemimpinannya dalam memulai transformasi pembelajaran yang berpihak pada murid",
    "keteladanan dan komitmennya membangun budaya belajar bersama di satuan pendidikannya",
    "kepeloporannya dalam perencanaan berbasis data dan pembelajaran dengan paradigma baru",
]


# The narrative of the Lokakarya's laporan kegiatan, in the words of the seed (BGP NTB's account of the day).
LOKAKARYA_NARRATIVE = Narrative(
    background=(
        "Lokakarya 7 sering disebut panen rayanya para Calon Guru Penggerak (CGP). Pada lokakarya ini, setiap CGP "
        "menunjukkan perubahan-perubahan positif yang terjadi khususnya di lingkungan sekolah masing-masing sebagai "
        "hasil belajar selama mengikuti Program Pendidikan Guru Penggerak (PPGP).\n\n"
        "Balai Guru Penggerak Provinsi Nusa Tenggara Barat menyelenggarakan Lokakarya 7 Angkatan 4 dengan tema "
        "Festival Panen Hasil Belajar, serentak pada tanggal 15–16 Oktober 2022 di tiga kabupaten wilayah "
        "kerjanya: Kabupaten Lombok Utara, Kabupaten Lombok Timur, dan Kabupaten Bima."
    ),
    legal_basis=(
        "Peraturan Menteri Pendidikan dan Kebudayaan Nomor 40 Tahun 2021 tentang Penugasan Guru sebagai Kepala "
        "Sekolah (contoh)\n"
        "Petunjuk Teknis Program Pendidikan Guru Penggerak Angkatan 4 (contoh)\n"
        "DIPA Balai Guru Penggerak Provinsi Nusa Tenggara Barat Tahun Anggaran 2022 (contoh)"
    ),
    conclusion=(
        "Lokakarya 7 terlaksana serentak di tiga lokasi sesuai jadwal. Para CGP memaparkan hasil praktik baik yang "
        "telah dilaksanakan di lingkungan belajar sekolah, dan pemangku kepentingan di tiga kabupaten menekankan "
        "bahwa semua CGP harus mewujudkan perubahan positif di lingkungan belajar sekolah serta bekerja sama dengan "
        "ekosistem di sekolahnya."
    ),
    recommendations=(
        "Dinas Pendidikan kabupaten agar memberi ruang bagi Guru Penggerak untuk berbagi praktik baik di komunitas "
        "belajar.\n\nPraktik baik yang dipamerkan agar didokumentasikan dan disebarluaskan kepada satuan pendidikan "
        "lain (contoh)."
    ),
)
DEMO_PHOTOS = {
    "Kab. Lombok Utara": [
        ("Pembukaan Festival Panen Hasil Belajar di SDN 8 Sokong, Tanjung", (46, 125, 50)),
        ("CGP memaparkan hasil praktik baik kepada pengunjung pameran", (21, 101, 192)),
    ],
    "Kab. Bima": [("Diskusi kelompok CGP dan Pengajar Praktik di SMPN 3 Woha", (173, 20, 87))],
}


def demo_photo(caption: str, colour: tuple[int, int, int]) -> io.BytesIO:
    """A generated stand-in for a documentation photo: a room, a banner, a few people, and the caption."""
    width, height = 1200, 800
    try:
        banner_font = ImageFont.truetype(str(font_dir() / "DejaVuSans-Bold.ttf"), 38)
        caption_font = ImageFont.truetype(str(font_dir() / "DejaVuSans.ttf"), 26)
    except OSError:
        banner_font = caption_font = ImageFont.load_default(size=30)
    image = Image.new("RGB", (width, height), (236, 230, 218))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, width, height), fill=(150, 120, 90))  # the floor
    draw.rectangle((180, 70, 1020, 230), fill=colour)  # the banner
    draw.text((600, 125), "FESTIVAL PANEN HASIL BELAJAR", fill=(255, 255, 255), font=banner_font, anchor="mm")
    draw.text((600, 178), "Lokakarya 7 Angkatan 4 (foto contoh)", fill=(255, 255, 255), font=caption_font, anchor="mm")
    for index in range(9):  # people: a head and a body each
        x = 90 + index * 125
        shade = (60 + index * 15, 70 + index * 8, 110)
        draw.ellipse((x, 380, x + 56, 436), fill=(190, 140, 100))
        draw.rounded_rectangle((x - 14, 440, x + 70, 640), radius=18, fill=shade)
    draw.rectangle((0, height - 70, width, height), fill=(30, 30, 30))
    draw.text((24, height - 35), caption, fill=(255, 255, 255), font=caption_font, anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    buffer.seek(0)
    buffer.name = "foto-dokumentasi.jpg"
    return buffer


def _laporan(event: Event) -> None:
    if not ActivityReport.objects.filter(event=event, site__isnull=True).exists():
        activity_report_save(event=event, narrative=LOKAKARYA_NARRATIVE, final=False, actor=None)
    for site in event.sites.filter(name__in=DEMO_PHOTOS):
        if DocumentationPhoto.objects.filter(site=site).exists():
            continue
        for caption, colour in DEMO_PHOTOS[site.name]:
            documentation_photo_add(site=site, upload=demo_photo(caption, colour), caption=caption, actor=None)


def load() -> None:
    """Idempotent."""
    lokakarya = Event.objects.filter(slug=LOKAKARYA_SLUG).first()
    if lokakarya is not None and not NumberSeries.objects.filter(event=lokakarya, kind="certificate").exists():
        number_series_set_format(
            event=lokakarya, kind="certificate", number_format=LOKAKARYA_CERTIFICATE_FORMAT, actor=None
        )
    if lokakarya is not None:
        _laporan(lokakarya)
    rakor = Event.objects.filter(slug=RAKOR_SLUG).first()
    if rakor is None or Appreciation.objects.filter(event=rakor).exists():
        return
    for candidate, citation in zip(appreciation_candidates(event=rakor), PIAGAM_CITATIONS, strict=False):
        appreciation_select(event=rakor, candidate=candidate, citation=citation, actor=None)
