"""The admin site in the access matrix: every registered model × changelist, add page, change page of
one object × every group and anonymous, plus a refused delete where the group may not delete.

Expected outcomes come from the group's model permissions (user.has_perm) and the ModelAdmin's own
add/delete refusals (service-only writes); the scope is checked independently: a registration, person,
attendance or committee of Riau is never shown to a user scoped to NTB (Kab. Bima).
"""

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from attendance.models import Attendance
from events import groups as G
from outcomes.admin import CentralReadOnlyAdmin
from participants.models import Person, Registration
from rosters.models import Committee
from tests.factories import attend, register
from tests.rosters.conftest import good_committee

pytestmark = pytest.mark.django_db
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, G.ADMIN_PUSAT, G.PANITIA, G.KOORDINATOR_SITE, G.VERIFIKATOR, G.OPERATOR_DINAS, G.PEJABAT]
SCOPED = (Registration, Person, Attendance, Committee)


@pytest.fixture
def users(users_by_group):
    return users_by_group


@pytest.fixture
def outside(rakor):
    """Objects of Riau (province 14): outside the scope of every NTB user above."""
    site = rakor.sites.get(name="Regional Solo")
    registration = register(site, "DINAS_PROV", province_code="14", name="Peserta Riau Rahasia")
    session = site.sessions.order_by("starts_at").first()
    objects = {Registration: registration, Person: registration.person}
    if session is not None:
        objects[Attendance] = attend(registration, session)
    objects[Committee] = good_committee(rakor.cohort, regency="14.71")
    return objects


def _object_for(model, outside):
    return outside.get(model) or model._default_manager.order_by("pk").first()


def _request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _perm(user, model, action) -> bool:
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


def test_admin_access_matrix(client, users, outside):
    mismatches, checked = [], 0
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        meta = model._meta
        obj = _object_for(model, outside)
        pages = {
            "changelist": reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
            "add": reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
        }
        if obj is not None:
            pages["change"] = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        for role in ROLES:
            user = users[role]
            client.logout()
            if user is not None:
                client.force_login(user)
            for page, url in pages.items():
                if user is None:
                    expected = "login"
                else:
                    sees = _perm(user, model, "view") or _perm(user, model, "change")
                    if isinstance(model_admin, CentralReadOnlyAdmin):  # declared central-only, read-only
                        sees = sees and role == G.ADMIN_PUSAT
                    if page == "changelist":
                        expected = 200 if sees else 403
                    elif page == "add":
                        allowed = _perm(user, model, "add") and model_admin.has_add_permission(_request_for(user))
                        expected = 200 if allowed else 403
                    elif not sees:
                        expected = 403
                    elif model in SCOPED and role != G.ADMIN_PUSAT:
                        expected = "not shown"  # Django's "does not exist" redirect to the admin index
                    else:
                        expected = 200
                with transaction.atomic():
                    response = client.get(url)
                    transaction.set_rollback(True)
                checked += 1
                got = _outcome(response)
                if got != expected:
                    mismatches.append(f"{role} {page} {meta.label}: {got}, expected {expected}")
                if page == "change" and model in SCOPED and expected != 200 and response.status_code == 200:
                    mismatches.append(f"LEAK {role} sees {meta.label} {obj.pk}")
            # A delete POST from a group that may not delete is refused, and the object stays.
            if obj is not None and user is None:
                url = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
                response = client.post(url, {"post": "yes"})
                checked += 1
                if _outcome(response) != "login" or not model._default_manager.filter(pk=obj.pk).exists():
                    mismatches.append(f"anonymous delete {meta.label}: {response.status_code}")
            if obj is not None and user is not None:
                may_delete = _perm(user, model, "delete") and model_admin.has_delete_permission(_request_for(user))
                if not may_delete:
                    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
                    response = client.post(url, {"post": "yes"})
                    checked += 1
                    if response.status_code not in (302, 403) or not model._default_manager.filter(pk=obj.pk).exists():
                        mismatches.append(f"{role} delete {meta.label}: {response.status_code}, object kept?")
                    if response.status_code == 302 and response["Location"] != reverse("admin:index"):
                        mismatches.append(f"{role} delete {meta.label}: redirected to {response['Location']}")
    print(f"\nadmin matrix: {len(admin.site._registry)} models, {checked} requests, {len(ROLES)} roles")
    assert not mismatches, "\n".join(mismatches)


def _outcome(response):
    if response.status_code == 302:
        if "/admin/login/" in response["Location"]:
            return "login"
        if response["Location"] == reverse("admin:index"):
            return "not shown"
    return response.status_code


def test_the_riau_objects_exist_and_an_admin_pusat_sees_them(client, users, outside):
    """The control case of the matrix: the out-of-scope objects are real and visible to central users."""
    client.force_login(users[G.ADMIN_PUSAT])
    url = reverse("admin:participants_registration_change", args=[outside[Registration].pk])
    assert "Peserta Riau Rahasia" in client.get(url).content.decode()
    client.force_login(users[G.VERIFIKATOR])
    response = client.get(url)
    assert response.status_code == 302 and "Peserta Riau Rahasia" not in response.content.decode()
    listing = client.get(reverse("admin:participants_registration_changelist")).content.decode()
    assert "Peserta Riau Rahasia" not in listing
