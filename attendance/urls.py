"""Addresses of the check-in area."""

from django.urls import path

from attendance import offline, views

app_name = "attendance"

urlpatterns = [
    path("checkin/", views.checkin_sessions, name="checkin_sessions"),
    # The check-in screen reopened with no network (attendance/offline.py): the worker's scope is /checkin/.
    path("checkin/sw.js", offline.checkin_worker, name="checkin_worker"),
    path("checkin/manifest.webmanifest", offline.checkin_manifest, name="checkin_manifest"),
    path("checkin/ikon-<int:size>.png", offline.checkin_icon, name="checkin_icon"),
    path("checkin/sesi/<int:session_id>/", views.checkin_screen, name="checkin_screen"),
    path("checkin/sesi/<int:session_id>/peserta.json", views.checkin_roster, name="checkin_roster"),
    path("checkin/sesi/<int:session_id>/hitungan/", views.checkin_counts, name="checkin_counts"),
    path("checkin/sesi/<int:session_id>/cari/", views.checkin_search, name="checkin_search"),
    path("checkin/sesi/<int:session_id>/hadir/", views.checkin_record, name="checkin_record"),
    path("checkin/sesi/<int:session_id>/kertas/", views.checkin_paper, name="checkin_paper"),
    path("checkin/situs/<int:site_id>/sinkron/", views.checkin_sync, name="checkin_sync"),
    path("checkin/ditahan/", views.held_list, name="held_list"),
    path("checkin/ditahan/<int:pk>/terima/", views.held_accept, name="held_accept"),
    path("checkin/ditahan/<int:pk>/buang/", views.held_drop, name="held_drop"),
]
