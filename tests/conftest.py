import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from events.demo import seed_events_load
from events.services.regions import regions_load


@pytest.fixture(autouse=True)
def fresh_content_type_cache():
    """A transactional test's flush re-creates content types with new ids on PostgreSQL; the
    process-wide ContentType cache would otherwise hand out ids that no longer exist."""
    ContentType.objects.clear_cache()


@pytest.fixture
def regions(db):
    regions_load()


@pytest.fixture
def demo(regions):
    """The two seed events, as `manage.py load_demo` loads them."""
    return {event.slug: event for event in seed_events_load()}


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
    from participants import groups as G
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
