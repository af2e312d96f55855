"""The papers given to people: certificates (number format per event, issued once, QR code of the verification
page, the role spelled out, revocation) and the piagam penghargaan of the Kepala Sekolah Penggerak; the public
verification page; the "nothing to export" message. PDF text read back with pypdf; the QR code read back from the
PDF's image and compared module by module with the code of the expected address."""

import io

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from core.models import AuditEntry, ReportDownload
from events import groups as G
from participants.services import registration_reject, registration_transition
from reports.models import Appreciation, Certificate, NumberSeries
from reports.selectors import appreciation_candidates, paper_verification, verification_url
from reports.services import (
    PaperError,
    appreciation_revoke,
    appreciation_select,
    certificate_revoke,
    certificates_issue,
    number_series_set_format,
)
from rosters.models import SekolahPenggerak
from tests.factories import attend, register, user_in
from tests.reports.reports_helpers import build_export, nip_for, pdf_text
from tests.rosters.conftest import make_penggerak, make_school

LK7_FORMAT = "{seq:04}/BGP-NTB/LK7/{year}"


def first_site(event):
    return event.sites.order_by("order").first()


def attended(site, role="CGP", **person):
    registration = register(site, role, **person)
    for session in site.sessions.all():
        attend(registration, session)
    return registration


def certificates_pdf(user, site) -> bytes:
    return build_export(user=user, kind="certificates", event_id=site.event_id, site=site.id).render().content


def qr_modules(image: Image.Image) -> list[list[bool]]:
    """The dark/light modules of a QR code image drawn by segno (4-module quiet zone), read at each module's centre."""
    image = image.convert("L")
    # segno draws whole pixels per module: find the module size from the top-left finder pattern (7 modules).
    top = next(y for y in range(image.height) if any(image.getpixel((x, y)) < 128 for x in range(image.width)))
    left = next(x for x in range(image.width) if image.getpixel((x, top)) < 128)
    right = left
    while image.getpixel((right, top)) < 128:
        right += 1
    module = (right - left) / 7
    count = round((image.width - 2 * left) / module)
    return [
        [
            image.getpixel((int(left + (col + 0.5) * module), int(top + (line + 0.5) * module))) < 128
            for col in range(count)
        ]
        for line in range(count)
    ]


def pdf_qr_codes(content: bytes) -> list[list[list[bool]]]:
    """The QR codes of each page of a PDF (the square images), as module matrices."""
    codes = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for image in page.images:
            if image.image.width == image.image.height:
                codes.append(qr_modules(image.image))
    return codes


def expected_modules(text: str) -> list[list[bool]]:
    return [[bool(cell) for cell in row] for row in segno.make(text, error="m", micro=False).matrix]


# --- certificates ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_certificate_number_follows_the_event_format_and_its_qr_opens_the_verification_page(
    lokakarya, superuser, settings
):
    settings.PUBLIC_BASE_URL = "https://psp.example.go.id"
    site = first_site(lokakarya)
    number_series_set_format(event=lokakarya, kind="certificate", number_format=LK7_FORMAT, actor=superuser)
    budi = attended(site, "PP", name="Budi Santoso, S.Pd.", nip=nip_for(3))
    ani = attended(site, "CGP", name="Ani Lestari, S.Pd.")

    content = certificates_pdf(superuser, site)
    text, pages = pdf_text(content)
    text = " ".join(text.split())

    first, second = Certificate.objects.filter(event=lokakarya).order_by("sequence")
    assert (first.registration, second.registration) == (ani, budi)  # numbered by name
    assert (first.number, second.number) == ("0001/BGP-NTB/LK7/2022", "0002/BGP-NTB/LK7/2022")
    assert pages == 2
    assert "Nomor: 0001/BGP-NTB/LK7/2022" in text and "Nomor: 0002/BGP-NTB/LK7/2022" in text
    # The role spelled out, never its code.
    assert "sebagai Calon Guru Penggerak" in text and "sebagai Pengajar Praktik" in text
    assert "sebagai CGP" not in text and "sebagai PP" not in text
    assert "Kepala BGP Provinsi NTB" in text and "NIP. 196805121994032002" in text
    assert budi.person.nik not in text and ani.person.nik not in text
    # The QR code of each page encodes the absolute address of its certificate's verification page.
    urls = [f"https://psp.example.go.id/sertifikat/{certificate.token}/" for certificate in (first, second)]
    assert [verification_url(certificate.token) for certificate in (first, second)] == urls
    assert pdf_qr_codes(content) == [expected_modules(url) for url in urls]
    assert len(first.token) >= 32 and first.token != second.token


@pytest.mark.django_db
def test_numbers_are_issued_once_reused_on_reprint_and_never_reused_after_a_revocation(lokakarya, superuser):
    utara, timur = lokakarya.sites.order_by("order")[:2]
    number_series_set_format(event=lokakarya, kind="certificate", number_format=LK7_FORMAT, actor=superuser)
    one = attended(utara, name="A Satu")
    certificates_issue(site=utara, actor=superuser)
    token = Certificate.objects.get(registration=one).token

    certificates_issue(site=utara, actor=superuser)  # a reprint: same row, same number, same key
    assert Certificate.objects.count() == 1
    assert Certificate.objects.get(registration=one).token == token

    two = attended(timur, name="B Dua")  # another site of the event: the event's series goes on
    certificate_revoke(certificate=Certificate.objects.get(registration=one), actor=superuser, reason="Salah data")
    assert certificates_issue(site=utara, actor=superuser) == []  # a revoked certificate is printed no more
    exporter = build_export(user=superuser, kind="certificates", event_id=lokakarya.pk, site=utara.pk)
    assert "semua sertifikat site ini telah dicabut" in exporter.nothing_to_export()
    (timur_certificate,) = certificates_issue(site=timur, actor=superuser)
    assert timur_certificate.registration == two and timur_certificate.number == "0002/BGP-NTB/LK7/2022"
    three = attended(utara, name="C Tiga")
    certificates_issue(site=utara, actor=superuser)
    assert Certificate.objects.get(registration=three).number == "0003/BGP-NTB/LK7/2022"
    assert NumberSeries.objects.get(event=lokakarya, kind="certificate").last_sequence == 3

    # The format is fixed once numbers were given; a bad format is refused with a message.
    with pytest.raises(PaperError) as refused:
        number_series_set_format(event=lokakarya, kind="certificate", number_format="{seq}/X", actor=superuser)
    assert refused.value.code == "series_in_use"
    for bad in ("BGP/{year}", "{seq:04}/{nik}", "{seq:04}/{organizer.__class__}", "{seq:zz}", "{seq"):
        with pytest.raises(PaperError):
            number_series_set_format(event=lokakarya, kind="piagam", number_format=bad, actor=superuser)


@pytest.mark.django_db
def test_nobody_eligible_gives_a_message_on_the_page_not_an_empty_archive(client, lokakarya):
    site = first_site(lokakarya)
    register(site, name="Belum Hadir")
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    client.force_login(panitia)
    index = reverse("reports:report_index", args=[lokakarya.pk])

    for kind, file_format in (("certificates", "pdf"), ("certificates_zip", "zip")):
        url = reverse("reports:report_download", args=[lokakarya.pk, kind, file_format]) + f"?site={site.pk}"
        response = client.post(url, HTTP_REFERER="http://testserver" + index, follow=True)
        assert response.redirect_chain[-1][0].endswith(index)
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert "belum ada peserta yang mencapai batas kehadiran" in page.lower()
    assert not Certificate.objects.exists()
    assert not ReportDownload.objects.exists()
    # From outside the app (no referrer of ours), back to the reports page of the event.
    url = reverse("reports:report_download", args=[lokakarya.pk, "certificates", "pdf"]) + f"?site={site.pk}"
    assert client.post(url, HTTP_REFERER="https://evil.example/").url == index


# --- the public verification page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_verification_page_of_a_valid_then_revoked_certificate_and_of_an_unknown_key(client, lokakarya, superuser):
    site = first_site(lokakarya)
    registration = attended(site, name="Dra. Wayan Sari, M.Pd.", nip=nip_for(5))
    (certificate,) = certificates_issue(site=site, actor=superuser)
    url = reverse("reports:paper_verify", args=[certificate.token])

    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert certificate.number in page and "Dra. Wayan Sari, M.Pd." in page and lokakarya.title in page
    assert "Berlaku" in page and "16 Oktober 2022" in page  # valid; the date of issue printed on it
    assert registration.person.nik not in page and nip_for(5) not in page and registration.code not in page

    certificate_revoke(certificate=certificate, actor=superuser, reason="Peserta tidak hadir penuh")
    page = client.get(url).content.decode()
    assert "DICABUT" in page and "Dicabut" in page and "Berlaku" not in page
    assert "Peserta tidak hadir penuh" not in page  # the reason stays inside

    assert client.get(reverse("reports:paper_verify", args=["x" * 32])).status_code == 404
    assert client.get(reverse("reports:paper_verify", args=["x" * 65])).status_code == 404


@pytest.mark.django_db
def test_unknown_keys_are_throttled_like_other_public_look_ups(client, settings, lokakarya, superuser):
    settings.THROTTLE_LOOKUP_LIMIT = 3
    site = first_site(lokakarya)
    attended(site)
    (certificate,) = certificates_issue(site=site, actor=superuser)
    for attempt in range(3):
        assert client.get(reverse("reports:paper_verify", args=[f"guess-{attempt}"])).status_code == 404
    assert client.get(reverse("reports:paper_verify", args=["guess-4"])).status_code == 429
    # Past the limit, even a real key waits: guessing gains nothing.
    assert client.get(reverse("reports:paper_verify", args=[certificate.token])).status_code == 429


# --- revocation: who may, and the audit entry -----------------------------------------------------------------


@pytest.mark.django_db
def test_revocation_is_audited_and_only_for_the_panitia_of_the_event(client, lokakarya, rakor):
    site = first_site(lokakarya)
    attended(site)
    (certificate,) = certificates_issue(site=site, actor=None)
    url = reverse("reports:certificate_revoke", args=[lokakarya.pk, certificate.pk])

    others = [
        (user_in(G.PANITIA, organized=[rakor]), 404),  # another event's panitia
        (user_in(G.KOORDINATOR_SITE, sites=[site]), 403),
        (user_in(G.PEJABAT, events=[lokakarya]), 403),
    ]
    for user, status in others:
        client.force_login(user)
        assert client.post(url, {"reason": "Coba"}).status_code == status
    # The certificate through another event's URL: 404, even for its own panitia.
    panitia = user_in(G.PANITIA, organized=[lokakarya, rakor])
    client.force_login(panitia)
    assert (
        client.post(reverse("reports:certificate_revoke", args=[rakor.pk, certificate.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert client.get(url).status_code == 405
    client.post(url, {"reason": "  "})  # no reason: refused
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    response = client.post(url, {"reason": "Nama salah tulis"}, follow=True)
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == panitia
    entry = AuditEntry.objects.get(action="certificate.revoked")
    assert (entry.actor, entry.reason, entry.object_id) == (panitia, "Nama salah tulis", str(certificate.pk))
    assert (entry.from_state, entry.to_state) == ("valid", "revoked")
    with pytest.raises(PaperError):
        certificate_revoke(certificate=certificate, actor=panitia, reason="lagi")


# --- piagam penghargaan -----------------------------------------------------------------------------------------


@pytest.fixture
def kepala_sekolah(rakor):
    """Three approved Kepala Sekolah Penggerak of the Rakor's cohort, and a Sekolah Penggerak with none yet."""
    principals = [make_penggerak(rakor.cohort, regency="14.71")[1] for _ in range(3)]
    SekolahPenggerak.objects.create(school=make_school(regency="14.71"), cohort=rakor.cohort, principal=None)
    return principals


@pytest.mark.django_db
def test_candidates_come_from_the_registrations_and_the_cohort_sekolah_penggerak(lokakarya, rakor, kepala_sekolah):
    site = first_site(lokakarya)
    registered = register(site, "KEPALA_SEKOLAH", name="Kepala Terdaftar")
    register(site, "CGP", name="Bukan Kepala")
    rejected = register(site, "KEPALA_SEKOLAH", name="Kepala Ditolak")
    registration_reject(registration=rejected, actor=None, reason="Bukan peserta")

    names = [candidate.full_name for candidate in appreciation_candidates(event=lokakarya)]
    assert names == ["Kepala Terdaftar"]  # the Lokakarya's cohort has no Sekolah Penggerak
    assert registered.full_name in names

    rakor_names = {candidate.full_name for candidate in appreciation_candidates(event=rakor)}
    assert rakor_names == {principal.full_name for principal in kepala_sekolah}


@pytest.mark.django_db
def test_a_piagam_for_each_chosen_person_and_nobody_else(client, rakor, kepala_sekolah, settings):
    settings.PUBLIC_BASE_URL = "https://psp.example.go.id"
    panitia = user_in(G.PANITIA, organized=[rakor])
    candidates = appreciation_candidates(event=rakor)
    chosen, left_out = candidates[:2], candidates[2]
    client.force_login(panitia)
    piagam_page = reverse("reports:piagam", args=[rakor.pk])
    for candidate in chosen:
        response = client.post(piagam_page, {"candidate": candidate.key, "citation": "dedikasi dan kepemimpinannya"})
        assert response.status_code == 302
    # Chosen twice, or somebody who is no candidate: refused with a message, nothing written.
    again = client.post(piagam_page, {"candidate": chosen[0].key, "citation": "lagi"})
    assert again.status_code == 200 and Appreciation.objects.count() == 2
    assert client.post(piagam_page, {"candidate": "r999999", "citation": "x"}).status_code == 200
    assert client.post(piagam_page, {"candidate": left_out.key, "citation": " "}).status_code == 200
    assert Appreciation.objects.count() == 2

    entries = AuditEntry.objects.filter(action="piagam.selected")
    assert entries.count() == 2 and {entry.actor for entry in entries} == {panitia}
    first, second = Appreciation.objects.order_by("sequence")
    assert first.number == "001/LPPKSPS/PIAGAM/2021" and second.number == "002/LPPKSPS/PIAGAM/2021"

    merged = client.get(reverse("reports:report_download", args=[rakor.pk, "piagam", "pdf"]))
    text, pages = pdf_text(merged.content)
    text = " ".join(text.split())
    assert pages == 2
    for candidate in chosen:
        assert candidate.full_name in text
    assert left_out.full_name not in text
    assert (
        "PIAGAM PENGHARGAAN" in text and "Kepala Sekolah Penggerak" in text and "dedikasi dan kepemimpinannya" in text
    )
    assert pdf_qr_codes(merged.content) == [
        expected_modules(f"https://psp.example.go.id/sertifikat/{paper.token}/") for paper in (first, second)
    ]

    one = client.get(reverse("reports:report_download", args=[rakor.pk, "piagam", "pdf"]) + f"?piagam={second.pk}")
    text, pages = pdf_text(one.content)
    assert pages == 1 and second.person.full_name in text and first.person.full_name not in text

    listing, _pages = pdf_text(
        client.get(reverse("reports:report_download", args=[rakor.pk, "piagam_list", "pdf"])).content
    )
    listing = " ".join(listing.split())
    assert "DAFTAR PENERIMA PIAGAM PENGHARGAAN" in listing
    assert "Kota Surakarta, 23 Mei 2021" in listing and "Kota Surakarta, 23 Mei 2021" in text  # one place, one date
    assert (
        first.person.full_name in listing and second.person.full_name in listing and left_out.full_name not in listing
    )
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("reports:report_download", args=[rakor.pk, "piagam_list", "xlsx"])).content)
    )
    values = [row for row in workbook.active.iter_rows(values_only=True)]
    assert [row[1] for row in values[1:]] == [first.person.full_name, second.person.full_name]
    assert values[1][3] == first.number

    # A revoked piagam: its page says so, it is printed no more, the list marks it.
    appreciation_revoke(appreciation=first, actor=panitia, reason="Keliru pilih")
    verification = paper_verification(token=first.token)
    assert verification.kind == "piagam" and verification.revoked_on is not None
    text, pages = pdf_text(client.get(reverse("reports:report_download", args=[rakor.pk, "piagam", "pdf"])).content)
    assert pages == 1 and first.person.full_name not in text
    listing, _pages = pdf_text(
        client.get(reverse("reports:report_download", args=[rakor.pk, "piagam_list", "pdf"])).content
    )
    assert "Dicabut" in listing
    page = client.get(reverse("reports:paper_verify", args=[first.token])).content.decode()
    assert first.person.full_name in page and first.person.nik not in page


@pytest.mark.django_db
def test_piagam_pages_are_for_the_panitia_of_the_event(client, rakor, lokakarya, kepala_sekolah):
    client.force_login(user_in(G.PANITIA, organized=[lokakarya]))
    assert client.get(reverse("reports:piagam", args=[rakor.pk])).status_code == 404
    candidate = appreciation_candidates(event=rakor)[0]
    assert (
        client.post(
            reverse("reports:piagam", args=[rakor.pk]), {"candidate": candidate.key, "citation": "x"}
        ).status_code
        == 404
    )
    client.force_login(user_in(G.PEJABAT, events=[rakor]))
    assert client.get(reverse("reports:piagam", args=[rakor.pk])).status_code == 403
    assert not Appreciation.objects.exists()


@pytest.mark.django_db
def test_no_piagam_yet_gives_a_message(client, rakor):
    client.force_login(user_in(G.PANITIA, organized=[rakor]))
    piagam_page = reverse("reports:piagam", args=[rakor.pk])
    for kind, file_format in (("piagam", "pdf"), ("piagam_list", "xlsx")):
        response = client.get(reverse("reports:report_download", args=[rakor.pk, kind, file_format]), follow=True)
        assert response.redirect_chain[-1][0].endswith(piagam_page)
        assert "belum ada yang dipilih" in response.content.decode().lower()


# --- query counts -----------------------------------------------------------------------------------------------


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "file_format"), [("piagam", "pdf"), ("piagam_list", "pdf"), ("piagam_list", "xlsx")])
def test_piagam_builders_keep_a_constant_number_of_queries(rakor, superuser, kind, file_format):
    site = first_site(rakor)

    def add(count: int) -> None:
        for _index in range(count):
            make_penggerak(rakor.cohort, regency="14.71")
        register(site, "DINAS_PROV", province_code="14")  # a registration of the event, not a candidate
        for candidate in appreciation_candidates(event=rakor):
            appreciation_select(event=rakor, candidate=candidate, citation="dedikasinya", actor=superuser)

    def run():
        build_export(user=superuser, kind=kind, file_format=file_format, event_id=rakor.pk).render()

    add(2)
    small = _queries(run)
    add(6)
    large = _queries(run)
    assert Appreciation.objects.count() == 8
    assert small == large


@pytest.mark.django_db
def test_candidates_and_papers_pages_keep_a_constant_number_of_queries(client, rakor, superuser):
    client.force_login(superuser)
    site = first_site(rakor)

    def add(count: int) -> None:
        for _index in range(count):
            make_penggerak(rakor.cohort, regency="14.71")
            attended(site, "DINAS_PROV", province_code="14")
        certificates_issue(site=site, actor=superuser)
        appreciation_select(
            event=rakor, candidate=appreciation_candidates(event=rakor)[0], citation="dedikasinya", actor=superuser
        )

    pages = [reverse("reports:piagam", args=[rakor.pk]), reverse("reports:certificate_list", args=[rakor.pk])]
    add(1)
    small = [_queries(lambda url=url: client.get(url)) for url in pages]
    add(5)
    large = [_queries(lambda url=url: client.get(url)) for url in pages]
    assert small == large


def test_verification_of_no_key_is_none(db):
    assert paper_verification(token="") is None


@pytest.mark.django_db
def test_numbers_never_collide_with_another_events(client, lokakarya, rakor, superuser):
    number_series_set_format(event=lokakarya, kind="certificate", number_format="{seq:04}/X/2022", actor=superuser)
    with pytest.raises(PaperError) as refused:  # the same numbers as the Lokakarya's
        number_series_set_format(event=rakor, kind="certificate", number_format="{seq:04}/X/2022", actor=superuser)
    assert refused.value.code == "format_taken"
    number_series_set_format(event=rakor, kind="certificate", number_format="{seq:04}/X/{year}", actor=superuser)

    # A number taken all the same (formats that meet further on): the download says so, nothing is issued.
    solo = first_site(rakor)
    other = attended(solo, "DINAS_PROV", province_code="14")
    Certificate.objects.create(
        registration=other, event=rakor, site=solo, sequence=99, number="0001/X/2022", token="taken-number-key"
    )
    site = first_site(lokakarya)
    attended(site)
    client.force_login(user_in(G.PANITIA, organized=[lokakarya]))
    index = reverse("reports:report_index", args=[lokakarya.pk])
    url = reverse("reports:report_download", args=[lokakarya.pk, "certificates", "pdf"]) + f"?site={site.pk}"
    response = client.post(url, HTTP_REFERER="http://testserver" + index, follow=True)
    assert response.redirect_chain[-1][0].endswith(index)
    assert "sudah dipakai kegiatan lain" in response.content.decode()
    assert not Certificate.objects.filter(event=lokakarya).exists()
    assert NumberSeries.objects.get(event=lokakarya, kind="certificate").last_sequence == 0


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["%00", "ä" * 10, "' OR 1=1 --", "a" * 500, "..", "<script>"])
def test_any_typed_key_gets_a_404_never_a_500(client, token):
    assert client.get(f"/sertifikat/{token}/").status_code == 404


@pytest.mark.django_db
def test_the_certificate_list_offers_revocation_until_revoked_then_shows_the_reason(client, lokakarya, superuser):
    site = first_site(lokakarya)
    attended(site)
    (certificate,) = certificates_issue(site=site, actor=None)
    client.force_login(superuser)
    page = reverse("reports:certificate_list", args=[lokakarya.pk])
    revoke = reverse("reports:certificate_revoke", args=[lokakarya.pk, certificate.pk])
    html = client.get(page).content.decode()
    assert f'action="{revoke}"' in html and "Berlaku" in html
    assert client.post(revoke, {"reason": "Nama salah ketik"}).status_code == 302
    html = client.get(page).content.decode()
    assert f'action="{revoke}"' not in html and "Nama salah ketik" in html


@pytest.mark.django_db
@pytest.mark.parametrize("leave", ["rejected", "withdrawn"])
def test_a_certificate_is_revoked_when_its_registration_is_rejected_or_withdrawn(client, lokakarya, superuser, leave):
    site = first_site(lokakarya)
    leaving = attended(site, name="Baiq Nurul Aini", nip=nip_for(7))
    staying = attended(site, name="Lalu Ahmad Fauzi", nip=nip_for(8))
    certificates_issue(site=site, actor=superuser)
    leaving_certificate = Certificate.objects.get(registration=leaving)

    if leave == "rejected":
        registration_reject(registration=leaving, actor=superuser, reason="Data tidak sesuai")
    else:
        registration_transition(registration=leaving, to_status="withdrawn", actor=superuser)

    leaving_certificate.refresh_from_db()
    assert leaving_certificate.revoked_at is not None and leaving_certificate.revoked_by == superuser
    expected = "Pendaftaran ditolak: Data tidak sesuai" if leave == "rejected" else "Pendaftaran dibatalkan."
    assert leaving_certificate.revocation_reason == expected
    assert AuditEntry.objects.filter(action="certificate.revoked", object_id=str(leaving_certificate.pk)).count() == 1
    # The public page says so; the other participant's certificate stays valid.
    page = client.get(reverse("reports:paper_verify", args=[leaving_certificate.token])).content.decode()
    assert "DICABUT" in page and "Berlaku" not in page
    assert Certificate.objects.get(registration=staying).revoked_at is None
    # Issued again for the site, nobody new gets one and the revoked one is not printed.
    again = certificates_issue(site=site, actor=superuser)
    assert [c.registration_id for c in again] == [staying.pk]
