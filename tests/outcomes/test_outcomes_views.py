"""Screens of the matrix and the rencana aksi: scope, the delegation link, exports read back."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import AuditEntry
from events.models import AgencyType, Province
from outcomes import services
from outcomes.models import ActionPlan, ActionPlanItem, ResponsibilityMatrix
from tests.factories import user_in


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def panitia(rakor):
    return user_in("Panitia", organized=[rakor])


def test_panitia_builds_and_agrees_the_matrix_on_one_screen(client, rakor, panitia):
    client.force_login(panitia)
    url = reverse("outcomes:matrix_edit", kwargs={"event_id": rakor.pk})
    public = reverse("outcomes:matrix_public", kwargs={"slug": rakor.slug})
    assert "Create the matrix" in client.get(url).content.decode() or client.get(url).status_code == 200
    types = AgencyType.objects.filter(code__in=["LPPKSPS", "LPMP"]).order_by("code")
    assert client.post(url, {"agency_types": [t.pk for t in types]}).status_code == 302
    matrix = ResponsibilityMatrix.objects.get(event=rakor)
    lpmp, lppksps = [c.pk for c in matrix.columns.order_by("agency_type__code")]
    response = client.post(
        url,
        {
            "action": "save",
            "title-n0": "Sosialisasi program",
            f"cell-n0-{lppksps}": "Menyiapkan narasumber",
            f"cell-n0-{lpmp}": "Mendampingi sosialisasi",
            "title-n1": "",
        },
    )
    assert response.status_code == 302
    assert client.get(public).status_code == 404  # draft: not shown to participants
    assert client.post(url, {"action": "agree", "note": "Pleno regional"}).status_code == 302
    matrix.refresh_from_db()
    assert (matrix.status, matrix.agreed_by) == ("agreed", panitia)

    client.logout()
    page = client.get(public)
    assert page.status_code == 200
    assert "Menyiapkan narasumber" in page.content.decode()
    public_pdf = client.get(reverse("outcomes:matrix_public_pdf", kwargs={"slug": rakor.slug}))
    assert "Menyiapkan narasumber" in pdf_text(public_pdf.content)

    client.force_login(panitia)
    pdf = client.get(reverse("outcomes:matrix_pdf", kwargs={"event_id": rakor.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "PERAN DAN TANGGUNG JAWAB" in text
    assert "Sosialisasi program" in text and "Mendampingi sosialisasi" in text
    assert "Disepakati" in text or "Agreed" in text


def test_matrix_screens_are_scoped(client, rakor, lokakarya):
    other_panitia = user_in("Panitia", organized=[lokakarya])
    client.force_login(other_panitia)
    assert client.get(reverse("outcomes:matrix_edit", kwargs={"event_id": rakor.pk})).status_code == 404
    assert client.get(reverse("outcomes:matrix_pdf", kwargs={"event_id": rakor.pk})).status_code == 404
    verifikator = user_in("Verifikator", provinces=["14"])
    client.force_login(verifikator)
    assert client.get(reverse("outcomes:matrix_edit", kwargs={"event_id": rakor.pk})).status_code == 403
    client.logout()
    login = client.get(reverse("outcomes:matrix_edit", kwargs={"event_id": rakor.pk}))
    assert login.status_code == 302 and "/masuk/" in login["Location"]


def _plan(rakor, name, code, actor):
    return services.action_plan_create(
        event=rakor, delegation=name, province=Province.objects.get(code=code), actor=actor
    )


def _item_post(**overrides):
    data = {
        "action": "add",
        "activity": "Sosialisasi kepada kepala sekolah",
        "objective": "Semua sekolah paham",
        "start_month": "2021-06",
        "end_month": "2021-07",
        "person_in_charge": "Kabid GTK",
        "responsible_agency": "Dinas Pendidikan Provinsi Riau",
    }
    data.update(overrides)
    return data


def test_delegation_edits_only_its_own_plan_through_its_link(client, rakor, panitia):
    riau = _plan(rakor, "Provinsi Riau", "14", panitia)
    lampung = _plan(rakor, "Provinsi Lampung", "18", panitia)
    theirs = services.action_plan_item_save(
        plan=lampung,
        data=services.ItemData(activity="Rapat", start_month=dt.date(2021, 6, 1), end_month=dt.date(2021, 6, 1)),
        actor=panitia,
    )
    url = reverse("outcomes:plan_edit_by_link", kwargs={"token": riau.edit_token})

    assert client.post(url, _item_post()).status_code == 302
    item = riau.items.get()
    assert (item.activity, item.start_month, item.end_month) == (
        "Sosialisasi kepada kepala sekolah",
        dt.date(2021, 6, 1),
        dt.date(2021, 7, 1),
    )
    entry = AuditEntry.objects.get(action="action_plan.item_added", object_id=str(item.pk))
    assert (entry.actor, entry.data["via"]) == (None, "delegation link")

    # Another delegation's item through this link: 404, nothing changes.
    for action in ("change", "delete", "follow_up"):
        assert client.post(url, {**_item_post(action=action), "item": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.activity == "Rapat"

    follow = {
        "action": "follow_up",
        "item": item.pk,
        f"follow{item.pk}-status": "done",
        f"follow{item.pk}-note": "Selesai",
    }
    assert client.post(url, follow).status_code == 302
    item.refresh_from_db()
    assert item.status == "done"

    # Bad input: a clear message next to the field, the input kept.
    page = client.post(url, _item_post(activity="Pendampingan", start_month="2021-09", end_month="2021-08"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="Pendampingan"' in html
    assert "cannot end before it starts" in html or "tidak dapat berakhir" in html
    assert riau.items.count() == 1

    assert client.get(reverse("outcomes:plan_edit_by_link", kwargs={"token": "x" * 32})).status_code == 404

    # A regenerated link revokes the old one.
    client.force_login(panitia)
    regenerate = reverse("outcomes:plan_regenerate_link", kwargs={"plan_id": riau.pk})
    assert client.post(regenerate).status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    riau.refresh_from_db()
    assert client.get(reverse("outcomes:plan_edit_by_link", kwargs={"token": riau.edit_token})).status_code == 200


def test_staff_plan_pages_scoped_and_audited(client, rakor, lokakarya, panitia):
    riau = _plan(rakor, "Provinsi Riau", "14", panitia)
    client.force_login(panitia)
    edit = reverse("outcomes:plan_edit", kwargs={"plan_id": riau.pk})
    assert client.post(edit, _item_post()).status_code == 302
    item = riau.items.get()
    change = {
        "action": "change",
        "item": item.pk,
        **{f"item{item.pk}-{k}": v for k, v in _item_post(activity="Sosialisasi terpadu").items() if k != "action"},
    }
    assert client.post(edit, change).status_code == 302
    item.refresh_from_db()
    assert item.activity == "Sosialisasi terpadu"
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ActionPlanItem), action="action_plan.item_changed"
    ).get()
    assert entry.actor == panitia and entry.data["changes"]["activity"][1] == "Sosialisasi terpadu"

    other = user_in("Panitia", organized=[lokakarya])
    client.force_login(other)
    for name in ("plan_edit", "plan_present", "plan_pdf"):
        assert client.get(reverse(f"outcomes:{name}", kwargs={"plan_id": riau.pk})).status_code == 404
    assert client.get(reverse("outcomes:plan_board", kwargs={"event_id": rakor.pk})).status_code == 404
    assert client.get(reverse("outcomes:plan_xlsx", kwargs={"event_id": rakor.pk})).status_code == 404


def test_board_create_presentation_and_exports(client, rakor, panitia):
    client.force_login(panitia)
    board = reverse("outcomes:plan_board", kwargs={"event_id": rakor.pk})
    riau = Province.objects.get(code="14")
    assert client.post(board, {"delegation": "Provinsi Riau", "province": riau.pk}).status_code == 302
    duplicate = client.post(board, {"delegation": "Provinsi Riau"})
    assert duplicate.status_code == 200 and ActionPlan.objects.count() == 1
    plan = ActionPlan.objects.get()
    services.action_plan_item_save(
        plan=plan,
        data=services.ItemData(
            activity="Verifikasi data Komite Pembelajaran",
            objective="100% tervalidasi",
            start_month=dt.date(2021, 6, 1),
            end_month=dt.date(2021, 8, 1),
            person_in_charge="=Kasi Kurikulum",
            responsible_agency="Dinas Pendidikan Provinsi Riau",
        ),
        actor=panitia,
    )
    page = client.get(board).content.decode()
    assert "Provinsi Riau" in page and "Verifikasi data Komite Pembelajaran" in page
    present = client.get(reverse("outcomes:plan_present", kwargs={"plan_id": plan.pk}))
    assert present.status_code == 200 and "Verifikasi data Komite Pembelajaran" in present.content.decode()

    text = pdf_text(client.get(reverse("outcomes:plan_pdf", kwargs={"plan_id": plan.pk})).content)
    assert "RENCANA AKSI" in text and "Provinsi Riau" in text and "Jun 2021 – Agu 2021" in text

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("outcomes:plan_xlsx", kwargs={"event_id": rakor.pk})).content)
    )
    sheet = workbook.active
    row = [cell.value for cell in sheet[2]]
    assert row[:6] == [
        "Provinsi Riau",
        riau.name,
        1,
        "Verifikasi data Komite Pembelajaran",
        "100% tervalidasi",
        "2021-06",
    ]
    assert row[7] == "'=Kasi Kurikulum"  # neutralised: Excel will not run it as a formula


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_board_and_export_keep_a_constant_query_count(client, rakor, panitia):
    client.force_login(panitia)
    board = reverse("outcomes:plan_board", kwargs={"event_id": rakor.pk})
    export = reverse("outcomes:plan_xlsx", kwargs={"event_id": rakor.pk})

    def add_plans(codes):
        for code in codes:
            plan = _plan(rakor, f"Provinsi {code}", code, panitia)
            for month in (6, 7):
                item = services.action_plan_item_save(
                    plan=plan,
                    data=services.ItemData(
                        activity=f"Kegiatan {month}",
                        start_month=dt.date(2021, month, 1),
                        end_month=dt.date(2021, month, 1),
                    ),
                    actor=panitia,
                )
                services.action_plan_item_follow_up(plan=plan, item=item, status="done", note="ok", actor=panitia)

    add_plans(["14", "18"])
    small = (_count(client, board), _count(client, export))
    add_plans(["19", "21", "81", "82"])
    assert (_count(client, board), _count(client, export)) == small


def test_every_outcomes_page_renders_with_the_demo(client, rakor, lokakarya, settings, tmp_path):
    from outcomes import demo as outcomes

    settings.MEDIA_ROOT = tmp_path
    outcomes.load()
    panitia = user_in("Panitia", organized=[rakor, lokakarya])
    client.force_login(panitia)
    plan = ActionPlan.objects.filter(event=rakor).first()
    urls = [
        reverse("reports:dashboard"),
        reverse("reports:dashboard_event", kwargs={"event_id": rakor.pk}),
        reverse("outcomes:matrix_index"),
        reverse("outcomes:matrix_edit", kwargs={"event_id": rakor.pk}),
        reverse("outcomes:matrix_edit", kwargs={"event_id": lokakarya.pk}),
        reverse("outcomes:plan_index"),
        reverse("outcomes:plan_board", kwargs={"event_id": rakor.pk}),
        reverse("outcomes:plan_edit", kwargs={"plan_id": plan.pk}),
        reverse("outcomes:plan_present", kwargs={"plan_id": plan.pk}),
        reverse("outcomes:practice_moderate", kwargs={"event_id": lokakarya.pk}),
        reverse("outcomes:practice_submit", kwargs={"slug": lokakarya.slug}),
        reverse("outcomes:practice_gallery", kwargs={"slug": lokakarya.slug}),
        reverse("outcomes:matrix_public", kwargs={"slug": rakor.slug}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    nav = client.get(reverse("reports:dashboard")).content.decode()
    assert "Dasbor" in nav and "Rencana aksi" in nav and "Peran &" in nav and "tanggung jawab" in nav
    public = client.get(reverse("outcomes:matrix_public", kwargs={"slug": rakor.slug})).content.decode()
    assert "Pendataan Komite Pembelajaran" in public and "BP PAUD Dikmas" in public
    board = client.get(reverse("outcomes:plan_board", kwargs={"event_id": rakor.pk})).content.decode()
    assert board.count('class="card h-100"') == 7
