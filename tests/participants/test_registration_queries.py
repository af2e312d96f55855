"""Query counts of the registration pages: fixed for a public registration, constant as lists grow."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from events.models import Province, Role, SiteQuota
from events.selectors import REGISTRATION_PLACES
from participants.models import Person, Registration
from tests.factories import register, user_in, valid_nik

# A participant's POST on the public form, a new person (issue 16): the throttle's count (one UPDATE … RETURNING on
# the database cache), the person looked up by its hash with its registration for the event, the person inserted,
# the quota row locked (its row alone, no join) and its seats counted, then the registration and the audit entry
# inserted. No session row, no savepoint. The version of the registration place kept in memory
# (events.selectors.registration_place) is read once per `recheck` seconds per worker, not per POST.
PUBLIC_POST_STATEMENTS = 7
# The first POST of an address in a throttle window also reads the cache's size and inserts the count.
THROTTLE_FIRST_HIT_EXTRA = 2


def _transaction_control(sql: str) -> bool:
    return sql.startswith(("BEGIN", "COMMIT", "ROLLBACK"))


def _open(event):
    event.registration_opens_at = timezone.now() - dt.timedelta(days=1)
    event.registration_closes_at = timezone.now() + dt.timedelta(days=1)
    event.save()


def _post_statements(client, url, data) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return [q["sql"] for q in queries if not _transaction_control(q["sql"])]


@pytest.fixture
def place_version_kept(monkeypatch):
    """The registration place's version read stays valid for the whole test (however slow the machine)."""
    monkeypatch.setattr(REGISTRATION_PLACES, "recheck", 3600.0)


@pytest.mark.django_db(transaction=True)
def test_public_registration_post_runs_seven_statements(client, lokakarya, place_version_kept):
    """Outside any test transaction, as in production: what the count shows is what the server sends."""
    _open(lokakarya)
    bima = lokakarya.sites.get(name="Kab. Bima")
    role = Role.objects.get(program=lokakarya.program, code="CGP")
    SiteQuota.objects.filter(site=bima, role=role).update(close_when_full=True)  # the strict path: the quota lock
    url = reverse("participants:public_register", kwargs={"slug": lokakarya.slug, "site_id": bima.pk})
    province = Province.objects.get(code="52").pk

    def data(serial: int) -> dict:
        return {
            "role": role.pk,
            "full_name": f"Contoh Hitung Kueri {serial}",
            "nik": valid_nik(serial=serial),
            "gender": "L",
            "position": "Guru",
            "province": province,
            "phone": "0812-3456-7890",
            "privacy_accepted": "on",
        }

    assert client.get(url).status_code == 200
    first = _post_statements(client, url, data(4321))  # the address's first POST of the window; the place is loaded
    statements = _post_statements(client, url, data(4322))
    print(f"public registration POST: {len(statements)} statements (first of the window: {len(first)})")
    assert not [sql for sql in statements if "SAVEPOINT" in sql], "a nested atomic block costs two statements"
    assert not [sql for sql in statements if "django_session" in sql], "the public POST writes no session"
    assert len(statements) == PUBLIC_POST_STATEMENTS, "\n".join(sql[:150] for sql in statements)
    assert len([sql for sql in statements if '"core_cache"' in sql]) == 1  # the throttle's count
    if connection.features.has_select_for_update:
        locks = [sql for sql in statements if "FOR UPDATE" in sql]
        # One lock, of the quota's row only: a join would lock the site's and the event's rows with it.
        assert len(locks) == 1 and "events_sitequota" in locks[0] and "JOIN" not in locks[0].upper(), locks
    assert Registration.objects.filter(event=lokakarya, review="").count() == 2
    assert Person.objects.filter(full_name__startswith="Contoh Hitung Kueri").count() == 2
    assert AuditEntry.objects.filter(action="registration.created").count() == 2

    # The same person again: answered like any registration, kept, flagged for the organizer as a duplicate.
    assert client.post(url, data(4321)).status_code == 302
    assert Registration.objects.filter(event=lokakarya, review=Registration.Review.DUPLICATE).count() == 1


def test_another_workers_change_to_the_event_reaches_this_worker_after_the_recheck(client, lokakarya):
    """The registration place's version is read once per `recheck` seconds: a change made by another worker (only
    the shared version moves: this process's memory is not told) is seen once that time has passed; this worker's
    own change at once."""
    _open(lokakarya)
    bima = lokakarya.sites.get(name="Kab. Bima")
    url = reverse("participants:public_register", kwargs={"slug": lokakarya.slug, "site_id": bima.pk})
    assert client.get(url).templates[0].name == "participants/registration/public_form.html"
    # Another worker closes the registration: the row and the shared version change, this process's memory does not.
    Event = type(lokakarya)
    Event.objects.filter(pk=lokakarya.pk).update(registration_closes_at=timezone.now() - dt.timedelta(minutes=1))
    caches["default"].set("memo:events.registration_place:version", "changed-by-another-worker", None)
    assert client.get(url).templates[0].name == "participants/registration/public_form.html"  # within the recheck
    when, version = REGISTRATION_PLACES._read
    REGISTRATION_PLACES._read = (when - REGISTRATION_PLACES.recheck, version)  # the recheck's seconds have passed
    assert client.get(url).templates[0].name == "participants/registration/public_closed.html"
    # This worker's own change (a save: the signal) is seen at once, whatever the recheck.
    lokakarya.refresh_from_db()
    _open(lokakarya)
    assert client.get(url).templates[0].name == "participants/registration/public_form.html"


def test_public_registration_post_in_a_test_transaction_stays_within_seven_statements(
    client, lokakarya, django_assert_max_num_queries, place_version_kept
):
    """The same count under the test's transaction (its savepoints stand for BEGIN and COMMIT)."""
    _open(lokakarya)
    bima = lokakarya.sites.get(name="Kab. Bima")
    url = reverse("participants:public_register", kwargs={"slug": lokakarya.slug, "site_id": bima.pk})
    data = {
        "role": Role.objects.get(program=lokakarya.program, code="CGP").pk,
        "full_name": "Contoh Hitung Kueri",
        "nik": valid_nik(serial=4321),
        "province": Province.objects.get(code="52").pk,
        "privacy_accepted": "on",
    }
    client.get(url)
    client.post(url, {**data, "nik": valid_nik(serial=4320)})  # the address's first POST of the window
    ContentType.objects.get_for_model(Registration)  # cached in a running server after its first audit entry
    with django_assert_max_num_queries(PUBLIC_POST_STATEMENTS + 2):  # + the outer SAVEPOINT and RELEASE
        response = client.post(url, data)
    assert response.status_code == 302
    assert Registration.objects.filter(event=lokakarya).count() == 2


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_page_query_count_is_constant_as_rows_grow(client, lokakarya):
    sites = list(lokakarya.sites.all())
    verifikator = user_in("Verifikator", provinces=["52"])
    panitia = user_in("Panitia", organized=[lokakarya])
    url = reverse("participants:registration_list")
    roles = ["CGP", "PP", "KEPALA_SEKOLAH", "PENGAWAS_SEKOLAH"]

    for number in range(10):
        register(sites[number % 3], roles[number % 4])
    counts = {}
    for user in (verifikator, panitia):
        client.force_login(user)
        client.get(url)
        counts[user.pk] = _list_queries(client, url)

    for number in range(30):
        register(sites[number % 3], roles[number % 4])
    assert Registration.objects.count() == 40
    for user in (verifikator, panitia):
        client.force_login(user)
        client.get(url)
        html = client.get(url).content.decode()
        assert html.count("/pendaftaran/") >= 40
        assert _list_queries(client, url) == counts[user.pk]
