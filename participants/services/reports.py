"""Reports: who may take which report, building it (at once or as a background job), the download
log, and the issue of certificate numbers."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core import audit
from events.models import Event, EventSite, Session
from participants import groups as G
from participants.models import Certificate, Registration, ReportDownload, ReportJob
from participants.reports import attendance_recap, badges, certificates, daftar_hadir, rekap  # noqa: F401 (registry)
from participants.reports.base import LISTED_STATUSES, REGISTRY, Report, ReportOutput, site_queryset
from participants.scoping import group_names, is_central, sites_visible_to

REPORT_GROUPS = {G.ADMIN_PUSAT, G.PANITIA, G.KOORDINATOR_SITE, G.PEJABAT}


def can_take_reports(user) -> bool:
    return is_central(user) or bool(REPORT_GROUPS & group_names(user))


def report_sites_for(user) -> QuerySet[EventSite]:
    """The sites whose reports the user may download (none for groups without reports)."""
    if not can_take_reports(user):
        return EventSite.objects.none()
    return sites_visible_to(user)


def report_resolve(
    *,
    user,
    kind: str,
    event_id: int,
    site_id: int | None = None,
    session_id: int | None = None,
    file_format: str = "pdf",
    progress=None,
) -> Report:
    """The report the user asked for, or 404 when the kind, format or any object is outside its scope."""
    report_class = REGISTRY.get(kind)
    if report_class is None or file_format not in report_class.formats:
        raise Http404
    sites = list(site_queryset().filter(pk__in=report_sites_for(user).values("pk"), event_id=event_id))
    if not sites:
        raise Http404
    event = sites[0].event
    site = session = None
    if report_class.scope in ("site", "session"):
        site = next((s for s in sites if s.pk == site_id), None)
        if site is None:
            raise Http404
    if report_class.scope == "session":
        session = next((s for s in site.sessions.all() if s.pk == session_id), None)
        if session is None:
            raise Http404
    return report_class(
        event=event,
        site=site,
        session=session,
        sites=sites,
        file_format=file_format,
        options={"actor": user},
        progress=progress,
    )


def report_download_record(*, user, report: Report) -> ReportDownload:
    """Log a download: who took which report of which event/site/session, and when."""
    return ReportDownload.objects.create(
        user=user,
        kind=report.kind,
        file_format=report.file_format,
        event=report.event,
        site=report.site,
        session=report.session,
    )


def report_is_large(report: Report) -> bool:
    return report.row_count() > settings.REPORTS_LARGE_ROWS


def report_build_now(*, user, report: Report) -> ReportOutput:
    """Render a small report in the request and log the download."""
    output = report.render()
    report_download_record(user=user, report=report)
    return output


def report_job_create(*, user, kind: str, params: dict) -> ReportJob:
    """Queue a large report; the task runs after commit (in-process with the default backend)."""
    from participants.tasks import report_job_run_task

    job = ReportJob.objects.create(user=user, kind=kind, params=params)
    transaction.on_commit(lambda: report_job_run_task.enqueue(job_id=str(job.pk)))
    return job


def report_job_run(*, job_id: str) -> ReportJob:
    """Build the report of a job into the default storage, updating its progress as pages are done."""
    job = ReportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ReportJob.Status.PENDING:
        return job
    job.status = ReportJob.Status.RUNNING
    job.save(update_fields=["status"])
    last = {"percent": 0}

    def progress(percent: int) -> None:
        if percent >= last["percent"] + 5:  # a write every 5 %, not every page
            last["percent"] = percent
            ReportJob.objects.filter(pk=job.pk).update(progress=percent)

    try:
        report = report_resolve(user=job.user, progress=progress, **job.params)
        output = report.render()
    except Exception:
        job.status = ReportJob.Status.FAILED
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
        raise
    job.file.save(f"{job.pk}-{output.filename}", ContentFile(output.content), save=False)
    job.filename, job.content_type = output.filename, output.content_type
    job.status, job.progress, job.finished_at = ReportJob.Status.DONE, 100, timezone.now()
    job.save(update_fields=["file", "filename", "content_type", "status", "progress", "finished_at"])
    return job


def report_job_download_record(*, job: ReportJob) -> ReportDownload:
    params = job.params
    return ReportDownload.objects.create(
        user=job.user,
        kind=job.kind,
        file_format=params.get("file_format", "pdf"),
        event_id=params.get("event_id"),
        site_id=params.get("site_id"),
        session_id=params.get("session_id"),
    )


def certificate_eligible(*, site: EventSite) -> QuerySet[Registration]:
    """Registrations of the site whose attended sessions reach the event's threshold (% of the site's sessions)."""
    sessions = Session.objects.filter(site=site).count()
    if not sessions:
        return Registration.objects.none()
    threshold = site.event.attendance_threshold_percent
    return (
        Registration.objects.filter(site=site, status__in=LISTED_STATUSES)
        .annotate(attended=Count("attendances", filter=Q(attendances__session__site=site)))
        .filter(attended__gte=(threshold * sessions + 99) // 100)
    )


@transaction.atomic
def certificates_issue(*, site: EventSite, actor) -> list[Certificate]:
    """Give a number to every eligible participant of the site that has none yet, and return all the
    site's certificates of eligible participants, in number order. Numbers are never reused or changed:
    `<sequence>/<event id>/<site order>/<year>`, the sequence running per site."""
    EventSite.objects.select_for_update().filter(pk=site.pk).first()  # one issuer per site at a time
    eligible = certificate_eligible(site=site)
    missing = list(
        eligible.filter(certificate__isnull=True).order_by("person__full_name", "id").values_list("id", flat=True)
    )
    if missing:
        start = (Certificate.objects.filter(site=site).aggregate(top=Max("sequence"))["top"] or 0) + 1
        year = site.event.end_date.year
        Certificate.objects.bulk_create(
            [
                Certificate(
                    registration_id=registration_id,
                    site=site,
                    sequence=sequence,
                    number=f"{sequence:04d}/{site.event_id}/{site.order}/{year}",
                )
                for sequence, registration_id in enumerate(missing, start=start)
            ]
        )
        audit.record(actor=actor, action="certificates.issued", target=site, data={"count": len(missing)})
    return list(
        Certificate.objects.filter(site=site, registration__in=eligible.values("id"))
        .select_related("registration__person", "registration__role")
        .order_by("sequence")
    )


def event_for_reports(*, user, event_id: int) -> tuple[Event, list[EventSite]]:
    """The event and the sites of it the user may take reports of (404 when none)."""
    sites = list(site_queryset().filter(pk__in=report_sites_for(user).values("pk"), event_id=event_id))
    if not sites:
        raise Http404
    return sites[0].event, sites
