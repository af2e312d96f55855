"""`make run` again after real use changes nothing (issue 14, item 2: a second run invented two Day-1
check-ins on a venue laptop, which falsified the daftar hadir and the certificates)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection

from attendance.models import Attendance
from attendance.services import attendance_record
from events.models import Event, Role
from participants.models import Registration
from participants.services import registration_create, registration_verify
from rosters.models import Committee
from rosters.services import committee_return
from tests.factories import person_data, user_in

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Bookkeeping that a run may touch without changing what anybody sees (none expected; listed for the reader).
IGNORED_TABLES = {"core_cache"}


def every_table() -> dict[str, list[tuple]]:
    """Every row of every table, as stored."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names()) - IGNORED_TABLES):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
            tables[table] = sorted(map(repr, cursor.fetchall()))
    return tables


def test_load_demo_again_after_real_use_changes_no_row(lokakarya):
    call_command("load_demo", stdout=io.StringIO())
    # Real use: the panitia registers somebody, the verifikator verifies a demo registration and returns a
    # demo committee, and the koordinator checks a new participant in on day 1.
    bima = lokakarya.sites.get(name="Kab. Bima")
    panitia = user_in("Panitia", organized=[lokakarya])
    koordinator = user_in("Koordinator site", sites=[bima])
    verifier = user_in("Verifikator", provinces=["52", "14"])
    newcomer = registration_create(
        site=bima,
        role=Role.objects.get(program=lokakarya.program, code="CGP"),
        person_data=person_data(name="Peserta Sungguhan"),
        source=Registration.Source.FORM,
        actor=panitia,
    )
    pending = Registration.objects.filter(event=lokakarya, status=Registration.Status.SUBMITTED).exclude(pk=newcomer.pk)
    registration_verify(registration=pending.first(), actor=verifier)
    day1 = bima.sessions.order_by("starts_at").first()
    # (sent from the phone that worked offline on that day: the door takes check-ins only on the session's day)
    attendance_record(
        registration=newcomer,
        session=day1,
        method=Attendance.Method.OFFLINE,
        actor=koordinator,
        checked_in_at=day1.starts_at + dt.timedelta(minutes=20),
    )
    submitted = Committee.objects.filter(status=Committee.Status.SUBMITTED, level=2).first()
    committee_return(committee=submitted, actor=verifier, level=2, reason="Data guru belum lengkap")
    Event.objects.filter(pk=lokakarya.pk).update(description="Diubah oleh panitia")

    before = every_table()
    call_command("load_demo", stdout=io.StringIO())
    after = every_table()

    changed = [table for table in before if before[table] != after.get(table)]
    assert not changed, f"load_demo changed rows of {changed} after real use"
    assert set(after) == set(before)
