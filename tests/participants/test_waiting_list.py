"""The waiting list of a site × role: offered when full, the place shown, seats handed on, the staff's page."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from attendance.services import checkin_warnings
from core.models import AuditEntry
from events import groups as G
from events.models import Province, Role, SiteQuota
from participants.models import Registration
from participants.services import RegistrationError, registration_create, registration_reject, registration_resubmit
from participants.waitlist import waiting_position, waitlist_promote
from tests.factories import person_data, register, user_in, valid_nik

Status = Registration.Status
ROLE = "PENGAWAS_SEKOLAH"


def close_full(site, role_code: str = ROLE, *, free: int = 0) -> Role:
    """Make the role's quota at the site close when full, with `free` seats left."""
    role = Role.objects.get(program=site.event.program, code=role_code)
    taken = Registration.objects.filter(site=site, role=role, status__in=Registration.SEAT_STATUSES).count()
    SiteQuota.objects.update_or_create(site=site, role=role, defaults={"target": taken + free, "close_when_full": True})
    return role


def wait(site, role_code: str = ROLE, **person) -> Registration:
    role = Role.objects.get(program=site.event.program, code=role_code)
    return registration_create(
        site=site,
        role=role,
        person_data=person_data(**person),
        source=Registration.Source.SELF,
        join_waitlist=True,
    )


def public_post(site, role: Role, nik: str, **extra) -> dict:
    return {
        "role": role.pk,
        "full_name": "Baiq Menunggu, S.Pd.",
        "nik": nik,
        "province": Province.objects.get(code="52").pk,
        "email": "baiq@example.invalid",
        "privacy_accepted": "on",
        **extra,
    }


@pytest.fixture
def upcoming_bima(bima):
    """Kab. Bima a month from now: a registration may be withdrawn until the site's last day."""
    today = timezone.localdate()
    bima.start_date, bima.end_date = today + dt.timedelta(days=30), today + dt.timedelta(days=31)
    bima.save(update_fields=["start_date", "end_date"])
    return bima


def status_lookup(client, registration) -> str:
    return client.post(reverse("participants:registration_status"), {"code": registration.code}).content.decode()


# --- offered when full ---------------------------------------------------------------------------------------


def test_the_public_form_offers_the_waiting_list_when_full_and_keeps_what_was_typed(
    client, open_lokakarya, django_capture_on_commit_callbacks
):
    bima = open_lokakarya.sites.get(name="Kab. Bima")
    role = close_full(bima)
    url = reverse("participants:public_register", kwargs={"slug": open_lokakarya.slug, "site_id": bima.pk})
    nik = valid_nik(serial=6101)
    before = Registration.objects.count()

    response = client.post(url, public_post(bima, role, nik))

    html = response.content.decode()
    assert response.status_code == 200 and Registration.objects.count() == before
    assert 'id="waitlist-offer"' in html and "Masuk daftar tunggu" in html
    assert "Semua 5 tempat" in html or "sudah terisi" in html
    assert 'value="Baiq Menunggu, S.Pd."' in html and f'value="{nik}"' in html  # nothing typed is lost

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, public_post(bima, role, nik, join_waitlist="1"))
    assert response.status_code == 302
    registration = Registration.objects.get(full_name="Baiq Menunggu, S.Pd.")
    assert registration.status == Status.WAITING
    assert AuditEntry.objects.filter(action="registration.created", object_id=str(registration.pk), to_state="waiting")
    confirmation = client.get(response["Location"]).content.decode()
    assert registration.code in confirmation and 'id="waiting-position"' in confirmation
    assert "nomor <strong>1</strong>" in confirmation and "Cetak kartu" not in confirmation
    assert mail.outbox[-1].to == ["baiq@example.invalid"] and "daftar tunggu" in mail.outbox[-1].body


def test_the_organizer_form_offers_the_waiting_list_too(client, lokakarya, bima):
    role = close_full(bima)
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    client.force_login(panitia)
    data = {
        "site": bima.pk,
        "role": role.pk,
        "full_name": "Lalu Antre",
        "nik": valid_nik(serial=6102),
        "province": Province.objects.get(code="52").pk,
    }
    response = client.post(reverse("participants:registration_new"), data)
    assert response.status_code == 200 and 'id="join-waitlist"' in response.content.decode()
    response = client.post(reverse("participants:registration_new"), {**data, "join_waitlist": "1"})
    registration = Registration.objects.get(full_name="Lalu Antre")
    assert response.status_code == 302 and registration.status == Status.WAITING
    assert "daftar tunggu" in client.get(response["Location"]).content.decode()


def test_without_the_choice_a_full_quota_still_refuses(bima):
    role = close_full(bima)
    with pytest.raises(RegistrationError) as refused:
        registration_create(site=bima, role=role, person_data=person_data(), source=Registration.Source.FORM)
    assert refused.value.code == "quota_full"


def test_a_person_may_not_wait_and_be_registered_at_the_same_event(bima, sikur):
    close_full(bima)
    nik = valid_nik(serial=6103)
    register(sikur, "CGP", name="Lalu Dobel", nik=nik)
    role = Role.objects.get(program=bima.event.program, code=ROLE)
    with pytest.raises(RegistrationError) as refused:
        registration_create(
            site=bima,
            role=role,
            person_data=person_data(name="Lalu Dobel", nik=nik),
            source=Registration.Source.FORM,
            join_waitlist=True,
        )
    assert refused.value.code == "duplicate"


def test_a_free_seat_is_taken_even_when_the_waiting_list_is_asked_for(bima):
    close_full(bima, free=1)
    assert wait(bima).status == Status.SUBMITTED
    assert wait(bima).status == Status.WAITING


# --- the place in the line -----------------------------------------------------------------------------------


def test_the_status_page_shows_the_place_in_the_line(client, bima):
    close_full(bima)
    first, second, third = wait(bima), wait(bima), wait(bima)
    assert [waiting_position(r) for r in (first, second, third)] == [1, 2, 3]
    html = status_lookup(client, second)
    assert 'id="waiting-position"' in html and "nomor <strong>2</strong>" in html
    assert "Dalam daftar tunggu" in html and 'class="qr"' not in html  # no QR: a waiting code gets nobody in


# --- seats handed on ------------------------------------------------------------------------------------------


def test_a_rejection_gives_the_seat_to_the_first_in_line(bima, django_capture_on_commit_callbacks):
    holder = register(bima, ROLE)
    close_full(bima)
    first, second = wait(bima, email="pertama@example.invalid"), wait(bima)
    verifikator = user_in(G.VERIFIKATOR, provinces=["52"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        registration_reject(registration=holder, actor=verifikator, reason="Bukan pengawas")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.SUBMITTED and second.status == Status.WAITING
    assert waiting_position(second) == 1
    entry = AuditEntry.objects.get(action="waitlist.submitted", object_id=str(first.pk))
    assert entry.from_state == "waiting" and entry.to_state == "submitted" and entry.actor == verifikator
    assert entry.data == {"automatic": True, "cause": "rejected", "freed_by": holder.pk}
    promoted = [message for message in mail.outbox if message.to == ["pertama@example.invalid"]]
    assert len(promoted) == 1 and "tempat" in promoted[0].subject.lower()


def test_the_participant_withdraws_from_the_status_page_and_the_next_one_gets_the_seat(
    client, upcoming_bima, django_capture_on_commit_callbacks
):
    bima = upcoming_bima
    holder = register(bima, ROLE)
    close_full(bima)
    first = wait(bima)
    status_lookup(client, holder)

    confirm = client.post(reverse("participants:registration_withdraw"))
    assert confirm.status_code == 200 and 'id="withdraw-confirm-form"' in confirm.content.decode()
    holder.refresh_from_db()
    assert holder.status == Status.SUBMITTED  # nothing happens before the confirmation

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("participants:registration_withdraw"), {"confirm": "1", "reason": "Sakit"})
    assert done.status_code == 302
    holder.refresh_from_db()
    first.refresh_from_db()
    assert holder.status == Status.WITHDRAWN and first.status == Status.SUBMITTED
    withdrawal = AuditEntry.objects.get(action="registration.withdrawn", object_id=str(holder.pk))
    assert withdrawal.actor is None and withdrawal.reason == "Sakit"
    assert AuditEntry.objects.get(action="waitlist.submitted", object_id=str(first.pk)).data["freed_by"] == holder.pk
    # The code travels in no URL, and the session no longer offers the withdrawal.
    assert holder.code not in done["Location"]
    again = client.post(reverse("participants:registration_withdraw"), {"confirm": "1"})
    assert again.status_code == 302 and Registration.objects.get(pk=first.pk).status == Status.SUBMITTED


def test_leaving_the_waiting_list_hands_on_nothing(client, upcoming_bima):
    bima = upcoming_bima
    close_full(bima)
    first, second = wait(bima), wait(bima)
    status_lookup(client, first)
    client.post(reverse("participants:registration_withdraw"), {"confirm": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.WITHDRAWN and second.status == Status.WAITING and waiting_position(second) == 1


def test_a_quota_raised_in_the_admin_gives_the_new_seats_in_order(client, bima, superuser):
    role = close_full(bima)
    first, second, third = wait(bima), wait(bima), wait(bima)
    quota = SiteQuota.objects.get(site=bima, role=role)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:events_sitequota_change", args=[quota.pk]),
        {"site": bima.pk, "role": role.pk, "target": quota.target + 2, "close_when_full": "on"},
    )
    assert response.status_code == 302
    statuses = [Registration.objects.get(pk=r.pk).status for r in (first, second, third)]
    assert statuses == [Status.SUBMITTED, Status.SUBMITTED, Status.WAITING]
    entries = AuditEntry.objects.filter(action="waitlist.submitted").order_by("pk")
    assert [e.object_id for e in entries] == [str(first.pk), str(second.pk)]
    assert all(e.actor == superuser and e.data["cause"] == "quota_changed" for e in entries)


# --- the organizer's hand ------------------------------------------------------------------------------------


def test_the_organizer_promotes_or_removes_by_hand_with_a_reason(
    client, lokakarya, bima, django_capture_on_commit_callbacks
):
    close_full(bima)
    first, second = wait(bima, email="antre.pertama@example.invalid"), wait(bima)
    client.force_login(user_in(G.PANITIA, organized=[lokakarya]))
    decide = reverse("participants:waitlist_decide", kwargs={"pk": second.pk})

    response = client.post(decide, {"action": "promote", "reason": "  "}, follow=True)
    assert "Tuliskan alasannya." in response.content.decode()
    assert Registration.objects.get(pk=second.pk).status == Status.WAITING

    client.post(decide, {"action": "promote", "reason": "Narasumber daerah terpencil"})
    assert Registration.objects.get(pk=second.pk).status == Status.SUBMITTED
    entry = AuditEntry.objects.get(action="waitlist.submitted", object_id=str(second.pk))
    assert entry.reason == "Narasumber daerah terpencil" and entry.data == {"automatic": False, "beyond_target": True}

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("participants:waitlist_decide", kwargs={"pk": first.pk}),
            {"action": "remove", "reason": "Terdaftar ganda di lokasi lain"},
        )
    assert Registration.objects.get(pk=first.pk).status == Status.WITHDRAWN
    entry = AuditEntry.objects.get(action="waitlist.withdrawn", object_id=str(first.pk))
    assert entry.reason == "Terdaftar ganda di lokasi lain"
    # The participant is told, with the reason.
    assert [message.to for message in mail.outbox] == [["antre.pertama@example.invalid"]]
    removed = mail.outbox[0]
    assert removed.subject == f"Pendaftaran {first.code}: dikeluarkan dari daftar tunggu"
    assert "Terdaftar ganda di lokasi lain" in removed.body and "dari daftar tunggu" in removed.body
    assert "Terdaftar ganda di lokasi lain" in removed.alternatives[0][0]
    # A registration that is not waiting is neither promoted nor removed through the line.
    response = client.post(decide, {"action": "remove", "reason": "Coba"}, follow=True)
    assert Registration.objects.get(pk=second.pk).status == Status.SUBMITTED
    assert "tidak ada dalam daftar tunggu" in response.content.decode()


def test_staff_of_another_event_get_403_and_404(client, lokakarya, rakor, bima):
    close_full(bima)
    waiting = wait(bima)
    client.force_login(user_in(G.PANITIA, organized=[rakor]))
    assert client.get(reverse("participants:waiting_list", kwargs={"event_id": lokakarya.pk})).status_code == 403
    export = reverse("participants:waiting_list_export", kwargs={"event_id": lokakarya.pk})
    assert client.get(export).status_code == 404
    decide = reverse("participants:waitlist_decide", kwargs={"pk": waiting.pk})
    assert client.post(decide, {"action": "promote", "reason": "x"}).status_code == 404
    assert Registration.objects.get(pk=waiting.pk).status == Status.WAITING
    # A verifikator sees the line but may not move it.
    client.force_login(user_in(G.VERIFIKATOR, provinces=["52"]))
    assert client.get(reverse("participants:waiting_list", kwargs={"event_id": lokakarya.pk})).status_code == 200
    assert client.post(decide, {"action": "promote", "reason": "x"}).status_code == 403


# --- the staff's page, the export, the dashboard: what they show, in a constant number of queries -------------


def test_the_waiting_list_page_shows_each_line_in_a_constant_number_of_queries(client, lokakarya, bima, sikur):
    close_full(bima)
    close_full(sikur, "CGP")
    wait(bima, name="Antre Bima Satu")
    wait(sikur, "CGP", name="Antre Sikur Satu")
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    client.force_login(panitia)
    url = reverse("participants:waiting_list", kwargs={"event_id": lokakarya.pk})
    client.get(url)  # warm the session and the permission caches
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "Antre Bima Satu" in html and "Antre Sikur Satu" in html
    for n in range(4):
        wait(bima, name=f"Antre Bima Lagi {n}")
        wait(sikur, "CGP", name=f"Antre Sikur Lagi {n}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "Antre Bima Lagi 3" in html and html.count('data-testid="position"') == 10


def test_the_export_lists_each_line_in_order_in_a_constant_number_of_queries(client, lokakarya, bima):
    close_full(bima)
    wait(bima, name="Antre Ekspor Satu")
    wait(bima, name="Antre Ekspor Dua")
    client.force_login(user_in(G.PANITIA, organized=[lokakarya]))
    url = reverse("participants:waiting_list_export", kwargs={"event_id": lokakarya.pk})
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[2], row[4]) for row in rows] == [
        ("Kab. Bima", "Pengawas Sekolah", 1, "Antre Ekspor Satu"),
        ("Kab. Bima", "Pengawas Sekolah", 2, "Antre Ekspor Dua"),
    ]
    assert rows[0][3] == Registration.objects.get(full_name="Antre Ekspor Satu").code
    for n in range(5):
        wait(bima, name=f"Antre Ekspor Lagi {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(min_row=2))) == 7
    assert len(many) == len(few)


def test_the_dashboard_counts_registered_waiting_and_target(client, lokakarya, bima, superuser):
    register(bima, ROLE)
    close_full(bima)
    wait(bima)
    client.force_login(superuser)
    url = reverse("reports:dashboard_event", kwargs={"event_id": lokakarya.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert html.count('data-testid="cell-waiting"') == 1 and "+ 1 menunggu" in html
    table = html[html.index('id="site-role-table"') :]
    row = table[table.index("Kab. Bima") :]
    assert '>1</a> / 1 <span class="badge text-bg-warning" data-testid="cell-waiting">+ 1 menunggu' in row
    wait(bima)
    wait(bima)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert "+ 3 menunggu" in html and len(many) == len(few)


def test_a_registration_can_no_longer_be_withdrawn_after_the_event(client, bima):
    holder = register(bima, ROLE)  # the seed's Lokakarya 7 was in October 2022
    html = status_lookup(client, holder)
    assert 'id="withdraw-form"' not in html
    client.post(reverse("participants:registration_withdraw"), {"confirm": "1"})
    assert Registration.objects.get(pk=holder.pk).status == Status.SUBMITTED


def test_a_waiting_code_gets_nobody_in_at_the_desk(bima):
    close_full(bima)
    waiting = wait(bima)
    session = bima.sessions.order_by("starts_at").first()
    warnings = checkin_warnings(registration=waiting, session=session)
    assert [(w.code, w.blocking) for w in warnings] == [("status_waiting", True)]


def test_a_waiting_registration_is_not_resubmitted_past_the_line(bima):
    close_full(bima, free=0)
    waiting = wait(bima)
    close_full(bima, free=1)  # a seat free, and the line not yet moved: the quota was changed behind its back
    with pytest.raises(RegistrationError) as refused:
        registration_resubmit(registration=waiting, actor=None)
    assert refused.value.code == "transition_forbidden"
    assert Registration.objects.get(pk=waiting.pk).status == Status.WAITING


def test_promote_refuses_a_registration_not_waiting(bima):
    holder = register(bima, "CGP")
    with pytest.raises(Exception) as refused:
        waitlist_promote(registration=holder, actor=None, reason="x")
    assert getattr(refused.value, "code", "") == "not_waiting"
