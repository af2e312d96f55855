"""The daftar hadir as an official would read it (issue 13): who is on it, every name, NIP and institution whole,
letters outside ASCII, "Halaman x dari y", the session's hours in the site's zone, the letterhead of the
organizer as named on the event date, a signature block never alone on its page — read back with pypdf."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from core.models import ReportJob
from events.models import Agency, AgencyType, Province, Session
from participants.services import registration_reject, registration_verify
from tests.factories import register
from tests.reports.reports_helpers import build_export, nip_for, pdf_text

PENDING = "(belum diverifikasi)"
LONG_NAME = "Prof. Dr. Ir. H. Lalu Muhammad Zainul Arifin Wirasaputra Kusumanegara, S.Pd., M.Pd., Ph.D."
LONG_AGENCY = "Dinas Pendidikan dan Kebudayaan Provinsi Nusa Tenggara Barat Bidang Pembinaan Guru"


def flat(text: str) -> str:
    """The text with every run of white space (line breaks inside a cell) made one space."""
    return " ".join(text.split())


def site_and_session(event):
    site = event.sites.order_by("order").first()
    return site, site.sessions.order_by("starts_at").first()


def daftar_hadir(user, site, session, *, kind="daftar_hadir", pending=None) -> bytes:
    params = {"event_id": site.event_id, "site": site.id, "session": session.id}
    if pending is not None:
        params["pending"] = pending
    return build_export(user=user, kind=kind, **params).render().content


def verified(site, actor, *args, **kwargs):
    return registration_verify(registration=register(site, *args, **kwargs), actor=actor)


def png_logo() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), "navy").save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="logo.png")


@pytest.mark.django_db
def test_only_verified_participants_unless_pending_asked_then_marked(lokakarya, superuser):
    site, session = site_and_session(lokakarya)
    ok = [verified(site, superuser, name=f"Peserta Terverifikasi {index}") for index in range(4)]
    waiting = [register(site, name=f"Peserta Menunggu {index}") for index in range(3)]
    rejected = register(site, name="Peserta Ditolak")
    registration_reject(registration=rejected, actor=superuser, reason="Bukan peserta")

    default = flat(pdf_text(daftar_hadir(superuser, site, session))[0])
    asked = flat(pdf_text(daftar_hadir(superuser, site, session, pending="1"))[0])

    for registration in ok:  # every verified person, whole, on both; never marked
        assert registration.full_name in default and registration.full_name in asked
        assert f"{registration.full_name} {PENDING}" not in asked
    for registration in waiting:
        assert registration.full_name not in default
        assert f"{registration.full_name} {PENDING}" in asked
    assert PENDING not in default and asked.count(PENDING) == len(waiting) + 1  # + the note under the heading
    assert "4. ........" in default and "5. ........" not in default
    assert "7. ........" in asked
    assert "Peserta Ditolak" not in default and "Peserta Ditolak" not in asked


@pytest.mark.django_db
def test_a_long_name_with_titles_an_18_digit_nip_and_a_long_institution_are_whole(lokakarya, superuser):
    site, session = site_and_session(lokakarya)
    assert len(LONG_NAME) == 90
    agency = Agency.objects.create(
        type=AgencyType.objects.get(code="DINAS_PROV"), name=LONG_AGENCY, province=Province.objects.get(code="52")
    )
    nip = nip_for(7)
    verified(site, superuser, name=LONG_NAME, nip=nip, agency=agency, position="Pengawas Sekolah Jenjang Dasar")

    for kind in ("daftar_hadir", "daftar_hadir_filled"):
        text = pdf_text(daftar_hadir(superuser, site, session, kind=kind))[0]
        assert LONG_NAME in flat(text)
        assert LONG_AGENCY in flat(text)
        assert re.search(r"\s*".join(nip), text)  # the 18 digits, spaces and a line break allowed
        assert "…" not in text


@pytest.mark.django_db
def test_letters_outside_ascii_print_as_themselves(lokakarya, superuser):
    site, session = site_and_session(lokakarya)
    verified(site, superuser, name="Muhammad Ḥasan Ṣāliḥ, S.Pd.")
    verified(site, superuser, name="Nurul Ḥidayah")  # typed decomposed: H + combining dot below

    text = pdf_text(daftar_hadir(superuser, site, session))[0]

    assert "Muhammad Ḥasan Ṣāliḥ, S.Pd." in text
    assert "Nurul Ḥidayah" in text
    assert "■" not in text


@pytest.mark.django_db
def test_pages_say_halaman_x_dari_y(lokakarya, superuser):
    site, session = site_and_session(lokakarya)
    for index in range(60):
        verified(site, superuser, name=f"Peserta {index:03d}")

    text, pages = pdf_text(daftar_hadir(superuser, site, session))

    assert pages == 3
    assert [f"Halaman {page} dari 3" in text for page in (1, 2, 3)] == [True, True, True]


@pytest.mark.django_db
def test_the_signature_block_never_stands_alone_on_the_last_page(lokakarya, superuser):
    site, session = site_and_session(lokakarya)
    alone = []
    for count in range(1, 46):
        verified(site, superuser, name=f"Peserta {count:03d}")
        if count < 8:
            continue
        reader = PdfReader(io.BytesIO(daftar_hadir(superuser, site, session)))
        last = reader.pages[-1].extract_text()
        assert "Mengetahui," in last
        if f"{count}. ........" not in last or "Tanda Tangan" not in last:
            alone.append(count)
    assert alone == []


@pytest.mark.django_db
def test_the_header_gives_the_session_hours_in_the_site_zone(lokakarya, superuser):
    site, session = site_and_session(lokakarya)
    zone = ZoneInfo("Asia/Makassar")
    evening = Session.objects.create(
        site=site,
        name="Malam Keakraban",
        starts_at=dt.datetime(2022, 10, 15, 19, 0, tzinfo=zone),
        ends_at=dt.datetime(2022, 10, 16, 1, 30, tzinfo=zone),
    )

    day = flat(pdf_text(daftar_hadir(superuser, site, session))[0])
    night = flat(pdf_text(daftar_hadir(superuser, site, evening))[0])

    assert "Waktu : 08.00–16.00 WITA" in day
    assert "(Asia/Makassar)" not in day
    assert "Sabtu, 15 Oktober 2022 19.00 – Minggu, 16 Oktober 2022 01.30 WITA" in night


def renamed(old: Agency, *, type_code: str, name: str, valid_from: dt.date, **fields) -> Agency:
    """`old` renamed on `valid_from`: a new row, the old one closing the day before and pointing to it."""
    new = Agency.objects.create(
        type=AgencyType.objects.get(code=type_code),
        name=name,
        province=old.province,
        regency=old.regency,
        valid_from=valid_from,
        **fields,
    )
    old.valid_to = valid_from - dt.timedelta(days=1)
    old.successor = new
    old.save(update_fields=["valid_to", "successor"])
    return new


@pytest.mark.django_db
def test_the_letterhead_names_the_organizer_as_on_the_event_date(lokakarya, superuser):
    """A Balai Guru Penggerak became a Balai Guru dan Tenaga Kependidikan in 2025; the 2022 Lokakarya keeps the
    old name even when the event now points to the new row, which lends its logo to the old name. (Rows of
    Sulawesi Barat, a province the demo leaves alone.)"""
    site, session = site_and_session(lokakarya)
    verified(site, superuser, name="Peserta Lokakarya")
    old = Agency.objects.create(
        type=AgencyType.objects.get(code="BGP"),
        name="Balai Guru Penggerak Provinsi Sulawesi Barat",
        province=Province.objects.get(code="76"),
        valid_from=dt.date(2022, 1, 1),
        address="Jl. Contoh No. 1, Mamuju, Sulawesi Barat",
        letterhead_parent="Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi",
    )
    new = renamed(
        old,
        type_code="BGTK",
        name="Balai Guru dan Tenaga Kependidikan Provinsi Sulawesi Barat",
        valid_from=dt.date(2025, 1, 1),
        letterhead_parent="Kementerian Pendidikan Dasar dan Menengah",
        letterhead_contact="Telepon (0426) 000000",
    )
    new.logo.save("logo.png", png_logo())
    lokakarya.organizer = new
    lokakarya.save(update_fields=["organizer"])

    content = daftar_hadir(superuser, site, session)
    text = flat(pdf_text(content)[0])

    assert "BALAI GURU PENGGERAK PROVINSI SULAWESI BARAT" in text
    assert "KEMENTERIAN PENDIDIKAN, KEBUDAYAAN, RISET, DAN TEKNOLOGI" in text
    assert "Jl. Contoh No. 1, Mamuju, Sulawesi Barat" in text  # the old row's address
    assert "TENAGA KEPENDIDIKAN" not in text and "DASAR DAN MENENGAH" not in text and "0426" not in text
    assert len(PdfReader(io.BytesIO(content)).pages[0].images) == 1  # the logo


@pytest.mark.django_db
def test_an_event_after_a_renaming_gets_the_new_name_from_an_old_row(lokakarya, superuser):
    """An LPMP became a BPMP in 2022: an event of October 2022 whose organizer is still the LPMP row prints the
    BPMP, with its address and contact; the rekap too. (Rows of Sulawesi Barat, a province the demo leaves
    alone.)"""
    lpmp = Agency.objects.create(
        type=AgencyType.objects.get(code="LPMP"),
        name="Lembaga Penjaminan Mutu Pendidikan Provinsi Sulawesi Barat",
        province=Province.objects.get(code="76"),
        address="Jl. Lama No. 1, Mataram",
    )
    renamed(
        lpmp,
        type_code="BPMP",
        name="Balai Penjaminan Mutu Pendidikan Provinsi Sulawesi Barat",
        valid_from=dt.date(2022, 1, 1),
        address="Jl. Pendidikan No. 19, Mamuju",
        letterhead_contact="bpmp-sulbar@example.go.id",
    )
    lokakarya.organizer = lpmp
    lokakarya.save(update_fields=["organizer"])
    site, session = site_and_session(lokakarya)

    texts = [
        pdf_text(daftar_hadir(superuser, site, session))[0],
        pdf_text(build_export(user=superuser, kind="rekap", event_id=lokakarya.id).render().content)[0],
    ]

    for text in map(flat, texts):  # a long name may take two lines of the kop
        assert "BALAI PENJAMINAN MUTU PENDIDIKAN PROVINSI SULAWESI BARAT" in text
        assert "Jl. Pendidikan No. 19, Mamuju" in text and "bpmp-sulbar@example.go.id" in text
        assert "LEMBAGA PENJAMINAN" not in text and "Jl. Lama" not in text


@pytest.mark.django_db
def test_without_a_signatory_the_name_and_nip_are_lines_to_fill_in(lokakarya, superuser):
    site, session = site_and_session(lokakarya)
    verified(site, superuser, name="Peserta Lokakarya")
    lokakarya.signatory_name = lokakarya.signatory_nip = lokakarya.signatory_title = ""
    lokakarya.save(update_fields=["signatory_name", "signatory_nip", "signatory_title"])

    text = pdf_text(daftar_hadir(superuser, site, session))[0]

    assert "Lombok Utara, 15 Oktober 2022" in text
    assert "Mengetahui," in text
    assert "(" + "." * 48 + ")" in text  # the name, by hand
    assert "NIP. " + "." * 36 in text
    assert "Dra. Contoh Kepala Balai" not in text


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["daftar_hadir", "daftar_hadir_filled"])
def test_the_builder_keeps_a_constant_number_of_queries(lokakarya, superuser, kind):
    site, session = site_and_session(lokakarya)
    # an organizer renamed after the event: its old name is looked up (queries that do not grow with the rows)
    old = Agency.objects.create(type=AgencyType.objects.get(code="BGP"), name="BGP Uji", valid_from=dt.date(2022, 1, 1))
    lokakarya.organizer = renamed(old, type_code="BGTK", name="BGTK Uji", valid_from=dt.date(2025, 1, 1))
    lokakarya.save(update_fields=["organizer"])

    def add(count: int) -> None:
        for index in range(count):
            registration = register(site, name=f"Peserta {index} {count}")
            if index % 3:
                registration_verify(registration=registration, actor=superuser)

    def run():
        daftar_hadir(superuser, site, session, kind=kind, pending="1")

    add(3)
    small = _queries(run)
    add(30)
    assert _queries(run) == small


@pytest.mark.django_db
def test_the_download_form_offers_the_pending_ones_and_odd_values_mean_no(client, lokakarya, superuser):
    site, session = site_and_session(lokakarya)
    register(site, name="Peserta Menunggu")
    client.force_login(superuser)
    url = reverse("reports:report_download", args=[lokakarya.id, "daftar_hadir", "pdf"])

    page = client.get(reverse("reports:report_index", args=[lokakarya.id]))
    asked = client.get(url, {"site": site.id, "session": session.id, "pending": "1"})
    odd = client.get(url, {"site": site.id, "session": session.id, "pending": "<script>"})

    assert page.status_code == 200 and b'name="pending"' in page.content
    assert asked.status_code == 200 and "Peserta Menunggu" in pdf_text(asked.content)[0]
    assert odd.status_code == 200 and "Peserta Menunggu" not in pdf_text(odd.content)[0]


@pytest.mark.django_db
def test_a_large_sheet_with_the_pending_ones_is_built_the_same_in_the_background(
    client, lokakarya, superuser, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.REPORTS_LARGE_SHEET_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    site, session = site_and_session(lokakarya)
    verified(site, superuser, name="Peserta Terverifikasi")
    register(site, name="Peserta Menunggu")
    client.force_login(superuser)
    url = reverse("reports:report_download", args=[lokakarya.id, "daftar_hadir", "pdf"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url, {"site": site.id, "session": session.id, "pending": "1"})

    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.params["pending"] == "1"
    download = client.get(reverse("core:report_job_file", args=[job.pk]))
    text = flat(pdf_text(b"".join(download.streaming_content))[0])
    assert "Peserta Terverifikasi" in text and f"Peserta Menunggu {PENDING}" in text
