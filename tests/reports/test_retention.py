"""Retention purge: personal data goes, every count the reports show stays."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from core.models import AuditEntry, ImportBatch
from participants.models import Person, Registration, identifier_q
from reports.dashboard import event_dashboard
from reports.outputs.attendance_recap import breakdown
from reports.outputs.rekap import rekap_table
from reports.services import PurgeError, event_personal_data_purge
from tests.factories import attend, person_data, register


def _figures(event):
    table = rekap_table(event=event, sites=list(event.sites.order_by("order", "id")))
    recap = []
    for site in event.sites.order_by("id"):
        sessions = list(site.sessions.all())
        recap.append(breakdown(site=site, sessions=sessions, key="role__name"))
        recap.append(breakdown(site=site, sessions=sessions, key="person__province__name"))
    return table.grand_total, [row.total for row in table.rows], recap


def _dashboard_numbers(event, superuser):
    dashboard = event_dashboard(user=superuser, event=event)
    return [(str(chart.title), chart.total) for chart in dashboard.charts] + [dashboard.attendance.total]


@pytest.fixture
def due(lokakarya, bima, superuser):
    lokakarya.retention_until = timezone.localdate() - dt.timedelta(days=1)
    lokakarya.save(update_fields=["retention_until"])
    registration = register(bima, phone="+6281234500001", email="a@example.invalid")
    session = bima.sessions.first()
    if session is not None:
        attend(registration, session)
    ImportBatch.objects.create(
        kind="registrations",
        scope={"event_id": lokakarya.pk},
        created_by=superuser,
        filename="peserta.xlsx",
        data=b"x",
    )
    return registration


def _raw_people_values():
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, phone, full_name FROM participants_person")
        return cursor.fetchall()


def _raw_registration_values(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nik, nik_hash, phone, phone_hash, email, full_name, nip, birth_date FROM "
            "participants_registration WHERE event_id = %s",
            [event.pk],
        )
        return cursor.fetchall()


def test_purge_keeps_every_total_and_removes_identifiers(lokakarya, due, superuser):
    nik, phone = due.person.nik, due.person.phone
    before = _figures(lokakarya), _dashboard_numbers(lokakarya, superuser)
    people = list(Person.objects.filter(registrations__event=lokakarya).values_list("pk", flat=True))

    report = event_personal_data_purge(event=lokakarya, actor=superuser, dry_run=False)

    assert report.people >= 1 and report.import_batches == 1
    assert (_figures(lokakarya), _dashboard_numbers(lokakarya, superuser)) == before
    values = _raw_people_values()
    assert not any(nik in str(row) or phone in str(row) for row in values)
    purged = Person.objects.filter(pk__in=people)
    assert all(person.nik == "" and person.phone == "" for person in purged)
    # The keyed hashes go too: a purged NIK can no longer be found by an exact search.
    assert not purged.exclude(nik_hash="", phone_hash="").exists()
    assert not Person.objects.filter(identifier_q("nik", nik, prefix="")).exists()
    assert Person.objects.get(pk=due.person_id).full_name == f"Peserta #{due.person_id}"
    # The copy each registration keeps goes with it (participants.models.PersonalData).
    rows = _raw_registration_values(lokakarya)
    assert rows and not any(nik in str(row) or phone[1:] in str(row) or "a@example.invalid" in str(row) for row in rows)
    assert all(row[:5] == ("", "", "", "", "") and row[5].startswith("Peserta #") for row in rows)
    assert not ImportBatch.objects.filter(scope__event_id=lokakarya.pk).exists()
    lokakarya.refresh_from_db()
    assert lokakarya.personal_data_purged_at is not None
    entry = AuditEntry.objects.get(action="event.personal_data_purged", object_id=str(lokakarya.pk))
    assert entry.actor == superuser and entry.data["people"] == report.people
    assert nik not in str(entry.data)


def test_dry_run_changes_nothing(lokakarya, due, superuser):
    snapshot = sorted(_raw_people_values())
    report = event_personal_data_purge(event=lokakarya, actor=superuser, dry_run=True)
    assert report.people >= 1
    assert sorted(_raw_people_values()) == snapshot
    lokakarya.refresh_from_db()
    assert lokakarya.personal_data_purged_at is None
    assert ImportBatch.objects.filter(scope__event_id=lokakarya.pk).count() == 1
    assert not AuditEntry.objects.filter(action="event.personal_data_purged").exists()


def test_second_run_is_idempotent(lokakarya, due, superuser):
    event_personal_data_purge(event=lokakarya, actor=superuser, dry_run=False)
    second = event_personal_data_purge(event=lokakarya, actor=superuser, dry_run=False)
    assert second.already_purged
    assert AuditEntry.objects.filter(action="event.personal_data_purged").count() == 1


def test_person_in_a_current_event_keeps_its_data(lokakarya, rakor, due, solo, superuser):
    rakor.retention_until = timezone.localdate() + dt.timedelta(days=365)
    rakor.save(update_fields=["retention_until"])
    role = solo.event.program.roles.first()
    from participants.services import registration_create

    registration_create(
        site=solo,
        role=role,
        person_data=person_data(nik=due.person.nik, full_name=due.person.full_name, province_code="14"),
        source=Registration.Source.FORM,
        actor=None,
    )
    report = event_personal_data_purge(event=lokakarya, actor=superuser, dry_run=False)
    person = Person.objects.get(pk=due.person_id)
    assert person.nik == due.person.nik and person.phone == due.person.phone
    assert report.people_kept >= 1
    # The purged event's own copy goes all the same; the current event's stays.
    due.refresh_from_db()
    assert (due.nik, due.phone, due.email) == ("", "", "") and due.full_name == f"Peserta #{due.person_id}"
    current = Registration.objects.get(event=rakor, person_id=due.person_id)
    assert current.nik == person.nik


def test_refuses_an_event_not_yet_due(rakor, superuser):
    rakor.retention_until = timezone.localdate() + dt.timedelta(days=10)
    rakor.save(update_fields=["retention_until"])
    with pytest.raises(PurgeError):
        event_personal_data_purge(event=rakor, actor=superuser, dry_run=False)
    report = event_personal_data_purge(event=rakor, actor=superuser, dry_run=False, force_reason="court order 12/2026")
    assert AuditEntry.objects.get(action="event.personal_data_purged").reason == "court order 12/2026"
    assert not report.already_purged


def test_command_dry_run_by_default_then_execute(lokakarya, due):
    out = StringIO()
    call_command("purge_personal_data", "--event", lokakarya.slug, stdout=out)
    assert "would purge" in out.getvalue() and due.person.nik not in out.getvalue()
    assert Person.objects.get(pk=due.person_id).nik == due.person.nik
    call_command("purge_personal_data", "--all-due", "--execute", stdout=out)
    assert Person.objects.get(pk=due.person_id).nik == ""


def test_command_refuses_a_future_event(rakor):
    rakor.retention_until = timezone.localdate() + dt.timedelta(days=10)
    rakor.save(update_fields=["retention_until"])
    with pytest.raises(CommandError):
        call_command("purge_personal_data", "--event", rakor.slug, "--execute", stdout=StringIO())


def test_task_purges_due_events(lokakarya, due):
    from reports.tasks import purge_due_personal_data_task

    result = purge_due_personal_data_task.enqueue()
    assert lokakarya.slug in result.return_value
    assert Person.objects.get(pk=due.person_id).nik == ""
