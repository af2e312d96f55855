"""The main pages of each role, over the demo's data: what the accessibility (axe-core) and HTML validity
(Nu checker) tests open (issue 14, item 13). Each role opens the pages of its work that it may open."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from events import groups as G
from events.models import Event
from participants.models import Registration
from rosters.models import Committee
from tests.factories import user_in

ANONYMOUS = "anonymous"
SUPERUSER = "superuser"


def demo_users() -> dict[str, object]:
    """One account of every staff group, scoped to the demo's data (NTB, Kab. Bima, Riau's rosters)."""
    lokakarya = Event.objects.get(slug="lokakarya-7-angkatan-4-ppgp-ntb-2022")
    bima = lokakarya.sites.get(name="Kab. Bima")
    return {
        ANONYMOUS: None,
        G.ADMIN_PUSAT: user_in(G.ADMIN_PUSAT, "a11y_admin"),
        G.PANITIA: user_in(G.PANITIA, "a11y_panitia", organized=list(Event.objects.all())),
        G.KOORDINATOR_SITE: user_in(G.KOORDINATOR_SITE, "a11y_koordinator", sites=[bima]),
        G.VERIFIKATOR: user_in(G.VERIFIKATOR, "a11y_verifikator", provinces=["52", "14"]),
        G.OPERATOR_DINAS: user_in(G.OPERATOR_DINAS, "a11y_operator", provinces=["14"]),
        G.PEJABAT: user_in(G.PEJABAT, "a11y_pejabat", provinces=["52"], events=list(Event.objects.all())),
        SUPERUSER: get_user_model().objects.create_superuser("a11y_root", password="pw-test-12345"),
    }


def main_pages() -> dict[str, list[str]]:
    """{role: [path]}: the public pages for the anonymous visitor; each staff role's own pages."""
    lokakarya = Event.objects.get(slug="lokakarya-7-angkatan-4-ppgp-ntb-2022")
    open_event = next(event for event in Event.objects.all() if event.registration_state() == "open")
    bima = lokakarya.sites.get(name="Kab. Bima")
    session = bima.sessions.order_by("starts_at").first()
    registration = Registration.objects.filter(site=bima).order_by("pk").first()
    committee = Committee.objects.filter(school__regency__province__code="14").order_by("pk").first()
    public = [
        reverse("events:event_list"),
        reverse("events:event_detail", args=[lokakarya.slug]),
        reverse("participants:public_register", args=[open_event.slug, open_event.sites.first().pk]),
        reverse("participants:registration_status"),
        reverse("outcomes:practice_gallery", args=[lokakarya.slug]),
        reverse("login"),
    ]
    registrations = [
        reverse("participants:registration_list"),
        reverse("participants:registration_detail", args=[registration.pk]),
    ]
    checkin = [
        reverse("attendance:checkin_sessions"),
        reverse("attendance:checkin_screen", args=[session.pk]),
        reverse("attendance:held_list"),
    ]
    rosters = [reverse("rosters:roster_list"), reverse("rosters:roster_detail", args=[committee.pk])]
    reports = [reverse("reports:report_events"), reverse("reports:report_index", args=[lokakarya.pk])]
    dashboard = [reverse("reports:dashboard"), reverse("reports:dashboard_event", args=[lokakarya.pk])]
    return {
        ANONYMOUS: public,
        G.ADMIN_PUSAT: [
            *registrations,
            *checkin,
            *rosters,
            *reports,
            *dashboard,
            reverse("core:audit_list"),
            reverse("participants:duplicate_list"),
        ],
        G.PANITIA: [*registrations, *checkin, reverse("participants:registration_new"), *reports, *dashboard],
        G.KOORDINATOR_SITE: [*registrations, *checkin, *reports],
        G.VERIFIKATOR: [*registrations, *rosters, *dashboard],
        G.OPERATOR_DINAS: rosters,
        G.PEJABAT: [*registrations, *reports, *dashboard],
        SUPERUSER: [reverse("admin:index"), reverse("admin:participants_registration_changelist")],
    }
