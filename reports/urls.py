"""Addresses of the reports area: the reports of an event (their downloads through the export kit) and the
dashboard."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_events, name="report_events"),
    path("reports/<int:event_id>/", views.report_index, name="report_index"),
    path("reports/<int:event_id>/<slug:kind>.<slug:file_format>", views.report_download, name="report_download"),
    path("reports/<int:event_id>/sertifikat/", views.certificate_list, name="certificate_list"),
    path("reports/<int:event_id>/sertifikat/format/", views.number_format_set, name="number_format_set"),
    path(
        "reports/<int:event_id>/sertifikat/<int:certificate_id>/cabut/",
        views.certificate_revoke_view,
        name="certificate_revoke",
    ),
    path("reports/<int:event_id>/piagam/", views.piagam, name="piagam"),
    path("reports/<int:event_id>/piagam/<int:appreciation_id>/kutipan/", views.piagam_citation, name="piagam_citation"),
    path("reports/<int:event_id>/piagam/<int:appreciation_id>/cabut/", views.piagam_revoke, name="piagam_revoke"),
    path("reports/<int:event_id>/laporan/", views.laporan, name="laporan"),
    path("reports/<int:event_id>/laporan/<int:site_id>/", views.laporan_site_page, name="laporan_site"),
    path("reports/<int:event_id>/laporan/<int:site_id>/foto/", views.laporan_photo_add, name="laporan_photo_add"),
    path(
        "reports/<int:event_id>/laporan/<int:site_id>/foto/<int:photo_id>/keterangan/",
        views.laporan_photo_caption,
        name="laporan_photo_caption",
    ),
    path(
        "reports/<int:event_id>/laporan/<int:site_id>/foto/<int:photo_id>/hapus/",
        views.laporan_photo_delete,
        name="laporan_photo_delete",
    ),
    path(
        "reports/<int:event_id>/laporan/<int:site_id>/foto/<int:photo_id>/berkas/",
        views.laporan_photo_file,
        name="laporan_photo_file",
    ),
    path(
        "reports/<int:event_id>/laporan/<int:site_id>/sesi/<int:session_id>/pindaian/",
        views.laporan_scan_upload,
        name="laporan_scan_upload",
    ),
    path(
        "reports/<int:event_id>/laporan/<int:site_id>/sesi/<int:session_id>/pindaian/hapus/",
        views.laporan_scan_delete,
        name="laporan_scan_delete",
    ),
    path(
        "reports/<int:event_id>/laporan/<int:site_id>/sesi/<int:session_id>/pindaian/berkas/",
        views.laporan_scan_file,
        name="laporan_scan_file",
    ),
    # Public: the page a certificate's or piagam's QR code opens (the key is unguessable; no identifier shown).
    path("sertifikat/<str:token>/", views.paper_verify, name="paper_verify"),
    path("dasbor/", views.dashboard_home, name="dashboard"),
    path("dasbor/kegiatan/<int:event_id>/", views.dashboard_event, name="dashboard_event"),
    path("dasbor/program/<int:program_id>/", views.dashboard_program, name="dashboard_program"),
]
