"""The admin site in the access matrix: every registered model × changelist, add page, change page of
one object × every group and anonymous, plus a refused delete where the group may not delete.

Expected outcomes come from the group's model permissions (user.has_perm), the ModelAdmin's own
add/delete refusals (service-only writes) and the decision taken for each model (DECISIONS, as written in
the admin modules' docstrings); the scope is checked independently: the object of each model is one of
another scope (Riau, the Rakor event and its Regional Solo site) wherever the model has a scope, and no
user scoped to NTB / Kab. Bima / Lokakarya 7 finds it on its change page or in its list. An object of the
users' own scope is shown to them (the scope is not simply empty).
"""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from attendance.models import Attendance
from core.audit import record
from core.models import AuditEntry, ReportDownload
from events import groups as G
from events.models import (
    Agency,
    AgencyType,
    Cohort,
    Event,
    EventSite,
    Program,
    Province,
    Regency,
    Role,
    Session,
    SiteQuota,
    TrainingPhase,
    UserScope,
    Venue,
)
from outcomes.admin import CentralReadOnlyAdmin
from outcomes.models import ActionPlan, ActionPlanFollowUp, ActionPlanItem, ResponsibilityMatrix
from participants.models import Person, Registration, School
from reports.models import Appreciation, Certificate, NumberSeries
from rosters.models import ApprovalLevel, Committee, CompositionRule, SekolahPenggerak
from tests.factories import attend, register, user_in
from tests.rosters.conftest import good_committee

pytestmark = pytest.mark.django_db
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, G.ADMIN_PUSAT, G.PANITIA, G.KOORDINATOR_SITE, G.VERIFIKATOR, G.OPERATOR_DINAS, G.PEJABAT]

# What each registered model shows to whom (the admin modules' docstrings say why):
PUBLIC = "public"  # every group holding the view permission reads every row
SCOPED = "scoped"  # only the rows of the user's scope; central users see all
CENTRAL = "central"  # Admin pusat and superusers only, whatever permissions a scoped group holds
DECISIONS = {
    "attendance.Attendance": SCOPED,
    "auth.Group": CENTRAL,
    "auth.User": CENTRAL,
    "axes.AccessAttempt": CENTRAL,
    "axes.AccessFailureLog": CENTRAL,
    "axes.AccessLog": CENTRAL,
    "core.AuditEntry": CENTRAL,
    "core.ReportDownload": CENTRAL,
    "django_tasks_database.DBTaskResult": CENTRAL,  # the database queue of report jobs (read-only in its admin)
    "events.Agency": PUBLIC,
    "events.AgencyType": PUBLIC,
    "events.Cohort": PUBLIC,
    "events.Event": SCOPED,
    "events.EventSite": SCOPED,
    "events.Program": PUBLIC,
    "events.Province": PUBLIC,
    "events.Regency": PUBLIC,
    "events.Role": PUBLIC,
    "events.Session": SCOPED,
    "events.SiteQuota": SCOPED,
    "events.TrainingPhase": PUBLIC,
    "events.UserScope": CENTRAL,
    "events.Venue": SCOPED,
    "otp_totp.TOTPDevice": CENTRAL,
    "outcomes.ActionPlan": CENTRAL,
    "outcomes.ActionPlanFollowUp": CENTRAL,
    "outcomes.ResponsibilityMatrix": CENTRAL,
    "participants.Person": SCOPED,
    "participants.Registration": SCOPED,
    "participants.School": PUBLIC,
    "reports.Appreciation": SCOPED,
    "reports.Certificate": SCOPED,
    "reports.NumberSeries": SCOPED,
    "rosters.ApprovalLevel": PUBLIC,
    "rosters.Committee": SCOPED,
    "rosters.CompositionRule": PUBLIC,
    "rosters.SekolahPenggerak": SCOPED,
}
# An Operator Dinas reads people only through the registrations of its scope, and it has none.
NOT_SHOWN_IN_SCOPE = {(G.OPERATOR_DINAS, Person)}


@pytest.fixture
def users(users_by_group):
    return users_by_group


@pytest.fixture
def outside(rakor):
    """One object of every registered model, of Riau (province 14), the Rakor event and its Regional Solo site:
    outside the scope of every NTB user above (for a public model, simply a Riau one)."""
    site = rakor.sites.get(name="Regional Solo")
    registration = register(site, "DINAS_PROV", province_code="14", name="Peserta Riau Rahasia")
    session = site.sessions.order_by("starts_at").first()
    committee = good_committee(rakor.cohort, regency="14.71")
    riau_user = user_in(G.VERIFIKATOR, "verifikator_riau_admin", provinces=["14"])
    riau = Province.objects.get(code="14")
    plan = ActionPlan.objects.create(event=rakor, delegation="Provinsi Riau", province=riau)
    item = ActionPlanItem.objects.create(
        plan=plan, activity="Sosialisasi", start_month=dt.date(2021, 6, 1), end_month=dt.date(2021, 7, 1)
    )
    attempt = {"username": "verifikator_riau_admin", "ip_address": "10.14.0.1", "user_agent": "x", "path_info": "/"}
    objects = {
        Registration: registration,
        Person: registration.person,
        Attendance: attend(registration, session),
        Committee: committee,
        SekolahPenggerak: SekolahPenggerak.objects.get(school=committee.school, cohort=committee.cohort),
        Certificate: Certificate.objects.create(
            registration=registration, event=rakor, site=site, sequence=1, number="R/1", token="riau-certificate"
        ),
        Appreciation: Appreciation.objects.create(
            event=rakor, person=registration.person, citation="x", sequence=1, number="R/P/1", token="riau-piagam"
        ),
        NumberSeries: NumberSeries.objects.create(event=rakor, kind="certificate", number_format="{seq}/R"),
        Event: rakor,
        EventSite: site,
        Session: session,
        SiteQuota: SiteQuota.objects.create(site=site, role=registration.role, target=7),
        Venue: Venue.objects.create(name="Hotel Rencana Pekanbaru", regency=Regency.objects.get(code="14.71")),
        UserScope: riau_user.scope,
        get_user_model(): riau_user,
        TOTPDevice: TOTPDevice.objects.create(user=riau_user, name="TOTP", confirmed=True),
        AuditEntry: record(actor=riau_user, action="test.riau", target=registration),
        ReportDownload: ReportDownload.objects.create(user=riau_user, kind="rekap", file_format="pdf"),
        ResponsibilityMatrix: ResponsibilityMatrix.objects.create(event=rakor),
        ActionPlan: plan,
        ActionPlanFollowUp: ActionPlanFollowUp.objects.create(item=item, status="planned", recorded_by=riau_user),
        AccessAttempt: AccessAttempt.objects.create(**attempt, failures_since_start=1),
        AccessLog: AccessLog.objects.create(**attempt),
        AccessFailureLog: AccessFailureLog.objects.create(**attempt),
        # Public master data: a Riau one where the model has a region.
        Province: riau,
        Regency: Regency.objects.get(code="14.71"),
        Agency: Agency.objects.filter(province=riau).first() or Agency.objects.order_by("pk").first(),
        School: committee.school,
        Program: rakor.program,
        Cohort: rakor.cohort,
        Role: registration.role,
        AgencyType: AgencyType.objects.order_by("pk").first(),
        TrainingPhase: TrainingPhase.objects.get_or_create(cohort=rakor.cohort, number=1, defaults={"capacity": 5})[0],
        CompositionRule: CompositionRule.objects.order_by("pk").first(),
        ApprovalLevel: ApprovalLevel.objects.create(
            program=rakor.program, order=1, name="Kabupaten/Kota", group=G.VERIFIKATOR, scope="regency"
        ),
        Group: Group.objects.get(name=G.VERIFIKATOR),
    }
    return {model: obj for model, obj in objects.items() if obj is not None}


@pytest.fixture
def inside(lokakarya, rakor, outside):
    """An object of the users' own scope (NTB, Kab. Bima, Lokakarya 7) for each scoped model."""
    site = lokakarya.sites.get(name="Kab. Bima")
    registration = register(site, "CGP", province_code="52", name="Peserta Bima Terlihat")
    session = site.sessions.order_by("starts_at").first()
    committee = good_committee(rakor.cohort, regency="52.06")
    return {
        Registration: registration,
        Person: registration.person,
        Attendance: attend(registration, session),
        Committee: committee,
        SekolahPenggerak: SekolahPenggerak.objects.get(school=committee.school, cohort=committee.cohort),
        Certificate: Certificate.objects.create(
            registration=registration, event=lokakarya, site=site, sequence=1, number="B/1", token="bima-certificate"
        ),
        Appreciation: Appreciation.objects.create(
            event=lokakarya, person=registration.person, citation="x", sequence=1, number="B/P/1", token="bima-piagam"
        ),
        NumberSeries: NumberSeries.objects.create(event=lokakarya, kind="certificate", number_format="{seq}/B"),
        Event: lokakarya,
        EventSite: site,
        Session: session,
        SiteQuota: site.quotas.order_by("pk").first(),
        Venue: site.venue,
    }


def _object_for(model, outside):
    return outside.get(model) or model._default_manager.order_by("pk").first()


def _request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _perm(user, model, action) -> bool:
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


def _change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_every_registered_model_has_a_decision():
    """A model newly registered in the admin must be decided (public, scoped or central) before it ships."""
    registered = {model._meta.label for model in admin.site._registry}
    undecided, gone = registered - set(DECISIONS), set(DECISIONS) - registered
    assert not undecided and not gone, f"undecided: {undecided}, no longer registered: {gone}"
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, CentralReadOnlyAdmin):
            assert DECISIONS[model._meta.label] == CENTRAL


def test_admin_access_matrix(client, users, outside, inside):
    mismatches, checked = [], 0
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        meta = model._meta
        decision = DECISIONS[meta.label]
        obj = _object_for(model, outside)
        pages = {
            "changelist": reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
            "add": reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
        }
        if obj is not None:
            pages["change"] = _change_url(obj)
        own = inside.get(model) if decision == SCOPED else None
        if own is not None:
            pages["own"] = _change_url(own)
        for role in ROLES:
            user = users[role]
            client.logout()
            if user is not None:
                client.force_login(user)
            central = role == G.ADMIN_PUSAT
            for page, url in pages.items():
                if user is None:
                    expected = "login"
                else:
                    sees = _perm(user, model, "view") or _perm(user, model, "change")
                    if decision == CENTRAL:
                        sees = sees and central
                    if page == "changelist":
                        expected = 200 if sees else 403
                    elif page == "add":
                        allowed = _perm(user, model, "add") and model_admin.has_add_permission(_request_for(user))
                        expected = 200 if allowed else 403
                    elif not sees:
                        expected = 403
                    elif page == "change" and decision == SCOPED and not central:
                        expected = "not shown"  # Django's "does not exist" redirect to the admin index
                    elif page == "own" and (role, model) in NOT_SHOWN_IN_SCOPE:
                        expected = "not shown"
                    else:
                        expected = 200
                with transaction.atomic():
                    response = client.get(url)
                    transaction.set_rollback(True)
                checked += 1
                got = _outcome(response)
                if got != expected:
                    mismatches.append(f"{role} {page} {meta.label}: {got}, expected {expected}")
                if page == "change" and decision == SCOPED and expected != 200 and response.status_code == 200:
                    mismatches.append(f"LEAK {role} sees {meta.label} {obj.pk}")
                if page == "changelist" and got == 200 and decision == SCOPED and not central:
                    mismatches.extend(_list_leaks(role, model_admin, user, response, obj, own))
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


def _list_leaks(role, model_admin, user, response, outside_obj, own_obj) -> list[str]:
    """The list of a scoped user links to no object of another scope (nor has it on a later page), and shows
    the object of its own scope."""
    found = []
    label = model_admin.model._meta.label
    listing = response.content.decode()
    if outside_obj is not None:
        if _change_url(outside_obj) in listing:
            found.append(f"LEAK {role} list of {label} links to {outside_obj.pk}")
        if model_admin.get_queryset(_request_for(user)).filter(pk=outside_obj.pk).exists():
            found.append(f"LEAK {role} list of {label} holds {outside_obj.pk}")
    if own_obj is not None and (role, type(own_obj)) not in NOT_SHOWN_IN_SCOPE:
        if _change_url(own_obj) not in listing:
            found.append(f"{role} list of {label} misses its own {own_obj.pk}")
    return found


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


def _session_post(session, *, site, name, day="2022-10-15"):
    return {
        "site": site.pk,
        "name": name,
        "starts_at_0": day,
        "starts_at_1": "09:00:00",
        "ends_at_0": day,
        "ends_at_1": "15:00:00",
    }


def test_a_panitia_cannot_change_a_session_of_an_event_it_does_not_run(client, users, lokakarya, rakor):
    """The attack of the probe: a Panitia of Lokakarya 7 POSTs a change of a Regional Solo (Rakor) session."""
    panitia = users[G.PANITIA]
    solo = rakor.sites.get(name="Regional Solo")
    session = solo.sessions.order_by("starts_at").first()
    before = Session.objects.filter(pk=session.pk).values().get()
    client.force_login(panitia)

    url = reverse("admin:events_session_change", args=[session.pk])
    response = client.post(url, _session_post(session, site=solo, name="Diubah Panitia NTB", day="2021-05-20"))
    assert _outcome(response) == "not shown"
    assert Session.objects.filter(pk=session.pk).values().get() == before

    # Nor by moving a session of its own event to the other event's site, nor by adding one there.
    own = lokakarya.sites.get(name="Kab. Bima").sessions.order_by("starts_at").first()
    own_before = Session.objects.filter(pk=own.pk).values().get()
    response = client.post(
        reverse("admin:events_session_change", args=[own.pk]), _session_post(own, site=solo, name=own.name)
    )
    assert response.status_code == 200 and "site" in response.context["adminform"].form.errors
    assert Session.objects.filter(pk=own.pk).values().get() == own_before
    count = Session.objects.count()
    response = client.post(reverse("admin:events_session_add"), _session_post(own, site=solo, name="Sesi Susupan"))
    assert response.status_code == 200 and "site" in response.context["adminform"].form.errors
    assert Session.objects.count() == count

    # The control: its own event's session it may still set.
    response = client.post(
        reverse("admin:events_session_change", args=[own.pk]),
        _session_post(own, site=own.site, name="Hari 1 (pagi)"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Session.objects.get(pk=own.pk).name == "Hari 1 (pagi)"


def test_scoped_users_see_no_coordinator_or_organizer_names(client, users, lokakarya):
    """User names of organizers and site coordinators stay with the central users, even inside the scope."""
    site = lokakarya.sites.get(name="Kab. Bima")
    coordinator = user_in(G.KOORDINATOR_SITE, "koordinator_kedua_bima", sites=[site]).username
    organizer = user_in(G.PANITIA, "panitia_kedua_ntb", organized=[lokakarya]).username
    for role in (G.PANITIA, G.KOORDINATOR_SITE, G.VERIFIKATOR, G.PEJABAT):
        client.force_login(users[role])
        page = client.get(reverse("admin:events_eventsite_change", args=[site.pk])).content.decode()
        assert "SMPN 3 Woha" in page and coordinator not in page, role
        page = client.get(reverse("admin:events_event_change", args=[lokakarya.pk])).content.decode()
        assert lokakarya.title in page and organizer not in page, role
    client.force_login(users[G.ADMIN_PUSAT])
    assert coordinator in client.get(reverse("admin:events_eventsite_change", args=[site.pk])).content.decode()


def test_a_koordinator_site_reads_its_own_site_of_the_event_only(client, users, lokakarya):
    client.force_login(users[G.KOORDINATOR_SITE])
    page = client.get(reverse("admin:events_event_change", args=[lokakarya.pk])).content.decode()
    assert "SMPN 3 Woha" in page and "SMPN 1 Sikur" not in page
    sikur = lokakarya.sites.get(name="Kab. Lombok Timur")
    assert _outcome(client.get(_change_url(sikur))) == "not shown"


def test_list_filters_name_only_the_events_in_scope(client, users, rakor):
    """The event filter of a list offers the events of the rows shown, not every event's title."""
    client.force_login(users[G.PANITIA])
    for name in ("events_eventsite", "events_session", "events_sitequota", "participants_registration"):
        page = client.get(reverse(f"admin:{name}_changelist")).content.decode()
        assert rakor.title not in page, name


def test_an_event_without_sites_is_seen_by_its_panitia(client, users, lokakarya):
    event = Event.objects.create(
        program=lokakarya.program,
        title="Lokakarya 8 Rencana",
        slug="lokakarya-8-rencana",
        kind=Event.Kind.LOKAKARYA,
        organizer=lokakarya.organizer,
        start_date=dt.date(2023, 1, 10),
        end_date=dt.date(2023, 1, 11),
    )
    event.organizers.add(users[G.PANITIA])
    client.force_login(users[G.PANITIA])
    assert client.get(_change_url(event)).status_code == 200
    client.force_login(users[G.VERIFIKATOR])
    assert _outcome(client.get(_change_url(event))) == "not shown"


def test_view_on_site_tells_no_address_outside_the_central_users(client, users, lokakarya, superuser):
    """admin/r/<content type>/<id>/ redirects to an object's public page: the slug of an event found by its id."""
    event = Event.objects.create(
        program=lokakarya.program,
        title="Lokakarya Rahasia Belum Terbit",
        slug="lokakarya-rahasia-belum-terbit",
        kind=Event.Kind.LOKAKARYA,
        organizer=lokakarya.organizer,
        start_date=dt.date(2023, 1, 10),
        end_date=dt.date(2023, 1, 11),
    )
    url = f"/admin/r/{ContentType.objects.get_for_model(Event).pk}/{event.pk}/"
    for group in (G.PANITIA, G.KOORDINATOR_SITE, G.VERIFIKATOR, G.OPERATOR_DINAS, G.PEJABAT):
        client.force_login(users[group])
        response = client.get(url)
        assert response.status_code == 404 and event.slug not in response.get("Location", ""), group
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 302 and event.slug in response["Location"]
