"""Addresses of the outcomes area; the downloads go through the export kit."""

from django.urls import path

from core.views import export_download
from outcomes import views
from outcomes.outputs import ActionPlanPdfExport, ActionPlansWorkbookExport, MatrixPdfExport, PublicMatrixPdfExport

app_name = "outcomes"

urlpatterns = [
    path("peran/", views.matrix_index, name="matrix_index"),
    path("peran/kegiatan/<int:event_id>/", views.matrix_edit, name="matrix_edit"),
    path("peran/kegiatan/<int:event_id>/pdf/", export_download, {"kind": MatrixPdfExport.kind}, name="matrix_pdf"),
    path("kegiatan/<slug:slug>/peran/", views.matrix_public, name="matrix_public"),
    path(
        "kegiatan/<slug:slug>/peran/pdf/",
        export_download,
        {"kind": PublicMatrixPdfExport.kind},
        name="matrix_public_pdf",
    ),
    path("rencana-aksi/", views.plan_index, name="plan_index"),
    path("rencana-aksi/kegiatan/<int:event_id>/", views.plan_board, name="plan_board"),
    path(
        "rencana-aksi/kegiatan/<int:event_id>/xlsx/",
        export_download,
        {"kind": ActionPlansWorkbookExport.kind},
        name="plan_xlsx",
    ),
    path("rencana-aksi/rencana/<int:plan_id>/", views.plan_edit, name="plan_edit"),
    path("rencana-aksi/rencana/<int:plan_id>/tautan-baru/", views.plan_regenerate_link, name="plan_regenerate_link"),
    path("rencana-aksi/rencana/<int:plan_id>/cabut-tautan/", views.plan_revoke_link, name="plan_revoke_link"),
    path("rencana-aksi/rencana/<int:plan_id>/presentasi/", views.plan_present, name="plan_present"),
    path(
        "rencana-aksi/rencana/<int:plan_id>/pdf/",
        export_download,
        {"kind": ActionPlanPdfExport.kind},
        name="plan_pdf",
    ),
    path("rencana-aksi/<str:token>/", views.plan_edit_by_link, name="plan_edit_by_link"),
    path("kegiatan/<slug:slug>/praktik-baik/", views.practice_gallery, name="practice_gallery"),
    path("kegiatan/<slug:slug>/praktik-baik/kirim/", views.practice_submit, name="practice_submit"),
    path("praktik-baik/berkas/<int:file_id>/", views.practice_file, name="practice_file"),
    path("praktik-baik/kegiatan/<int:event_id>/", views.practice_moderate, name="practice_moderate"),
]
