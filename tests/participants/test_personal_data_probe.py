"""The attacks of the outside probe (issue 12, findings 1–6, 10 and 14), replayed: each test performs one and
fails if it works again.

The principle: knowing somebody's NIK and name (printed on many Indonesian papers) gives nobody — anonymous,
or staff of another scope — any data they did not type themselves, nor a way to change what other events
hold about that person, nor a way to lock the owner out.
"""

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from core.identifiers import mask_nik
from core.models import AuditEntry
from events.models import Agency, Province, Regency, Role
from participants.imports import import_check
from participants.models import CorrectionRequest, Person, Registration
from participants.services import correction_request_create
from tests.factories import attend, register, user_in, valid_nik
from tests.participants.test_imports import row, workbook_bytes

Review = Registration.Review

VICTIM = {
    "name": "Ibu Korban Contoh, S.Pd.",
    "phone": "+6281298765432",
    "email": "korban@example.invalid",
    "nip": "198505122010012001",
    "birth_date": dt.date(1985, 5, 12),
    "gender": "P",
    "position": "Kepala Bidang Rahasia",
}


@pytest.fixture
def victim(solo):
    """Somebody registered by another event (Rakor, Regional Solo), with everything filled in."""
    return register(
        solo,
        "DINAS_PROV",
        province_code="14",  # Riau: a province Regional Solo serves
        name=VICTIM["name"],
        nik=valid_nik(province_code="14", female=True, serial=7391),
        phone=VICTIM["phone"],
        email=VICTIM["email"],
        nip=VICTIM["nip"],
        birth_date=VICTIM["birth_date"],
        gender=VICTIM["gender"],
        position=VICTIM["position"],
    )


def victim_data_in(text: str, victim: Registration) -> list[str]:
    """Which of the victim's data (that the attacker did not type) shows in `text`."""
    secrets = {
        "phone": VICTIM["phone"][3:],
        "email": VICTIM["email"],
        "nip": VICTIM["nip"],
        "birth date": "12 Mei 1985",
        "position": VICTIM["position"],
        "other event": victim.event.title,
    }
    return [what for what, value in secrets.items() if value in text]


def organizer_post(site, nik: str, name: str, **extra) -> dict:
    return {
        "site": site.pk,
        "role": Role.objects.get(program=site.event.program, code="CGP").pk,
        "full_name": name,
        "nik": nik,
        "province": Province.objects.get(code="52").pk,
        **extra,
    }


def public_post(site, nik: str, name: str, **extra) -> dict:
    return {
        "role": Role.objects.get(program=site.event.program, code="CGP").pk,
        "full_name": name,
        "nik": nik,
        "province": Province.objects.get(code="52").pk,
        "privacy_accepted": "on",
        **extra,
    }


def public_url(site) -> str:
    return reverse("participants:public_register", kwargs={"slug": site.event.slug, "site_id": site.pk})


# --- 1. Registering a known person reveals and overwrites nothing ------------------------------------------------


@pytest.mark.parametrize("group", ["Koordinator site", "Panitia"])
def test_registering_a_known_nik_shows_only_what_was_typed_and_overwrites_nothing(client, group, bima, victim):
    attacker = user_in(group, sites=[bima]) if group == "Koordinator site" else user_in(group, organized=[bima.event])
    client.force_login(attacker)
    response = client.post(
        reverse("participants:registration_new"),
        organizer_post(bima, victim.nik, VICTIM["name"], phone="+6281211112222", email="penyerang@example.invalid"),
    )
    assert response.status_code == 302
    mine = Registration.objects.get(site=bima)
    assert mine.person_id == victim.person_id  # the same human, found by the NIK (kept for de-duplication)

    # Nothing of what the other event holds reaches the attacker: page, list, form, export.
    pages = [
        client.get(reverse("participants:registration_detail", args=[mine.pk])).content.decode(),
        client.get(reverse("participants:registration_list")).content.decode(),
        client.get(reverse("participants:person_edit", args=[mine.pk])).content.decode(),
    ]
    export = client.get(reverse("participants:registration_export"))
    cells = " ".join(
        str(cell)
        for sheet in load_workbook(io.BytesIO(export.content))
        for r in sheet.iter_rows(values_only=True)
        for cell in r
    )
    for text in [*pages, cells]:
        assert victim_data_in(text, victim) == [] and victim.nik not in text
    assert client.get(reverse("participants:registration_detail", args=[victim.pk])).status_code == 404

    # Nothing the other event holds was changed: the shared record and the victim's registration are as they were.
    victim.refresh_from_db()
    person = Person.objects.get(pk=victim.person_id)
    assert (person.phone, person.email) == (VICTIM["phone"], VICTIM["email"])
    assert (victim.phone, victim.email) == (VICTIM["phone"], VICTIM["email"])
    assert (mine.phone, mine.email) == ("+6281211112222", "penyerang@example.invalid")

    # Correcting its own registration later changes only its own copy too.
    response = client.post(
        reverse("participants:person_edit", args=[mine.pk]),
        {
            "full_name": VICTIM["name"],
            "nik": mask_nik(victim.nik),
            "province": mine.province_id,
            "phone": "+6281233334444",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    mine.refresh_from_db()
    assert person.phone == VICTIM["phone"] and mine.phone == "+6281233334444" and mine.nik == victim.nik


# --- 2. Import checks print no name behind a NIK -----------------------------------------------------------------


def test_the_import_check_never_names_who_holds_a_nik_nor_where_out_of_scope(bima, victim, lokakarya):
    koordinator = user_in("Koordinator site", sites=[bima])
    other = register(lokakarya.sites.get(name="Kab. Lombok Timur"), "CGP", name="Peserta Lombok Timur Rahasia")
    data = workbook_bytes(
        [
            row("Nama Tebakan Salah", nik=victim.nik),  # a known NIK under another name
            row("Peserta Lombok Timur Rahasia", nik=other.nik),  # registered at a site the koordinator cannot see
        ]
    )
    check = import_check(event=lokakarya, user=koordinator, data=data)
    messages = " ".join(str(finding.message) for finding in check.findings)
    assert {finding.code for finding in check.findings} >= {"identifier_under_other_name", "already_registered"}
    assert VICTIM["name"] not in messages and "Korban" not in messages
    assert "Lombok Timur" not in messages and "Diajukan" not in messages
    # The organizer of the event, who sees every site, is told where (its own data).
    panitia = user_in("Panitia", organized=[lokakarya])
    check = import_check(event=lokakarya, user=panitia, data=data)
    messages = " ".join(str(finding.message) for finding in check.findings)
    assert "Kab. Lombok Timur" in messages and VICTIM["name"] not in messages


# --- 3. Edit forms are masked like every other page -------------------------------------------------------------


def test_edit_form_is_masked_for_a_panitia_and_whole_and_audited_for_admin_pusat(client, bima, lokakarya):
    registration = register(
        bima,
        "CGP",
        nik=valid_nik(female=True),
        gender="P",
        phone="+6281255556666",
        nip=VICTIM["nip"],
        birth_date=VICTIM["birth_date"],
    )
    url = reverse("participants:person_edit", args=[registration.pk])
    client.force_login(user_in("Panitia", organized=[lokakarya]))
    html = client.get(url).content.decode()
    assert registration.nik not in html and "81255556666" not in html and VICTIM["nip"] not in html
    assert "1985-05-12" not in html and f'value="{mask_nik(registration.nik)}"' in html
    # Sent back as shown, every masked value keeps what is stored.
    response = client.post(
        url,
        {
            "full_name": registration.full_name,
            "nik": mask_nik(registration.nik),
            "nip": "1985**************",
            "phone": "+628******6666",
            "province": registration.province_id,
        },
    )
    assert response.status_code == 302
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.nik, stored.nip, stored.phone, stored.birth_date) == (
        registration.nik,
        VICTIM["nip"],
        "+6281255556666",
        VICTIM["birth_date"],
    )
    admin = user_in("Admin pusat")
    client.force_login(admin)
    html = client.get(url).content.decode()
    assert registration.nik in html and "+6281255556666" in html
    assert AuditEntry.objects.filter(action="personal_data.viewed", actor=admin, data__where="person_edit").count() == 1


# --- 4. A registration code opens that registration only ---------------------------------------------------------


def test_my_data_with_a_code_of_a_registration_made_by_somebody_else_shows_only_that_registration(
    client, open_lokakarya, victim
):
    bima = open_lokakarya.sites.get(name="Kab. Bima")
    session = victim.site.sessions.order_by("starts_at").first()
    if session is not None:
        attend(victim, session)
    # The attacker registers the victim (NIK and name, its own e-mail) on a public form and gets a code.
    response = client.post(public_url(bima), public_post(bima, victim.nik, VICTIM["name"], email="x@example.invalid"))
    assert response.status_code == 302
    code = Registration.objects.get(site=bima).code
    html = client.post(reverse("participants:my_data"), {"code": code}).content.decode()
    assert VICTIM["name"] in html  # typed by the attacker
    assert victim_data_in(html, victim) == [] and victim.code not in html
    assert mask_nik(victim.nik) in html and victim.nik not in html
    # The attacker's e-mail went to its own registration only.
    victim.refresh_from_db()
    assert victim.email == VICTIM["email"] and Person.objects.get(pk=victim.person_id).email == VICTIM["email"]


# --- 5. The public form is neither a NIK oracle nor a lock-out ---------------------------------------------------


def test_the_public_form_answers_alike_whatever_is_recorded_and_flags_conflicts_for_the_organizer(
    client, open_lokakarya, victim
):
    bima = open_lokakarya.sites.get(name="Kab. Bima")
    sikur = open_lokakarya.sites.get(name="Kab. Lombok Timur")
    answers = []
    for site, nik, name in [
        (bima, valid_nik(serial=1111), "Orang Baru Contoh"),  # nobody holds the NIK
        (bima, victim.nik, "Nama Palsu Penyerang"),  # a known NIK under another name
        (sikur, valid_nik(serial=1111), "Orang Baru Contoh"),  # the same person again: a duplicate
    ]:
        response = client.post(public_url(site), public_post(site, nik, name))
        page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
        answers.append((response.status_code, response.get("Location"), len(re.findall(r"<(?:div|p|h\d)\b", page))))
    assert len(set(answers)) == 1 and answers[0][0] == 302, answers
    # Every one was kept; the conflicts wait for the organizer.
    kept = list(Registration.objects.filter(event=open_lokakarya).order_by("pk").values_list("full_name", "review"))
    assert kept == [
        ("Orang Baru Contoh", ""),
        ("Nama Palsu Penyerang", Review.IDENTITY),
        ("Orang Baru Contoh", Review.DUPLICATE),
    ]
    # The owner is not locked out: registering with the real name counts as usual.
    response = client.post(public_url(sikur), public_post(sikur, victim.nik, VICTIM["name"]))
    assert response.status_code == 302
    own = Registration.objects.get(event=open_lokakarya, full_name=VICTIM["name"])
    assert own.review == "" and own.person_id == victim.person_id
    # The organizer sees the flag in the verification queue and on the page.
    verifikator = user_in("Verifikator", provinces=["52"])
    client.force_login(verifikator)
    fake = Registration.objects.get(full_name="Nama Palsu Penyerang")
    html = client.get(reverse("participants:registration_detail", args=[fake.pk])).content.decode()
    assert 'id="review-flag"' in html and "KTP" in html
    assert "perlu ditinjau" in client.get(reverse("participants:registration_list")).content.decode().lower()


# --- 6. What is shown beside a masked NIK leaves more than a million candidates ---------------------------------


def nik_candidates(text: str, nik: str, province_regencies: int) -> int:
    """A lower bound of the NIKs an attacker cannot tell apart from what `text` shows of `nik`.

    NIK = PP RR CC DDMMYY SSSS. The attacker knows the province (from the page) and, at worst, the gender and
    the birth year; each part of the NIK, the birth date or the NIP the page shows narrows it down.
    """
    shown_digits = 0
    for masked in re.findall(r"\b[\d*]{16}\b", text):
        if "*" in masked and masked[:2] == nik[:2]:
            shown_digits = max(shown_digits, sum(c.isdigit() for c in masked))
    regency_choices = province_regencies if shown_digits <= 2 else 1
    day_month = nik[6:10]  # DDMM as the NIK holds it (women: DD + 40)
    birth = dt.date(1985, 5, 12)
    day_month_shown = any(
        marker in text
        for marker in (day_month, birth.strftime("%d-%m"), birth.strftime("%d/%m"), "12 Mei", "05-12", "0512")
    )
    serial_shown = nik[12:] in text.replace(nik[:2] + "*" * 14, "")
    return regency_choices * (1 if day_month_shown else 365) * (1 if serial_shown else 9999)


def surfaces(client, registration, lokakarya):
    """Every page and file a role that may not see the NIK gets of a registration, as text."""
    texts = [
        client.get(reverse("participants:registration_detail", args=[registration.pk])).content.decode(),
        client.get(reverse("participants:registration_list")).content.decode(),
    ]
    export = client.get(reverse("participants:registration_export"))
    if export.status_code == 200:
        texts.append(
            " ".join(
                str(cell)
                for sheet in load_workbook(io.BytesIO(export.content))
                for r in sheet.iter_rows(values_only=True)
                for cell in r
            )
        )
    session = registration.site.sessions.order_by("starts_at").first()
    roster = client.get(reverse("attendance:checkin_roster", args=[session.pk]))
    if roster.status_code == 200:
        texts.append(json.dumps(roster.json()))
    return texts


@pytest.mark.parametrize("group", ["Pejabat", "Panitia", "Koordinator site"])
def test_a_masked_nik_leaves_more_than_a_million_candidates_whatever_is_shown_beside_it(client, group, bima, lokakarya):
    registration = register(
        bima,
        "CGP",
        nik=valid_nik(female=True, serial=7391),
        nip=VICTIM["nip"],
        nuptk="1234567890123456",
        birth_date=VICTIM["birth_date"],
        gender="P",
        phone="+6281298765432",
    )
    user = {
        "Pejabat": lambda: user_in("Pejabat", provinces=["52"]),
        "Panitia": lambda: user_in("Panitia", organized=[lokakarya]),
        "Koordinator site": lambda: user_in("Koordinator site", sites=[bima]),
    }[group]()
    client.force_login(user)
    # The smallest province by number of regencies is the attacker's best case: take that bound for all.
    fewest = min(Regency.objects.filter(province=p).count() or 1 for p in Province.objects.all())
    for text in surfaces(client, registration, lokakarya):
        assert registration.nik not in text and VICTIM["nip"] not in text
        assert nik_candidates(text, registration.nik, fewest) >= 1_000_000


def test_the_old_masks_would_fail_the_candidate_count(lokakarya):
    """The count is not blind: the mask the probe broke (first and last four digits beside a birth date)
    leaves far fewer than a million."""
    nik = valid_nik(female=True, serial=7391)
    old = f"{nik[:4]}********{nik[-4:]} 12 Mei 1985"
    assert nik_candidates(old, nik, 1) < 1_000_000
    assert nik_candidates(mask_nik(nik) + " 1985", nik, 1) >= 1_000_000


# --- 10. No number in clear at rest: tables, sessions, media ----------------------------------------------------


def _digits_at_rest(needles: list[str]) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from introspection)
            for record in cursor.fetchall():
                for cell in record:
                    text = bytes(cell).decode("latin-1") if isinstance(cell, bytes | memoryview) else str(cell)
                    found += [f"{table}: {needle}" for needle in needles if needle in text]
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded())
        found += [f"django_session: {needle}" for needle in needles if needle in decoded]
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            texts = [data]
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    texts += [archive.read(name) for name in archive.namelist()]
            found += [f"{path}: {needle}" for needle in needles for blob in texts if needle.encode() in blob]
    return found


def test_no_nik_or_phone_is_stored_in_clear_anywhere(client, open_lokakarya, victim):
    bima = open_lokakarya.sites.get(name="Kab. Bima")
    nik, phone = valid_nik(serial=4646), "+6281277778888"
    # A public registration (its session), a correction request quoting a NIK, a staff search by NIK (its
    # session token), an import waiting for confirmation.
    client.post(public_url(bima), public_post(bima, nik, "Orang Data Diam", phone=phone))
    registration = Registration.objects.get(full_name="Orang Data Diam")
    client.post(reverse("participants:my_data"), {"code": registration.code})
    client.post(reverse("participants:my_data_correction"), {"field": "nik", "correct_value": valid_nik(serial=5757)})
    assert CorrectionRequest.objects.count() == 1
    staff = user_in("Panitia", organized=[open_lokakarya])
    staff_client = client.__class__()
    staff_client.force_login(staff)
    staff_client.post(reverse("participants:registration_list"), {"q": nik})
    staff_client.get(reverse("participants:registration_list"), {"q": nik}, follow=True)
    staff_client.post(
        reverse("participants:import_start"),
        {
            "event": open_lokakarya.pk,
            "file": SimpleUploadedFile(
                "peserta.xlsx", workbook_bytes([row("Orang Impor", nik=valid_nik(serial=6868))])
            ),
        },
    )
    needles = [nik, phone[1:], valid_nik(serial=5757), valid_nik(serial=6868), victim.nik, VICTIM["phone"][1:]]
    assert _digits_at_rest(needles) == []


# --- 14. The public proposes agencies; the organizer decides ------------------------------------------------------


def test_an_agency_typed_on_the_public_form_is_a_proposal_the_organizer_accepts_or_maps(client, open_lokakarya):
    bima = open_lokakarya.sites.get(name="Kab. Bima")
    kind = open_lokakarya.organizer.type  # a type valid on the event's date, with an agency in NTB
    before = Agency.objects.count()
    data = public_post(bima, valid_nik(serial=3131), "Pengusul Instansi", agency_type=kind.pk)
    response = client.post(public_url(bima), {**data, "new_agency_name": "Instansi   Karangan Publik"})
    assert response.status_code == 302 and Agency.objects.count() == before
    registration = Registration.objects.get(full_name="Pengusul Instansi")
    assert registration.proposed_agency_name == "Instansi Karangan Publik" and registration.agency_id is None
    options = client.get(reverse("participants:agency_options"), {"agency_type": kind.pk}).content.decode()
    assert "Karangan Publik" not in options

    panitia = user_in("Panitia", organized=[open_lokakarya])
    client.force_login(panitia)
    url = reverse("participants:agency_proposal", args=[registration.pk])
    html = client.get(reverse("participants:registration_detail", args=[registration.pk])).content.decode()
    assert "Instansi Karangan Publik" in html and url in html
    # Mapped to an agency of the list: nothing is created.
    listed = Agency.objects.filter(type=kind, province=registration.province).first()
    assert client.post(url, {"action": "map", "agency": listed.pk}).status_code == 302
    registration.refresh_from_db()
    assert registration.agency == listed and registration.proposed_agency_name == ""
    assert Agency.objects.count() == before
    # Another proposal, accepted: the agency joins the list.
    data = public_post(bima, valid_nik(serial=3232), "Pengusul Kedua", agency_type=kind.pk)
    client.logout()
    client.post(public_url(bima), {**data, "new_agency_name": "Instansi Baru Sah"})
    second = Registration.objects.get(full_name="Pengusul Kedua")
    client.force_login(panitia)
    client.post(reverse("participants:agency_proposal", args=[second.pk]), {"action": "accept"})
    second.refresh_from_db()
    assert second.agency.name == "Instansi Baru Sah" and Agency.objects.count() == before + 1
    # Nobody outside the event may decide it.
    client.force_login(user_in("Koordinator site", sites=[open_lokakarya.sites.get(name="Kab. Lombok Timur")]))
    assert client.post(url, {"action": "accept"}).status_code == 404


def test_a_requested_nik_correction_is_masked_like_the_nik_for_staff_who_may_not_see_it(client, bima, lokakarya):
    registration = register(bima, "CGP")
    asked = valid_nik(female=True, serial=9494)
    correction_request_create(registration=registration, field="nik", correct_value=asked)
    client.force_login(user_in("Panitia", organized=[lokakarya]))
    html = client.get(reverse("participants:correction_list")).content.decode()
    assert asked not in html and asked[-4:] not in html and mask_nik(asked) in html
    client.force_login(user_in("Verifikator", provinces=["52"]))
    assert asked in client.get(reverse("participants:correction_list")).content.decode()
