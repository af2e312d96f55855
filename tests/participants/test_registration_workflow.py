"""Staff pages of registrations: decisions, bulk verification, corrections, scoping and masking."""

import pytest
from django.urls import reverse

from core.identifiers import mask_nik
from core.models import AuditEntry
from participants.models import Registration
from participants.services import registration_reject
from tests.factories import register, user_in, valid_nik

Status = Registration.Status


@pytest.fixture
def verifikator(db):
    return user_in("Verifikator", "verif_ntb", provinces=["52"])


def detail(registration) -> str:
    return reverse("participants:registration_detail", kwargs={"pk": registration.pk})


def action(name: str, registration) -> str:
    return reverse(f"participants:registration_{name}", kwargs={"pk": registration.pk})


def test_verify_from_the_detail_page_and_history_shows_it(client, bima, verifikator):
    registration = register(bima, "CGP", name="Lalu Contoh Satu")
    client.force_login(verifikator)
    response = client.post(action("verify", registration))
    assert response.status_code == 302 and response["Location"] == detail(registration)
    registration.refresh_from_db()
    assert registration.status == Status.VERIFIED and registration.decided_by == verifikator
    html = client.get(detail(registration)).content.decode()
    assert 'id="history"' in html
    history = html[html.index('id="history"') :]
    assert "verif_ntb" in history and "Terverifikasi" in history and "Pendaftaran dibuat" in history
    assert "registration.verified" not in history and "submitted" not in history  # labels, never codes
    assert "Terverifikasi" in html


def test_reject_needs_a_reason_and_the_reason_is_in_the_history(client, bima, verifikator):
    registration = register(bima, "CGP")
    client.force_login(verifikator)
    response = client.post(action("reject", registration), {"reason": "   "})
    assert response.status_code == 400
    assert "Tuliskan alasan penolakan." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED
    client.post(action("reject", registration), {"reason": "NUPTK tidak sesuai Dapodik"})
    registration.refresh_from_db()
    assert registration.status == Status.REJECTED
    assert registration.rejection_reason == "NUPTK tidak sesuai Dapodik"
    history = client.get(detail(registration)).content.decode().split('id="history"')[1]
    assert "NUPTK tidak sesuai Dapodik" in history and "Ditolak" in history and "rejected" not in history


def test_bulk_verify_asks_for_confirmation_and_stays_in_scope(client, bima, sikur, solo, verifikator):
    first = register(bima, "CGP", name="Contoh Massal Satu")
    second = register(sikur, "PP", name="Contoh Massal Dua")
    untouched = register(bima, "CGP", name="Contoh Tidak Dipilih")
    riau = register(solo, "DINAS_PROV", province_code="14", name="Contoh Riau")
    client.force_login(verifikator)
    list_html = client.get(reverse("participants:registration_list")).content.decode()
    assert f'name="ids" value="{first.pk}"' in list_html
    url = reverse("participants:registrations_verify_bulk")
    response = client.post(url, {"ids": [first.pk, second.pk, riau.pk]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Contoh Massal Satu" in html and "Contoh Massal Dua" in html
    assert "Contoh Riau" not in html and "Contoh Tidak Dipilih" not in html
    assert Registration.objects.filter(status=Status.VERIFIED).count() == 0  # nothing before the confirmation
    response = client.post(url, {"ids": [first.pk, second.pk, riau.pk], "confirm": "1"})
    assert response.status_code == 302
    verified = set(Registration.objects.filter(status=Status.VERIFIED))
    assert verified == {first, second}
    riau.refresh_from_db()
    untouched.refresh_from_db()
    assert riau.status == Status.SUBMITTED and untouched.status == Status.SUBMITTED
    assert AuditEntry.objects.filter(action="registration.verified").count() == 2


def test_organizer_corrects_a_rejected_registration_and_resubmits(client, bima, verifikator):
    registration = register(bima, "CGP", name="Contoh Salah Ketik")
    registration_reject(registration=registration, actor=verifikator, reason="NIK salah")
    panitia = user_in("Panitia", "panitia_x", organized=[bima.event])
    client.force_login(panitia)
    edit_url = reverse("participants:person_edit", kwargs={"pk": registration.pk})
    form_html = client.get(edit_url).content.decode()
    assert 'value="Contoh Salah Ketik"' in form_html
    # A panitia sees the NIK masked, in the form as everywhere else (nothing unmasked, nothing to record).
    assert registration.nik not in form_html and f'value="{mask_nik(registration.nik)}"' in form_html
    assert not AuditEntry.objects.filter(action="personal_data.viewed", actor=panitia).exists()
    new_nik = valid_nik(serial=8080)
    response = client.post(
        edit_url,
        {"full_name": "Contoh Sudah Benar", "nik": new_nik, "province": registration.province_id},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.full_name == "Contoh Sudah Benar" and registration.nik == new_nik
    # Nobody else refers to the person: its record follows the correction.
    assert registration.person.full_name == "Contoh Sudah Benar" and registration.person.nik == new_nik
    entry = AuditEntry.objects.get(action="registration.data_changed")
    assert entry.actor == panitia and set(entry.data["fields"]) >= {"full_name", "nik"}
    assert new_nik not in str(entry.data)
    client.post(action("resubmit", registration))
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED and registration.rejection_reason == ""
    # The verifikator may not edit people nor resubmit.
    client.force_login(verifikator)
    assert client.get(edit_url).status_code == 403


def test_person_edit_refuses_an_identifier_of_another_person(client, bima):
    other = register(bima, "CGP", name="Orang Lain")
    mine = register(bima, "PP", name="Orang Saya")
    panitia = user_in("Panitia", organized=[bima.event])
    client.force_login(panitia)
    url = reverse("participants:person_edit", kwargs={"pk": mine.pk})
    response = client.post(url, {"full_name": "Orang Saya", "nik": other.nik, "province": mine.province_id})
    assert response.status_code == 200
    html = response.content.decode()
    assert "NIK ini sudah tercatat atas nama orang lain" in html and "Orang Lain" not in html
    mine.refresh_from_db()
    mine.person.refresh_from_db()
    assert mine.nik != other.nik and mine.person.nik != other.nik and mine.person_id != other.person_id


def test_scoping_of_staff_pages(client, bima, sikur, solo, verifikator):
    ntb = register(bima, "CGP")
    lombok_timur = register(sikur, "CGP")
    riau = register(solo, "DINAS_PROV", province_code="14")

    for url in (detail(ntb), reverse("participants:registration_list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    client.force_login(verifikator)
    assert client.get(detail(ntb)).status_code == 200
    assert client.get(detail(riau)).status_code == 404
    assert client.post(action("verify", riau)).status_code == 404
    assert client.post(action("reject", riau), {"reason": "x"}).status_code == 404

    koordinator = user_in("Koordinator site", sites=[bima])
    client.force_login(koordinator)
    assert client.get(detail(ntb)).status_code == 200
    assert client.get(detail(lombok_timur)).status_code == 404
    assert client.post(action("verify", ntb)).status_code == 403  # may see, may not decide

    pejabat = user_in("Pejabat", provinces=["52"])
    client.force_login(pejabat)
    assert client.get(detail(ntb)).status_code == 200
    assert client.post(action("verify", ntb)).status_code == 403
    assert client.post(reverse("participants:registrations_verify_bulk"), {"ids": [ntb.pk]}).status_code == 403
    ntb.refresh_from_db()
    assert ntb.status == Status.SUBMITTED

    operator = user_in("Operator Dinas", provinces=["52"])
    client.force_login(operator)
    assert client.get(reverse("participants:registration_list")).status_code == 403


def test_nik_is_masked_for_panitia_and_whole_for_verifikator(client, bima, verifikator):
    registration = register(bima, "CGP", phone="+6281234567890")
    nik = registration.nik
    masked = mask_nik(nik)
    panitia = user_in("Panitia", organized=[bima.event])
    client.force_login(panitia)
    html = client.get(reverse("participants:registration_list")).content.decode()
    assert masked in html and nik not in html and "+6281234567890" not in html
    html = client.get(detail(registration)).content.decode()
    assert masked in html and nik not in html
    client.force_login(verifikator)
    html = client.get(reverse("participants:registration_list")).content.decode()
    assert nik in html and "+6281234567890" in html
    client.get(detail(registration))
    # The unmasked list and the unmasked detail page are each on record.
    viewed = AuditEntry.objects.filter(action="personal_data.viewed", actor=verifikator, object_id=str(registration.pk))
    assert sorted(entry.data["where"] for entry in viewed) == ["registration_detail", "registration_list"]


def test_list_filters_counts_and_search(client, bima, sikur, verifikator):
    register(bima, "CGP", name="Cari Saya Contoh")
    verified = register(sikur, "PP")
    client.force_login(verifikator)
    client.post(action("verify", verified))
    url = reverse("participants:registration_list")
    html = client.get(url).content.decode()
    assert 'data-status="submitted">Diajukan: 1' in html and 'data-status="verified">Terverifikasi: 1' in html
    html = client.get(url, {"q": "cari saya"}).content.decode()
    assert "Cari Saya Contoh" in html and html.count('name="ids"') == 1
    html = client.get(url, {"status": "verified"}).content.decode()
    assert "Cari Saya Contoh" not in html
    html = client.get(url, {"site": "not-a-number", "page": "x"}).content.decode()
    assert "Cari Saya Contoh" in html


def test_public_links_page_shows_each_site_with_a_qr(client, lokakarya, rakor):
    panitia = user_in("Panitia", organized=[lokakarya])
    client.force_login(panitia)
    html = client.get(reverse("participants:public_links")).content.decode()
    for site in lokakarya.sites.all():
        assert f"/daftar/{lokakarya.slug}/{site.pk}/" in html
    assert html.count("<svg") == 3
    assert rakor.slug not in html
    assert "Ditutup" in html
