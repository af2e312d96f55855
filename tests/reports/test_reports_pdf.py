"""The PDFs of the reports area: daftar hadir, rekap, attendance recap, badges, certificates (text read
back with pypdf)."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from events.models import Province
from participants.models import Registration
from participants.services import registration_reject, registration_verify
from reports.models import Certificate
from reports.services import certificates_issue
from tests.factories import attend, register
from tests.reports.reports_helpers import build_export, nip_for, pdf_text


def first_site(event, order=None):
    sites = event.sites.order_by("order")
    return sites.get(order=order) if order is not None else sites.first()


def build(user, kind, site, *, session=None, file_format="pdf"):
    params = {"event_id": site.event_id, "site": site.id, "session": session.id if session else None}
    return build_export(user=user, kind=kind, file_format=file_format, **params).render()


@pytest.mark.django_db
def test_daftar_hadir_blank_has_kop_title_date_rows_and_signatory(lokakarya, superuser):
    site = first_site(lokakarya)
    ani = register(site, name="Dra. Ani Lestari, M.Pd.", nip=nip_for(1), position="Guru Kelas")
    budi = register(site, "PP", name="Budi Santoso, S.Pd.")
    for registration in (ani, budi):
        registration_verify(registration=registration, actor=superuser)
    rejected = register(site, name="Citra Ditolak")
    registration_reject(registration=rejected, actor=superuser, reason="Bukan peserta")
    session = site.sessions.order_by("starts_at").first()

    output = build(superuser, "daftar_hadir", site, session=session)
    text, pages = pdf_text(output.content)

    assert output.content_type == "application/pdf"
    assert "DAFTAR HADIR" in text
    assert "BALAI GURU PENGGERAK PROVINSI NUSA TENGGARA" in text
    assert "Sabtu, 15 Oktober 2022" in text
    assert "SDN 8 Sokong" in text
    assert "Dra. Ani Lestari, M.Pd." in text and "Budi Santoso, S.Pd." in text
    assert "Citra Ditolak" not in text  # rejected registrations are not on the sheet
    assert nip_for(1) in "".join(text.split())  # NIP printed in full (spaced form): a public service number
    assert ani.person.nik not in text and budi.person.nik not in text  # the NIK never
    assert "1. ........" in text and "2. ........" in text
    assert "Mengetahui," in text
    assert "Dra. Contoh Kepala Balai, M.Si." in text and "NIP. 196805121994032002" in text
    assert "Jam Hadir" not in text
    assert pages == 1


@pytest.mark.django_db
def test_daftar_hadir_filled_shows_check_in_times_in_the_site_zone(demo, rakor, superuser):
    solo = rakor.sites.get(name="Regional Solo")
    kupang = rakor.sites.get(name="Regional Kupang")
    at_solo = register(solo, "LPMP", name="Peserta Solo", province_code="14")
    at_kupang = register(kupang, "LPMP", name="Peserta Kupang", province_code="53")
    absent = register(kupang, "LPMP", name="Peserta Absen", province_code="53")
    for registration in (at_solo, at_kupang, absent):
        registration_verify(registration=registration, actor=superuser)
    attend(at_solo, solo.sessions.order_by("starts_at").first(), minutes=7)
    attend(at_kupang, kupang.sessions.order_by("starts_at").first(), minutes=12)

    solo_text, _pages = pdf_text(
        build(superuser, "daftar_hadir_filled", solo, session=solo.sessions.order_by("starts_at").first()).content
    )
    kupang_text, _pages = pdf_text(
        build(superuser, "daftar_hadir_filled", kupang, session=kupang.sessions.order_by("starts_at").first()).content
    )

    assert "Kamis, 20 Mei 2021" in solo_text
    assert "08.07 WIB" in solo_text
    assert "08.12 WITA" in kupang_text
    assert "Jam Hadir" in kupang_text
    assert "Peserta Absen" in kupang_text  # on the sheet, without a time


@pytest.mark.django_db
def test_daftar_hadir_of_a_long_list_has_pages_and_the_header_on_each(lokakarya, superuser):
    site = first_site(lokakarya)
    for index in range(60):
        registration_verify(registration=register(site, name=f"Peserta Panjang {index:03d}"), actor=superuser)
    session = site.sessions.order_by("starts_at").first()

    text, pages = pdf_text(build(superuser, "daftar_hadir", site, session=session).content)

    assert pages == 3
    assert text.count("Tanda Tangan") == 3  # the table header repeated on every page
    assert "Halaman 1 dari 3" in text and "Halaman 3 dari 3" in text
    assert "Peserta Panjang 059" in text and "60. ........" in text


@pytest.mark.django_db
def test_rekap_reproduces_the_lokakarya_targets_and_counts(lokakarya, superuser):
    lombok_utara = first_site(lokakarya, 1)
    bima = lokakarya.sites.get(name="Kab. Bima")
    verified = register(lombok_utara, "CGP", name="Cgp Terverifikasi")
    registration_verify(registration=verified, actor=superuser)
    register(lombok_utara, "CGP", name="Cgp Baru")
    register(bima, "NARASUMBER", name="Narasumber Bima")
    attend(verified, lombok_utara.sessions.first())

    report = build_export(user=superuser, kind="rekap", event_id=lokakarya.id, file_format="xlsx")
    sheet = load_workbook(io.BytesIO(report.render().content)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}

    # Per site: Target, Terdaftar, Terverifikasi, Hadir; then the totals.
    assert [rows[role][0] for role in ("CGP", "PP", "Kepala Sekolah", "Pengawas Sekolah")] == [52, 9, 10, 5]
    assert [rows[role][4] for role in ("CGP", "PP", "Kepala Sekolah", "Pengawas Sekolah")] == [59, 10, 16, 5]
    assert [rows[role][8] for role in ("CGP", "PP", "Kepala Sekolah", "Pengawas Sekolah")] == [54, 16, 10, 5]
    assert rows["CGP"][:4] == (52, 2, 1, 1)
    assert rows["Lainnya"][8:12] == (None, 1, 0, 0)
    assert rows["Jumlah"][12:16] == (251, 3, 1, 1)
    assert rows["CGP"][12] == 165
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    text, _pages = pdf_text(build_export(user=superuser, kind="rekap", event_id=lokakarya.id).render().content)
    assert "REKAPITULASI PESERTA" in text and "15–16 Oktober 2022" in text
    assert "251" in text and "Lainnya" in text


@pytest.mark.django_db
def test_excel_neutralises_formulas_from_user_data(lokakarya, superuser):
    site = first_site(lokakarya)
    site.name = '=HYPERLINK("http://evil.invalid")'
    site.save(update_fields=["name"])

    report = build_export(user=superuser, kind="rekap", event_id=lokakarya.id, file_format="xlsx")
    sheet = load_workbook(io.BytesIO(report.render().content)).active

    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.cell(row=1, column=2).value.startswith("'=HYPERLINK")


@pytest.mark.django_db
def test_attendance_recap_per_day_role_and_province(lokakarya, superuser):
    site = first_site(lokakarya)
    day1, day2 = list(site.sessions.order_by("starts_at"))
    site.provinces_served.add(Province.objects.get(code="51"))  # this site also takes participants from Bali
    a = register(site, "CGP", name="Peserta A")
    b = register(site, "CGP", name="Peserta B")
    c = register(site, "PP", name="Peserta C", province_code="51")
    attend(a, day1)
    attend(a, day2)
    attend(b, day1)
    attend(c, day2)

    workbook = load_workbook(io.BytesIO(build(superuser, "attendance_recap", site, file_format="xlsx").content))
    by_role = {row[0]: row[1:] for row in workbook["Per Unsur"].iter_rows(min_row=2, values_only=True)}
    by_province = {row[0]: row[1:] for row in workbook["Per Provinsi Asal"].iter_rows(min_row=2, values_only=True)}

    assert by_role["CGP"] == (2, 2, 1)
    assert by_role["PP"] == (1, 0, 1)
    assert by_role["Jumlah"] == (3, 2, 2)
    assert by_province["Nusa Tenggara Barat"] == (2, 2, 1)
    assert by_province["Bali"] == (1, 0, 1)
    assert "Sabtu, 15 Oktober 2022" in workbook["Per Unsur"].cell(row=1, column=3).value

    text, _pages = pdf_text(build(superuser, "attendance_recap", site).content)
    assert "REKAP KEHADIRAN PESERTA" in text and "Per Provinsi Asal" in text and "Bali" in text


@pytest.mark.django_db
def test_badges_have_name_role_agency_site_and_code_but_no_nik(lokakarya, superuser):
    site = first_site(lokakarya)
    registrations = [register(site, name=f"Pemilik Tanda {index}") for index in range(9)]

    text, pages = pdf_text(build(superuser, "badges", site).content)

    assert pages == 2  # 8 tags per A4 sheet
    for registration in registrations:
        assert registration.person.full_name in text
        assert registration.code in text
        assert registration.person.nik not in text
    assert "CGP" in text and "Kab. Lombok Utara" in text


@pytest.mark.django_db
def test_certificates_only_for_those_who_met_the_threshold(lokakarya, superuser):
    site = first_site(lokakarya)
    day1, day2 = list(site.sessions.order_by("starts_at"))  # threshold 80 %: both days needed
    came = register(site, name="Hadir Penuh", nip=nip_for(7))
    half = register(site, name="Hadir Separuh")
    attend(came, day1)
    attend(came, day2)
    attend(half, day1)

    text, pages = pdf_text(build(superuser, "certificates", site).content)
    text = " ".join(text.split())

    certificate = Certificate.objects.get(registration=came)
    assert not Certificate.objects.filter(registration=half).exists()
    assert pages == 1
    assert "SERTIFIKAT" in text and "Hadir Penuh" in text and "Hadir Separuh" not in text
    assert f"Nomor: {certificate.number}" in text
    assert certificate.number == "0001/BGP-PROVINSI-NTB/SERT/2022"  # the default format of the series
    assert f"NIP. {nip_for(7)}" in text and came.person.nik not in text
    assert "16 JP (jam pelajaran)" in text and "15–16 Oktober 2022" in text and "SDN 8 Sokong" in text
    assert "sebagai Calon Guru Penggerak" in text and "Kabupaten Lombok Utara, 16 Oktober 2022" in text
    assert "Dra. Contoh Kepala Balai, M.Si." in text

    # Half reaches the threshold later: it gets the next number, the first keeps its own.
    attend(half, day2)
    archive = zipfile.ZipFile(io.BytesIO(build(superuser, "certificates_zip", site, file_format="zip").content))
    assert len(archive.namelist()) == 2
    assert Certificate.objects.get(registration=came).number == certificate.number
    assert Certificate.objects.get(registration=half).sequence == 2


@pytest.mark.django_db
def test_withdrawn_participants_get_no_certificate(lokakarya, superuser):
    site = first_site(lokakarya)
    registration = register(site, name="Mundur")
    for session in site.sessions.all():
        attend(registration, session)
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.WITHDRAWN)

    assert certificates_issue(site=site, actor=superuser) == []


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "file_format", "per_session"),
    [
        ("daftar_hadir_filled", "pdf", True),
        ("rekap", "pdf", False),
        ("rekap", "xlsx", False),
        ("attendance_recap", "xlsx", False),
        ("attendance_recap", "pdf", False),
        ("badges", "pdf", False),
        ("certificates", "pdf", False),
        ("certificates_zip", "zip", False),
    ],
)
def test_report_builders_keep_a_constant_number_of_queries(lokakarya, superuser, kind, file_format, per_session):
    site = first_site(lokakarya)
    sessions = list(site.sessions.order_by("starts_at"))

    def add(count: int) -> None:
        for _index in range(count):
            registration = register(site, ["CGP", "PP", "LAINNYA"][_index % 3])
            registration_verify(registration=registration, actor=superuser)
            for session in sessions:
                attend(registration, session)

    def run():
        build(superuser, kind, site, session=sessions[0] if per_session else None, file_format=file_format)

    add(3)
    run()  # certificates: the first run issues the numbers
    small = _queries(run)
    add(9)
    run()
    large = _queries(run)
    assert small == large
