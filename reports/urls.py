"""Addresses of the reports area: the reports of an event (their downloads through the export kit) and the
dashboard."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_events, name="report_events"),
    path("reports/<int:event_id>/", views.report_index, name="report_index"),
    path("reports/<int:event_id>/<slug:kind>.<slug:file_format>", views.report_download, name="report_download"),
    path("dasbor/", views.dashboard_home, name="dashboard"),
    path("dasbor/kegiatan/<int:event_id>/", views.dashboard_event, name="dashboard_event"),
    path("dasbor/program/<int:program_id>/", views.dashboard_program, name="dashboard_program"),
]
