"""Views of the participants area.

- Public: self-registration, confirmation and status look-up. No registration code is ever put in a URL:
  the confirmation page reads it from the session, the status page takes it by POST, QR codes are drawn
  inline. The participant's own data (by its code) and its correction requests: the code is taken by POST
  and, once found, the registration id is kept in the session; failed look-ups are throttled per client
  address (codes are random, 31^10: the throttle stops anyone from trying them in bulk), and so is every
  anonymous POST (core.throttle: counted in the cache all workers share). These pages, and the
  registration form (people type their NIK on the venue's shared computers), are `never_cache`: no-store.
- Staff: the registration list, form and decisions, the Excel import (template, upload, check, confirm) and
  the list's export, and the handling of correction requests. Registrations are fetched by pk through
  `registrations_visible_to(user)`, so another province's or site's id is a 404. Who may import: Panitia of
  the event, Koordinator of a site, Admin pusat; who may export: whoever may see the registration list.
"""

import logging
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import workflow
from core.exports import attachment_response
from core.models import ImportBatch
from core.params import is_id, parse_date_or_none
from core.qr import qr_svg
from core.throttle import FAILED_LOOKUPS, PUBLIC_POSTS, throttled
from core.views import export_download
from events.models import Agency, Event
from events.selectors import registration_place, sites_registrable_by, sites_visible_to
from participants.forms import (
    BulkSelectionForm,
    CorrectionForm,
    DecisionForm,
    ImportUploadForm,
    OrganizerRegistrationForm,
    PersonEditForm,
    PublicRegistrationForm,
    ReasonForm,
    RejectForm,
    StatusLookupForm,
    WithdrawForm,
    agency_options,
)
from participants.history import registration_history
from participants.imports import (
    ImportFileError,
    ImportRefused,
    import_batch_check,
    import_batch_confirm,
    import_batch_create,
    import_batches_of,
)
from participants.models import CorrectionRequest, Registration
from participants.outputs import RegistrationExport, registration_card_pdf
from participants.search_tokens import move_identifier_out, with_identifier
from participants.selectors import (
    can_see_personal_data,
    importable_events,
    registrations_visible_to,
    shown_correction_value,
    shown_personal_data,
    status_counts,
)
from participants.selectors import registration_list as select_registrations
from participants.services import (
    CorrectionError,
    RegistrationError,
    correction_request_create,
    correction_request_decide,
    personal_data_viewed,
    personal_data_viewed_many,
    registration_agency_proposal_accept,
    registration_agency_proposal_map,
    registration_create,
    registration_create_with_agency,
    registration_data_update,
    registration_reject,
    registration_resubmit,
    registration_verify,
    registration_withdraw,
    registrations_verify_many,
)
from participants.waitlist import WaitlistError, waiting_groups, waiting_position, waitlist_promote, waitlist_remove

Status = Registration.Status
PAGE_SIZE = 50
# The id of the registration just made, never its code (the code is the participant's key), travels in a signed
# cookie: the public POST writes no session row (it is the hot path of a registration link sent to a province).
# The signature (SECRET_KEY, this salt) keeps anyone from reading another registration by changing the id.
REGISTRATION_COOKIE = "pendaftaran"
# The registration whose printable card this browser may take: the one just made or just looked up by its code.
# The registration last looked up on the status page: the one its participant may withdraw.
SESSION_STATUS_KEY = "status_registration_id"
CARD_COOKIE = "kartu_pendaftaran"
_COOKIE_SALT = "participants.public"
# Older browsers' sessions may still hold the id of the registration just made (before the cookie).
SESSION_REGISTRATION_KEY = "registration_done"


def _remember(response: HttpResponse, cookie: str, registration_id: int) -> HttpResponse:
    """Keep a registration's id in a signed cookie of this browser, until the browser closes (like a session)."""
    response.set_signed_cookie(
        cookie,
        str(registration_id),
        salt=_COOKIE_SALT,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _remembered(request: HttpRequest, cookie: str) -> int | None:
    """The registration id of the signed cookie, while it is younger than a session may live (else None)."""
    value = request.get_signed_cookie(cookie, default=None, salt=_COOKIE_SALT, max_age=settings.SESSION_COOKIE_AGE)
    return int(value) if is_id(value) else None


@lru_cache(maxsize=32)
def _fixed_path(name: str, script_prefix: str) -> str:
    """The path of a URL without arguments, reversed once per process (and script prefix): the public registration
    POST, under a crowd, is answered without walking the URL patterns."""
    return reverse(name)


# --- Public: self-registration, confirmation, status ------------------------------------------------------


@never_cache
@throttled(PUBLIC_POSTS)
def public_register(request, slug: str, site_id: int):
    # The site, its event, roles and the provinces from this worker's memory (events.selectors): none of it changes
    # from one participant to the next.
    place = registration_place(site_id)
    if place is None or place.site.event.slug != slug or place.site.event.status != Event.Status.PUBLISHED:
        raise Http404
    site = place.site
    event = site.event  # with organizer_named, the controller of the data
    window = event.registration_state()
    if window != "open":
        return render(
            request,
            "participants/registration/public_closed.html",
            {"site": site, "event": event, "window": window},
        )
    options_url = _fixed_path("participants:agency_options", get_script_prefix())
    form = PublicRegistrationForm(
        request.POST or None, site=site, agency_options_url=options_url, roles=place.roles, provinces=place.provinces
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = registration_create(
                site=site,
                role=form.cleaned_data["role"],
                person_data=form.person_data(),
                proposed_agency=form.new_agency(),
                source=Registration.Source.SELF,
                join_waitlist=form.cleaned_data["join_waitlist"],
                served=place.served,
            )
        except RegistrationError as error:
            form.add_registration_error(error)
        else:
            response = HttpResponseRedirect(_fixed_path("participants:public_confirmation", get_script_prefix()))
            _remember(response, REGISTRATION_COOKIE, registration.pk)
            return _remember(response, CARD_COOKIE, registration.pk)
    return render(request, "participants/registration/public_form.html", {"site": site, "event": event, "form": form})


@never_cache
def public_confirmation(request):
    registration_id = _remembered(request, REGISTRATION_COOKIE) or request.session.get(SESSION_REGISTRATION_KEY)
    registration = (
        Registration.objects.select_related("site__venue", "event", "role").filter(pk=registration_id).first()
        if is_id(registration_id)
        else None
    )
    if registration is None:
        return redirect("participants:registration_status")
    return render(
        request,
        "participants/registration/public_confirmation.html",
        {
            "registration": registration,
            "qr": qr_svg(registration.code) if registration.admits else "",
            "position": waiting_position(registration),
        },
    )


@never_cache
@throttled(PUBLIC_POSTS)
@throttled(FAILED_LOOKUPS, count=False)
def registration_status(request):
    """A participant looks up its registration by code (POST, so the code stays out of URLs and logs).

    Wrong codes are failed look-ups, shared with /data-saya/: whoever tries codes in bulk gets 429."""
    form = StatusLookupForm(request.POST or None)
    registration = None
    if request.method == "POST" and form.is_valid():
        registration = (
            Registration.objects.select_related("site__venue", "event", "role")
            .filter(code=form.cleaned_data["code"])
            .first()
        )
        if registration is None:
            FAILED_LOOKUPS.hit(request)
            form.add_error("code", _("No registration has this code. Check the code on your confirmation."))
    context = {"form": form, "registration": registration}
    if registration is not None:
        request.session[SESSION_STATUS_KEY] = registration.pk
        context["identifiers"] = shown_personal_data(registration, unmasked=False)
        context["position"] = waiting_position(registration)
        context["may_withdraw"] = (
            Status.WITHDRAWN in workflow.allowed_moves(registration)
            and registration.site.end_date >= timezone.localdate()
        )
        # The QR gets the person in at the desk while the registration stands (submitted or verified).
        context["qr"] = qr_svg(registration.code) if registration.admits else ""
    response = render(request, "participants/registration/status.html", context)
    if registration is not None and registration.admits:
        _remember(response, CARD_COOKIE, registration.pk)
    return response


def _status_registration(request) -> Registration | None:
    """The registration this browser looked up by its code on the status page (its id is in the session)."""
    registration_id = request.session.get(SESSION_STATUS_KEY)
    if not is_id(registration_id):
        return None
    return Registration.objects.select_related("site__venue", "event", "role").filter(pk=registration_id).first()


@never_cache
@require_POST
@throttled(PUBLIC_POSTS)
def registration_withdraw_view(request):
    """The participant withdraws the registration it looked up on the status page: a first POST shows what will
    be withdrawn and asks to confirm, the second (confirm=1) withdraws it (audited; its seat goes to the first in
    line). The code travels in no URL: the session holds the registration's id."""
    registration = _status_registration(request)
    if registration is None or Status.WITHDRAWN not in workflow.allowed_moves(registration):
        messages.info(request, _("Look up your registration with its code first."))
        return redirect("participants:registration_status")
    form = WithdrawForm(request.POST if request.POST.get("confirm") == "1" else None)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"] or _("Withdrawn by the participant on the status page.")
        response = redirect("participants:registration_status")
        try:
            registration_withdraw(registration=registration, actor=None, reason=reason)
        except RegistrationError as error:
            messages.error(request, error.message)
        else:
            request.session.pop(SESSION_STATUS_KEY, None)
            response.delete_cookie(CARD_COOKIE)  # the card of a withdrawn registration is printed no more
            messages.success(request, _("Your registration is withdrawn. Thank you for letting us know."))
        return response
    return render(
        request, "participants/registration/withdraw_confirm.html", {"registration": registration, "form": form}
    )


@never_cache
def registration_card(request):
    """The printable card (PDF) of the registration this browser just made or looked up by its code: the code
    travels in no URL, a signed cookie holds the registration's id."""
    registration_id = _remembered(request, CARD_COOKIE)
    registration = (
        Registration.objects.select_related("site__venue", "event", "role").filter(pk=registration_id).first()
        if is_id(registration_id)
        else None
    )
    if registration is None or not registration.admits:
        messages.info(request, _("Look up your registration with its code first; then print its card."))
        return redirect("participants:registration_status")
    return attachment_response(registration_card_pdf(registration), "kartu-peserta.pdf", "application/pdf")


def agency_options_view(request):
    """htmx: the <option>s of the agency select for the chosen type and province."""
    agency_type, province = request.GET.get("agency_type", ""), request.GET.get("province", "")
    agency_type = agency_type if is_id(agency_type) else ""
    province = province if is_id(province) else ""
    on_dates = [day for day in map(parse_date_or_none, request.GET.getlist("on")[:5]) if day]
    agencies = (
        agency_options(agency_type=agency_type, province=province, on_dates=on_dates) if agency_type or province else []
    )
    selected = request.GET.get("agency", "")
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((a.pk, " selected" if str(a.pk) == selected else "", a.name) for a in agencies[:500]),
    )
    return HttpResponse(format_html('<option value="">---------</option>{}', options))


# --- Staff: list, bulk verification, detail, decisions ----------------------------------------------------


def _status_param_free(params):
    params = params.copy()
    params.pop("status", None)
    return params


@login_required
@permission_required("participants.view_registration", raise_exception=True)
def registration_list_view(request):
    # The filter form is POSTed; an identifier typed in the search box leaves as an opaque token (search_tokens).
    url_params, moved = move_identifier_out(request, request.POST if request.method == "POST" else request.GET)
    if request.method == "POST" or moved:
        if request.method == "POST":
            url_params.pop("page", None)  # a new search starts at its first page
        return redirect(f"{reverse('participants:registration_list')}?{url_params.urlencode()}")
    filter_params = with_identifier(request, request.GET)
    registrations = select_registrations(user=request.user, params=filter_params)
    counts = status_counts(select_registrations(user=request.user, params=_status_param_free(filter_params)).qs)
    # The list's length is one of the counts per status (or their sum): no second count of the same rows.
    paginator = Paginator(registrations.qs, PAGE_SIZE)
    registrations.form.is_valid()  # an invalid field filters nothing (django-filter): so it counts nothing here
    chosen_status = registrations.form.cleaned_data.get("status")
    paginator.count = counts.get(chosen_status, 0) if chosen_status else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    unmasked = can_see_personal_data(request.user)
    can_decide = request.user.has_perm("participants.change_registration")
    rows = [
        (
            registration,
            shown_personal_data(registration, unmasked=unmasked),
            can_decide and Status.VERIFIED in workflow.allowed_moves(registration),
        )
        for registration in page
    ]
    if unmasked:
        personal_data_viewed_many(actor=request.user, holders=[row[0] for row in rows], where="registration_list")
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "participants/registration/list.html",
        {
            "filter": registrations,
            "page": page,
            "rows": rows,
            "counts": [(Status(status), n) for status, n in counts.items()],
            "total": sum(counts.values()),
            "can_decide": can_decide,
            "query": params.urlencode(),
            "waiting_list_event": request.GET.get("event") if is_id(request.GET.get("event", "")) else None,
        },
    )


@login_required
@require_POST
def registrations_verify_bulk(request):
    """First POST (ticked ids): a page listing what will be verified; second POST (confirm): verify them."""
    if not request.user.has_perm("participants.change_registration"):
        raise PermissionDenied
    form = BulkSelectionForm(request.POST)
    ids = form.cleaned_data["ids"] if form.is_valid() else []
    selected = registrations_visible_to(request.user).filter(pk__in=ids, status=Status.SUBMITTED)
    if not ids or not selected.exists():
        messages.warning(request, _("Tick the submitted registrations to verify first."))
        return redirect("participants:registration_list")
    if request.POST.get("confirm") == "1":
        done, refused = registrations_verify_many(registrations=selected, actor=request.user)
        messages.success(request, _("Registrations verified: %(n)d.") % {"n": done})
        for error in refused:
            messages.error(request, error.message)
        return redirect("participants:registration_list")
    rows = selected.select_related("site", "role").order_by("full_name")
    return render(request, "participants/registration/bulk_confirm.html", {"rows": rows})


def _scoped_registration(request, pk: int) -> Registration:
    return get_object_or_404(
        registrations_visible_to(request.user).select_related(
            "agency__type", "province", "site__venue", "event", "role", "decided_by", "created_by"
        ),
        pk=pk,
    )


def _can_edit(user, registration: Registration) -> bool:
    return user.has_perm("participants.add_registration") and (
        sites_registrable_by(user).filter(pk=registration.site_id).exists()
    )


def registration_actions(user, registration: Registration) -> set[str]:
    """What the user may do with the registration now: the workflow's allowed moves × the user's rights."""
    moves = workflow.allowed_moves(registration)
    actions = set()
    if user.has_perm("participants.change_registration"):
        actions |= {
            name for name, status in (("verify", Status.VERIFIED), ("reject", Status.REJECTED)) if status in moves
        }
    if _can_edit(user, registration):
        actions.add("edit")
        if Status.SUBMITTED in moves and registration.status != Status.WAITING:
            actions.add("resubmit")
        if registration.status == Status.WAITING:
            actions.add("waitlist")
        if registration.proposed_agency_name:
            actions.add("agency_proposal")
    return actions


@login_required
@permission_required("participants.view_registration", raise_exception=True)
def registration_detail(request, pk: int, reject_form: RejectForm | None = None):
    registration = _scoped_registration(request, pk)
    unmasked = can_see_personal_data(request.user)
    if unmasked and request.method == "GET":
        # UU PDP: who looked at unmasked personal data is on record.
        personal_data_viewed(actor=request.user, holder=registration, where="registration_detail")
    context = {
        "registration": registration,
        "identifiers": shown_personal_data(registration, unmasked=unmasked),
        "history": registration_history(registration),
        "actions": registration_actions(request.user, registration),
        "reject_form": reject_form or RejectForm(),
        "agency_choices": _proposal_choices(registration)[:500],
        "position": waiting_position(registration),
        "reason_form": ReasonForm(),
    }
    status = 400 if reject_form is not None else 200
    return render(request, "participants/registration/detail.html", context, status=status)


def _proposal_choices(registration: Registration):
    """The agencies a proposed one may turn out to be: of its type (and province, when known)."""
    if not registration.proposed_agency_name:
        return Agency.objects.none()
    return agency_options(
        agency_type=str(registration.proposed_agency_type_id or ""), province=str(registration.province_id or "")
    )


@login_required
@require_POST
def agency_proposal(request, pk: int):
    """The organizer accepts the agency a registrant proposed, or maps it to one of the list."""
    registration = _scoped_registration(request, pk)
    if "agency_proposal" not in registration_actions(request.user, registration):
        raise PermissionDenied
    try:
        if request.POST.get("action") == "accept":
            registration_agency_proposal_accept(registration=registration, actor=request.user)
        else:
            agency_id = request.POST.get("agency", "")
            agency = _proposal_choices(registration).filter(pk=agency_id).first() if is_id(agency_id) else None
            if agency is None:
                raise RegistrationError("agency", _("Choose the agency of the list."))
            registration_agency_proposal_map(registration=registration, agency=agency, actor=request.user)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The agency of the registration was saved."))
    return redirect("participants:registration_detail", pk=registration.pk)


def _decider(request, pk: int) -> Registration:
    if not request.user.has_perm("participants.change_registration"):
        raise PermissionDenied
    return _scoped_registration(request, pk)


@login_required
@require_POST
def registration_verify_view(request, pk: int):
    registration = _decider(request, pk)
    try:
        registration_verify(registration=registration, actor=request.user)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Registration verified."))
    return redirect("participants:registration_detail", pk=registration.pk)


@login_required
@require_POST
def registration_reject_view(request, pk: int):
    registration = _decider(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return registration_detail(request, pk, reject_form=form)
    try:
        registration_reject(registration=registration, actor=request.user, reason=form.cleaned_data["reason"])
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Registration rejected."))
    return redirect("participants:registration_detail", pk=registration.pk)


@login_required
@require_POST
def registration_resubmit_view(request, pk: int):
    registration = _scoped_registration(request, pk)
    if not _can_edit(request.user, registration):
        raise PermissionDenied
    try:
        registration_resubmit(registration=registration, actor=request.user)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Registration submitted again for verification."))
    return redirect("participants:registration_detail", pk=registration.pk)


@login_required
def person_edit(request, pk: int):
    """An organizer corrects what the registration holds about its person (its own copy: see PersonalData).

    Identifiers, phone and birth date are shown masked unless the user may see them (then the view is on
    record); a masked value sent back unchanged keeps the stored one.
    """
    registration = _scoped_registration(request, pk)
    if not _can_edit(request.user, registration):
        raise PermissionDenied
    event = registration.event
    unmasked = can_see_personal_data(request.user)
    form = PersonEditForm(
        request.POST or None,
        initial=PersonEditForm.initial_for(registration, unmasked=unmasked),
        kept=PersonEditForm.kept_for(registration, unmasked=unmasked),
        kept_birth_date=None if unmasked else registration.birth_date,
        asks=[
            name for name in ("nik", "nip", "nuptk") if getattr(event, f"asks_{name}") or getattr(registration, name)
        ],
        agency_options_url=reverse("participants:agency_options"),
        on_dates=[event.start_date],
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration_data_update(
                registration=registration,
                person_data=form.person_data(),
                new_agency=form.new_agency(),
                actor=request.user,
            )
        except RegistrationError as error:
            form.add_registration_error(error)
        else:
            messages.success(request, _("The person's data was saved."))
            return redirect("participants:registration_detail", pk=registration.pk)
    if unmasked:
        personal_data_viewed(actor=request.user, holder=registration, where="person_edit")
    return render(request, "participants/registration/person_edit.html", {"registration": registration, "form": form})


@login_required
@permission_required("participants.add_registration", raise_exception=True)
def registration_new(request):
    sites = sites_registrable_by(request.user)
    if not sites.exists():
        raise PermissionDenied
    initial = {}
    if is_id(request.GET.get("site", "")):
        initial["site"] = int(request.GET["site"])
    form = OrganizerRegistrationForm(
        request.POST or None, sites=sites, initial=initial, agency_options_url=reverse("participants:agency_options")
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = registration_create_with_agency(
                site=form.cleaned_data["site"],
                role=form.cleaned_data["role"],
                person_data=form.person_data(),
                new_agency=form.new_agency(),
                source=Registration.Source.FORM,
                actor=request.user,
                join_waitlist=form.cleaned_data["join_waitlist"],
            )
        except RegistrationError as error:
            form.add_registration_error(error)
        else:
            if registration.status == Status.WAITING:
                messages.success(
                    request,
                    _("%(name)s is on the waiting list (place %(position)d) with code %(code)s.")
                    % {
                        "name": registration.full_name,
                        "position": waiting_position(registration),
                        "code": registration.code,
                    },
                )
            else:
                messages.success(
                    request,
                    _("%(name)s is registered with code %(code)s.")
                    % {"name": registration.full_name, "code": registration.code},
                )
            if "another" in request.POST:
                return redirect(f"{reverse('participants:registration_new')}?site={registration.site_id}")
            return redirect("participants:registration_detail", pk=registration.pk)
    return render(request, "participants/registration/organizer_form.html", {"form": form})


# --- Staff: the waiting lists of an event ------------------------------------------------------------------


@login_required
@permission_required("participants.view_registration", raise_exception=True)
def waiting_list_view(request, event_id: int):
    """The waiting line of each site × role of the event that the user may see, with the seats taken and the
    target; the organizer of a site promotes or removes someone, with a reason. Another event's staff: 403."""
    event = get_object_or_404(Event, pk=event_id)
    sites = list(sites_visible_to(request.user).filter(event=event).order_by("order", "name"))
    if not sites:
        raise PermissionDenied
    groups = waiting_groups(registrations=registrations_visible_to(request.user), sites=sites, event_id=event.pk)
    actionable = set()
    if request.user.has_perm("participants.add_registration"):
        actionable = set(sites_registrable_by(request.user).filter(event=event).values_list("pk", flat=True))
    return render(
        request,
        "participants/registration/waiting_list.html",
        {
            "event": event,
            "groups": groups,
            "actionable": actionable,
            "reason_form": ReasonForm(),
            "waiting_total": sum(len(group.rows) for group in groups),
        },
    )


@login_required
@require_POST
def waitlist_decide(request, pk: int):
    """The organizer promotes a waiting registration to a seat (even beyond the target), or removes it from the
    line; a reason either way."""
    registration = _scoped_registration(request, pk)
    if not _can_edit(request.user, registration):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    action = request.POST.get("action")
    if action not in ("promote", "remove"):
        messages.error(request, _("Choose promote or remove."))
    elif not form.is_valid():
        messages.error(request, form.errors["reason"][0])
    else:
        decide = waitlist_promote if action == "promote" else waitlist_remove
        try:
            decide(registration=registration, actor=request.user, reason=form.cleaned_data["reason"])
        except WaitlistError as error:
            messages.error(request, error.message)
        else:
            done = (
                _("%(name)s got a seat: the registration goes to verification.")
                if action == "promote"
                else _("%(name)s was removed from the waiting list.")
            )
            messages.success(request, done % {"name": registration.full_name})
    if request.POST.get("back") == "detail":
        return redirect("participants:registration_detail", pk=registration.pk)
    return redirect("participants:waiting_list", event_id=registration.event_id)


@login_required
@permission_required("participants.add_registration", raise_exception=True)
def public_links(request):
    """Each site of the user's events with its public self-registration link and a QR code of it."""
    sites = (
        sites_registrable_by(request.user)
        .select_related("event__organizer__province", "venue")
        .order_by("-event__start_date", "event__title", "order")
    )
    rows = []
    for site in sites:
        url = request.build_absolute_uri(
            reverse("participants:public_register", kwargs={"slug": site.event.slug, "site_id": site.pk})
        )
        rows.append({"site": site, "url": url, "qr": qr_svg(url), "window": site.event.registration_state()})
    return render(request, "participants/registration/public_links.html", {"rows": rows})


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
        mode = request.POST.get("mode", "")  # all | clean, each with "_waitlist": the rows beyond a full quota wait
        clean_only, waitlist = mode.startswith("clean"), mode.endswith("_waitlist")
        try:
            result = import_batch_confirm(batch=batch, actor=request.user, clean_only=clean_only, waitlist=waitlist)
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


SESSION_KEY = "my_data_registration_id"
PAGE_SIZE = 50


def _masked_email(email: str) -> str:
    if not email or "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


def _own_data_context(registration: Registration) -> dict:
    """What this registration holds, and nothing else: a registration code opens its own registration only.

    The code may be in other hands than its owner's (whoever registered someone else has it), so the page
    shows no other registration of the person, nothing the shared record holds, and everything masked.
    """
    return {
        "registration": registration,
        "masked": shown_personal_data(registration, unmasked=False) | {"email": _masked_email(registration.email)},
        "attendances": registration.attendances.select_related("session").order_by("session__starts_at"),
        "corrections": registration.correction_requests.all(),
    }


@never_cache
@throttled(PUBLIC_POSTS)
@throttled(FAILED_LOOKUPS, count=False)
def my_data(request):
    """POST a code: see what is stored about you, and ask for a correction.

    Wrong codes are failed look-ups (core.throttle, counted per client address in the shared cache)."""
    form = StatusLookupForm(request.POST or None)
    registration = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            registration = (
                Registration.objects.select_related("agency", "school", "province", "event", "site", "role")
                .filter(code=form.cleaned_data["code"])
                .first()
            )
            if registration is None:
                FAILED_LOOKUPS.hit(request)
                form.add_error("code", _("No registration has this code. Check the code on your confirmation."))
    elif request.session.get(SESSION_KEY):
        registration = (
            Registration.objects.select_related("agency", "school", "province", "event", "site", "role")
            .filter(pk=request.session[SESSION_KEY])
            .first()
        )
    if registration is None:
        return render(request, "participants/my_data/lookup.html", {"form": form}, status=status)
    request.session[SESSION_KEY] = registration.pk
    context = _own_data_context(registration) | {"correction_form": CorrectionForm(registration=registration)}
    return _remember(render(request, "participants/my_data/detail.html", context), CARD_COOKIE, registration.pk)


@never_cache
@require_POST
@throttled(PUBLIC_POSTS)
def my_data_correction(request):
    registration_id = request.session.get(SESSION_KEY)
    registration = Registration.objects.filter(pk=registration_id).first() if is_id(registration_id) else None
    if registration is None:
        return redirect("participants:my_data")
    form = CorrectionForm(request.POST, registration=registration)
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
        user.has_perm("participants.change_registration") or user.has_perm("participants.add_registration")
    ):
        raise PermissionDenied


@login_required
def correction_list(request):
    _staff(request)
    requests = CorrectionRequest.objects.filter(
        registration__in=registrations_visible_to(request.user).values("pk")
    ).select_related("registration__event", "registration__site", "decided_by")
    if request.GET.get("status") in CorrectionRequest.Status.values:
        requests = requests.filter(status=request.GET["status"])
    page = Paginator(requests.order_by("status", "-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    unmasked = can_see_personal_data(request.user)
    for correction in page:
        correction.shown_value = shown_correction_value(correction, unmasked=unmasked)
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
