"""Certificates of several sites of one event issued at the same moment: every number given once, in one
unbroken run (the event's number series row is locked while numbers are given)."""

import threading

import pytest
from django.db import connection, connections

from reports.models import Certificate, NumberSeries
from reports.services import certificates_issue
from tests.factories import attend, register

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"),
]


def test_simultaneous_issues_at_every_site_give_each_number_once(lokakarya):
    sites = list(lokakarya.sites.order_by("order"))
    for site in sites:
        for index in range(4):
            registration = register(site, "CGP", name=f"Peserta {site.order}-{index}")
            for session in site.sessions.all():
                attend(registration, session)
    # Each site twice: a reprint racing the first issue must not issue again.
    issuers = [site for site in sites for _ in range(2)]
    barrier = threading.Barrier(len(issuers))
    errors = []

    def issue(site):
        try:
            barrier.wait()
            certificates_issue(site=site, actor=None)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(site,)) for site in issuers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(Certificate.objects.filter(event=lokakarya).values_list("sequence", flat=True))
    assert sequences == list(range(1, 4 * len(sites) + 1))
    assert NumberSeries.objects.get(event=lokakarya, kind="certificate").last_sequence == 4 * len(sites)
