"""Views of the plumbing: the audit log (Admin pusat only), and the export kit's downloads and job pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from core.audit_labels import action_labels
from core.errors import DomainError
from core.exports import (
    Exporter,
    attachment_response,
    export_is_large,
    export_job_create,
    export_job_download_record,
    export_now,
    exporter_class,
    exporter_label,
)
from core.models import AuditEntry, ReportJob
from core.selectors import audit_entries
from core.tasks import export_job_run_task

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("By (user name)"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    content_type = forms.ModelChoiceField(label=_("Object type"), queryset=ContentType.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Reason contains"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = action_labels()
        self.fields["action"].choices = [("", "---------")] + sorted(
            ((code, str(label)) for code, label in labels.items()), key=lambda choice: choice[1]
        )
        used = AuditEntry.objects.values("content_type_id").distinct()
        self.fields["content_type"].queryset = ContentType.objects.filter(pk__in=used).order_by("app_label", "model")
        for field in self.fields.values():
            select = field.widget.input_type == "select"
            field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"


@login_required
def audit_list(request):
    if not request.user.has_perm("core.view_auditentry"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "actor": data["actor"],
            "action": data["action"],
            "content_type_id": data["content_type"].pk if data["content_type"] else None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "text": data["text"],
        }
    page = Paginator(audit_entries(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})


# --- the export kit: every PDF and Excel download, and the background jobs of the large ones ---------------


def export_respond(request, exporter: Exporter) -> HttpResponse:
    """Build `exporter` now (and log the download), or queue it as a job when large and show its page."""
    if export_is_large(exporter):
        job = export_job_create(user=request.user, exporter=exporter, run=export_job_run_task.enqueue)
        return redirect("core:report_job", job_id=job.pk)
    output = export_now(user=request.user, exporter=exporter)
    return attachment_response(output.content, output.filename, output.content_type)


def export_download(request, kind: str, file_format: str | None = None, **url_kwargs) -> HttpResponse:
    """The download view of every exporter: each area's urls.py points its download paths here with `kind`."""
    exporter_cls = exporter_class(kind)
    if exporter_cls is None:
        raise Http404
    if exporter_cls.writes and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not exporter_cls.public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not exporter_cls.may_take(request.user):
        raise PermissionDenied
    file_format = file_format or exporter_cls.formats[0]
    if file_format not in exporter_cls.formats:
        raise Http404
    exporter = exporter_cls(
        user=request.user,
        params=exporter_cls.params_from_request(request, url_kwargs),
        file_format=file_format,
    )
    empty = exporter.nothing_to_export()
    if empty:
        messages.warning(request, empty)
        return redirect(_back(request, exporter))
    try:
        return export_respond(request, exporter)
    except DomainError as error:  # a rule refused a write the export needs (e.g. its numbers): say why
        messages.error(request, error.message)
        return redirect(_back(request, exporter))


def _back(request, exporter: Exporter) -> str:
    """The page of this app the download came from, else the exporter's own page."""
    back = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return back
    return exporter.return_url()


def _own_job(request, job_id) -> ReportJob:
    job = get_object_or_404(ReportJob, pk=job_id)
    exporter_cls = exporter_class(job.kind)
    if exporter_cls is None or not exporter_cls.may_take(request.user):
        raise PermissionDenied
    if job.user_id != request.user.pk:
        raise Http404
    return job


@login_required
def report_job(request, job_id):
    job = _own_job(request, job_id)
    return render(request, "core/job.html", {"job": job, "label": job.description or exporter_label(job.kind)})


@login_required
def report_job_status(request, job_id):
    return render(request, "core/_job_status.html", {"job": _own_job(request, job_id)})


@login_required
def report_job_file(request, job_id):
    job = _own_job(request, job_id)
    if not job.is_done:
        return redirect("core:report_job", job_id=job.pk)
    export_job_download_record(job=job)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type)
