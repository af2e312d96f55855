"""Races for the last seats and for the same person, with real threads against PostgreSQL.

Each thread has its own database connection (Django keeps one per thread) and closes it at the end,
which hands it back to the psycopg pool. SQLite serialises every writer with BEGIN IMMEDIATE, so
these races cannot happen there and the tests are skipped.
"""

import threading

import pytest
from django.db import connection

from events.models import Province, Role, SiteQuota
from participants.models import Person, Registration, identifier_q
from participants.services import PersonData, RegistrationError, registration_create
from tests.factories import register, valid_nik

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers, so concurrent registrations cannot race there",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(calls):
    """Run each call in its own thread, released together by a barrier; the outcome of each, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            call()
            outcomes[index] = "created"
        except RegistrationError as error:
            outcomes[index] = error.code
        except Exception as error:  # noqa: BLE001 - any other error is a failure the assertion shows
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_twenty_people_race_for_the_last_five_seats(lokakarya):
    site = lokakarya.sites.select_related("event").get(name="Kab. Bima")
    role = Role.objects.get(program=lokakarya.program, code="PENGAWAS_SEKOLAH")
    SiteQuota.objects.filter(site=site, role=role).update(target=8, close_when_full=True)
    for _ in range(3):
        register(site, "PENGAWAS_SEKOLAH")
    ntb = Province.objects.get(code="52")
    calls = [
        creator(site, role, PersonData(full_name=f"Pengawas Balapan {n}", nik=valid_nik(serial=7000 + n), province=ntb))
        for n in range(20)
    ]

    outcomes = race(calls)

    assert sorted(outcomes) == ["created"] * 5 + ["quota_full"] * 15
    assert Registration.objects.filter(site=site, role=role).count() == 8


def creator(site, role, data, source=Registration.Source.SELF):
    return lambda: registration_create(site=site, role=role, person_data=data, source=source)


def counted(nik: str, event) -> list[str]:
    """The reviews of the person's registrations for the event: "" for the one that counts."""
    return sorted(
        Registration.objects.filter(identifier_q("nik", nik, prefix="person__"), event=event).values_list(
            "review", flat=True
        )
    )


def test_the_same_new_person_twice_at_once_gives_one_registration(lokakarya):
    bima = lokakarya.sites.select_related("event").get(name="Kab. Bima")
    sikur = lokakarya.sites.select_related("event").get(name="Kab. Lombok Timur")
    role = Role.objects.get(program=lokakarya.program, code="CGP")
    nik = valid_nik(serial=8101)
    # An organizer's form: the second is refused.
    calls = [
        creator(site, role, PersonData(full_name="Baiq Kembar", nik=nik), source=Registration.Source.FORM)
        for site in (bima, sikur)
    ]
    assert sorted(race(calls)) == ["created", "duplicate"]
    assert counted(nik, lokakarya) == [""]
    assert Person.objects.filter(identifier_q("nik", nik)).count() == 1


def test_the_same_person_twice_at_once_on_the_public_form_is_kept_once_and_flagged_once(lokakarya):
    """The public form refuses nothing that would tell what is recorded: the second is kept, flagged."""
    bima = lokakarya.sites.select_related("event").get(name="Kab. Bima")
    sikur = lokakarya.sites.select_related("event").get(name="Kab. Lombok Timur")
    role = Role.objects.get(program=lokakarya.program, code="CGP")
    nik = valid_nik(serial=8151)
    calls = [creator(site, role, PersonData(full_name="Baiq Kembar Publik", nik=nik)) for site in (bima, sikur)]
    assert sorted(race(calls)) == ["created", "created"]
    assert counted(nik, lokakarya) == ["", Registration.Review.DUPLICATE]
    assert Person.objects.filter(identifier_q("nik", nik)).count() == 1


def test_the_same_known_person_twice_at_once_gives_one_registration(lokakarya, rakor):
    """The person exists from another event: only the one-registration-per-event constraint decides."""
    nik = valid_nik(serial=8202)
    register(rakor.sites.get(name="Regional Kupang"), "LPMP", name="Lalu Dua Kali", nik=nik, province_code="53")
    bima = lokakarya.sites.select_related("event").get(name="Kab. Bima")
    role = Role.objects.get(program=lokakarya.program, code="CGP")
    data = PersonData(full_name="Lalu Dua Kali", nik=nik)
    calls = [creator(bima, role, data, source=Registration.Source.FORM) for _ in range(2)]
    assert sorted(race(calls)) == ["created", "duplicate"]
    assert counted(nik, lokakarya) == [""]
    calls = [creator(bima, role, data) for _ in range(2)]  # and twice more on the public form: kept, flagged
    assert sorted(race(calls)) == ["created", "created"]
    assert counted(nik, lokakarya) == ["", Registration.Review.DUPLICATE, Registration.Review.DUPLICATE]


def _held_by_another_connection(sql: str, params: list):
    """A second connection that runs `sql` in an open transaction and keeps its locks until closed."""
    other = connection.copy()
    other.connect()
    other.set_autocommit(False)
    with other.cursor() as cursor:
        cursor.execute(sql, params)
    return other


def test_a_registration_locks_only_its_own_quota_row(lokakarya):
    """The quota lock is FOR UPDATE OF the quota alone: an edit of the event being saved (its row locked), or a
    registration of another role holding its quota, never holds a registration back. A plain FOR UPDATE over
    SiteQuota's default ordering (site → event, role) locked the event's row: every registration of the event
    queued behind the one before, and behind any edit of the event."""
    bima = lokakarya.sites.select_related("event").get(name="Kab. Bima")
    cgp = Role.objects.get(program=lokakarya.program, code="CGP")
    pengawas = Role.objects.get(program=lokakarya.program, code="PENGAWAS_SEKOLAH")
    SiteQuota.objects.filter(site=bima).update(close_when_full=True)
    ntb = Province.objects.get(code="52")
    holders = [
        # What saving the event and the site takes (an UPDATE of their rows' other columns).
        _held_by_another_connection("UPDATE events_event SET title = title WHERE id = %s", [lokakarya.pk]),
        _held_by_another_connection("UPDATE events_eventsite SET name = name WHERE id = %s", [bima.pk]),
        _held_by_another_connection(
            "SELECT id FROM events_sitequota WHERE site_id = %s AND role_id = %s FOR UPDATE", [bima.pk, pengawas.pk]
        ),
    ]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # a wait on any of those locks fails the test, never hangs it
        registration = registration_create(
            site=bima,
            role=cgp,
            person_data=PersonData(full_name="Tidak Menunggu", nik=valid_nik(serial=8301), province=ntb),
            source=Registration.Source.SELF,
        )
    finally:
        for holder in holders:
            holder.rollback()
            holder.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert Registration.objects.filter(pk=registration.pk, status=Registration.Status.SUBMITTED).exists()
