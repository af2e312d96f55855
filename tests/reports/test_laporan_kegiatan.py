"""The laporan kegiatan (issue 18): the bundle's chapters carry the database's figures, every session's daftar
hadir (or its signed scan), every photo caption, the certificates; its pages grow linearly with the participants
and its queries do not; the narrative form, photo and scan uploads, their refusals and who may do what."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from attendance.models import Attendance
from core.models import AuditEntry, ReportJob
from events import groups as G
from events.models import SiteQuota
from outcomes.services import ItemData, action_plan_create, action_plan_item_save
from participants.models import Registration
from participants.services import registration_verify
from reports.models import ActivityReport, DocumentationPhoto, SignedAttendanceSheet
from reports.outputs.laporan import APPENDICES
from reports.services import (
    LaporanError,
    Narrative,
    activity_report_save,
    certificates_issue,
    documentation_photo_add,
    event_personal_data_purge,
    signed_sheet_upload,
)
from tests.factories import attend, register, user_in
from tests.reports.reports_helpers import build_export, pdf_text

NARRATIVE = Narrative(
    background="Latar belakang uji: panen raya para Calon Guru Penggerak.",
    legal_basis="Peraturan uji nomor satu\nPeraturan uji nomor dua",
    conclusion="Kesimpulan uji: kegiatan terlaksana serentak.",
    recommendations="Saran uji: praktik baik disebarluaskan.",
)


def flat(text: str) -> str:
    """The extracted text with every run of white space as one space (table cells come one per line)."""
    return " ".join(text.split())


def photo_bytes(colour=(200, 30, 30), *, exif: bool = False, fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", (320, 200), colour)
    buffer = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "KameraRahasia"  # Make
        data[0x8825] = {1: "S", 2: (8.0, 35.0, 0.0)}  # GPSInfo
        image.save(buffer, fmt, exif=data.tobytes())
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> io.BytesIO:
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


def scan_pdf(marker: str, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for page in range(pages):
        canvas.drawString(100, 700, f"{marker} halaman {page + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def bundle(user, event, site=None, *, kind="laporan_kegiatan", file_format="pdf") -> bytes:
    params = {"event_id": event.pk}
    if site is not None:
        params["site"] = site.pk
    return build_export(user=user, kind=kind, file_format=file_format, **params).render().content


def populate(event, superuser, *, per_site: int = 3) -> list[Registration]:
    """Registrations at every site: verified (most), attending the first session (some), a narasumber each."""
    made = []
    for site in event.sites.order_by("order"):
        first = site.sessions.order_by("starts_at").first()
        for index in range(per_site):
            registration = register(
                site, ["CGP", "PP", "KEPALA_SEKOLAH"][index % 3], name=f"Peserta {site.order}-{index}"
            )
            if index % 3 != 2:
                registration_verify(registration=registration, actor=superuser)
            if index % 2 == 0:
                attend(registration, first)
            made.append(registration)
        speaker = register(site, "NARASUMBER", name=f"Narasumber Lokasi {site.order}")
        registration_verify(registration=speaker, actor=superuser)
    return made


@pytest.fixture
def panitia(lokakarya):
    return user_in(G.PANITIA, organized=[lokakarya])


@pytest.fixture
def lombok_utara(lokakarya):
    return lokakarya.sites.get(name="Kab. Lombok Utara")


# --- the bundle's content -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_bundle_of_the_lokakarya_carries_each_chapter_with_the_database_figures(lokakarya, superuser, panitia):
    populate(lokakarya, superuser)
    activity_report_save(event=lokakarya, narrative=NARRATIVE, final=True, actor=panitia)
    plan = action_plan_create(event=lokakarya, delegation="Dinas Pendidikan Kab. Bima", actor=panitia)
    action_plan_item_save(
        plan=plan,
        data=ItemData(
            activity="Diseminasi praktik baik", start_month=dt.date(2022, 11, 1), end_month=dt.date(2023, 1, 1)
        ),
        actor=panitia,
    )
    captions = {}
    for site in lokakarya.sites.all():
        caption = f"Dokumentasi kegiatan di {site.venue.name}"
        documentation_photo_add(site=site, upload=upload("f.jpg", photo_bytes()), caption=caption, actor=panitia)
        captions[site.pk] = caption

    text, pages = pdf_text(bundle(panitia, lokakarya))
    words = flat(text)

    # Cover and Bab I: the narrative, the legal basis numbered, the event's objectives in order.
    assert "LAPORAN KEGIATAN" in text and "Seluruh Lokasi" in words and "15–16 Oktober 2022" in words
    assert "DRAF" not in text  # the narrative is final
    for heading in ("BAB I", "PENDAHULUAN", "BAB II", "PELAKSANAAN", "BAB III", "HASIL KEGIATAN", "BAB IV", "PENUTUP"):
        assert heading in text
    assert NARRATIVE.background in words and NARRATIVE.conclusion in words and NARRATIVE.recommendations in words
    assert "1. Peraturan uji nomor satu" in words and "2. Peraturan uji nomor dua" in words
    objectives = list(lokakarya.objectives.order_by("order").values_list("text", flat=True))
    positions = [words.index(objective) for objective in objectives]
    assert positions == sorted(positions)

    # Bab II: every site's venue and zone, the rekap equal to the database, the narasumber, the jadwal.
    targets = SiteQuota.objects.filter(site__event=lokakarya).aggregate(total=Sum("target"))["total"]
    assert targets == 251  # the seed's figures: 76 + 90 + 85
    seats = Registration.objects.filter(event=lokakarya, status__in=Registration.SEAT_STATUSES)
    registered = seats.count()
    verified = seats.filter(status=Registration.Status.VERIFIED).count()
    attended = seats.filter(attendances__isnull=False).distinct().count()
    assert f"Jumlah seluruh lokasi {targets} {registered} {verified} {attended}" in words
    for site in lokakarya.sites.all():
        site_seats = seats.filter(site=site)
        site_target = SiteQuota.objects.filter(site=site).aggregate(total=Sum("target"))["total"]
        figures = (
            site_target,
            site_seats.count(),
            site_seats.filter(status=Registration.Status.VERIFIED).count(),
            site_seats.filter(attendances__isnull=False).distinct().count(),
        )
        assert f"Jumlah {site.name} " + " ".join(map(str, figures)) in words
        assert site.venue.name in words
        assert f"Narasumber Lokasi {site.order}" in words
    assert "CGP 52" in words and "WITA (Asia/Makassar)" in words
    assert "08.00–16.00 WITA" in words

    # Bab III: the rencana aksi per delegation, the good practices part only when some are published.
    assert (
        "Dinas Pendidikan Kab. Bima" in words and "Diseminasi praktik baik" in words and "Nov 2022 – Jan 2023" in words
    )

    # Lampiran: one daftar hadir per session (the generated sheet), recaps, every caption, the certificates.
    sessions = sum(site.sessions.count() for site in lokakarya.sites.all())
    assert text.count("DAFTAR HADIR") == sessions
    assert text.count("REKAP KEHADIRAN PESERTA") == lokakarya.sites.count()
    for caption in captions.values():
        assert caption in words
    assert "Belum ada sertifikat yang diterbitkan." in words
    verified_names = seats.filter(status=Registration.Status.VERIFIED).values_list("full_name", flat=True)
    for name in verified_names:
        assert name in words
    assert f"Halaman {pages} dari {pages}" in words


@pytest.mark.django_db
def test_a_draft_says_so_on_the_cover_and_missing_texts_say_they_are_not_written(lokakarya, lombok_utara, panitia):
    text, _pages = pdf_text(bundle(panitia, lokakarya, lombok_utara))
    assert "DRAF — narasi belum final" in text
    assert "(belum diisi)" in text  # no conclusion, no recommendations yet
    assert lokakarya.description.split(":")[0] in text  # no background written: the event's description

    activity_report_save(event=lokakarya, narrative=NARRATIVE, final=False, actor=panitia)
    activity_report_save(
        event=lokakarya,
        site=lombok_utara,
        narrative=Narrative(conclusion="Kesimpulan khusus Lombok Utara."),
        final=True,
        actor=panitia,
    )
    words = flat(pdf_text(bundle(panitia, lokakarya, lombok_utara))[0])
    assert "Kesimpulan khusus Lombok Utara." in words  # the site's own text
    assert NARRATIVE.conclusion not in words
    assert NARRATIVE.recommendations in words  # empty on the site: the event's
    assert "DRAF" in words  # the event's narrative is still a draft


@pytest.mark.django_db
def test_certificates_issued_are_listed_with_their_status(lokakarya, lombok_utara, superuser):
    registrations = populate(lokakarya, superuser, per_site=2)
    for registration in registrations:
        if registration.site_id == lombok_utara.pk:
            for session in lombok_utara.sessions.all():
                Attendance.objects.get_or_create(
                    registration=registration, session=session, defaults={"checked_in_at": session.starts_at}
                )
    certificates = certificates_issue(site=lombok_utara, actor=superuser)
    assert certificates

    words = flat(pdf_text(bundle(superuser, lokakarya, lombok_utara))[0])

    assert f"Jumlah sertifikat: {len(certificates)} ({len(certificates)} berlaku, 0 dicabut)." in words
    for certificate in certificates:
        assert certificate.number in words and certificate.registration.full_name in words


@pytest.mark.django_db
def test_an_uploaded_signed_scan_replaces_the_generated_sheet(lokakarya, lombok_utara, superuser, panitia):
    populate(lokakarya, superuser)
    first, second = lombok_utara.sessions.order_by("starts_at")[:2]
    plain, plain_pages = pdf_text(bundle(panitia, lokakarya, lombok_utara))
    assert plain.count("DAFTAR HADIR") == 2

    signed_sheet_upload(
        session=first, upload=upload("scan.pdf", scan_pdf("PINDAIAN-HARI-SATU", pages=2)), actor=panitia
    )
    text, pages = pdf_text(bundle(panitia, lokakarya, lombok_utara))
    assert "PINDAIAN-HARI-SATU halaman 1" in text and "PINDAIAN-HARI-SATU halaman 2" in text
    assert text.count("DAFTAR HADIR") == 1  # only the second session's sheet is generated
    assert "Daftar hadir bertanda tangan" in text and "(halaman 2 dari 2)" in text
    assert pages == plain_pages + 1  # the one-page sheet gave way to the two pages of the scan

    signed_sheet_upload(session=second, upload=upload("foto.png", photo_bytes(fmt="PNG")), actor=panitia)
    text, _pages = pdf_text(bundle(panitia, lokakarya, lombok_utara))
    assert text.count("DAFTAR HADIR") == 0
    assert text.count("Daftar hadir bertanda tangan") == 3  # two pages of the PDF scan, one photo


@pytest.mark.django_db
def test_the_page_count_grows_linearly_with_the_participants(lokakarya, lombok_utara, superuser):
    def pages_with(count: int) -> int:
        for _index in range(count):
            registration_verify(registration=register(lombok_utara, "CGP"), actor=superuser)
        return pdf_text(bundle(superuser, lokakarya, lombok_utara))[1]

    counts = [pages_with(count) for count in (0, 60, 60, 60)]  # 0, 60, 120, 180 participants
    steps = [later - earlier for earlier, later in zip(counts, counts[1:], strict=False)]
    # Each 60 names add the same pages to each session's daftar hadir; a sheet's last page may round either way.
    sessions = lombok_utara.sessions.count()
    assert min(steps) >= 2 * sessions
    assert max(steps) - min(steps) <= sessions


@pytest.mark.django_db
def test_the_bundle_reads_with_a_constant_number_of_queries(lokakarya, superuser, panitia):
    def add(count: int) -> None:
        made = populate(lokakarya, superuser, per_site=count)
        activity_report_save(event=lokakarya, narrative=NARRATIVE, final=False, actor=panitia)
        for site in lokakarya.sites.all():
            documentation_photo_add(site=site, upload=upload("f.jpg", photo_bytes()), caption="Foto", actor=panitia)
        for registration in made[::2]:
            for session in registration.site.sessions.all():
                Attendance.objects.get_or_create(
                    registration=registration, session=session, defaults={"checked_in_at": session.starts_at}
                )
        for site in lokakarya.sites.all():
            certificates_issue(site=site, actor=superuser)

    def queries(kind, file_format) -> int:
        with CaptureQueriesContext(connection) as context:
            bundle(panitia, lokakarya, kind=kind, file_format=file_format)
        return len(context.captured_queries)

    add(2)
    queries("laporan_kegiatan", "pdf")  # the first build fills the caches of the process (content types)
    small = (queries("laporan_kegiatan", "pdf"), queries("laporan_kegiatan_zip", "zip"))
    add(7)
    large = (queries("laporan_kegiatan", "pdf"), queries("laporan_kegiatan_zip", "zip"))
    assert small == large


@pytest.mark.django_db
def test_the_zip_holds_the_pdf_and_every_source_file(lokakarya, lombok_utara, superuser, panitia):
    populate(lokakarya, superuser)
    first = lombok_utara.sessions.order_by("starts_at").first()
    signed_sheet_upload(session=first, upload=upload("scan.pdf", scan_pdf("TTD")), actor=panitia)
    documentation_photo_add(
        site=lombok_utara, upload=upload("a.jpg", photo_bytes()), caption="Pembukaan", actor=panitia
    )

    archive = zipfile.ZipFile(
        io.BytesIO(bundle(panitia, lokakarya, lombok_utara, kind="laporan_kegiatan_zip", file_format="zip"))
    )

    assert sorted(archive.namelist()) == [
        "kab-lombok-utara/daftar-hadir/daftar-hadir_hari-1-bertanda-tangan.pdf",
        "kab-lombok-utara/daftar-hadir/daftar-hadir_hari-1.pdf",
        "kab-lombok-utara/daftar-hadir/daftar-hadir_hari-2.pdf",
        "kab-lombok-utara/foto/01-pembukaan.jpg",
        "kab-lombok-utara/rekap-kehadiran.pdf",
        "kab-lombok-utara/rekap-kehadiran.xlsx",
        "laporan-kegiatan_lokakarya-7-angkatan-4-ppgp-ntb-2022_kab-lombok-utara.pdf",
        "rekapitulasi-peserta.xlsx",
    ]
    assert (
        "TTD halaman 1"
        in pdf_text(archive.read("kab-lombok-utara/daftar-hadir/daftar-hadir_hari-1-bertanda-tangan.pdf"))[0]
    )
    assert "DAFTAR HADIR" in pdf_text(archive.read("kab-lombok-utara/daftar-hadir/daftar-hadir_hari-1.pdf"))[0]


# --- uploads: checked by content, EXIF dropped, refusals in Indonesian ---------------------------------------


@pytest.mark.django_db
def test_a_photo_is_stored_without_its_exif(lombok_utara, panitia):
    photo = documentation_photo_add(
        site=lombok_utara, upload=upload("kamera.jpg", photo_bytes(exif=True)), caption="Pembukaan", actor=panitia
    )
    with photo.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert not stored.getexif()
        assert b"KameraRahasia" not in handle.read()
    assert photo.kind == "jpeg" and not photo.file.name.endswith("kamera.jpg")
    entry = AuditEntry.objects.get(action="documentation_photo.added")
    assert entry.actor == panitia and entry.to_state == "Pembukaan"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "caption", "message"),
    [
        ("catatan.jpg", b"bukan gambar sama sekali", "Foto", "bukan foto JPEG atau PNG"),
        ("laporan.jpg", scan_pdf("X"), "Foto", "bukan foto JPEG atau PNG"),
        ("rusak.jpg", b"\xff\xd8\xff" + b"\x00" * 200, "Foto", "bukan gambar JPEG atau PNG, atau berkasnya rusak"),
        ("besar.png", photo_bytes(fmt="PNG") + b"\x00" * (5 * 1024 * 1024), "Foto", "lebih besar dari 5 MB"),
        ("foto.jpg", photo_bytes(), "", "Pilih foto JPEG atau PNG dan tulis keterangannya"),
    ],
)
def test_refused_photos_say_why_in_indonesian_and_store_nothing(
    client, lokakarya, lombok_utara, panitia, name, content, caption, message
):
    client.force_login(panitia)
    url = reverse("reports:laporan_photo_add", kwargs={"event_id": lokakarya.pk, "site_id": lombok_utara.pk})

    response = client.post(url, {"file": upload(name, content), "caption": caption}, follow=True)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DocumentationPhoto.objects.exists()


@pytest.mark.django_db
def test_a_scan_with_a_script_or_of_another_type_is_refused(client, lokakarya, lombok_utara, panitia):
    client.force_login(panitia)
    session = lombok_utara.sessions.first()
    url = reverse(
        "reports:laporan_scan_upload",
        kwargs={"event_id": lokakarya.pk, "site_id": lombok_utara.pk, "session_id": session.pk},
    )
    scripted = scan_pdf("X").replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )

    response = client.post(url, {"file": upload("ttd.pdf", scripted)}, follow=True)
    assert "berisi skrip, aksi otomatis, atau berkas lampiran" in response.content.decode()
    response = client.post(url, {"file": upload("ttd.docx", b"PK\x03\x04 bukan pdf")}, follow=True)
    assert "bukan foto JPEG/PNG dan bukan dokumen PDF" in response.content.decode()
    assert not SignedAttendanceSheet.objects.exists()

    response = client.post(url, {"file": upload("ttd.pdf", scan_pdf("SAH"))}, follow=True)
    assert SignedAttendanceSheet.objects.get(session=session).kind == "pdf"
    assert "Pindaian bertanda tangan" in response.content.decode()


def test_a_caption_is_required_by_the_service():
    with pytest.raises(LaporanError):
        documentation_photo_add(site=None, upload=None, caption="  ", actor=None)


# --- the narrative form and who may do what ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_panitia_saves_drafts_then_final_and_every_save_is_audited(client, lokakarya, panitia):
    client.force_login(panitia)
    url = reverse("reports:laporan", kwargs={"event_id": lokakarya.pk})
    data = {"background": "Latar belakang draf.", "legal_basis": "", "conclusion": "", "recommendations": ""}

    response = client.post(url, {**data, "draft": ""}, follow=True)
    assert "Disimpan sebagai draf." in response.content.decode()
    response = client.post(url, {**data, "conclusion": "Selesai.", "final": ""}, follow=True)
    assert "Disimpan sebagai final." in response.content.decode()

    report = ActivityReport.objects.get(event=lokakarya, site__isnull=True)
    assert (report.background, report.conclusion, report.status) == ("Latar belakang draf.", "Selesai.", "final")
    entries = list(AuditEntry.objects.filter(action="activity_report.saved").order_by("id"))
    assert [(e.from_state, e.to_state, e.data["changed"]) for e in entries] == [
        ("", "draft", ["background"]),
        ("draft", "final", ["conclusion"]),
    ]
    assert all(entry.actor == panitia for entry in entries)

    too_long = client.post(url, {**data, "background": "x" * 10001, "draft": ""})
    assert too_long.status_code == 200 and "paling banyak 10000 karakter" in too_long.content.decode()
    assert ActivityReport.objects.get(pk=report.pk).background == "Latar belakang draf."


@pytest.mark.django_db
def test_who_may_read_download_and_write_the_laporan(
    client, lokakarya, rakor, lombok_utara, panitia, django_capture_on_commit_callbacks
):
    pejabat = user_in(G.PEJABAT, provinces=["52"])
    other_panitia = user_in(G.PANITIA, organized=[rakor])
    verifikator = user_in(G.VERIFIKATOR, provinces=["52"])
    page = reverse("reports:laporan", kwargs={"event_id": lokakarya.pk})
    site_page = reverse("reports:laporan_site", kwargs={"event_id": lokakarya.pk, "site_id": lombok_utara.pk})
    photo_add = reverse("reports:laporan_photo_add", kwargs={"event_id": lokakarya.pk, "site_id": lombok_utara.pk})
    download = reverse(
        "reports:report_download", kwargs={"event_id": lokakarya.pk, "kind": "laporan_kegiatan", "file_format": "pdf"}
    )
    narrative = {"background": "Ditulis", "legal_basis": "", "conclusion": "", "recommendations": "", "draft": ""}

    assert reverse("login") in client.get(page)["Location"]
    assert reverse("login") in client.get(download)["Location"]

    client.force_login(other_panitia)
    assert client.get(page).status_code == 404
    assert client.get(site_page).status_code == 404
    assert client.post(page, narrative).status_code == 404
    assert client.get(download).status_code == 404

    client.force_login(verifikator)
    assert client.get(page).status_code == 403

    client.force_login(pejabat)
    response = client.get(page)
    assert response.status_code == 200 and "Simpan sebagai final" not in response.content.decode()
    assert client.get(site_page).status_code == 200
    assert client.post(page, narrative).status_code == 403
    assert client.post(photo_add, {"caption": "x", "file": upload("a.jpg", photo_bytes())}).status_code == 403
    assert not ActivityReport.objects.exists() and not DocumentationPhoto.objects.exists()
    # The pejabat downloads: a background job with its progress page, then the file.
    with django_capture_on_commit_callbacks(execute=True):  # the job runs once the request's writes commit
        response = client.get(f"{download}?site={lombok_utara.pk}")
    job = ReportJob.objects.get(user=pejabat, kind="laporan_kegiatan")
    assert response["Location"] == reverse("core:report_job", kwargs={"job_id": job.pk})
    assert job.status == ReportJob.Status.DONE and job.params["site"] == lombok_utara.pk
    progress = client.get(response["Location"])
    assert 'aria-valuenow="100"' in progress.content.decode()
    file_response = client.get(reverse("core:report_job_file", kwargs={"job_id": job.pk}))
    content = b"".join(file_response.streaming_content)
    assert "LAPORAN KEGIATAN" in pdf_text(content)[0]

    client.force_login(panitia)
    response = client.get(page)
    assert "Simpan sebagai final" in response.content.decode()
    assert client.post(page, narrative).status_code == 302
    assert client.post(photo_add, {"caption": "Pembukaan", "file": upload("a.jpg", photo_bytes())}).status_code == 302
    photo = DocumentationPhoto.objects.get()
    image = client.get(
        reverse(
            "reports:laporan_photo_file",
            kwargs={"event_id": lokakarya.pk, "site_id": lombok_utara.pk, "photo_id": photo.pk},
        )
    )
    assert image["Content-Type"] == "image/jpeg"
    client.force_login(other_panitia)
    assert (
        client.get(
            reverse(
                "reports:laporan_photo_file",
                kwargs={"event_id": lokakarya.pk, "site_id": lombok_utara.pk, "photo_id": photo.pk},
            )
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_koordinator_takes_the_bundle_of_its_site_not_of_the_whole_event(client, lokakarya):
    bima = lokakarya.sites.get(name="Kab. Bima")
    koordinator = user_in(G.KOORDINATOR_SITE, sites=[bima])
    client.force_login(koordinator)
    download = reverse(
        "reports:report_download", kwargs={"event_id": lokakarya.pk, "kind": "laporan_kegiatan", "file_format": "pdf"}
    )

    assert client.get(download).status_code == 404
    assert client.get(f"{download}?site={lokakarya.sites.get(name='Kab. Lombok Utara').pk}").status_code == 404
    assert client.get(f"{download}?site={bima.pk}").status_code == 302
    page = client.get(reverse("reports:laporan", kwargs={"event_id": lokakarya.pk})).content.decode()
    assert "Seluruh kegiatan" not in page and "Kab. Bima" in page and "Kab. Lombok Utara" not in page


@pytest.mark.django_db
def test_the_retention_purge_deletes_the_signed_scans_and_keeps_the_photos(
    lokakarya, lombok_utara, panitia, django_capture_on_commit_callbacks
):
    session = lombok_utara.sessions.first()
    sheet = signed_sheet_upload(session=session, upload=upload("ttd.pdf", scan_pdf("TTD")), actor=panitia)
    documentation_photo_add(site=lombok_utara, upload=upload("a.jpg", photo_bytes()), caption="Foto", actor=panitia)
    storage, name = sheet.file.storage, sheet.file.name

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the purge commits
        report = event_personal_data_purge(event=lokakarya, actor=None, dry_run=False, force_reason="uji")

    assert report.signed_sheets == 1
    assert not SignedAttendanceSheet.objects.exists() and not storage.exists(name)
    assert DocumentationPhoto.objects.filter(site=lombok_utara).count() == 1


# --- the daftar isi --------------------------------------------------------------------------------------------

CONTENTS_LINE = re.compile(r"^(?P<title>\S.*?)\s+(?P<page>\d+)$")


def contents_of(content: bytes, pages: list[str]) -> list[tuple[str, int]]:
    """The (title, page) lines of the DAFTAR ISI page, read as laid out (the numbers are drawn last, at their
    titles' height); the footer "Halaman x dari y" left out."""
    number = next(index for index, text in enumerate(pages) if text.lstrip().startswith("DAFTAR ISI"))
    page = PdfReader(io.BytesIO(content)).pages[number].extract_text(extraction_mode="layout")
    lines = [line.strip() for line in page.splitlines()[1:]]
    found = [CONTENTS_LINE.match(line) for line in lines if line and not line.startswith("Halaman")]
    return [(match["title"], int(match["page"])) for match in found if match]


@pytest.mark.django_db
def test_the_daftar_isi_lists_every_chapter_section_and_lampiran_on_the_page_it_starts(
    lokakarya, lombok_utara, superuser, panitia
):
    populate(lokakarya, superuser)
    activity_report_save(event=lokakarya, narrative=NARRATIVE, final=True, actor=panitia)
    documentation_photo_add(site=lombok_utara, upload=upload("f.jpg", photo_bytes()), caption="Uji", actor=panitia)
    content = bundle(superuser, lokakarya)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]

    contents = contents_of(content, pages)
    titles = [title for title, _page in contents]
    # Everything the body has, in its order, and nothing else.
    assert titles == [
        "BAB I PENDAHULUAN",
        "A. Latar Belakang",
        "B. Dasar Hukum",
        "C. Tujuan",
        "BAB II PELAKSANAAN",
        "A. Waktu dan Tempat",
        "B. Peserta",
        "C. Narasumber dan Panitia",
        "D. Jadwal Kegiatan",
        "BAB III HASIL KEGIATAN",
        "A. Rencana Aksi",
        "B. Peran dan Tanggung Jawab",
        "BAB IV PENUTUP",
        "A. Kesimpulan",
        "B. Saran",
        "LAMPIRAN",
        "Lampiran 1. Daftar Hadir per Sesi",
        "Lampiran 2. Rekap Kehadiran",
        "Lampiran 3. Dokumentasi Kegiatan",
        "Lampiran 4. Daftar Sertifikat yang Diterbitkan",
    ]
    appendix_cover = next(number for number, text in enumerate(pages, 1) if text.strip().startswith("LAMPIRAN"))
    numbers = [page for _title, page in contents]
    assert numbers == sorted(numbers) and numbers[0] == 3  # after the cover and the daftar isi
    chapter_page = 3
    for title, number in contents:
        text = flat(pages[number - 1])
        if title.startswith("BAB"):
            _bab, roman, name = title.split(" ", 2)
            assert text.startswith(f"BAB {roman} {name}"), title
            chapter_page = number
        elif title == "LAMPIRAN":
            assert number == appendix_cover
        elif title == APPENDICES[0]:
            assert "DAFTAR HADIR" in text and number == appendix_cover + 1  # the first sheet, under its own kop
        else:
            # The first page with the heading from its chapter on (or after the appendix cover, which names them all).
            start = appendix_cover + 1 if title.startswith("Lampiran") else chapter_page
            first = next(n for n in range(start, len(pages) + 1) if title in flat(pages[n - 1]))
            assert number == first, title
