"""Roster screens and outputs: scoping (404 outside the province), permissions, actions, constant queries,
the PDF and Excel contents."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from openpyxl import load_workbook
from pypdf import PdfReader

from core.identifiers import mask_nik
from core.models import AuditEntry
from events import groups as G
from rosters.models import Committee
from rosters.services import tahap_assign
from tests.factories import user_in
from tests.rosters.conftest import approve_all, good_committee, kab_verifikator, make_penggerak, sd_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifikator(client, cohort):
    user = user_in(G.VERIFIKATOR, provinces=["14"])
    client.force_login(user)
    return user


def test_list_and_detail_are_scoped(client, cohort, verifikator):
    riau = good_committee(cohort, regency="14.71", submit=True)
    lampung = good_committee(cohort, regency="18.71", submit=True)
    response = client.get(reverse("rosters:roster_list"))
    assert response.status_code == 200
    assert riau.school.name in response.content.decode() and lampung.school.name not in response.content.decode()
    assert client.get(reverse("rosters:roster_detail", args=[riau.pk])).status_code == 200
    assert client.get(reverse("rosters:roster_detail", args=[lampung.pk])).status_code == 404
    response = client.post(reverse("rosters:roster_return", args=[lampung.pk]), {"reason": "x", "level": "1"})
    assert response.status_code == 404
    lampung.refresh_from_db()
    assert lampung.status == "submitted"


def test_a_user_without_a_roster_group_is_refused(client, cohort):
    client.force_login(user_in(G.PANITIA))
    assert client.get(reverse("rosters:roster_list")).status_code == 403
    client.logout()
    assert client.get(reverse("rosters:roster_list")).status_code == 302


def test_a_pejabat_reads_but_cannot_validate(client, cohort):
    committee = good_committee(cohort, submit=True)
    client.force_login(user_in(G.PEJABAT, provinces=["14"]))
    assert client.get(reverse("rosters:roster_detail", args=[committee.pk])).status_code == 200
    assert client.post(reverse("rosters:roster_validate", args=[committee.pk])).status_code == 403


def test_the_list_shows_counts_filters_and_keeps_its_queries_constant(client, cohort, verifikator):
    school, principal = make_penggerak(cohort)
    from rosters.services import committee_save

    committee_save(school=school, cohort=cohort, members=sd_members(principal)[:3], actor=None, submit=True)
    good_committee(cohort, submit=True)
    url = reverse("rosters:roster_list") + "?has_errors=on"
    body = client.get(url).content.decode()
    assert school.name in body and body.count("text-bg-danger") == 1

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("rosters:roster_list")).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for _ in range(4):
        good_committee(cohort, submit=True)
    assert queries() == before


def test_approve_and_return_from_the_detail_page(client, cohort, verifikator):
    """The province verifikator decides at level 2: a committee there is approved to level 3 (the centre)."""
    committee = good_committee(cohort, submit=True)
    client.force_login(kab_verifikator("14.71"))
    client.post(reverse("rosters:roster_validate", args=[committee.pk]), {"level": "1"})
    committee.refresh_from_db()
    assert (committee.status, committee.level) == ("submitted", 2)
    client.force_login(verifikator)
    response = client.post(
        reverse("rosters:roster_return", args=[committee.pk]), {"reason": "", "level": "2"}, follow=True
    )
    assert "alasan" in response.content.decode().lower() or "reason" in response.content.decode().lower()
    client.post(reverse("rosters:roster_validate", args=[committee.pk]), {"level": "2"})
    committee.refresh_from_db()
    assert (committee.status, committee.level) == ("submitted", 3) and committee.decided_by == verifikator


def test_bulk_approve_at_the_first_level(client, cohort):
    ones = [good_committee(cohort, submit=True) for _ in range(3)]
    client.force_login(kab_verifikator("14.71"))
    client.post(
        reverse("rosters:roster_list"), {"action": "validate", "level": "1", "committee": [c.pk for c in ones[:2]]}
    )
    assert sorted(Committee.objects.values_list("level", flat=True)) == [1, 2, 2]


def test_operator_submits_a_committee_through_the_formset(client, cohort):
    operator = user_in(G.OPERATOR_DINAS, provinces=["14"])
    client.force_login(operator)
    school, principal = make_penggerak(cohort)
    members = sd_members(principal)
    data = {"school": school.pk, "submit": "on", "members-TOTAL_FORMS": "6", "members-INITIAL_FORMS": "0"}
    for index, member in enumerate(members):
        for name in ("full_name", "position", "class_taught", "nik"):
            data[f"members-{index}-{name}"] = getattr(member, name)
    data["members-1-nik"] = "147101120585001"  # 15 digits: refused, the input is kept
    response = client.post(reverse("rosters:roster_new"), data)
    assert response.status_code == 200 and not Committee.objects.exists()
    body = response.content.decode()
    assert "147101120585001" in body and "16" in body
    data["members-1-nik"] = members[1].nik
    response = client.post(reverse("rosters:roster_new"), data)
    committee = Committee.objects.get()
    assert response.status_code == 302 and committee.status == "submitted" and committee.members.count() == 4


def test_outputs_pdf_excel_findings_counts(client, cohort, phases, verifikator):
    committee = approve_all(good_committee(cohort, submit=True))
    tahap_assign(committee=committee, phase=phases[0], actor=None)
    pdf = client.get(reverse("rosters:roster_pdf", args=[phases[0].pk]))
    assert pdf["Content-Type"] == "application/pdf"
    # Words as printed; a cell may wrap a name over two lines.
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    kepala = committee.members.get(position="kepala_sekolah").person
    assert "DAFTAR KOMITE PEMBELAJARAN" in text and committee.school.npsn in text and kepala.full_name in text
    assert "LEMBAGA PENGEMBANGAN" in text and "Halaman 1" in text
    assert kepala.nik in text  # the verifikator holds participants.view_personal_data
    client.force_login(user_in(G.PEJABAT, provinces=["14"]))
    pdf = client.get(reverse("rosters:roster_pdf", args=[phases[0].pk]))
    masked = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert kepala.nik not in masked and mask_nik(kepala.nik) in masked
    client.force_login(verifikator)
    sheet = load_workbook(io.BytesIO(client.get(reverse("rosters:roster_xlsx")).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 5 and rows[1][3] == committee.school.npsn and rows[1][0] == 1
    findings = load_workbook(io.BytesIO(client.get(reverse("rosters:roster_findings_xlsx")).content)).active
    assert findings.max_row == 1
    counts = client.get(reverse("rosters:roster_counts")).content.decode()
    assert "Riau" in counts


def test_allocate_preview_then_save(client, cohort, phases, verifikator):
    for _ in range(4):
        approve_all(good_committee(cohort, submit=True))
    body = client.get(reverse("rosters:roster_allocate")).content.decode()
    assert Committee.objects.filter(phase__isnull=False).count() == 0 and 'id="leftovers"' not in body
    client.post(reverse("rosters:roster_allocate"))
    assert Committee.objects.filter(phase=phases[0]).count() == 3
    assert Committee.objects.filter(phase=phases[1]).count() == 1


def test_import_two_phases_through_the_screens(client, cohort):
    from tests.rosters.test_import import school_rows, workbook

    operator = user_in(G.OPERATOR_DINAS, provinces=["14"])
    client.force_login(operator)
    school, principal = make_penggerak(cohort)
    data = workbook(school_rows(school, principal))
    upload = io.BytesIO(data)
    upload.name = "komite.xlsx"
    response = client.post(reverse("rosters:roster_import"), {"file": upload, "submit": "on"})
    batch = response.context["batch"]
    assert batch is not None and not Committee.objects.exists()
    # The file waits encrypted in the database for its uploader only: another operator cannot confirm it.
    other = user_in(G.OPERATOR_DINAS, provinces=["14"])
    client.force_login(other)
    response = client.post(reverse("rosters:roster_import"), {"batch": batch.pk, "submit": "1"})
    assert response.status_code == 302 and not Committee.objects.exists()
    client.force_login(operator)
    response = client.post(reverse("rosters:roster_import"), {"batch": batch.pk, "submit": "1"})
    assert response.status_code == 302 and Committee.objects.get().status == "submitted"
    batch.refresh_from_db()
    assert batch.status == "imported" and bytes(batch.data) == b""
    # Confirming the same file again (a second tab) changes nothing.
    response = client.post(reverse("rosters:roster_import"), {"batch": batch.pk, "submit": "1"})
    assert response.status_code == 302 and Committee.objects.count() == 1
    template = client.get(reverse("rosters:roster_template"))
    assert template.status_code == 200 and load_workbook(io.BytesIO(template.content)).sheetnames[1] == "Petunjuk"


def test_admin_changes_of_a_rule_refresh_the_stored_counts(client, cohort, superuser):
    from rosters.models import CompositionRule

    committee = good_committee(cohort, submit=True)
    assert committee.error_count == 0
    rule = CompositionRule.objects.get(level="SD", position="guru")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:rosters_compositionrule_change", args=[rule.pk]),
        {"level": "SD", "position": "guru", "minimum": 3, "maximum": 3, "needs_class": "on", "required_classes": ""},
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.error_count == 1


def test_exports_are_scoped_and_the_findings_export_lists_findings(client, cohort, verifikator):
    from rosters.services import committee_save

    school, principal = make_penggerak(cohort)
    committee_save(school=school, cohort=cohort, members=sd_members(principal)[:3], actor=None, submit=True)
    lampung = good_committee(cohort, regency="18.71", submit=True)
    sheet = load_workbook(io.BytesIO(client.get(reverse("rosters:roster_xlsx")).content)).active
    npsns = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert npsns == {school.npsn} and lampung.school.npsn not in npsns
    findings = load_workbook(io.BytesIO(client.get(reverse("rosters:roster_findings_xlsx")).content)).active
    rows = list(findings.iter_rows(min_row=2, values_only=True))
    # The rule in words, not its code (issue 14, item 8).
    assert [(r[0], r[4], r[5]) for r in rows] == [(school.npsn, "Kesalahan", "Komposisi per jenjang")]


def test_exports_keep_a_constant_number_of_queries(client, cohort, phases, verifikator):
    def queries():
        counts = []
        for url in (
            reverse("rosters:roster_xlsx"),
            reverse("rosters:roster_findings_xlsx"),
            reverse("rosters:roster_pdf", args=[phases[0].pk]),
            reverse("rosters:roster_counts"),
            reverse("rosters:roster_allocate"),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    def add(n):
        for _ in range(n):
            committee = approve_all(good_committee(cohort, submit=True))
            tahap_assign(committee=committee, phase=phases[0], actor=None)

    add(1)
    queries()  # warms the ContentType cache of the personal-data audit entries
    before = queries()
    phases[0].capacity = 10
    phases[0].save()
    add(3)
    assert queries() == before


def test_operator_corrects_a_returned_committee_and_resubmits_it(client, cohort):
    from core.models import AuditEntry
    from rosters.services import committee_return, committee_save

    school, principal = make_penggerak(cohort)
    members = sd_members(principal)
    committee = committee_save(school=school, cohort=cohort, members=members[:3], actor=None, submit=True)
    committee_return(committee=committee, actor=None, level=1, reason="Pengawas belum diisi")
    lampung = good_committee(cohort, regency="18.71")
    client.force_login(user_in(G.OPERATOR_DINAS, provinces=["14"]))
    assert client.get(reverse("rosters:roster_edit", args=[lampung.pk])).status_code == 404
    form = client.get(reverse("rosters:roster_edit", args=[committee.pk]))
    html = form.content.decode()
    # An Operator Dinas sees identifiers masked everywhere, this form included (finding 3 of issue 12).
    assert form.status_code == 200 and members[1].nik not in html and mask_nik(members[1].nik) in html
    assert not AuditEntry.objects.filter(action="personal_data.viewed").exists()
    saved = list(committee.members.order_by("order", "pk"))
    data = {"school": school.pk, "submit": "on", "members-TOTAL_FORMS": "6", "members-INITIAL_FORMS": "3"}
    for index, member in enumerate(members):
        for name in ("full_name", "position", "class_taught", "nik"):
            data[f"members-{index}-{name}"] = getattr(member, name)
    for index, member in enumerate(saved):  # the saved members come back as the form showed them: masked
        data[f"members-{index}-ref"] = str(member.pk)
        data[f"members-{index}-nik"] = mask_nik(member.person.nik)
    response = client.post(reverse("rosters:roster_edit", args=[committee.pk]), data)
    assert response.status_code == 302
    kept = {m.person.nik for m in committee.members.select_related("person")}
    assert kept == {m.nik for m in members} and not any("*" in nik for nik in kept)
    committee.refresh_from_db()
    assert committee.status == "submitted" and committee.error_count == 0 and committee.return_reason == ""
    assert AuditEntry.objects.filter(
        action="committee.submitted", object_id=str(committee.pk), from_state="returned"
    ).exists()


def test_the_old_admin_addresses_of_the_roster_models_lead_to_their_new_app(client, cohort, superuser):
    committee = good_committee(cohort)
    client.force_login(superuser)
    old = f"/admin/participants/committee/{committee.pk}/change/?_changelist_filters=status%3Ddraft"
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == f"/admin/rosters/committee/{committee.pk}/change/?_changelist_filters=status%3Ddraft"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/admin/participants/compositionrule/")["Location"] == "/admin/rosters/compositionrule/"


def _pdf_words(response) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())


def test_the_roster_pdf_has_place_date_signature_blocks_and_page_x_of_y(client, cohort, phases):
    committee = approve_all(good_committee(cohort, submit=True))
    tahap_assign(committee=committee, phase=phases[0], actor=None)
    url = reverse("rosters:roster_pdf", args=[phases[0].pk])
    with override("id"):
        today = date_format(timezone.localdate(), "j F Y")
    kepala = committee.members.get(position="kepala_sekolah").person

    verifier = user_in(G.VERIFIKATOR, provinces=["14"])
    verifier.first_name, verifier.last_name = "Siti", "Verifikasi"
    verifier.save()
    client.force_login(verifier)
    text = _pdf_words(client.get(url))
    # The verifikator's copy: place and date, its office and its name, the NIP line to fill in by hand.
    assert f"Karanganyar, {today}" in text and "Verifikator Komite Pembelajaran Siti Verifikasi NIP." in text
    assert "Kepala Dinas" not in text and "Halaman 1 dari 1" in text
    # Full NIKs, whole on their line, and the view on record.
    assert f"NIK {kepala.nik}" in text
    assert AuditEntry.objects.filter(action="personal_data.viewed", actor=verifier, data__where="roster_pdf").exists()

    operator = user_in(G.OPERATOR_DINAS, provinces=["14"])
    client.force_login(operator)
    response = client.get(url)
    # The Operator's copy: acknowledged by the Dinas head, NIKs masked.
    assert response.status_code == 200
    text = _pdf_words(response)
    assert "Mengetahui, Kepala Dinas Pendidikan" in text and "Verifikator Komite Pembelajaran" in text
    assert kepala.nik not in text and f"NIK {mask_nik(kepala.nik)}" in text
