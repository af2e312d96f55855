"""Views of the reports area: the reports page of an event, downloads (at once or as a background job
with a progress bar), and the job's file. Every object comes through the user's report scope (404)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from participants.models import ReportJob
from participants.reports.base import REGISTRY
from participants.services import reports as services


def _require_reports(user) -> None:
    if not services.can_take_reports(user):
        raise PermissionDenied


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def report_events(request):
    _require_reports(request.user)
    sites = services.report_sites_for(request.user).select_related("event").order_by("-event__start_date", "order")
    events = {}
    for site in sites:
        events.setdefault(site.event, []).append(site)
    return render(request, "participants/reports/events.html", {"events": events})


@login_required
def report_index(request, event_id: int):
    _require_reports(request.user)
    event, sites = services.event_for_reports(user=request.user, event_id=event_id)
    kinds = REGISTRY
    context = {
        "event": event,
        "sites": sites,
        "event_reports": [cls for cls in kinds.values() if cls.scope == "event"],
        "site_reports": [cls for cls in kinds.values() if cls.scope == "site"],
        "session_reports": [cls for cls in kinds.values() if cls.scope == "session"],
        "jobs": [
            (job, REGISTRY[job.kind].label if job.kind in REGISTRY else job.kind)
            for job in ReportJob.objects.filter(user=request.user, params__event_id=event.id)[:10]
        ],
    }
    return render(request, "participants/reports/index.html", context)


@login_required
def report_download(request, event_id: int, kind: str, file_format: str):
    _require_reports(request.user)
    params = {
        "kind": kind,
        "event_id": event_id,
        "site_id": _int(request.GET.get("site")),
        "session_id": _int(request.GET.get("session")),
        "file_format": file_format,
    }
    report = services.report_resolve(user=request.user, **params)
    if services.report_is_large(report):
        job = services.report_job_create(user=request.user, kind=kind, params=params)
        return redirect("participants:report_job", job_id=job.pk)
    output = services.report_build_now(user=request.user, report=report)
    response = HttpResponse(output.content, content_type=output.content_type)
    response["Content-Disposition"] = f'attachment; filename="{output.filename}"'
    return response


def _own_job(request, job_id) -> ReportJob:
    _require_reports(request.user)
    return get_object_or_404(ReportJob, pk=job_id, user=request.user)


@login_required
def report_job(request, job_id):
    job = _own_job(request, job_id)
    label = REGISTRY[job.kind].label if job.kind in REGISTRY else job.kind
    return render(request, "participants/reports/job.html", {"job": job, "label": label})


@login_required
def report_job_status(request, job_id):
    return render(request, "participants/reports/_job_status.html", {"job": _own_job(request, job_id)})


@login_required
def report_job_file(request, job_id):
    job = _own_job(request, job_id)
    if job.status != ReportJob.Status.DONE or not job.file:
        return redirect("participants:report_job", job_id=job.pk)
    services.report_job_download_record(job=job)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type)


urlpatterns = [
    path("reports/", report_events, name="report_events"),
    path("reports/<int:event_id>/", report_index, name="report_index"),
    path("reports/<int:event_id>/<slug:kind>.<slug:file_format>", report_download, name="report_download"),
    path("reports/jobs/<uuid:job_id>/", report_job, name="report_job"),
    path("reports/jobs/<uuid:job_id>/status/", report_job_status, name="report_job_status"),
    path("reports/jobs/<uuid:job_id>/file/", report_job_file, name="report_job_file"),
]
