"""Every staff list whose length follows the number of events or sites keeps a constant number of queries: the lists
already asserted in their area's tests (registrations, committees, check-in, audit, dashboard, outcomes boards, papers,
exports) are not repeated here; these are the index pages that list events and sites. Each page is read with the seed
events plus one copy, then plus four more copies (each with its sites): the count of queries must not change."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import groups as G
from events.models import Event, EventSite
from tests.factories import user_in

PAGES = [
    "participants:public_links",
    "participants:import_start",
    "reports:report_events",
    "reports:dashboard",
    "outcomes:matrix_index",
    "outcomes:plan_index",
]


def copy_event(event: Event, number: int) -> Event:
    """The event again (published, its sites with their venues), under a new slug a year later per copy."""
    sites = list(event.sites.all())
    provinces = {site.pk: list(site.provinces_served.all()) for site in sites}
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.slug = f"{event.slug}-salinan-{number}"
    copy.title = f"{event.title} (salinan {number})"
    copy.start_date = event.start_date + dt.timedelta(days=365 * number)
    copy.end_date = event.end_date + dt.timedelta(days=365 * number)
    copy.save()
    for site in sites:
        site_copy = EventSite.objects.get(pk=site.pk)
        site_copy.pk = None
        site_copy.event = copy
        site_copy.start_date, site_copy.end_date = copy.start_date, copy.end_date
        site_copy.save()
        site_copy.provinces_served.set(provinces[site.pk])
    return copy


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGES)
def test_index_pages_of_events_and_sites_keep_a_constant_query_count(client, demo, url_name):
    lokakarya = demo["lokakarya-7-angkatan-4-ppgp-ntb-2022"]
    admin = user_in(G.ADMIN_PUSAT)
    panitia = user_in(G.PANITIA, organized=[lokakarya])
    copies = [copy_event(lokakarya, 1)]
    for event in copies:
        event.organizers.add(panitia)
    url = reverse(url_name)
    counts = {}
    for user in (admin, panitia):
        client.force_login(user)
        queries_of(client, url)  # warm caches that are per process (content types, translations)
        counts[user.username, "few"] = queries_of(client, url)
    for number in range(2, 6):
        copy = copy_event(lokakarya, number)
        copy.organizers.add(panitia)
    for user in (admin, panitia):
        client.force_login(user)
        many = queries_of(client, url)
        assert many == counts[user.username, "few"], f"{url_name} as {user.username}: {many} queries with more events"
