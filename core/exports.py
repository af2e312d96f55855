"""The export kit: every PDF and Excel download of the app is an `Exporter`, and goes the same way.

An area writes its downloads as exporter classes in its `outputs.py` (one job each: check the user's
scope, count the rows, render) and lists them in `settings.EXPORTERS`, the one explicit registry. The
kit gives every one of them the same path (`core.views.export_download`):

- coarse permission (`may_take`, 403) and scope (the exporter's `load()`, 404) checked on the server;
- small exports are built in the request; large ones (more than `REPORTS_LARGE_ROWS` rows), and those that say
  `background = True` (a bundle of many documents), become a background job (`ReportJob`, django-tasks) whose
  page shows a progress bar, then the file;
- writes an export needs (certificate numbers) happen in `prepare()`, an explicit step before `render()`; such an
  exporter says so (`writes = True`) and is downloaded with a POST only;
- every download is logged (`ReportDownload`: who, what, when, for which objects);
- an export with nothing in it (`nothing_to_export()` gives a message) makes no file: the user is sent back to
  the page the download came from, which shows the message.

Like pretix's `BaseExporter`: the class knows what it prints, the kit knows how a download happens.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify

from core.models import ReportDownload, ReportJob

PDF = "pdf"
XLSX = "xlsx"
ZIP = "zip"
CONTENT_TYPES = {
    PDF: "application/pdf",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ZIP: "application/zip",
}


@dataclass
class ExportOutput:
    filename: str
    content_type: str
    content: bytes


def attachment_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """The one way a generated file leaves the app: as an attachment with its name."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def file_stem(*parts) -> str:
    """A file name of the parts, without characters a file system or a header would choke on."""
    return "_".join(slugify(str(part))[:40] for part in parts if part)


class Exporter:
    """One download: subclasses set `kind`, `label`, `formats`, and implement `load()` and `render()`.

    `params` are plain values (from the URL and the query string, or stored in a background job), so the
    same export can be built again later by a worker; `load()` turns them into objects through the user's
    scope and raises Http404 for anything outside it.
    """

    kind: str = ""
    label: Any = ""
    formats: tuple[str, ...] = (PDF,)
    public = False  # anonymous visitors may take it (a published document)
    # prepare() writes (e.g. certificate numbers): the download is then a POST, and a GET gets 405, so that no
    # link or picture on another site can make a signed-in user's browser change data.
    writes = False
    background = False  # always built as a background job, whatever its row count
    query_params: tuple[str, ...] = ()  # query-string parameters the export reads, besides the URL's
    do_not_call_in_templates = True  # templates list the classes themselves

    def __init__(
        self,
        *,
        user,
        params: Mapping[str, Any],
        file_format: str = PDF,
        progress: Callable[[int], None] | None = None,
    ):
        self.user = user
        self.params = dict(params)
        self.file_format = file_format
        self.progress = progress or (lambda percent: None)
        self.load()

    @classmethod
    def may_take(cls, user) -> bool:
        """Whether the user may take this kind of export at all (403 when not); the scope comes in `load()`."""
        return True

    @classmethod
    def params_from_request(cls, request, url_kwargs: Mapping[str, Any]) -> dict:
        params = dict(url_kwargs)
        for name in cls.query_params:
            if name in request.GET:
                params[name] = request.GET[name]
        return params

    def load(self) -> None:
        """Fetch the objects of `params` through the user's scope; raise Http404 when outside it."""

    # The setting that says up to how many rows this export is built in the request (above: in the background).
    large_rows_setting = "REPORTS_LARGE_ROWS"

    def row_count(self) -> int:
        """How many rows the export prints: above its `large_rows_setting` it is built in the background."""
        return 0

    def nothing_to_export(self) -> str:
        """A message for the user when there is nothing to put in the file (e.g. nobody qualifies for a
        certificate), else "". The download then shows the message on the page it came from, and no file, no
        job and no write is made (an empty archive or a blank PDF tells the user nothing)."""
        return ""

    def return_url(self) -> str:
        """Where the user goes back to with the "nothing to export" message, when it did not come from a page of
        this app."""
        return "/"

    def prepare(self) -> None:
        """The writes the export needs before it is rendered (through services), e.g. certificate numbers."""

    def render(self) -> ExportOutput:
        raise NotImplementedError

    def job_params(self) -> dict | None:
        """What a background job stores to build this export again; None: always build it in the request."""
        return self.params

    def description(self) -> str:
        """What the download log says was taken (no personal data)."""
        return str(self.label)

    def output(self, stem: str, content: bytes) -> ExportOutput:
        return ExportOutput(f"{stem}.{self.file_format}", CONTENT_TYPES[self.file_format], content)

    def page_progress(self, expected_pages: int) -> Callable[[int], None]:
        """An `on_page` callback turning finished pages into a percentage (capped at 99 until done)."""
        expected = max(expected_pages, 1)
        return lambda page: self.progress(min(99, page * 100 // expected))


@functools.cache
def registry() -> dict[str, type[Exporter]]:
    """kind → exporter class, from `settings.EXPORTERS` (the one list of every download of the app)."""
    classes: dict[str, type[Exporter]] = {}
    for path in settings.EXPORTERS:
        exporter = import_string(path)
        if exporter.kind in classes:
            raise ValueError(f"Two exporters of kind {exporter.kind!r}: {path} and {classes[exporter.kind]}")
        classes[exporter.kind] = exporter
    return classes


def exporter_class(kind: str) -> type[Exporter] | None:
    return registry().get(kind)


def exporter_label(kind: str) -> str:
    exporter = exporter_class(kind)
    return str(exporter.label) if exporter else kind


# --- services: building, logging, background jobs ---------------------------------------------------------


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def download_record(*, user, exporter: Exporter) -> ReportDownload:
    """Log a download: who took which export of which objects, and when."""
    return ReportDownload.objects.create(
        user=_user_or_none(user),
        kind=exporter.kind,
        file_format=exporter.file_format,
        description=exporter.description()[:300],
        params=exporter.job_params() or {},
    )


def export_is_large(exporter: Exporter) -> bool:
    if exporter.job_params() is None:
        return False
    return exporter.background or exporter.row_count() > getattr(settings, exporter.large_rows_setting)


def export_now(*, user, exporter: Exporter) -> ExportOutput:
    """Build an export in the request (its writes first) and log the download."""
    exporter.prepare()
    output = exporter.render()
    download_record(user=user, exporter=exporter)
    return output


def export_job_create(*, user, exporter: Exporter, run: Callable[..., Any]) -> ReportJob:
    """Queue a large export; `run(job_id=…)` (the task's enqueue) is called after commit."""
    params = {**(exporter.job_params() or {}), "file_format": exporter.file_format}
    job = ReportJob.objects.create(
        user=user, kind=exporter.kind, params=params, description=exporter.description()[:300]
    )
    transaction.on_commit(lambda: run(job_id=str(job.pk)))
    return job


def export_job_run(*, job_id: str) -> ReportJob:
    """Build the export of a job into the default storage, updating its progress as pages are done."""
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
        exporter_cls = exporter_class(job.kind)
        if exporter_cls is None:
            raise LookupError(f"no exporter of kind {job.kind!r}")
        params = dict(job.params)
        file_format = params.pop("file_format", exporter_cls.formats[0])
        exporter = exporter_cls(user=job.user, params=params, file_format=file_format, progress=progress)
        exporter.prepare()
        output = exporter.render()
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


def export_job_download_record(*, job: ReportJob) -> ReportDownload:
    params = dict(job.params)
    file_format = params.pop("file_format", "")
    return ReportDownload.objects.create(
        user=job.user,
        kind=job.kind,
        file_format=file_format,
        description=job.description or exporter_label(job.kind)[:300],
        params=params,
    )
