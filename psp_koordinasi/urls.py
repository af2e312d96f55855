from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from events.selectors import is_central

admin.site.site_header = _("psp-koordinasi administration")
admin.site.site_title = "psp-koordinasi"
admin.site.index_title = _("Master data, events and participants")

# Models that moved to the app of their area keep their old admin addresses (bookmarks, links in old mails).
MOVED_ADMIN_MODELS = {
    ("participants", "rosters"): ["committee", "committeemember", "compositionrule", "sekolahpenggerak"],
    ("participants", "attendance"): ["attendance"],
    ("participants", "outcomes"): ["goodpractice", "goodpracticefile"],
    ("participants", "reports"): ["certificate"],
    ("events", "outcomes"): [
        "responsibilitymatrix",
        "responsibilitycolumn",
        "responsibility",
        "responsibilitycell",
        "actionplan",
        "actionplanitem",
        "actionplanfollowup",
    ],
}


def moved_admin_redirects() -> list:
    return [
        re_path(
            rf"^admin/{old}/{model}/(?P<rest>.*)$",
            RedirectView.as_view(url=f"/admin/{new}/{model}/%(rest)s", query_string=True, permanent=True),
        )
        for (old, new), models in MOVED_ADMIN_MODELS.items()
        for model in models
    ]


def admin_view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "view on site" redirect (admin/r/…) answers any staff user for any object id, and so would
    tell the public address (slug) of an unpublished event outside the user's scope: central users only."""
    if not is_central(request.user):
        raise Http404
    return shortcut(request, content_type_id, object_id)


urlpatterns = [
    # Pages without our base template (the admin) make the browser ask for /favicon.ico.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("favicon.svg"))),
    *moved_admin_redirects(),
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin_view_on_site, name="admin_view_on_site"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("core.account_urls")),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("core.urls")),
    path("", include("events.urls")),
    path("", include("participants.urls")),
    path("", include("rosters.urls")),
    path("", include("attendance.urls")),
    path("", include("outcomes.urls")),
    path("", include("reports.urls")),
]
