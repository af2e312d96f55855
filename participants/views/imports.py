"""Excel in and out: the import of registrations (template, upload, check, confirm) and the list export.

Who may import: Panitia of the event, Koordinator of a site, Admin pusat (sites_registrable_by).
Who may export: whoever may see the registration list (registrations_visible_to, via the selector).
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.models import ImportBatch
from core.views import export_download
from participants.forms.imports import ImportUploadForm
from participants.outputs import ImportTemplate, RegistrationExport
from participants.search_tokens import move_identifier_out
from participants.selectors import importable_events
from participants.services.imports import (
    ImportFileError,
    ImportRefused,
    import_batch_check,
    import_batch_confirm,
    import_batch_create,
    import_batches_of,
)

logger = logging.getLogger(__name__)


@login_required
@permission_required("participants.add_registration", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_start(request):
    events = importable_events(request.user)
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
@require_http_methods(["GET", "POST"])
def import_batch(request, pk: int):
    batch = get_object_or_404(import_batches_of(request.user), pk=pk)
    event = importable_events(request.user).filter(pk=batch.scope.get("event_id")).first()
    if event is None:
        raise Http404
    context = {"batch": batch, "event": event}
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


@require_GET
def registration_export(request):
    url_params, moved = move_identifier_out(request, request.GET)
    if moved:  # an identifier typed into the URL by hand: out of it, like the list (search_tokens)
        return redirect(f"{reverse('participants:registration_export')}?{url_params.urlencode()}")
    return export_download(request, kind=RegistrationExport.kind)


urlpatterns = [
    path("impor/", import_start, name="import_start"),
    path(
        "impor/<int:event_id>/template.xlsx",
        export_download,
        {"kind": ImportTemplate.kind},
        name="import_template",
    ),
    path("impor/berkas/<int:pk>/", import_batch, name="import_batch"),
    path("ekspor/pendaftaran.xlsx", registration_export, name="registration_export"),
]
