from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("psp-koordinasi administration")
admin.site.site_title = "psp-koordinasi"
admin.site.index_title = _("Master data, events and participants")

urlpatterns = [
    # Pages without our base template (the admin) make the browser ask for /favicon.ico.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("favicon.svg"))),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("core.account_urls")),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("core.urls")),
    path("", include("events.urls")),
    path("", include("participants.urls")),
]
