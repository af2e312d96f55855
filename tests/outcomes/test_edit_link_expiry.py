"""A delegation's edit link expires, can be revoked, and a new one can be made with a chosen last day (security
probe, issue 12, finding 15c). Each attack: an expired or revoked link must write nothing."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from outcomes import services
from outcomes.models import ActionPlan
from tests.factories import user_in

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def panitia(rakor):
    return user_in("Panitia", organized=[rakor])


def item_post() -> dict:
    return {"action": "add", "activity": "Sosialisasi", "start_month": "2021-06", "end_month": "2021-07"}


def link(plan: ActionPlan) -> str:
    return reverse("outcomes:plan_edit_by_link", kwargs={"token": plan.edit_token})


def test_a_new_link_works_90_days_after_the_event_or_after_today_if_later(rakor):
    # rakor ended on 23 May 2021.
    assert services.action_plan_link_default_last_day(event=rakor, today=dt.date(2021, 5, 1)) == dt.date(2021, 8, 21)
    assert services.action_plan_link_default_last_day(event=rakor, today=dt.date(2026, 1, 10)) == dt.date(2026, 4, 10)

    plan = services.action_plan_create(event=rakor, delegation="Provinsi Riau", actor=None)
    expires = timezone.localtime(plan.edit_token_expires_at, WIB)
    assert expires.date() == timezone.localdate() + dt.timedelta(days=90)
    assert (expires.hour, expires.minute) == (23, 59)  # the whole last day, in WIB
    assert plan.edit_link_works(now=expires) and not plan.edit_link_works(now=expires + dt.timedelta(seconds=1))


def test_an_expired_link_shows_a_page_and_writes_nothing(client, rakor):
    plan = services.action_plan_create(event=rakor, delegation="Provinsi Riau", actor=None)
    ActionPlan.objects.filter(pk=plan.pk).update(edit_token_expires_at=timezone.now() - dt.timedelta(minutes=1))
    entries = AuditEntry.objects.count()

    page = client.get(link(plan))
    assert page.status_code == 410
    html = page.content.decode()
    assert "Tautan sunting ini sudah kedaluwarsa" in html and "mintalah tautan baru kepada panitia" in html
    assert 'id="new-item"' not in html and 'name="action"' not in html  # no editor

    posted = client.post(link(plan), item_post())
    assert posted.status_code == 410
    assert not plan.items.exists() and AuditEntry.objects.count() == entries


def test_the_panitia_make_a_new_link_with_a_chosen_last_day(client, rakor, panitia):
    plan = services.action_plan_create(event=rakor, delegation="Provinsi Riau", actor=None)
    old = plan.edit_token
    client.force_login(panitia)
    regenerate = reverse("outcomes:plan_regenerate_link", kwargs={"plan_id": plan.pk})
    last_day = timezone.localdate() + dt.timedelta(days=30)

    assert client.post(regenerate, {"last_day": last_day.isoformat()}).status_code == 302
    plan.refresh_from_db()
    assert plan.edit_token != old and timezone.localtime(plan.edit_token_expires_at, WIB).date() == last_day
    entry = AuditEntry.objects.filter(action="action_plan.link_regenerated").get()
    assert entry.actor == panitia and entry.data == {"link_valid_until": last_day.isoformat()}

    # Out of bounds: refused with a message, the link as it was.
    for day in (timezone.localdate() - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=400)):
        page = client.post(regenerate, {"last_day": day.isoformat()}, follow=True)
        assert "Pilih hari terakhir antara hari ini dan" in page.content.decode()
    assert ActionPlan.objects.get(pk=plan.pk).edit_token == plan.edit_token

    edit = client.get(reverse("outcomes:plan_edit", kwargs={"plan_id": plan.pk})).content.decode()
    assert "Tautan berlaku sampai akhir tanggal" in edit  # Indonesian by default
    client.logout()
    assert client.get(link(plan)).status_code == 200


def test_the_panitia_revoke_a_link_audited_and_the_old_link_stops_at_once(client, rakor, panitia):
    plan = services.action_plan_create(event=rakor, delegation="Provinsi Riau", actor=None)
    url = link(plan)
    assert client.get(url).status_code == 200

    client.force_login(panitia)
    revoke = reverse("outcomes:plan_revoke_link", kwargs={"plan_id": plan.pk})
    assert client.get(revoke).status_code == 405  # a state change is a POST
    assert client.post(revoke).status_code == 302
    plan.refresh_from_db()
    assert plan.edit_token is None and not plan.edit_link_works()
    entry = AuditEntry.objects.filter(action="action_plan.link_revoked").get()
    assert entry.actor == panitia and entry.object_id == str(plan.pk)
    edit = client.get(reverse("outcomes:plan_edit", kwargs={"plan_id": plan.pk})).content.decode()
    assert "Tidak ada tautan sunting" in edit

    client.logout()
    assert client.get(url).status_code == 404
    assert client.post(url, item_post()).status_code == 404 and not plan.items.exists()

    # A panitia of another event cannot revoke it.
    client.force_login(user_in("Panitia"))
    assert client.post(revoke).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_plans_an_expiry_from_their_event_end(rakor):
    before, after = [("outcomes", "0001_initial")], [("outcomes", "0002_action_plan_link_expiry")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        old_apps.get_model("outcomes", "ActionPlan").objects.create(
            event_id=rakor.pk, delegation="Provinsi Riau", edit_token="kunci-lama"
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        plan = ActionPlan.objects.get(edit_token="kunci-lama")
        # 23 May 2021 + 90 days, to the end of that day in WIB: the link of a past event has expired.
        assert timezone.localtime(plan.edit_token_expires_at, WIB).date() == dt.date(2021, 8, 21)
        assert not plan.edit_link_works()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
