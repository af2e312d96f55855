"""The dashboard: figures equal the database's counts, scope, links and a constant query count."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import Attendance
from events.models import EventSite, Role, Session, SiteQuota
from participants.models import Registration, new_registration_code
from participants.services import registration_verify
from reports.dashboard import event_dashboard, list_url, program_overview, roster_section
from tests.factories import register, user_in


def _bars(chart):
    return {bar.label: (bar.value, bar.target) for bar in chart.bars}


def test_lokakarya_targets_total_251_and_per_site(lokakarya, superuser):
    dashboard = event_dashboard(user=superuser, event=lokakarya)
    targets = dashboard.chart("targets")
    assert targets.total_target == 251
    assert _bars(targets) == {"CGP": (0, 165), "PP": (0, 35), "Kepala Sekolah": (0, 36), "Pengawas Sekolah": (0, 15)}
    assert _bars(dashboard.chart("sites")) == {
        "Kab. Lombok Utara": (0, 76),
        "Kab. Lombok Timur": (0, 90),
        "Kab. Bima": (0, 85),
    }
    assert dashboard.target_total == 251


def test_figures_equal_the_database_counts(lokakarya, superuser):
    bima, utara = lokakarya.sites.get(name="Kab. Bima"), lokakarya.sites.get(name="Kab. Lombok Utara")
    regs = [register(bima, "CGP") for _ in range(3)] + [register(utara, "PP"), register(utara, "LAINNYA")]
    registration_verify(registration=regs[0], actor=superuser)
    registration_verify(registration=regs[3], actor=superuser)
    session = bima.sessions.order_by("starts_at").first()
    Attendance.objects.create(
        registration=regs[0], session=session, checked_in_at=session.starts_at, method=Attendance.Method.QR
    )

    dashboard = event_dashboard(user=superuser, event=lokakarya)
    targets = _bars(dashboard.chart("targets"))
    for role_name, (value, _target) in targets.items():
        role = Role.objects.get(program=lokakarya.program, name=role_name)
        expected = Registration.objects.filter(
            event=lokakarya, role=role, status__in=Registration.SEAT_STATUSES
        ).count()
        assert value == expected
    assert targets["CGP"] == (3, 165)
    assert targets["Lainnya"] == (1, None)  # "unsur lainnya": registered, no target
    by_status = dict(zip(Registration.Status.values, dashboard.chart("verification").bars, strict=True))
    for status, bar in by_status.items():
        assert bar.value == Registration.objects.filter(event=lokakarya, status=status).count()
    assert by_status["verified"].value == 2
    assert dashboard.chart("verification").total == Registration.objects.filter(event=lokakarya).count()
    attendance = {bar.label: (bar.value, bar.target) for bar in dashboard.attendance.bars}
    assert sum(value for value, _ in attendance.values()) == Attendance.objects.count() == 1
    bima_first = next(label for label in attendance if label.startswith("Kab. Bima") and "15 Okt" in label)
    assert attendance[bima_first] == (1, 1)  # 1 present of the 1 verified at Bima


def test_site_filter_and_scope(lokakarya, rakor):
    bima = lokakarya.sites.get(name="Kab. Bima")
    register(bima, "CGP")
    register(lokakarya.sites.get(name="Kab. Lombok Timur"), "CGP")
    koordinator = user_in("Koordinator site", sites=[bima])
    dashboard = event_dashboard(user=koordinator, event=lokakarya)
    assert [s.name for s in dashboard.sites] == ["Kab. Bima"]
    assert dashboard.chart("targets").total == 1
    assert dashboard.chart("targets").total_target == 85


def test_dashboard_views_scope(client, lokakarya, rakor):
    panitia = user_in("Panitia", organized=[lokakarya])
    client.force_login(panitia)
    page = client.get(reverse("reports:dashboard_event", kwargs={"event_id": lokakarya.pk}))
    assert page.status_code == 200
    assert 'data-total-target="251"' in page.content.decode()
    assert client.get(reverse("reports:dashboard_event", kwargs={"event_id": rakor.pk})).status_code == 404
    other_site = rakor.sites.first()
    url = reverse("reports:dashboard_event", kwargs={"event_id": lokakarya.pk})
    assert client.get(url, {"site": other_site.pk}).status_code == 404
    assert client.get(url, {"site": "x"}).status_code == 404
    program_url = reverse("reports:dashboard_program", kwargs={"program_id": lokakarya.program_id})
    assert client.get(program_url).status_code == 403
    operator = user_in("Operator Dinas", provinces=["52"])
    client.force_login(operator)
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_program_page_for_admin_pusat(client, lokakarya, superuser):
    register(lokakarya.sites.get(name="Kab. Bima"), "CGP")
    rows, chart = program_overview(program=lokakarya.program)
    assert [(row.event, row.target, row.registered, row.sites) for row in rows] == [(lokakarya, 251, 1, 3)]
    admin_pusat = user_in("Admin pusat")
    client.force_login(admin_pusat)
    page = client.get(reverse("reports:dashboard_program", kwargs={"program_id": lokakarya.program_id}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "251" in html and lokakarya.title in html


def test_links_to_the_list_behind_each_figure(lokakarya, superuser, monkeypatch):
    # The registration list lives in another area: without it there is no link, never an error.
    assert list_url("participants:no_such_list", site=1) is None
    monkeypatch.setattr("reports.dashboard.reverse", lambda name: "/pendaftaran/")
    bima = lokakarya.sites.get(name="Kab. Bima")
    dashboard = event_dashboard(user=superuser, event=lokakarya, site=bima)
    cgp = Role.objects.get(program=lokakarya.program, code="CGP")
    bar = next(bar for bar in dashboard.chart("targets").bars if bar.label == "CGP")
    assert bar.url == f"/pendaftaran/?event={lokakarya.pk}&site={bima.pk}&role={cgp.pk}"
    verified = next(
        bar for bar in dashboard.chart("verification").bars if bar.value == 0 and "status=verified" in bar.url
    )
    assert verified.url.endswith("status=verified")


def test_no_roster_section_for_an_event_without_cohort_rosters(lokakarya, superuser):
    # Lokakarya 7 has no Komite Pembelajaran; a user without roster access sees no section either.
    assert roster_section(lokakarya) is None
    panitia = user_in("Panitia", organized=[lokakarya])
    assert event_dashboard(user=panitia, event=lokakarya).roster is None


def _grow(event, *, sites: int, registrations: int):
    """Add sites (with a quota and a session each) and registrations with attendance."""
    base = event.sites.first()
    role = Role.objects.get(program=event.program, code="CGP")
    for index in range(sites):
        site = EventSite.objects.create(
            event=event,
            name=f"Tambahan {index}",
            venue=base.venue,
            start_date=base.start_date,
            end_date=base.end_date,
            order=10 + index,
        )
        SiteQuota.objects.create(site=site, role=role, target=5)
        Session.objects.create(
            site=site,
            name="Hari 1",
            starts_at=dt.datetime(2022, 10, 15, 0, 0, tzinfo=dt.UTC),
            ends_at=dt.datetime(2022, 10, 15, 8, 0, tzinfo=dt.UTC),
        )
    sites_list = list(event.sites.all())
    for index in range(registrations):
        site = sites_list[index % len(sites_list)]
        registration = register(site, "CGP")
        session = site.sessions.first()
        Attendance.objects.create(
            registration=registration, session=session, checked_in_at=session.starts_at, method="qr"
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_constant_query_count(client, lokakarya):
    admin_pusat = user_in("Admin pusat")
    client.force_login(admin_pusat)
    event_url = reverse("reports:dashboard_event", kwargs={"event_id": lokakarya.pk})
    program_url = reverse("reports:dashboard_program", kwargs={"program_id": lokakarya.program_id})
    _grow(lokakarya, sites=0, registrations=10)
    small = (_count(client, event_url), _count(client, program_url))
    _grow(lokakarya, sites=3, registrations=40)
    large = (_count(client, event_url), _count(client, program_url))
    assert small == large
    html = client.get(event_url).content.decode()
    assert re.search(r'id="chart-sites" data-total="50"', html)


@pytest.mark.django_db
def test_attendance_figures_link_to_the_list_of_those_present(client, lokakarya, superuser):
    bima = lokakarya.sites.get(name="Kab. Bima")
    session = bima.sessions.order_by("starts_at").first()
    present = [register(bima, "CGP") for _ in range(3)]
    register(bima, "CGP")  # registered, not present
    for registration in present:
        registration_verify(registration=registration, actor=superuser)
        Attendance.objects.create(
            registration=registration, session=session, checked_in_at=session.starts_at, method="qr"
        )
    dashboard = event_dashboard(user=superuser, event=lokakarya, site=bima)
    bar = next(bar for bar in dashboard.attendance.bars if bar.value == 3)
    client.force_login(superuser)
    page = client.get(bar.url).content.decode()
    assert all(registration.person.full_name in page for registration in present)
    assert len(re.findall(r'href="/pendaftaran/\d+/"', page)) == 3  # one detail link per row


# --- issue 14, item 9: percentages that mean something ---


def test_attendance_percent_is_distinct_verified_persons_per_day_never_above_100(lokakarya, superuser):
    bima = lokakarya.sites.get(name="Kab. Bima")
    day1 = bima.sessions.get(name="Hari 1")
    afternoon = Session.objects.create(
        site=bima,
        name="Hari 1 sore",
        starts_at=day1.starts_at + dt.timedelta(hours=5),
        ends_at=day1.ends_at + dt.timedelta(hours=1),
    )
    verified = [register(bima, "CGP") for _ in range(3)]
    for registration in verified:
        registration_verify(registration=registration, actor=superuser)
    unverified = [register(bima, "PP") for _ in range(4)]
    # Two verified persons came, each to both sessions of day 1 (4 rows); four unverified came too.
    for registration in verified[:2]:
        for session in (day1, afternoon):
            Attendance.objects.create(
                registration=registration, session=session, checked_in_at=session.starts_at, method="qr"
            )
    for registration in unverified:
        Attendance.objects.create(registration=registration, session=day1, checked_in_at=day1.starts_at, method="qr")

    dashboard = event_dashboard(user=superuser, event=lokakarya, site=bima)
    bars = {bar.label: bar for bar in dashboard.attendance.bars}
    assert list(bars) == ["Sab 15 Okt 2022", "Min 16 Okt 2022"]  # one bar per day, not per session
    assert (bars["Sab 15 Okt 2022"].value, bars["Sab 15 Okt 2022"].target) == (2, 3)
    assert bars["Sab 15 Okt 2022"].percent == 67
    assert (bars["Min 16 Okt 2022"].value, bars["Min 16 Okt 2022"].percent) == (0, 0)
    assert dashboard.present_unverified == 4
    assert all(bar.percent <= 100 for bar in dashboard.attendance.bars)


def test_attendance_percent_with_nobody_verified_is_a_dash(client, lokakarya, superuser):
    bima = lokakarya.sites.get(name="Kab. Bima")
    day1 = bima.sessions.get(name="Hari 1")
    for _ in range(3):
        Attendance.objects.create(
            registration=register(bima, "CGP"), session=day1, checked_in_at=day1.starts_at, method="qr"
        )
    dashboard = event_dashboard(user=superuser, event=lokakarya, site=bima)
    assert {bar.percent for bar in dashboard.attendance.bars} == {None}
    client.force_login(superuser)
    url = reverse("reports:dashboard_event", kwargs={"event_id": lokakarya.pk})
    html = client.get(url, {"site": bima.pk}).content.decode()
    numbers = html[html.index('id="numbers-attendance"') :]
    numbers = numbers[: numbers.index("</table>")]
    assert "data-percent>—<" in numbers and "%</td>" not in numbers.replace("data-percent>—<", "")
    assert "3 orang hadir tanpa pendaftaran terverifikasi" in html


def test_event_without_targets_shows_a_dash_not_target_0(client, lokakarya, superuser):
    SiteQuota.objects.filter(site__event=lokakarya).delete()
    bima = lokakarya.sites.get(name="Kab. Bima")
    for _ in range(11):
        register(bima, "CGP")
    client.force_login(superuser)
    html = client.get(reverse("reports:dashboard_event", kwargs={"event_id": lokakarya.pk})).content.decode()
    assert "dari target 0" not in html and "target 0" not in html
    assert "11 terdaftar; target: — (belum ditetapkan)." in html
    # A target set to 0 is no target either: "—", never a percentage of 0.
    SiteQuota.objects.create(site=bima, role=Role.objects.get(program=lokakarya.program, code="CGP"), target=0)
    dashboard = event_dashboard(user=superuser, event=lokakarya)
    cgp = next(bar for bar in dashboard.chart("targets").bars if bar.label == "CGP")
    assert cgp.percent is None and cgp.percent_text == "—" and cgp.text == "11"
    html = client.get(reverse("reports:dashboard_event", kwargs={"event_id": lokakarya.pk})).content.decode()
    assert "11 terdaftar; target: — (belum ditetapkan)." in html and "dari target 0" not in html


def test_event_with_targets_shows_registered_of_target_with_percent(client, lokakarya, superuser):
    bima = lokakarya.sites.get(name="Kab. Bima")
    for _ in range(5):
        register(bima, "CGP")
    client.force_login(superuser)
    html = client.get(reverse("reports:dashboard_event", kwargs={"event_id": lokakarya.pk})).content.decode()
    assert "5 terdaftar dari target 251 (2 %)." in html


def test_charts_hold_nothing_focusable(client, lokakarya, superuser):
    """axe `nested-interactive`: the drawing is aria-hidden and holds no link; the table holds the links."""
    register(lokakarya.sites.get(name="Kab. Bima"), "CGP")
    client.force_login(superuser)
    html = client.get(reverse("reports:dashboard_event", kwargs={"event_id": lokakarya.pk})).content.decode()
    drawings = re.findall(r'<ul class="hbar-chart[^>]*>(.*?)</ul>', html, flags=re.S)
    assert len(drawings) >= 4
    assert 'role="img"' not in html and "<svg" not in html
    for drawing in drawings:
        assert not re.search(r"<(a|button|input|select|textarea)\b|tabindex", drawing)


# --- issue 16: the distinct verified people come from the counts per status, corrected by the flagged rows ---


def _flagged_copy(registration: Registration, **changes) -> Registration:
    """A second registration of the same person, flagged (review): the only kind the database lets repeat a person
    in an event (registration_one_active_per_person_and_event)."""
    copy = Registration.objects.get(pk=registration.pk)
    copy.pk = copy.id = None
    copy.code = new_registration_code()
    copy.review = Registration.Review.DUPLICATE
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def test_verified_people_per_site_count_a_person_once_whatever_its_flagged_registrations(lokakarya, superuser):
    bima, utara = lokakarya.sites.get(name="Kab. Bima"), lokakarya.sites.get(name="Kab. Lombok Utara")
    people = [register(bima, "CGP") for _ in range(4)]
    for registration in people:
        registration_verify(registration=registration, actor=superuser)
    verified = Registration.Status.VERIFIED
    _flagged_copy(people[0], status=verified)  # the same person twice at Bima, verified both times
    Registration.objects.filter(pk=people[1].pk).update(review=Registration.Review.IDENTITY)  # flagged only
    _flagged_copy(people[1], status=verified)  # ... and twice flagged
    _flagged_copy(people[2], status=verified, site=utara)  # once at Bima, once (flagged) at Utara
    _flagged_copy(people[3], status=Registration.Status.SUBMITTED)  # a flagged copy not verified: not counted

    for site in (bima, utara):
        expected = Registration.objects.filter(site=site, status=verified).values("person").distinct().count()
        dashboard = event_dashboard(user=superuser, event=lokakarya, site=site)
        assert dashboard.attendance.bars
        assert {bar.target for bar in dashboard.attendance.bars} == {expected}
    assert Registration.objects.filter(site=bima, status=verified).count() == 6  # 6 registrations, 4 people
    assert {bar.target for bar in event_dashboard(user=superuser, event=lokakarya, site=bima).attendance.bars} == {4}
    assert {bar.target for bar in event_dashboard(user=superuser, event=lokakarya, site=utara).attendance.bars} == {1}
