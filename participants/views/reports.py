"""Views of the reports area: the reports page of an event, and the download of a report through the export
kit (at once, or as a background job with a progress bar). Every object comes through the user's report
scope (404)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path

from core.exports import exporter_label
from core.models import ReportJob
from core.views import export_download
from participants.reports.attendance_recap import AttendanceRecap
from participants.reports.badges import Badges
from participants.reports.certificates import Certificates, CertificatesZip
from participants.reports.daftar_hadir import DaftarHadir, DaftarHadirFilled
from participants.reports.rekap import Rekap
from participants.selectors import can_take_reports, event_for_reports, report_sites_for

# The official reports of an event, in the order the reports page lists them.
REPORTS = (Rekap, AttendanceRecap, Badges, Certificates, CertificatesZip, DaftarHadir, DaftarHadirFilled)
REPORT_KINDS = {report.kind for report in REPORTS}


def _require_reports(user) -> None:
    if not can_take_reports(user):
        raise PermissionDenied


@login_required
def report_events(request):
    _require_reports(request.user)
    sites = report_sites_for(request.user).select_related("event").order_by("-event__start_date", "order")
    events = {}
    for site in sites:
        events.setdefault(site.event, []).append(site)
    return render(request, "participants/reports/events.html", {"events": events})


@login_required
def report_index(request, event_id: int):
    _require_reports(request.user)
    event, sites = event_for_reports(user=request.user, event_id=event_id)
    context = {
        "event": event,
        "sites": sites,
        "event_reports": [cls for cls in REPORTS if cls.scope == "event"],
        "site_reports": [cls for cls in REPORTS if cls.scope == "site"],
        "session_reports": [cls for cls in REPORTS if cls.scope == "session"],
        "jobs": [
            (job, job.description or exporter_label(job.kind))
            for job in ReportJob.objects.filter(user=request.user, kind__in=REPORT_KINDS, params__event_id=event.id)[
                :10
            ]
        ],
    }
    return render(request, "participants/reports/index.html", context)


@login_required
def report_download(request, event_id: int, kind: str, file_format: str):
    if kind not in REPORT_KINDS:
        raise Http404
    return export_download(request, kind=kind, file_format=file_format, event_id=event_id)


urlpatterns = [
    path("reports/", report_events, name="report_events"),
    path("reports/<int:event_id>/", report_index, name="report_index"),
    path("reports/<int:event_id>/<slug:kind>.<slug:file_format>", report_download, name="report_download"),
]
