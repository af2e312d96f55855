"""Excel in and out: the import of registrations (template, upload, check, confirm) and the list export.

Who may import: Panitia of the event, Koordinator of a site, Admin pusat (sites_registrable_by).
Who may export: whoever may see the registration list (registrations_visible_to, via the selector).
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from events.models import Event
from participants.forms.imports import ImportUploadForm
from participants.models import ImportBatch
from participants.reports.exports import RegistrationExport
from participants.scoping import sites_registrable_by
from participants.search_tokens import move_identifier_out, with_identifier
from participants.services.imports import (
    ImportFileError,
    ImportRefused,
    import_batch_check,
    import_batch_confirm,
    import_batch_create,
    import_template_build,
)

logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importable_events(user):
    return Event.objects.filter(pk__in=sites_registrable_by(user).values("event_id")).order_by("-start_date", "title")


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required("participants.add_registration", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_start(request):
    events = _importable_events(request.user)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES, events=events)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = import_batch_create(
                    user=request.user, event=form.cleaned_data["event"], filename=upload.name, data=upload.read()
                )
            except ImportFileError as error:
                form.add_error("file", error.message)
            else:
                return redirect("participants:import_batch", pk=batch.pk)
    else:
        form = ImportUploadForm(events=events, initial={"event": request.GET.get("event")})
    return render(request, "participants/imports/start.html", {"form": form, "events": events})


@login_required
@permission_required("participants.add_registration", raise_exception=True)
@require_GET
def import_template(request, event_id: int):
    event = get_object_or_404(_importable_events(request.user), pk=event_id)
    return _xlsx_response(import_template_build(event=event, user=request.user), f"template-impor-{event.slug}.xlsx")


@login_required
@permission_required("participants.add_registration", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_batch(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.filter(created_by=request.user).select_related("event"), pk=pk)
    if not _importable_events(request.user).filter(pk=batch.event_id).exists():
        raise Http404
    context = {"batch": batch, "event": batch.event}
    if batch.status == ImportBatch.Status.IMPORTED:
        return render(request, "participants/imports/batch.html", context)
    if request.method == "POST":
        clean_only = request.POST.get("mode") == "clean"
        try:
            result = import_batch_confirm(batch=batch, actor=request.user, clean_only=clean_only)
        except ImportRefused as refused:
            messages.error(request, refused.message)
            context["check"] = refused.check
            return render(request, "participants/imports/batch.html", context, status=200)
        # The batch page shows the outcome (batch.result), so no flash message repeats it.
        logger.info("import batch %s: %s registrations created", batch.pk, len(result.registrations))
        return redirect("participants:import_batch", pk=batch.pk)
    try:
        context["check"] = import_batch_check(batch=batch)
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect("participants:import_start")
    return render(request, "participants/imports/batch.html", context)


@login_required
@permission_required("participants.view_registration", raise_exception=True)
@require_GET
def registration_export(request):
    url_params, moved = move_identifier_out(request, request.GET)
    if moved:  # an identifier typed into the URL by hand: out of it, like the list (search_tokens)
        return redirect(f"{reverse('participants:registration_export')}?{url_params.urlencode()}")
    export = RegistrationExport(user=request.user, params=with_identifier(request, request.GET))
    data = export.build()
    # Who exported what, never the identifiers themselves (they must not reach the logs).
    logger.info(
        "registration export by user %s, personal data %s", request.user.pk, "shown" if export.reveal else "masked"
    )
    return _xlsx_response(data, export.filename)


urlpatterns = [
    path("impor/", import_start, name="import_start"),
    path("impor/<int:event_id>/template.xlsx", import_template, name="import_template"),
    path("impor/berkas/<int:pk>/", import_batch, name="import_batch"),
    path("ekspor/pendaftaran.xlsx", registration_export, name="registration_export"),
]
