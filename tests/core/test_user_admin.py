"""The user accounts in the admin (core.admin.AccountAdmin): an Admin pusat manages staff accounts but cannot make
anyone superuser, set another account's password, or touch a superuser's account; a superuser can; every change
is audited without the password (issue 12, finding 8)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from events import groups as G
from tests.factories import user_in

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Sandi-Baru-Rahasia-2026"


@pytest.fixture
def admin_pusat(db):
    return user_in(G.ADMIN_PUSAT, "admin_pusat_satu")


@pytest.fixture
def panitia(db):
    return user_in(G.PANITIA, "panitia_lain")


def change_url(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def password_url(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def change_data(user, **overrides) -> dict:
    """The change form as posted back unchanged, with `overrides` (a superuser's form has every field)."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "user_permissions": [str(pk) for pk in user.user_permissions.values_list("pk", flat=True)],
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def audit_of(user, action):
    return list(AuditEntry.objects.filter(action=action, object_id=str(user.pk)).order_by("pk"))


def test_an_admin_pusat_posting_superuser_for_itself_stays_what_it_was(client, admin_pusat):
    """The attack of the probe: the flags and permissions posted are ignored; the name is saved, and audited."""
    client.force_login(admin_pusat)
    any_permission = Permission.objects.get(codename="delete_user")
    response = client.post(
        change_url(admin_pusat),
        change_data(
            admin_pusat,
            first_name="Nama Baru",
            is_superuser="on",
            is_staff="on",
            user_permissions=[str(any_permission.pk)],
        ),
    )
    assert response.status_code == 302
    admin_pusat.refresh_from_db()
    assert admin_pusat.first_name == "Nama Baru"
    assert not admin_pusat.is_superuser
    assert not admin_pusat.user_permissions.exists()
    [entry] = audit_of(admin_pusat, "user.changed")
    assert entry.actor == admin_pusat and entry.data["fields"] == ["first_name"]


def test_the_change_form_of_an_admin_pusat_has_no_flag_password_or_permission_inputs(client, admin_pusat, panitia):
    client.force_login(admin_pusat)
    page = client.get(change_url(panitia)).content.decode()
    assert 'name="first_name"' in page and 'name="groups"' in page and 'name="is_active"' in page
    for name in ("is_superuser", "is_staff", "user_permissions", "username"):
        assert f'name="{name}"' not in page, name
    assert "../password/" not in page and panitia.password not in page
    assert "Anda hanya dapat memberikan grup yang seluruh izinnya Anda miliki sendiri." in page


def test_an_admin_pusat_cannot_set_another_accounts_password(client, admin_pusat, panitia):
    client.force_login(admin_pusat)
    before = panitia.password
    assert client.get(password_url(panitia)).status_code == 403
    response = client.post(password_url(panitia), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 403
    panitia.refresh_from_db()
    assert panitia.password == before
    # Nor its own here: the account page asks for the current password.
    response = client.post(password_url(admin_pusat), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="user.password").exists()


def test_an_admin_pusat_cannot_touch_a_superusers_account(client, admin_pusat, superuser):
    client.force_login(admin_pusat)
    assert client.get(change_url(superuser)).status_code == 200  # read-only
    panitia_group = Group.objects.get(name=G.PANITIA)
    response = client.post(change_url(superuser), change_data(superuser, groups=[str(panitia_group.pk)], is_active=""))
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active and not superuser.groups.exists()
    assert not audit_of(superuser, "user.changed")


def test_an_admin_pusat_creates_a_staff_account_and_gives_it_a_group(client, admin_pusat):
    client.force_login(admin_pusat)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "panitia_baru", "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    account = User.objects.get(username="panitia_baru")
    assert account.is_staff and not account.is_superuser and account.check_password(NEW_PASSWORD)
    [created] = audit_of(account, "user.created")
    assert created.actor == admin_pusat and "password" in created.data["fields"] and created.data["is_staff"]

    panitia_group = Group.objects.get(name=G.PANITIA)
    response = client.post(
        change_url(account), change_data(account, groups=[str(panitia_group.pk)], email="baru@example.invalid")
    )
    assert response.status_code == 302
    assert list(account.groups.values_list("name", flat=True)) == [G.PANITIA]
    [changed] = audit_of(account, "user.changed")
    assert changed.data == {"fields": ["email", "groups"], "groups_added": [G.PANITIA], "groups_removed": []}
    assert NEW_PASSWORD not in json.dumps([entry.data for entry in AuditEntry.objects.all()])


def test_an_admin_pusat_gives_no_group_holding_more_than_it_has(client, admin_pusat, panitia):
    accounts = Group.objects.create(name="Pengelola akun")
    accounts.permissions.add(Permission.objects.get(codename="delete_user"))
    client.force_login(admin_pusat)
    response = client.post(change_url(panitia), change_data(panitia, groups=[str(accounts.pk)]))
    assert response.status_code == 200 and "groups" in response.context["adminform"].form.errors
    assert not panitia.groups.filter(pk=accounts.pk).exists()
    # An account that already holds such a group is read-only to it.
    panitia.groups.add(accounts)
    response = client.post(change_url(panitia), change_data(panitia, first_name="X"))
    assert response.status_code == 403


def test_a_superuser_can_do_all_of_it_audited(client, superuser, admin_pusat):
    client.force_login(superuser)
    response = client.post(change_url(admin_pusat), change_data(admin_pusat, is_superuser="on"))
    assert response.status_code == 302
    admin_pusat.refresh_from_db()
    assert admin_pusat.is_superuser
    [entry] = audit_of(admin_pusat, "user.changed")
    assert entry.actor == superuser and "is_superuser" in entry.data["fields"]

    response = client.post(
        password_url(admin_pusat), {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    admin_pusat.refresh_from_db()
    assert admin_pusat.check_password(NEW_PASSWORD)
    [entry] = audit_of(admin_pusat, "user.password_set")
    assert entry.actor == superuser and entry.data == {"fields": ["password"]}

    other = get_user_model().objects.create_superuser("root2", "root2@example.invalid", "pw-root-456")
    panitia_group = Group.objects.get(name=G.PANITIA)
    response = client.post(change_url(other), change_data(other, groups=[str(panitia_group.pk)]))
    assert response.status_code == 302
    assert list(other.groups.values_list("name", flat=True)) == [G.PANITIA]
    assert audit_of(other, "user.changed")[0].data["groups_added"] == [G.PANITIA]
    assert NEW_PASSWORD not in json.dumps([entry.data for entry in AuditEntry.objects.all()])


def test_the_group_and_user_forms_show_permissions_in_indonesian_words(client, superuser, panitia):
    """Django stores permission names in English ("Can view registration"); the forms show them in words."""
    client.force_login(superuser)
    group = Group.objects.get(name=G.PANITIA)
    pages = [
        reverse("admin:auth_group_change", args=[group.pk]),
        reverse("admin:auth_user_change", args=[panitia.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Dapat melihat pendaftaran" in html, url
        assert "Boleh melihat NIK dan nomor telepon tanpa sensor" in html, url
        assert "Can view" not in html and "Can add" not in html and "Can see unmasked" not in html, url
