"""The audit log is append-only for the app: read-only admin, a searchable view for Admin pusat only."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.audit_labels import action_label
from core.models import AuditEntry
from tests.factories import user_in


def test_admin_allows_no_add_change_or_delete_even_for_a_superuser(superuser, client):
    model_admin = admin_site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = superuser
    entry = audit.record(actor=superuser, action="test.done", target=superuser, reason="r")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    client.force_login(superuser)
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.fixture
def entries(db, superuser):
    boss = user_in("Admin pusat", "boss")
    for number in range(60):
        audit.record(actor=boss, action="registration.verified", target=boss, reason=f"batch {number}")
    audit.record(actor=superuser, action="event.personal_data_purged", target=superuser, reason="retention date passed")
    return boss


def test_audit_view_filters_and_paginates_with_constant_queries(client, entries, django_assert_max_num_queries):
    client.force_login(entries)
    url = reverse("core:audit_list")
    response = client.get(url)
    assert response.status_code == 200 and len(response.context["page"].object_list) == 50
    # The action in words (core.audit_labels); the filter offers the actions by their words too.
    assert str(action_label("registration.verified")) in response.content.decode()
    assert "<td>registration.verified</td>" not in response.content.decode()

    response = client.get(url, {"action": "event.personal_data_purged"})
    assert [entry.action for entry in response.context["page"]] == ["event.personal_data_purged"]
    response = client.get(url, {"actor": "root", "text": "retention"})
    assert response.context["page"].paginator.count == 1
    response = client.get(url, {"date_to": (timezone.localdate() - dt.timedelta(days=1)).isoformat()})
    assert response.context["page"].paginator.count == 0
    response = client.get(url, {"date_from": "not-a-date"})
    assert response.status_code == 200 and response.context["form"].errors

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url, {"page": 2})
    for number in range(30):
        audit.record(actor=entries, action="more", target=entries, reason=str(number))
    with CaptureQueriesContext(connection) as second:
        client.get(url, {"page": 2})
    assert len(second) == len(first)


@pytest.mark.parametrize("group", ["Panitia", "Verifikator", "Koordinator site", "Operator Dinas", "Pejabat"])
def test_others_get_403_and_no_nav_link(client, db, group):
    client.force_login(user_in(group))
    assert client.get(reverse("core:audit_list")).status_code == 403


def test_nav_link_only_for_admin_pusat(client, db):
    url = reverse("core:audit_list")
    client.force_login(user_in("Admin pusat"))
    assert url in client.get(reverse("events:event_list")).content.decode()
    client.force_login(user_in("Panitia"))
    assert url not in client.get(reverse("events:event_list")).content.decode()


@pytest.mark.django_db
def test_a_state_longer_than_its_column_is_kept_whole_in_the_data(superuser):
    """A photo caption or a piagam citation as the new state: PostgreSQL refuses more than the column holds."""
    caption = "Foto bersama peserta Lokakarya 7 di aula BGP NTB setelah sesi refleksi " * 3
    entry = audit.record(actor=superuser, action="documentation_photo.added", target=superuser, to_state=caption)
    entry.refresh_from_db()
    assert len(entry.to_state) == AuditEntry._meta.get_field("to_state").max_length
    assert entry.to_state.endswith("…") and caption.startswith(entry.to_state[:-1])
    assert entry.data == {"to_text": caption}
    audit.record_many(actor=superuser, action="x.y", targets=[superuser], from_state=caption, to_state="short")
    batch = AuditEntry.objects.filter(action="x.y").get()
    assert batch.to_state == "short" and batch.data == {"from_text": caption} and len(batch.from_state) == 50
