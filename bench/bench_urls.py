"""The app's URLs plus two floors that the benches compare the real paths to, under the same server and middleware.

- ``bench/bare/``: an anonymous POST that inserts one row and nothing else (the floor of the public
  self-registration POST, bench/registration.py).
- ``bench/bare-signed-in/``: the same behind the session log-in (login_required: the session and the user are
  read as for any staff page), the floor of the check-in POST (bench/checkin.py).

Both check the CSRF token like the real forms and scripts do. These URLs exist only in bench/settings_bench.py,
served on 127.0.0.1 by the benches.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from core.models import AuditEntry
from psp_koordinasi.urls import urlpatterns as app_urlpatterns


def _insert_one() -> HttpResponse:
    entry = AuditEntry.objects.create(
        action="bench.bare", content_type=ContentType.objects.get_for_model(AuditEntry), object_id="0"
    )
    return HttpResponse(str(entry.pk), status=201, content_type="text/plain")


@require_POST
def bare(request):
    return _insert_one()


@login_required
@require_POST
def bare_signed_in(request):
    return _insert_one()


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare-signed-in/", bare_signed_in, name="bench_bare_signed_in"),
    *app_urlpatterns,
]
