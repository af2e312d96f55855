from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("reports/jobs/<uuid:job_id>/", views.report_job, name="report_job"),
    path("reports/jobs/<uuid:job_id>/status/", views.report_job_status, name="report_job_status"),
    path("reports/jobs/<uuid:job_id>/file/", views.report_job_file, name="report_job_file"),
]
