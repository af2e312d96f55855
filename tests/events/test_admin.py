import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import Attendance
from core.audit import record
from events.groups import GROUP_PERMISSIONS
from events.models import Agency, AgencyType, Event, EventSite, Province, Regency, Role, Session, SiteQuota, Venue
from participants.models import School
from tests.factories import register


def changelist_urls():
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]


_batch = iter(range(1000))


def add_rows(event: Event, count: int) -> None:
    """More of everything the changelists show: venues, sites, sessions, quotas, agencies, people."""
    batch = next(_batch)
    regency = Regency.objects.get(code="52.01")
    agency_type = AgencyType.objects.get(code="DINAS_KABKOTA")
    roles = list(Role.objects.filter(program=event.program)[:3])
    for i in range(batch * 100, batch * 100 + count):
        Agency.objects.create(type=agency_type, name=f"Dinas Tambahan {i}", province=regency.province, regency=regency)
        venue = Venue.objects.create(name=f"Aula {i}", regency=regency)
        site = EventSite.objects.create(
            event=event, name=f"Site {i}", venue=venue, start_date=event.start_date, end_date=event.end_date
        )
        for role in roles:
            SiteQuota.objects.create(site=site, role=role, target=3)
        start = dt.datetime.combine(event.start_date, dt.time(8), tzinfo=ZoneInfo("Asia/Makassar"))
        session = Session.objects.create(
            site=site, name="Hari 1", starts_at=start, ends_at=start + dt.timedelta(hours=1)
        )
        registration = register(site, roles[0].code)
        Attendance.objects.create(registration=registration, session=session, checked_in_at=start, method="paper")
        School.objects.create(npsn=f"5020{i:04d}", name=f"SDN {i} Gerung", level="SD", regency=regency)
        record(actor=None, action="test.row", target=registration)


def test_every_changelist_opens_for_a_superuser(client, superuser, demo):
    client.force_login(superuser)
    for url in changelist_urls():
        response = client.get(url)
        assert response.status_code == 200, url


def test_changelists_do_not_grow_queries_with_rows(client, superuser, lokakarya):
    client.force_login(superuser)
    urls = changelist_urls()
    add_rows(lokakarya, 2)
    for url in urls:
        client.get(url)
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        before[url] = len(queries)
    add_rows(lokakarya, 5)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == before[url], url


def test_change_pages_open(client, superuser, lokakarya):
    client.force_login(superuser)
    site = lokakarya.sites.get(name="Kab. Bima")
    assert client.get(reverse("admin:events_event_change", args=[lokakarya.pk])).status_code == 200
    response = client.get(reverse("admin:events_eventsite_change", args=[site.pk]))
    assert response.status_code == 200
    # Session times are shown in the site's own zone (WITA), not the server's WIB.
    assert 'value="08.00.00"' in response.content.decode()
    assert "WITA" in response.content.decode()


def test_admin_refuses_site_dates_outside_the_event(client, superuser, lokakarya):
    client.force_login(superuser)
    venue = Venue.objects.get(name="SMPN 3 Woha")
    response = client.post(
        reverse("admin:events_eventsite_add"),
        {
            "event": lokakarya.pk,
            "name": "Salah tanggal",
            "order": 9,
            "venue": venue.pk,
            "start_date": "2022-10-14",
            "end_date": "2022-10-16",
            "quotas-TOTAL_FORMS": 0,
            "quotas-INITIAL_FORMS": 0,
            "sessions-TOTAL_FORMS": 0,
            "sessions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Tanggal site harus berada dalam rentang tanggal kegiatan" in response.content.decode()
    assert not EventSite.objects.filter(name="Salah tanggal").exists()


def test_impossible_data_is_refused(lokakarya):
    site = lokakarya.sites.first()
    start = dt.datetime(2022, 10, 15, 8, tzinfo=ZoneInfo("Asia/Makassar"))
    with pytest.raises(ValidationError) as error:
        Session(site=site, name="X", starts_at=start, ends_at=start - dt.timedelta(hours=1)).full_clean()
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        SiteQuota(
            site=site, role=Role.objects.get(program=lokakarya.program, code="FASILITATOR"), target=-1
        ).full_clean()
    assert "target" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Regency(code="53.99", province=Province.objects.get(code="52"), name="X", kind="kota").full_clean()
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Agency(
            type=AgencyType.objects.get(code="DINAS_KABKOTA"),
            name="Dinas X",
            province=Province.objects.get(code="52"),
            regency=Regency.objects.get(code="53.71"),
        ).full_clean()
    assert "regency" in error.value.message_dict
    other_program_role = Role.objects.exclude(program=lokakarya.program).first()
    with pytest.raises(ValidationError) as error:
        SiteQuota(site=site, role=other_program_role, target=1).full_clean()
    assert "role" in error.value.message_dict


def test_groups_exist_with_their_permissions(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert names >= set(GROUP_PERMISSIONS)
    pejabat = Group.objects.get(name="Pejabat")
    codenames = set(pejabat.permissions.values_list("codename", flat=True))
    assert "view_event" in codenames
    assert not any(c.startswith(("add_", "change_", "delete_")) for c in codenames)
    assert Group.objects.get(name="Admin pusat").permissions.filter(codename="change_event").exists()


def test_staff_without_permission_cannot_open_admin_pages(client, django_user_model, lokakarya):
    user = django_user_model.objects.create_user("pejabat", password="pw-xyz-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Pejabat"))
    client.force_login(user)
    assert client.get(reverse("admin:events_event_changelist")).status_code == 200
    assert client.get(reverse("admin:events_event_add")).status_code == 403
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 403
