"""Public self-registration, the status page and the organizer form, driven through the views."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from PIL import Image
from pypdf import PdfReader

from core.identifiers import (
    EXCEL_NUMBER_DAMAGE_MESSAGE,
    cross_check_nik_birth_gender,
    mask_nik,
    validate_nik,
    validate_nip,
)
from core.models import AuditEntry
from core.qr import qr_png, qr_svg
from events.models import Agency, AgencyType, Province, Role, SiteQuota
from participants.imports import import_check
from participants.models import Person, Registration
from participants.services import RegistrationError, registration_reject
from tests.factories import register, user_in, valid_nik
from tests.participants.test_imports import row, workbook_bytes

Status = Registration.Status


def shown(message) -> str:
    """A core.identifiers message as the (Indonesian) page shows it, whether or not it is translated yet."""
    with translation.override("id"):
        return escape(str(message))


def finding_message(result, code: str):
    return next(finding.message for finding in result.errors if finding.code == code)


@pytest.fixture
def bima(open_lokakarya):
    return open_lokakarya.sites.get(name="Kab. Bima")


@pytest.fixture
def sikur(open_lokakarya):
    return open_lokakarya.sites.get(name="Kab. Lombok Timur")


def url_for(site) -> str:
    return reverse("participants:public_register", kwargs={"slug": site.event.slug, "site_id": site.pk})


def payload(event_site, role_code="CGP", **overrides) -> dict:
    data = {
        "role": Role.objects.get(program=event_site.event.program, code=role_code).pk,
        "full_name": "Baiq Nurul Contoh, S.Pd.",
        "nik": valid_nik(female=True),
        "province": Province.objects.get(code="52").pk,
        "privacy_accepted": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_form_page_shows_privacy_notice_and_the_asked_identifiers(client, bima):
    response = client.get(url_for(bima))
    html = response.content.decode()
    assert response.status_code == 200
    assert "UU 27/2022" in html or "27/2022" in html
    assert 'name="privacy_accepted"' in html and 'name="nik"' in html and 'name="nuptk"' in html
    bima.event.asks_nuptk = False
    bima.event.save()
    assert 'name="nuptk"' not in client.get(url_for(bima)).content.decode()


def test_woman_nik_with_day_plus_40_is_accepted_and_normalised(client, bima):
    nik = valid_nik(female=True, serial=77)  # day 52 = 12th, woman
    spaced = f"{nik[:6]} {nik[6:12]} {nik[12:]}"
    response = client.post(
        url_for(bima),
        payload(bima, nik=spaced, gender="P", birth_date="1985-05-12", phone="0812-3456-7890"),
    )
    assert response.status_code == 302, response.content.decode()[-6000:]
    assert response["Location"] == reverse("participants:public_confirmation")
    person = Person.objects.get()
    assert person.nik == nik and person.phone == "+6281234567890"
    registration = Registration.objects.get()
    assert registration.source == Registration.Source.SELF and registration.status == Status.SUBMITTED
    assert registration.code not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert registration.code in page and "<svg" in page
    assert "Apa selanjutnya" in page


def test_excel_damaged_nik_is_refused_with_what_to_type_and_input_kept(client, bima):
    response = client.post(
        url_for(bima), payload(bima, nik="3.20101E+15", full_name="Lalu Contoh Tersimpan", email="lalu@example.invalid")
    )
    html = response.content.decode()
    assert response.status_code == 200
    # A web form has no column to format: the message says what to type, not the import's Excel advice.
    assert shown(validate_nik("3.20101E+15").errors[0].message) in html
    assert "16 digit NIK" in html
    assert shown(EXCEL_NUMBER_DAMAGE_MESSAGE) not in html
    assert 'value="Lalu Contoh Tersimpan"' in html
    assert 'value="lalu@example.invalid"' in html
    assert 'value="3.20101E+15"' in html
    assert Registration.objects.count() == 0


def test_nip_structure_applies_to_pns_and_the_ni_pppk_rule_to_pppk(client, bima):
    ni_pppk = "19900512 202321 1 002"  # digits 13–14 are "21": no month, so not a PNS NIP
    response = client.post(url_for(bima), payload(bima, nik="", nip=ni_pppk))
    assert shown(finding_message(validate_nip(ni_pppk), "nip_appointment")) in response.content.decode()
    assert Registration.objects.count() == 0
    response = client.post(url_for(bima), payload(bima, nik="", nip=ni_pppk, nip_is_pppk="on"))
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.nip, person.nip_is_pppk) == ("199005122023211002", True)
    assert Registration.objects.get().nip_is_pppk is True
    # An NI PPPK has its own rule: a year before 2019 is refused even when marked PPPK.
    too_early = "19900512 200501 1 002"
    response = client.post(url_for(bima), payload(bima, nik="", nip=too_early, nip_is_pppk="on"))
    assert shown(finding_message(validate_nip(too_early, pppk=True), "nip_pppk_year")) in response.content.decode()
    assert Registration.objects.count() == 1


def test_at_least_one_identifier_and_the_privacy_notice_are_required(client, bima):
    response = client.post(url_for(bima), payload(bima, nik="", privacy_accepted=None))
    html = response.content.decode()
    assert "Isi paling sedikit salah satu dari: NIK, NIP, NUPTK." in html
    assert "Anda harus menyetujui pemberitahuan privasi untuk mendaftar." in html
    response = client.post(url_for(bima), payload(bima, privacy_accepted=None))
    assert "Anda harus menyetujui pemberitahuan privasi untuk mendaftar." in response.content.decode()
    assert Registration.objects.count() == 0


def test_cross_check_warnings_are_shown_and_need_a_confirmation(client, bima):
    data = payload(bima, gender="L", birth_date="1990-01-01")  # the NIK says: woman, born 12-05-85
    response = client.post(url_for(bima), data)
    html = response.content.decode()
    findings = cross_check_nik_birth_gender(data["nik"], dt.date(1990, 1, 1), "L")
    assert {finding.code for finding in findings} == {"nik_birth_mismatch", "nik_gender_mismatch"}
    for finding in findings:
        assert shown(finding.message) in html
    assert 'name="confirm_warnings"' in html
    assert Registration.objects.count() == 0
    response = client.post(url_for(bima), {**data, "confirm_warnings": "on"})
    assert response.status_code == 302 and Registration.objects.count() == 1


def test_quota_full_is_a_clear_message(client, bima):
    quota = SiteQuota.objects.get(site=bima, role__code="PENGAWAS_SEKOLAH")
    quota.close_when_full = True
    quota.save()
    for _ in range(quota.target):
        register(bima, "PENGAWAS_SEKOLAH")
    response = client.post(url_for(bima), payload(bima, "PENGAWAS_SEKOLAH"))
    assert "Seluruh 5 kursi untuk Pengawas Sekolah di Kab. Bima sudah terisi." in response.content.decode()
    assert Registration.objects.count() == 5


def test_closed_and_not_yet_open_registration_pages(client, lokakarya):
    bima = lokakarya.sites.get(name="Kab. Bima")  # the seed: closed on 13 October 2022, 23.59 WITA
    response = client.get(url_for(bima))
    html = response.content.decode()
    assert "Pendaftaran sudah ditutup" in html and "13 Oktober 2022 23.59 WITA" in html
    assert 'name="privacy_accepted"' not in html
    assert client.post(url_for(bima), payload(bima)).status_code == 200
    assert Registration.objects.count() == 0

    lokakarya.registration_opens_at = timezone.now() + dt.timedelta(days=2)
    lokakarya.registration_closes_at = timezone.now() + dt.timedelta(days=9)
    lokakarya.save()
    html = client.get(url_for(bima)).content.decode()
    assert "Pendaftaran belum dibuka" in html and "WITA" in html


def test_draft_event_has_no_public_form(client, bima):
    bima.event.status = "draft"
    bima.event.save()
    assert client.get(url_for(bima)).status_code == 404


def test_status_page_by_posted_code_shows_masked_data_and_reason(client, bima):
    registration = register(bima, "CGP", name="Siti Contoh")
    nik = registration.person.nik
    assert client.get(reverse("participants:registration_status") + f"?code={registration.code}").status_code == 200
    response = client.post(reverse("participants:registration_status"), {"code": registration.code.lower()})
    html = response.content.decode()
    assert "Diajukan" in html and "Kab. Bima" in html and "SMPN 3 Woha" in html
    assert nik not in html and mask_nik(nik) in html
    assert f'href="{reverse("participants:my_data")}"' in html  # the way to all its data and a correction
    verifier = user_in("Verifikator", provinces=["52"])
    registration_reject(registration=registration, actor=verifier, reason="Foto SK tidak terbaca")
    html = client.post(reverse("participants:registration_status"), {"code": registration.code}).content.decode()
    assert "Ditolak" in html and "Foto SK tidak terbaca" in html
    html = client.post(reverse("participants:registration_status"), {"code": "XXXXXXXXXX"}).content.decode()
    assert "Tidak ada pendaftaran dengan kode ini" in html


def test_organizer_registers_with_a_new_agency_inline(client, bima, sikur):
    panitia = user_in("Panitia", organized=[bima.event])
    client.force_login(panitia)
    dinas = AgencyType.objects.get(code="DINAS_KABKOTA")
    ntb = Province.objects.get(code="52")
    data = payload(bima, site=bima.pk, agency_type=dinas.pk, new_agency_name="Dinas  Pendidikan Kab. Contoh")
    del data["privacy_accepted"]
    response = client.post(reverse("participants:registration_new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    registration = Registration.objects.get()
    assert registration.source == Registration.Source.FORM and registration.created_by == panitia
    agency = Agency.objects.get(name="Dinas Pendidikan Kab. Contoh")
    assert agency.type == dinas and agency.province == ntb and registration.person.agency == agency
    assert AuditEntry.objects.filter(action="agency.created").count() == 1
    # The htmx select now offers it for that type and province, and not for another type.
    options = client.get(reverse("participants:agency_options"), {"agency_type": dinas.pk, "province": ntb.pk})
    assert "Dinas Pendidikan Kab. Contoh" in options.content.decode()
    other = AgencyType.objects.get(code="BGP")
    assert (
        "Kab. Contoh"
        not in client.get(reverse("participants:agency_options"), {"agency_type": other.pk}).content.decode()
    )


def test_a_new_agency_name_that_exists_elsewhere_or_here_never_crashes_and_loses_nothing(client, bima):
    """Issue 14, item 1: "SMP Negeri 1" of type X existed in another province: IntegrityError, HTTP 500, all
    typed data lost. Names are unique per type and region: another province gets its own; the same province
    gets the one listed (case and spacing ignored)."""
    school = AgencyType.objects.get(code="DINAS_KABKOTA")
    riau = Province.objects.get(code="14")
    Agency.objects.create(type=school, name="SMP Negeri 1", province=riau)
    panitia = user_in("Panitia", organized=[bima.event])
    client.force_login(panitia)
    data = payload(bima, site=bima.pk, agency_type=school.pk, new_agency_name="SMP Negeri 1", full_name="Guru Satu")
    del data["privacy_accepted"]
    response = client.post(reverse("participants:registration_new"), data)
    assert response.status_code == 302
    ntb_agency = Registration.objects.get(full_name="Guru Satu").agency
    assert ntb_agency.name == "SMP Negeri 1" and ntb_agency.province.code == "52"
    assert Agency.objects.filter(type=school, name="SMP Negeri 1").count() == 2
    # Typed again, differently spelled, in the same province: the listed one, no second agency.
    data = {**data, "nik": valid_nik(serial=4747), "full_name": "Guru Dua", "new_agency_name": "smp  negeri 1"}
    assert client.post(reverse("participants:registration_new"), data).status_code == 302
    assert Registration.objects.get(full_name="Guru Dua").agency == ntb_agency
    assert Agency.objects.filter(type=school, name__iexact="SMP Negeri 1").count() == 2
    # The public form: a proposal, no crash either.
    client.logout()
    public = payload(bima, agency_type=school.pk, new_agency_name="SMP Negeri 1", nik=valid_nik(serial=4848))
    assert client.post(url_for(bima), public).status_code == 302


def test_the_database_keeps_one_agency_of_a_name_per_type_and_region(db):
    kind = AgencyType.objects.get(code="DINAS_KABKOTA")
    ntb = Province.objects.get(code="52")
    Agency.objects.create(type=kind, name="Dinas Contoh Unik", province=ntb)
    Agency.objects.create(type=kind, name="Dinas Contoh Unik", province=Province.objects.get(code="14"))
    Agency.objects.create(type=kind, name="Dinas Contoh Unik")  # national
    for province in (ntb, None):
        with pytest.raises(IntegrityError), transaction.atomic():
            Agency.objects.create(type=kind, name="Dinas Contoh Unik", province=province)


def test_a_refused_registration_leaves_no_new_agency(client, bima):
    panitia = user_in("Panitia", organized=[bima.event])
    client.force_login(panitia)
    nik = valid_nik(serial=991)
    register(bima, "CGP", name="Orang Pertama", nik=nik)
    dinas = AgencyType.objects.get(code="DINAS_KABKOTA")
    data = payload(bima, site=bima.pk, nik=nik, full_name="Orang Pertama", agency_type=dinas.pk, new_agency_name="X")
    response = client.post(reverse("participants:registration_new"), data)
    assert response.status_code == 200 and "sudah terdaftar" in response.content.decode()
    assert not Agency.objects.filter(name="X").exists()


def test_koordinator_registers_only_at_its_site(client, bima, sikur):
    koordinator = user_in("Koordinator site", sites=[bima])
    client.force_login(koordinator)
    data = payload(sikur, site=sikur.pk)
    response = client.post(reverse("participants:registration_new"), data)
    assert response.status_code == 200 and Registration.objects.count() == 0
    response = client.post(reverse("participants:registration_new"), {**data, "site": bima.pk})
    assert response.status_code == 302 and Registration.objects.get().site == bima
    pejabat = user_in("Pejabat", provinces=["52"])
    client.force_login(pejabat)
    assert client.get(reverse("participants:registration_new")).status_code == 403


def test_confirmation_page_needs_the_code_in_the_session(client, bima):
    response = client.get(reverse("participants:public_confirmation"))
    assert response.status_code == 302 and response["Location"] == reverse("participants:registration_status")
    client.post(url_for(bima), payload(bima))
    code = Registration.objects.get().code
    assert code in client.get(reverse("participants:public_confirmation")).content.decode()
    client.cookies.clear()
    assert client.get(reverse("participants:public_confirmation")).status_code == 302


def test_a_registrant_from_a_province_the_site_does_not_serve_is_told_where_to_register(client, bima, rakor):
    """Issue 14, item 4: an Aceh registrant at an NTB site was accepted and then visible to no verifikator."""
    aceh = Province.objects.get(code="11")
    response = client.post(url_for(bima), payload(bima, province=aceh.pk, nik=valid_nik(province_code="11")))
    html = response.content.decode()
    assert response.status_code == 200 and "yang melayani peserta dari Aceh. Hubungi panitia." in html
    assert Registration.objects.count() == 0
    assert 'value="Baiq Nurul Contoh, S.Pd."' in html  # nothing typed is lost
    # Another event whose other site serves the province: named.
    solo = rakor.sites.get(name="Regional Solo")
    with pytest.raises(RegistrationError) as error:
        register(solo, "DINAS_PROV", province_code="81", nik=valid_nik(province_code="81"))
    assert error.value.code == "province_not_served" and "Regional Maluku" in str(error.value.message)
    assert register(rakor.sites.get(name="Regional Maluku"), "DINAS_PROV", province_code="81").pk


def test_the_import_check_refuses_a_row_from_a_province_the_site_does_not_serve(lokakarya):
    panitia = user_in("Panitia", organized=[lokakarya])
    data = workbook_bytes([row("Dari Aceh", nik=valid_nik(province_code="11"), province="Aceh"), row("Dari NTB")])
    check = import_check(event=lokakarya, user=panitia, data=data)
    assert [(finding.row, finding.code) for finding in check.findings if finding.code == "province_not_served"] == [
        (2, "province_not_served")
    ]
    assert len(check.clean_rows) == 1


def test_the_status_page_the_card_and_the_mail_carry_the_qr_code(client, bima, django_capture_on_commit_callbacks):
    """Issue 14, item 6: the QR could not be had again (no QR on the status page, none in the mail)."""
    assert client.get(reverse("participants:registration_card")).status_code == 302  # nothing looked up yet
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(bima, "CGP", name="Siti Kartu Contoh", email="siti@example.invalid")
    html = client.post(reverse("participants:registration_status"), {"code": registration.code}).content.decode()
    assert 'class="qr"' in html and "<svg" in html and reverse("participants:registration_card") in html
    card = client.get(reverse("participants:registration_card"))
    assert card.status_code == 200 and card["Content-Type"] == "application/pdf"
    assert registration.code not in card["Content-Disposition"]
    text = " ".join(PdfReader(io.BytesIO(card.content)).pages[0].extract_text().split())
    assert "Siti Kartu Contoh" in text and registration.code in text and bima.event.title in text
    assert "Calon Guru Penggerak" in text  # the role spelled out, not its code "CGP"
    # The mail: the code in the text part, the QR inline in the HTML part, at least 200 px.
    message = mail.outbox[-1]
    html_part, _type = message.alternatives[0]
    assert registration.code in message.body and "cid:qr-pendaftaran" in html_part
    png = next(part for part in message.attachments if part.get_content_type() == "image/png")
    data = png.get_payload(decode=True)
    assert data == qr_png(registration.code) and Image.open(io.BytesIO(data)).size[0] >= 200
    # A full QR code (21 modules and a 4-module border: 29 × 8 px), never the Micro QR segno would pick for a
    # code this short (17 modules and a border of 2: 168 px), which the check-in scanner cannot read.
    assert Image.open(io.BytesIO(data)).size == (232, 232)
    assert 'width="116"' in str(qr_svg(registration.code))  # the pages' SVG: 29 modules × 4
    # A rejected registration gets in nowhere: no QR, no card.
    verifier = user_in("Verifikator", provinces=["52"])
    registration_reject(registration=registration, actor=verifier, reason="Data tidak lengkap")
    html = client.post(reverse("participants:registration_status"), {"code": registration.code}).content.decode()
    assert "<svg" not in html
    assert client.get(reverse("participants:registration_card")).status_code == 302
