import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches

from attendance.selectors import DOOR_MEMO
from events.demo import EVENTS, seed_events_load
from events.models import Event, Province, Regency
from events.selectors import REGISTRATION_PLACES
from events.services.regions import regions_load

SEED_SLUGS = [spec["slug"] for spec in EVENTS]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The regions and the two seed events, loaded once into the test database, committed.

    A `db` test runs in a transaction that is rolled back, so every one of them finds this data as
    loaded here. A transactional test (`transactional_db`, live_server, browser and concurrency tests)
    ends with a flush that empties every table: the `regions` and `demo` fixtures load the data again
    when it is missing. pytest-django runs the transactional tests after the `db` ones.
    """
    with django_db_blocker.unblock():
        regions_load()
        seed_events_load()


@pytest.fixture(autouse=True)
def fresh_content_type_cache():
    """A transactional test's flush re-creates content types with new ids on PostgreSQL; the
    process-wide ContentType cache would otherwise hand out ids that no longer exist."""
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def empty_cache(request, django_db_setup, django_db_blocker):
    """Every test with the database starts with an empty cache (the throttles' counts): a `db` test's counts
    are rolled back with it, but a transactional test's flush leaves the cache table alone, and subprocesses
    commit. A test without the database cannot count, and opens no connection here."""
    if "_django_db_helper" in request.fixturenames or request.node.get_closest_marker("django_db"):
        with django_db_blocker.unblock():
            caches["default"].clear()


@pytest.fixture(autouse=True)
def fresh_registration_places():
    """The public registration's data kept in memory (events.selectors) belongs to one test's database state."""
    REGISTRATION_PLACES.clear()
    DOOR_MEMO.clear()


@pytest.fixture
def regions(db):
    """The provinces and regencies (loaded once per session; again after a transactional test's flush)."""
    if not (Province.objects.exists() and Regency.objects.exists()):
        regions_load()


@pytest.fixture
def demo(regions):
    """The two seed events, as `manage.py load_demo` loads them: {slug: Event}, fresh instances per test.

    The foreign keys that seed_events_load() hands back already loaded are loaded here too.
    """
    events = Event.objects.filter(slug__in=SEED_SLUGS).select_related(
        "program", "cohort__program", "organizer__type", "organizer__province", "organizer__regency__province"
    )
    by_slug = {event.slug: event for event in events}
    if len(by_slug) < len(SEED_SLUGS):
        return {event.slug: event for event in seed_events_load()}
    return {slug: by_slug[slug] for slug in SEED_SLUGS}


@pytest.fixture
def without_seed(db):
    """The database as `migrate` leaves it: the session's seed events and regions are deleted inside
    this test's transaction (the rollback brings them back for the next test). For tests of a load
    into an empty database."""
    from events.models import Agency, AgencyType, Cohort, Program, Role, Venue

    Event.objects.all().delete()
    for model in (Venue, Agency, Cohort, Role, Program, AgencyType, Regency, Province):
        model.objects.all().delete()


@pytest.fixture
def lokakarya(demo):
    return demo["lokakarya-7-angkatan-4-ppgp-ntb-2022"]


@pytest.fixture
def rakor(demo):
    return demo["rakor-persiapan-psp-2021"]


@pytest.fixture
def bima(lokakarya):
    return lokakarya.sites.get(name="Kab. Bima")


@pytest.fixture
def sikur(lokakarya):
    return lokakarya.sites.get(name="Kab. Lombok Timur")


@pytest.fixture
def solo(rakor):
    return rakor.sites.get(name="Regional Solo")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-root-123")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploaded files of the tests (and of the demo they load) go to a temporary folder, not ./media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def axes_off_unless_asked(settings, request):
    """django-axes needs the request in authenticate(), which Client.login() does not pass (the axes
    docs' test set-up): off by default, on in the tests marked `axes` that check the lockout."""
    settings.AXES_ENABLED = bool(request.node.get_closest_marker("axes"))


@pytest.fixture
def users_by_group(lokakarya):
    """One user of every staff group (scoped to NTB, Kab. Bima, Lokakarya 7) and the anonymous visitor (None)."""
    from events import groups as G
    from tests.factories import user_in

    bima = lokakarya.sites.get(name="Kab. Bima")
    return {
        "anonymous": None,
        G.ADMIN_PUSAT: user_in(G.ADMIN_PUSAT),
        G.PANITIA: user_in(G.PANITIA, organized=[lokakarya]),
        G.KOORDINATOR_SITE: user_in(G.KOORDINATOR_SITE, sites=[bima]),
        G.VERIFIKATOR: user_in(G.VERIFIKATOR, provinces=["52"]),
        G.OPERATOR_DINAS: user_in(G.OPERATOR_DINAS, provinces=["52"]),
        G.PEJABAT: user_in(G.PEJABAT, provinces=["52"]),
    }
