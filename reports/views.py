"""Views of the reports area: the reports page of an event and the download of a report (through the export
kit: at once, or as a background job with a progress bar), and the dashboard (dasbor) of an event or a
program, each figure linked to the list behind it. Every object comes through the user's scope (404)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core.exports import exporter_label
from core.models import ReportJob
from core.views import export_download
from events.models import Program
from events.selectors import events_visible_to, is_central, sites_visible_to
from reports.dashboard import event_dashboard, program_overview
from reports.outputs.attendance_recap import AttendanceRecap
from reports.outputs.badges import Badges
from reports.outputs.certificates import Certificates, CertificatesZip
from reports.outputs.daftar_hadir import DaftarHadir, DaftarHadirFilled
from reports.outputs.rekap import Rekap
from reports.selectors import can_take_reports, event_for_reports, report_sites_for

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
    return render(request, "reports/events.html", {"events": events})


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
    return render(request, "reports/index.html", context)


@login_required
def report_download(request, event_id: int, kind: str, file_format: str):
    if kind not in REPORT_KINDS:
        raise Http404
    return export_download(request, kind=kind, file_format=file_format, event_id=event_id)


# --- the dashboard (dasbor) ---


@login_required
def dashboard_home(request):
    if not request.user.has_perm("participants.view_registration"):
        raise PermissionDenied
    events = events_visible_to(request.user).select_related("program").order_by("-start_date")
    programs = Program.objects.order_by("code") if is_central(request.user) else Program.objects.none()
    return render(request, "reports/dashboard_home.html", {"events": events, "programs": programs})


@login_required
def dashboard_event(request, event_id: int):
    if not request.user.has_perm("participants.view_registration"):
        raise PermissionDenied
    event = get_object_or_404(events_visible_to(request.user).select_related("program"), pk=event_id)
    site = None
    if request.GET.get("site"):
        try:
            site_id = int(request.GET["site"])
        except ValueError:
            raise Http404 from None
        site = get_object_or_404(sites_visible_to(request.user).filter(event=event), pk=site_id)
    dashboard = event_dashboard(user=request.user, event=event, site=site)
    site_links = sites_visible_to(request.user).filter(event=event).select_related("venue__regency__province")
    return render(
        request,
        "reports/dashboard_event.html",
        {"dashboard": dashboard, "event": event, "site_links": site_links},
    )


@login_required
def dashboard_program(request, program_id: int):
    if not is_central(request.user):
        raise PermissionDenied
    program = get_object_or_404(Program, pk=program_id)
    rows, chart = program_overview(program=program)
    return render(
        request, "reports/dashboard_program.html", {"program": program, "rows": rows, "chart": chart}
    )
