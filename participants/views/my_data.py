"""The participant's own data (by its registration code) and the staff's handling of correction requests.

The code is taken by POST (never in a URL) and, once found, the registration id is kept in the
session so the correction form needs no code in the page. Failed look-ups are counted per client
address: codes are random (31^10), and the counter stops anyone from trying them in bulk.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import workflow
from core.identifiers import mask_identifier
from core.two_factor import client_ip
from participants.forms.registration import StatusLookupForm
from participants.models import CorrectionRequest, Registration
from participants.scoping import can_see_personal_data, registrations_visible_to
from participants.services.corrections import CorrectionError, correction_request_create, correction_request_decide

SESSION_KEY = "my_data_registration_id"
FAILED_LOOKUPS_LIMIT = 20
FAILED_LOOKUPS_WINDOW = 3600
PAGE_SIZE = 50


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = CorrectionRequest
        fields = ["field", "correct_value", "note"]


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(CorrectionRequest.Status.DONE, _("Corrected")), (CorrectionRequest.Status.REFUSED, _("Refused"))]
    )
    reason = forms.CharField(label=_("reason"), required=False, max_length=500)


def _client_key(request) -> str:
    # The same client address as the login lockout: behind our proxies, not the proxy's own address
    # (which would let 20 wrong codes lock out every participant at once).
    return f"my-data-failures:{client_ip(request) or ''}"


def _masked_email(email: str) -> str:
    if not email or "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


def _own_data_context(registration: Registration) -> dict:
    person = registration.person
    registrations = (
        person.registrations.select_related("event", "site", "role")
        .prefetch_related("attendances__session")
        .order_by("-submitted_at")
    )
    return {
        "registration": registration,
        "person": person,
        "masked": {
            "nik": mask_identifier(person.nik),
            "nip": mask_identifier(person.nip),
            "nuptk": mask_identifier(person.nuptk),
            "phone": mask_identifier(person.phone),
            "email": _masked_email(person.email),
        },
        "registrations": registrations,
        "corrections": registration.correction_requests.all(),
    }


def my_data(request):
    """POST a code: see what is stored about you, and ask for a correction."""
    form = StatusLookupForm(request.POST or None)
    registration = None
    status = 200
    if request.method == "POST":
        if cache.get(_client_key(request), 0) >= FAILED_LOOKUPS_LIMIT:
            form = StatusLookupForm()
            messages.error(request, _("Too many attempts. Try again in an hour."))
            return render(request, "participants/my_data/lookup.html", {"form": form}, status=429)
        if form.is_valid():
            registration = (
                Registration.objects.select_related("person__agency", "person__province")
                .filter(code=form.cleaned_data["code"])
                .first()
            )
            if registration is None:
                key = _client_key(request)
                cache.add(key, 0, FAILED_LOOKUPS_WINDOW)
                cache.incr(key)
                form.add_error("code", _("No registration has this code. Check the code on your confirmation."))
    elif request.session.get(SESSION_KEY):
        registration = (
            Registration.objects.select_related("person__agency", "person__province")
            .filter(pk=request.session[SESSION_KEY])
            .first()
        )
    if registration is None:
        return render(request, "participants/my_data/lookup.html", {"form": form}, status=status)
    request.session[SESSION_KEY] = registration.pk
    context = _own_data_context(registration) | {"correction_form": CorrectionForm()}
    return render(request, "participants/my_data/detail.html", context)


@require_POST
def my_data_correction(request):
    registration_id = request.session.get(SESSION_KEY)
    registration = (
        Registration.objects.filter(pk=registration_id).select_related("person").first() if registration_id else None
    )
    if registration is None:
        return redirect("participants:my_data")
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        context = _own_data_context(registration) | {"correction_form": form}
        return render(request, "participants/my_data/detail.html", context, status=400)
    correction_request_create(registration=registration, **form.cleaned_data)
    messages.success(request, _("Your correction request has been sent to the organizers."))
    return redirect("participants:my_data")


def _staff(request):
    # Those who verify registrations or correct people's data: Verifikator, Panitia, Koordinator site.
    user = request.user
    if not user.has_perm("participants.view_registration") or not (
        user.has_perm("participants.change_registration") or user.has_perm("participants.change_person")
    ):
        raise PermissionDenied


@login_required
def correction_list(request):
    _staff(request)
    requests = CorrectionRequest.objects.filter(
        registration__in=registrations_visible_to(request.user).values("pk")
    ).select_related("registration__person", "registration__event", "registration__site", "decided_by")
    if request.GET.get("status") in CorrectionRequest.Status.values:
        requests = requests.filter(status=request.GET["status"])
    page = Paginator(requests.order_by("status", "-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    unmasked = can_see_personal_data(request.user)
    for correction in page:
        sensitive = correction.field in (CorrectionRequest.Field.NIK, CorrectionRequest.Field.PHONE)
        correction.shown_value = (
            mask_identifier(correction.correct_value) if sensitive and not unmasked else correction.correct_value
        )
    decidable = {correction.pk for correction in page if workflow.allowed_moves(correction)}
    return render(
        request,
        "participants/my_data/staff_list.html",
        {"page": page, "decision_form": DecisionForm(), "decidable": decidable},
    )


@login_required
@require_POST
def correction_decide(request, pk: int):
    _staff(request)
    correction = get_object_or_404(
        CorrectionRequest.objects.filter(registration__in=registrations_visible_to(request.user).values("pk")), pk=pk
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose corrected or refused."))
        return redirect("participants:correction_list")
    try:
        correction_request_decide(
            correction=correction,
            status=form.cleaned_data["status"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except CorrectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Correction request closed."))
    return redirect("participants:correction_list")


urlpatterns = [
    path("data-saya/", my_data, name="my_data"),
    path("data-saya/koreksi/", my_data_correction, name="my_data_correction"),
    path("koreksi-data/", correction_list, name="correction_list"),
    path("koreksi-data/<int:pk>/putuskan/", correction_decide, name="correction_decide"),
]
