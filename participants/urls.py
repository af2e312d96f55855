"""Addresses of the participants area: public registration and self-service, the staff's registration pages,
the Excel import and export (the export kit's downloads)."""

from django.urls import path

from core.views import export_download
from participants import people_views, views
from participants.outputs import ImportTemplate, WaitingListExport

app_name = "participants"

urlpatterns = [
    path("daftar/<slug:slug>/<int:site_id>/", views.public_register, name="public_register"),
    path("daftar/terima-kasih/", views.public_confirmation, name="public_confirmation"),
    path("status-pendaftaran/", views.registration_status, name="registration_status"),
    path("status-pendaftaran/batalkan/", views.registration_withdraw_view, name="registration_withdraw"),
    path("status-pendaftaran/kartu.pdf", views.registration_card, name="registration_card"),
    path("instansi/pilihan/", views.agency_options_view, name="agency_options"),
    path("pendaftaran/", views.registration_list_view, name="registration_list"),
    path("pendaftaran/baru/", views.registration_new, name="registration_new"),
    path("pendaftaran/tautan-publik/", views.public_links, name="public_links"),
    path("pendaftaran/verifikasi-massal/", views.registrations_verify_bulk, name="registrations_verify_bulk"),
    path("pendaftaran/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("pendaftaran/<int:pk>/verifikasi/", views.registration_verify_view, name="registration_verify"),
    path("pendaftaran/<int:pk>/tolak/", views.registration_reject_view, name="registration_reject"),
    path("pendaftaran/<int:pk>/ajukan-ulang/", views.registration_resubmit_view, name="registration_resubmit"),
    path("pendaftaran/<int:pk>/daftar-tunggu/", views.waitlist_decide, name="waitlist_decide"),
    path("pendaftaran/daftar-tunggu/<int:event_id>/", views.waiting_list_view, name="waiting_list"),
    path(
        "pendaftaran/daftar-tunggu/<int:event_id>/daftar-tunggu.xlsx",
        export_download,
        {"kind": WaitingListExport.kind},
        name="waiting_list_export",
    ),
    path("pendaftaran/<int:pk>/ubah-data/", views.person_edit, name="person_edit"),
    path("pendaftaran/<int:pk>/usulan-instansi/", views.agency_proposal, name="agency_proposal"),
    path("impor/", views.import_start, name="import_start"),
    path(
        "impor/<int:event_id>/template.xlsx",
        export_download,
        {"kind": ImportTemplate.kind},
        name="import_template",
    ),
    path("impor/berkas/<int:pk>/", views.import_batch, name="import_batch"),
    path("ekspor/pendaftaran.xlsx", views.registration_export, name="registration_export"),
    path("data-saya/", views.my_data, name="my_data"),
    path("data-saya/koreksi/", views.my_data_correction, name="my_data_correction"),
    path("koreksi-data/", views.correction_list, name="correction_list"),
    path("koreksi-data/<int:pk>/putuskan/", views.correction_decide, name="correction_decide"),
    path("orang/<int:pk>/", people_views.person_detail, name="person_detail"),
    path("orang/duplikat/", people_views.duplicate_list, name="duplicate_list"),
    path(
        "orang/duplikat/<int:first_id>/<int:second_id>/bukan-duplikat/",
        people_views.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
    path(
        "orang/duplikat/keputusan/<int:pk>/batalkan/",
        people_views.duplicate_dismiss_undo,
        name="duplicate_dismiss_undo",
    ),
    path("orang/gabung/<int:keep_id>/<int:drop_id>/", people_views.person_merge_view, name="person_merge"),
    path("orang/penggabungan/", people_views.merge_list, name="merge_list"),
    path("orang/penggabungan/<int:entry_id>/batalkan/", people_views.merge_undo, name="merge_undo"),
]
