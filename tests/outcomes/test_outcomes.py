"""The responsibility matrix and the action plans (rencana aksi): services, audit entries."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from core.models import AuditEntry
from events.models import AgencyType, Province
from outcomes import services
from outcomes.models import ActionPlan, ActionPlanItem, ResponsibilityCell, ResponsibilityMatrix


def _entries(obj):
    return list(
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)).order_by(
            "id"
        )
    )


@pytest.fixture
def matrix(rakor, superuser):
    types = [AgencyType.objects.get(code=code) for code in ("LPPKSPS", "DINAS_PROV", "LPMP", "BP_PAUD_DIKMAS")]
    return services.matrix_create(event=rakor, agency_types=types, actor=superuser)


def test_matrix_edit_agree_and_back_to_draft(matrix, superuser):
    columns = list(matrix.columns.order_by("order"))
    assert [c.agency_type.code for c in columns] == ["LPPKSPS", "DINAS_PROV", "LPMP", "BP_PAUD_DIKMAS"]
    services.matrix_save(
        matrix=matrix,
        rows=[
            services.MatrixRow(title="Sosialisasi program", cells={columns[0].pk: "Menyiapkan bahan"}),
            services.MatrixRow(title="  ", cells={}),  # an empty new row is ignored
        ],
        actor=superuser,
    )
    responsibility = matrix.responsibilities.get()
    assert responsibility.title == "Sosialisasi program"
    assert ResponsibilityCell.objects.get().text == "Menyiapkan bahan"

    services.matrix_agree(matrix=matrix, actor=superuser, note="Pleno")
    matrix.refresh_from_db()
    assert (matrix.status, matrix.agreed_by, matrix.agreed_note) == ("agreed", superuser, "Pleno")
    assert matrix.agreed_at is not None
    with pytest.raises(services.OutcomeError):
        services.matrix_agree(matrix=matrix, actor=superuser)

    # Saving without a change keeps the agreement; a change turns it back into a draft.
    same = [
        services.MatrixRow(id=responsibility.pk, title="Sosialisasi program", cells={columns[0].pk: "Menyiapkan bahan"})
    ]
    services.matrix_save(matrix=matrix, rows=same, actor=superuser)
    matrix.refresh_from_db()
    assert matrix.status == "agreed"
    changed = [services.MatrixRow(id=responsibility.pk, title="Sosialisasi", cells={columns[1].pk: "Undangan"})]
    services.matrix_save(matrix=matrix, rows=changed, actor=superuser)
    matrix.refresh_from_db()
    assert (matrix.status, matrix.agreed_at) == ("draft", None)
    assert [(e.action, e.from_state, e.to_state) for e in _entries(matrix)] == [
        ("matrix.created", "", "draft"),
        ("matrix.edited", "draft", "draft"),
        ("matrix.agreed", "draft", "agreed"),
        ("matrix.edited", "agreed", "draft"),
    ]
    assert all(e.actor == superuser for e in _entries(matrix))


def test_matrix_refuses_foreign_rows_and_cells_without_a_title(matrix, rakor, lokakarya, superuser):
    other = services.matrix_create(event=lokakarya, agency_types=[AgencyType.objects.get(code="BGP")], actor=superuser)
    services.matrix_save(matrix=other, rows=[services.MatrixRow(title="X")], actor=superuser)
    foreign = other.responsibilities.get()
    with pytest.raises(services.OutcomeError):
        services.matrix_save(matrix=matrix, rows=[services.MatrixRow(id=foreign.pk, title="Y")], actor=superuser)
    with pytest.raises(services.OutcomeError):
        services.matrix_save(
            matrix=matrix, rows=[services.MatrixRow(title="Z", cells={other.columns.get().pk: "t"})], actor=superuser
        )
    with pytest.raises(services.OutcomeError) as refused:
        services.matrix_save(
            matrix=matrix, rows=[services.MatrixRow(title="", cells={matrix.columns.first().pk: "t"})], actor=superuser
        )
    assert refused.value.field == "title"
    assert foreign.title == "X" and not matrix.responsibilities.exists()
    with pytest.raises(services.OutcomeError):
        services.matrix_agree(matrix=matrix, actor=superuser)  # nothing to agree on
    with pytest.raises(services.OutcomeError):
        services.matrix_create(event=rakor, agency_types=[AgencyType.objects.get(code="BGP")], actor=superuser)


def _item(**overrides):
    values = {
        "activity": "Sosialisasi",
        "start_month": dt.date(2021, 6, 15),
        "end_month": dt.date(2021, 7, 1),
        "objective": "100% sekolah",
        "person_in_charge": "Kabid GTK",
        "responsible_agency": "Dinas Pendidikan Provinsi",
    }
    values.update(overrides)
    return services.ItemData(**values)


def test_action_plan_items_follow_ups_and_audit(rakor, superuser):
    riau = Province.objects.get(code="14")
    plan = services.action_plan_create(event=rakor, delegation="Provinsi Riau", province=riau, actor=superuser)
    item = services.action_plan_item_save(plan=plan, data=_item(), actor=superuser)
    assert (item.start_month, item.end_month, item.status) == (dt.date(2021, 6, 1), dt.date(2021, 7, 1), "planned")
    services.action_plan_item_save(
        plan=plan, item=item, data=_item(activity="Sosialisasi sekolah"), actor=None, via_link=True
    )
    item.refresh_from_db()
    assert item.activity == "Sosialisasi sekolah"
    services.action_plan_item_follow_up(
        plan=plan, item=item, status="in_progress", note="Berjalan", actor=None, via_link=True
    )
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert [(f.status, f.note, f.recorded_by) for f in item.follow_ups.all()] == [("in_progress", "Berjalan", None)]

    entries = _entries(item)
    assert [e.action for e in entries] == [
        "action_plan.item_added",
        "action_plan.item_changed",
        "action_plan.item_followed_up",
    ]
    assert entries[0].actor == superuser and "via" not in entries[0].data
    assert entries[1].actor is None and entries[1].data["via"] == "delegation link"
    assert entries[1].data["changes"] == {"activity": ["Sosialisasi", "Sosialisasi sekolah"]}
    assert (entries[2].from_state, entries[2].to_state, entries[2].reason) == ("planned", "in_progress", "Berjalan")

    services.action_plan_item_delete(plan=plan, item=item, actor=None, via_link=True)
    assert not ActionPlanItem.objects.exists()
    assert _entries(plan)[-1].action == "action_plan.item_deleted"
    assert _entries(plan)[-1].data == {"activity": "Sosialisasi sekolah", "via": "delegation link"}


def test_action_plan_guards(rakor, superuser):
    plan = services.action_plan_create(event=rakor, delegation="Provinsi Riau", actor=superuser)
    other = services.action_plan_create(event=rakor, delegation="Provinsi Lampung", actor=superuser)
    theirs = services.action_plan_item_save(plan=other, data=_item(), actor=superuser)
    with pytest.raises(services.OutcomeError):
        services.action_plan_item_save(plan=plan, item=theirs, data=_item(activity="Bukan milik kami"), actor=None)
    with pytest.raises(services.OutcomeError):
        services.action_plan_item_follow_up(plan=plan, item=theirs, status="done", note="", actor=None)
    with pytest.raises(services.OutcomeError):
        services.action_plan_item_delete(plan=plan, item=theirs, actor=None)
    with pytest.raises(services.OutcomeError) as refused:
        services.action_plan_item_save(
            plan=plan, data=_item(start_month=dt.date(2021, 8, 1), end_month=dt.date(2021, 6, 1)), actor=None
        )
    assert refused.value.field == "end_month"
    with pytest.raises(services.OutcomeError):
        services.action_plan_create(event=rakor, delegation="Provinsi Riau", actor=superuser)
    with pytest.raises(services.OutcomeError):
        services.action_plan_item_follow_up(plan=other, item=theirs, status="planned", note=" ", actor=None)
    theirs.refresh_from_db()
    assert theirs.activity == "Sosialisasi"


def test_regenerating_the_link_revokes_the_old_one(rakor, superuser):
    plan = services.action_plan_create(event=rakor, delegation="Provinsi Riau", actor=superuser)
    old = plan.edit_token
    assert len(old) >= 32
    services.action_plan_regenerate_token(plan=plan, actor=superuser)
    assert not ActionPlan.objects.filter(edit_token=old).exists()
    assert _entries(plan)[-1].action == "action_plan.link_regenerated"


def test_demo_loads_matrix_and_seven_plans_idempotently(rakor, lokakarya, settings, tmp_path):
    from outcomes import demo as outcomes

    settings.MEDIA_ROOT = tmp_path
    outcomes.load()
    outcomes.load()
    matrix = ResponsibilityMatrix.objects.get(event=rakor)
    assert matrix.status == "agreed"
    assert [c.title for c in matrix.columns.order_by("order")] == [
        "LPPKSPS",
        "Dinas Pendidikan",
        "LPMP",
        "BP PAUD Dikmas",
    ]
    assert matrix.responsibilities.count() == 5
    plans = ActionPlan.objects.filter(event=rakor)
    assert plans.count() == 7
    assert all(2 <= plan.items.count() <= 3 for plan in plans)
    from outcomes.models import GoodPractice

    assert GoodPractice.objects.filter(status="published").count() == 3
