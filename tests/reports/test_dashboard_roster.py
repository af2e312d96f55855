"""The dashboard's Komite Pembelajaran section: figures equal the database and the rule engine, each links
to the roster list holding exactly those committees, and the page's query count stays constant."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.dashboard import event_dashboard
from rosters import demo as roster_demo
from rosters.models import Committee
from rosters.rules import findings_for_committees
from tests.factories import user_in
from tests.rosters.conftest import good_committee

ROW = re.compile(r'<input[^>]+name="committee"')


def _rows_in_list(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return len(ROW.findall(response.content.decode()))


@pytest.mark.django_db
def test_figures_equal_the_database_and_the_rule_engine(rakor, superuser):
    roster_demo.load()
    section = event_dashboard(user=superuser, event=rakor).roster
    assert section is not None
    cohort_committees = Committee.objects.filter(cohort=rakor.cohort)
    assert section.total == cohort_committees.count()

    status = {bar.url.split("status=")[1]: bar.value for bar in section.chart("roster_status").bars}
    for value in Committee.Status.values:
        assert status[value] == cohort_committees.filter(status=value).count()

    findings = findings_for_committees(cohort_committees.select_related("school__regency"))
    expected: dict[str, int] = {}
    for committee_findings in findings.values():
        for code in {f.code for f in committee_findings}:
            expected[code] = expected.get(code, 0) + 1
    shown = {bar.url.split("rule=")[1]: bar.value for bar in section.chart("roster_findings").bars}
    assert shown == expected and shown  # the demo holds committees with errors and warnings

    tahap = {bar.label: (bar.value, bar.target) for bar in section.chart("roster_tahap").bars}
    for phase in rakor.cohort.training_phases.all():
        assert tahap[str(phase)] == (cohort_committees.filter(phase=phase).count(), phase.capacity)
    assert section.unassigned_validated == cohort_committees.filter(status="validated", phase__isnull=True).count()


@pytest.mark.django_db
def test_every_figure_links_to_a_list_of_exactly_those_committees(client, rakor, superuser):
    roster_demo.load()
    client.force_login(superuser)
    section = event_dashboard(user=superuser, event=rakor).roster
    for chart in section.charts:
        for bar in chart.bars:
            assert _rows_in_list(client, bar.url) == bar.value, (chart.key, bar.label)
    assert _rows_in_list(client, section.unassigned_url) == section.unassigned_validated


@pytest.mark.django_db
def test_the_section_is_scoped_and_shown_on_the_page(client, rakor):
    roster_demo.load()
    riau = user_in("Verifikator", provinces=["14"])
    section = event_dashboard(user=riau, event=rakor).roster
    assert section.total == Committee.objects.filter(school__regency__province__code="14").count() > 0
    client.force_login(riau)
    page = client.get(reverse("reports:dashboard_event", kwargs={"event_id": rakor.pk})).content.decode()
    assert 'id="roster-section"' in page and 'id="chart-roster_tahap"' in page


def _page_queries(client, rakor) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:dashboard_event", kwargs={"event_id": rakor.pk})).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_constant_query_count_as_committees_grow(client, rakor, superuser, phases):
    good_committee(rakor.cohort, submit=True)
    client.force_login(superuser)
    _page_queries(client, rakor)  # warm the caches (content types, composition rules)
    before = _page_queries(client, rakor)
    for regency in ["14.71", "14.06", "19.71", "21.71", "53.71"] * 2:
        good_committee(rakor.cohort, regency=regency, submit=True)
    assert _page_queries(client, rakor) == before
