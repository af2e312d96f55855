"""Races for a full site × role, with real threads against PostgreSQL: the line keeps its order and no seat is
given twice (SQLite serialises every writer, so these races cannot happen there and the tests are skipped)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from core.models import AuditEntry
from events.models import Province, Role, SiteQuota
from participants.models import Registration
from participants.services import PersonData, registration_create, registration_withdraw
from participants.waitlist import WaitlistError, waitlist_remove
from tests.factories import register, valid_nik
from tests.participants.test_concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers, so concurrent registrations cannot race there",
    ),
    pytest.mark.django_db(transaction=True),
]

Status = Registration.Status
ROLE = "PENGAWAS_SEKOLAH"


@pytest.fixture
def site(lokakarya):
    """Kab. Bima a month from now (a registration may be withdrawn until the site's last day)."""
    bima = lokakarya.sites.select_related("event").get(name="Kab. Bima")
    today = timezone.localdate()
    bima.start_date, bima.end_date = today + dt.timedelta(days=30), today + dt.timedelta(days=31)
    bima.save(update_fields=["start_date", "end_date"])
    return bima


def quota(site, *, target: int) -> Role:
    role = Role.objects.get(program=site.event.program, code=ROLE)
    SiteQuota.objects.update_or_create(site=site, role=role, defaults={"target": target, "close_when_full": True})
    return role


def joiner(site, role, n: int):
    data = PersonData(
        full_name=f"Pengawas Antre {n}", nik=valid_nik(serial=5000 + n), province=Province.objects.get(code="52")
    )
    return lambda: registration_create(
        site=site, role=role, person_data=data, source=Registration.Source.SELF, join_waitlist=True
    )


def line(site, role) -> list[Registration]:
    return list(Registration.objects.filter(site=site, role=role, status=Status.WAITING).order_by("submitted_at", "pk"))


def seats(site, role) -> int:
    return Registration.objects.filter(site=site, role=role, status__in=Registration.SEAT_STATUSES).count()


def test_thirty_people_race_for_five_seats_five_get_them_and_twenty_five_wait_in_order(site):
    role = quota(site, target=5)

    outcomes = race([joiner(site, role, n) for n in range(30)])

    assert outcomes == ["created"] * 30
    assert seats(site, role) == 5
    waiting = line(site, role)
    assert len(waiting) == 25
    registered = Registration.objects.filter(site=site, role=role, status=Status.SUBMITTED)
    # Submission order: every seat went to someone who came before everyone in the line, and the line's order
    # (time, then id) is the order the rows were written in.
    assert max(r.submitted_at for r in registered) <= min(r.submitted_at for r in waiting)
    assert [r.pk for r in waiting] == sorted(r.pk for r in waiting)
    assert max(r.pk for r in registered) < min(r.pk for r in waiting)


def test_ten_withdrawals_at_once_promote_exactly_ten_and_give_no_seat_twice(site):
    role = quota(site, target=10)
    holders = [register(site, ROLE) for _ in range(10)]
    for n in range(15):
        joiner(site, role, n)()
    first_ten = [r.pk for r in line(site, role)[:10]]

    outcomes = race([lambda r=r: registration_withdraw(registration=r, reason="Berhalangan") for r in holders])

    assert outcomes == ["created"] * 10  # the race helper's word for "no error"
    assert Registration.objects.filter(pk__in=[h.pk for h in holders], status=Status.WITHDRAWN).count() == 10
    assert seats(site, role) == 10
    promoted = AuditEntry.objects.filter(action="waitlist.submitted").values_list("object_id", flat=True)
    assert sorted(map(int, promoted)) == sorted(first_ten)  # ten entries, ten different people: the first ten
    assert len(line(site, role)) == 5


def test_seats_freed_while_others_leave_the_line_end_without_deadlock_or_a_seat_too_many(site, superuser):
    role = quota(site, target=6)
    holders = [register(site, ROLE) for _ in range(6)]
    for n in range(12):
        joiner(site, role, n)()
    waiting = line(site, role)
    leaving = waiting[:3] + waiting[6:9]  # some of the very first in line leave while seats free
    refused = []

    def remove(registration):
        try:
            waitlist_remove(registration=registration, actor=superuser, reason="Ganda")
        except WaitlistError as error:  # promoted a moment before: the removal comes too late, and says so
            refused.append(error.code)

    calls = [lambda r=r: registration_withdraw(registration=r, reason="Berhalangan") for r in holders]
    calls += [lambda r=r: remove(r) for r in leaving]

    outcomes = race(calls)

    assert outcomes == ["created"] * 12  # no deadlock, no other error
    assert set(refused) <= {"not_waiting"}
    assert seats(site, role) == 6
    removed = Registration.objects.filter(pk__in=[r.pk for r in leaving], status=Status.WITHDRAWN).count()
    assert removed + len(refused) == 6
    # Six seats freed for twelve in line, six of whom tried to leave: whoever could not leave in time holds a
    # seat, and as many of those who stayed are still waiting.
    assert len(line(site, role)) == len(refused)
