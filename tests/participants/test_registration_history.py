"""Issue 14, item 10: a registration's history shows decisions, not a flood of views; views of personal data
are counted per user and day behind a toggle; the person's entries count only from the registration onward."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from attendance.models import Attendance
from attendance.services import attendance_record
from core import audit
from core.models import AuditEntry
from core.timezones import in_zone
from participants.history import registration_history
from participants.services import personal_data_viewed, registration_verify
from tests.factories import register, user_in


@pytest.fixture
def verifikator(db):
    return user_in("Verifikator", "budi", provinces=["52"])


def detail(registration) -> str:
    return reverse("participants:registration_detail", kwargs={"pk": registration.pk})


def table(html: str, marker: str, end: str) -> str:
    part = html[html.index(marker) :]
    return part[: part.index(end)]


def test_views_are_grouped_behind_a_toggle_and_decisions_shown(client, bima, verifikator):
    registration = register(bima, "CGP", name="Lalu Contoh Riwayat")
    registration_verify(registration=registration, actor=verifikator)
    client.force_login(verifikator)  # a verifikator sees the whole NIK: every view is on record
    for _ in range(14):
        client.get(detail(registration))
    assert AuditEntry.objects.filter(action="personal_data.viewed", object_id=str(registration.pk)).count() == 14
    html = client.get(detail(registration)).content.decode()
    history = table(html, 'id="history"', "</table>")
    assert history.count("<tr>") == 1 + 2  # head + created + verified: no view rows
    assert "Pendaftaran dibuat" in history and "Terverifikasi" in history
    assert "personal_data" not in html and "dilihat" not in history
    toggle = table(html, '<details class="mb-3" id="personal-data-views">', "</details>")
    today = in_zone(timezone.now(), bima.time_zone).date()
    with translation.override("id"):
        day = formats.date_format(today, "j M Y")
    assert "Akses data pribadi: 15 (per pengguna dan hari)" in toggle
    assert f"dilihat 15× oleh budi, {day}" in toggle


def test_views_grouped_per_user_and_day_in_the_site_zone(bima, verifikator):
    registration = register(bima, "CGP")
    other = user_in("Verifikator", "sari", provinces=["52"])
    for actor, count in ((verifikator, 3), (other, 2)):
        for _ in range(count):
            personal_data_viewed(actor=actor, holder=registration, where="registration_detail")
    # Two of budi's views at 23.30 WITA on 1 Dec 2026 (15.30 UTC): the 1st in the site's zone, not the 2nd.
    late = dt.datetime(2026, 12, 1, 15, 30, tzinfo=dt.UTC)
    budi = AuditEntry.objects.filter(actor=verifikator, action="personal_data.viewed").order_by("id")
    AuditEntry.objects.filter(pk__in=[entry.pk for entry in budi[:2]]).update(created_at=late)
    groups = [(g.actor_name, g.day, g.count) for g in registration_history(registration).views]
    today = in_zone(timezone.now(), bima.time_zone).date()
    assert sorted(groups, key=str) == sorted(
        [("budi", dt.date(2026, 12, 1), 2), ("budi", today, 1), ("sari", today, 2)], key=str
    )
    assert registration_history(registration).view_count == 5


def test_person_entries_only_from_the_registration_onward(bima, verifikator):
    registration = register(bima, "CGP")
    person = registration.person
    before, after = registration.created_at - dt.timedelta(days=400), registration.created_at + dt.timedelta(hours=1)
    old = audit.record(actor=verifikator, action="person.updated", target=person, data={"fields": ["phone"]})
    old_view = audit.record(actor=verifikator, action="personal_data.viewed", target=person)
    AuditEntry.objects.filter(pk__in=[old.pk, old_view.pk]).update(created_at=before)
    new = audit.record(actor=verifikator, action="person.updated", target=person, data={"fields": ["full_name"]})
    AuditEntry.objects.filter(pk=new.pk).update(created_at=after)
    personal_data_viewed(actor=verifikator, holder=person, where="admin.person_change")
    # Another registration's entries are not this one's.
    registration_verify(registration=register(bima, "PP"), actor=verifikator)

    history = registration_history(registration)
    assert [row.entry.action for row in history.decisions] == ["registration.created", "person.updated"]
    assert history.decisions[1].entry.pk == new.pk and str(history.decisions[1].label) == "Data orang diperbaiki"
    assert all(row.entry.created_at >= registration.created_at for row in history.decisions)
    assert history.view_count == 1  # the person's view after the registration, not the one before


def test_check_ins_are_decisions_in_the_history(client, bima, verifikator):
    registration = register(bima, "CGP")
    session = bima.sessions.get(name="Hari 1")
    attendance_record(
        registration=registration,
        session=session,
        method=Attendance.Method.OFFLINE,
        actor=verifikator,
        checked_in_at=session.starts_at + dt.timedelta(minutes=7),
    )
    labels = [str(row.label) for row in registration_history(registration).decisions]
    assert labels == ["Pendaftaran dibuat", "Tercatat hadir (check-in)"]
    client.force_login(verifikator)
    history = table(client.get(detail(registration)).content.decode(), 'id="history"', "</table>")
    assert "Tercatat hadir (check-in)" in history and "attendance.recorded" not in history


def test_history_query_count_is_constant(client, bima, verifikator):
    registration = register(bima, "CGP")
    client.force_login(verifikator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(registration)).status_code == 200
        return len(queries)

    client.get(detail(registration))
    small = count()
    registration_verify(registration=registration, actor=verifikator)
    others = [user_in("Verifikator", provinces=["52"]) for _ in range(4)]
    for actor in others:
        for _ in range(6):
            personal_data_viewed(actor=actor, holder=registration, where="registration_detail")
        personal_data_viewed(actor=actor, holder=registration.person, where="admin.person_change")
    session = bima.sessions.get(name="Hari 2")
    attendance_record(
        registration=registration, session=session, method="offline", actor=verifikator, checked_in_at=session.starts_at
    )
    large = count()
    assert large == small
    html = client.get(detail(registration)).content.decode()
    assert len(re.findall(r"dilihat \d+× oleh", html)) == 5
