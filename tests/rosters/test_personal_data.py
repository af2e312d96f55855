"""Roster pages and outputs: unmasked NIKs only for those allowed, and each unmasked view on record."""

import io

from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from core.fields import identifier_hash
from core.models import AuditEntry
from events import groups as G
from tests.factories import user_in

from .conftest import good_committee


def viewed(user, where):
    return sorted(
        AuditEntry.objects.filter(action="personal_data.viewed", actor=user, data__where=where).values_list(
            "object_id", flat=True
        )
    )


def test_members_saved_by_the_bulk_insert_are_encrypted_and_hashed(cohort):
    committee = good_committee(cohort)
    member = committee.members.select_related("person").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, nik_hash FROM participants_person WHERE id = %s", [member.person_id])
        raw_nik, nik_hash = cursor.fetchone()
    assert member.person.nik and member.person.nik not in raw_nik
    assert nik_hash == identifier_hash(member.person.nik, kind="nik")


def test_committee_detail_and_exports_audit_each_unmasked_member(client, cohort):
    committee = good_committee(cohort, submit=True)
    members = sorted(str(pk) for pk in committee.members.values_list("person_id", flat=True))
    verifikator = user_in(G.VERIFIKATOR, provinces=["14"])
    client.force_login(verifikator)
    html = client.get(reverse("rosters:roster_detail", args=[committee.pk])).content.decode()
    assert committee.members.first().person.nik in html
    assert viewed(verifikator, "committee_detail") == members
    sheet = load_workbook(io.BytesIO(client.get(reverse("rosters:roster_xlsx")).content)).active
    assert sheet.max_row > 1
    assert viewed(verifikator, "roster_xlsx") == members


def test_masked_roster_pages_write_no_audit_entry(client, cohort):
    committee = good_committee(cohort, submit=True)
    operator = user_in(G.OPERATOR_DINAS, provinces=["14"])
    client.force_login(operator)
    response = client.get(reverse("rosters:roster_detail", args=[committee.pk]))
    if response.status_code == 200:
        assert committee.members.first().person.nik not in response.content.decode()
    assert not AuditEntry.objects.filter(action="personal_data.viewed").exists()
