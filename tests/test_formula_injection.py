"""Every Excel file the app offers, downloaded with hostile user data in it, holds no live formula.

Names, agencies, positions, notes and plan texts start with the characters Excel treats as a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return). After download, no cell may be a formula
(openpyxl data_type "f") and no text may start with such a character unless it is the neutralised
form (a leading apostrophe) or plain signed digits (phone numbers).
"""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.xlsx import FORMULA_PREFIXES
from events import groups as G
from events.models import Agency, AgencyType, TrainingPhase
from outcomes.services import ItemData, action_plan_create, action_plan_item_save
from rosters.services import MemberData, committee_save, tahap_assign
from tests.factories import attend, register, user_in
from tests.rosters.conftest import approve_all, make_penggerak, nik_for

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://x.invalid","y")',
    "@SUM(A1)",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
_PLAIN_SIGNED_NUMBER = re.compile(r"[+-][0-9][0-9 .,()*\-]*")


def assert_no_live_formula(content: bytes, label: str) -> int:
    """Every cell of every sheet checked; the number of hostile texts seen (neutralised)."""
    book = load_workbook(io.BytesIO(content))
    seen = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{label} {sheet.title}!{cell.coordinate}: {cell.value!r}"
                assert cell.data_type != "f", where
                if isinstance(cell.value, str):
                    if cell.value.startswith(FORMULA_PREFIXES):
                        assert _PLAIN_SIGNED_NUMBER.fullmatch(cell.value), where
                    if any(cell.value.lstrip("'").startswith(text) for text in HOSTILE):
                        assert cell.value.startswith("'"), where
                        seen += 1
    # Data validations (drop-down lists) are the only formulas a file may carry; none built from user data.
    return seen


def xlsx(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_excel_export_neutralises_hostile_user_data(client, lokakarya, rakor):
    phases = [TrainingPhase.objects.create(cohort=rakor.cohort, number=1, capacity=3, mode="luring")]
    # Registrations with hostile names, positions, agencies and e-mails, one attended.
    site = lokakarya.sites.order_by("order").first()
    session = site.sessions.order_by("starts_at").first()
    agency = Agency.objects.create(
        type=AgencyType.objects.first(), name='=HYPERLINK("http://x.invalid","Dinas")', province_id=None
    )
    registrations = [
        register(site, name=text, position=HOSTILE[(index + 1) % len(HOSTILE)], agency=agency)
        for index, text in enumerate(HOSTILE)
    ]
    attend(registrations[0], session)

    # Komite Pembelajaran with hostile member names, placed in a Tahap.
    school, principal = make_penggerak(rakor.cohort, principal_name='=HYPERLINK("http://x.invalid","KS")')
    members = [MemberData(full_name=principal.full_name, position="kepala_sekolah", nik=principal.nik)]
    members += [
        MemberData(full_name=HOSTILE[1], position="guru", class_taught="Kelas 1", nik=nik_for("14.71")),
        MemberData(full_name=HOSTILE[2], position="guru", class_taught="Kelas 4", nik=nik_for("14.71")),
        MemberData(full_name=HOSTILE[3], position="pengawas", nik=nik_for("14.71")),
    ]
    committee = committee_save(school=school, cohort=rakor.cohort, members=members, actor=None, submit=True)
    committee = approve_all(committee, acknowledge=True)
    tahap_assign(committee=committee, phase=phases[0], actor=None)

    # Rencana aksi with hostile texts.
    admin = user_in(G.ADMIN_PUSAT)
    plan = action_plan_create(event=lokakarya, delegation="@SUM(A1) Kab. Contoh", actor=admin)
    month = dt.date(2022, 9, 1)
    action_plan_item_save(
        plan=plan,
        actor=admin,
        data=ItemData(
            activity=HOSTILE[0],
            start_month=month,
            end_month=month,
            objective=HOSTILE[1],
            person_in_charge=HOSTILE[2],
            responsible_agency=HOSTILE[3],
        ),
    )

    client.force_login(admin)
    downloads = {
        "registration export": reverse("participants:registration_export") + f"?event={lokakarya.pk}",
        "registration export (unmasked)": reverse("participants:registration_export") + "?reveal=1",
        "import template": reverse("participants:import_template", args=[lokakarya.pk]),
        "rekap": reverse("reports:report_download", args=[lokakarya.pk, "rekap", "xlsx"]),
        "attendance recap": reverse("reports:report_download", args=[lokakarya.pk, "attendance_recap", "xlsx"])
        + f"?site={site.pk}",
        "roster": reverse("rosters:roster_xlsx") + f"?cohort={rakor.cohort.pk}",
        "roster per Tahap": reverse("rosters:roster_xlsx") + f"?cohort={rakor.cohort.pk}&phase={phases[0].pk}",
        "roster findings": reverse("rosters:roster_findings_xlsx") + f"?cohort={rakor.cohort.pk}",
        "roster template": reverse("rosters:roster_template"),
        "rencana aksi": reverse("outcomes:plan_xlsx", args=[lokakarya.pk]),
    }
    seen = {label: assert_no_live_formula(xlsx(client, url), label) for label, url in downloads.items()}
    # The files that carry user data really carried the hostile texts (else this test proves nothing).
    for label in (
        "registration export",
        "registration export (unmasked)",
        "roster",
        "roster per Tahap",
        "rencana aksi",
    ):
        assert seen[label] >= 3, (label, seen)
