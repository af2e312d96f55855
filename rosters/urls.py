"""Addresses of the roster area (Komite Pembelajaran); the downloads go through the export kit."""

from django.urls import path

from core.views import export_download
from rosters import views
from rosters.outputs import FindingsWorkbookExport, RosterPdfExport, RosterTemplate, RosterWorkbookExport

app_name = "rosters"

urlpatterns = [
    path("roster/", views.committee_list, name="roster_list"),
    path("roster/new/", views.committee_form, name="roster_new"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/import/template.xlsx", export_download, {"kind": RosterTemplate.kind}, name="roster_template"),
    path("roster/tahap/allocate/", views.tahap_allocate, name="roster_allocate"),
    path("roster/tahap/counts/", views.tahap_counts, name="roster_counts"),
    path("roster/tahap/<int:phase_pk>/roster.pdf", export_download, {"kind": RosterPdfExport.kind}, name="roster_pdf"),
    path("roster/export.xlsx", export_download, {"kind": RosterWorkbookExport.kind}, name="roster_xlsx"),
    path(
        "roster/findings.xlsx",
        export_download,
        {"kind": FindingsWorkbookExport.kind},
        name="roster_findings_xlsx",
    ),
    path("roster/<int:pk>/", views.committee_detail, name="roster_detail"),
    path("roster/<int:pk>/edit/", views.committee_form, name="roster_edit"),
    path("roster/<int:pk>/validate/", views.committee_validate, name="roster_validate"),
    path("roster/<int:pk>/return/", views.committee_return, name="roster_return"),
    path("roster/<int:pk>/submit/", views.committee_submit, name="roster_submit"),
    path("roster/<int:pk>/tahap/", views.committee_tahap, name="roster_tahap"),
]
