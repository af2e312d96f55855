"""Check-in at the door: the screen for a phone, its JSON endpoints (also for offline sync), live counts, paper sheet.

Only users who may add attendance (Panitia, Koordinator site, Admin pusat) and only for the sites of
their scope: another site's session or site id gives 404, JSON endpoints included.
"""

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendance import rules, selectors
from attendance.forms import CheckinForm, HeldDropForm, PaperSheetForm, SearchForm
from attendance.services import (
    CheckinError,
    attendance_bulk_paper,
    attendance_record,
    attendance_sync,
    held_checkin_accept,
    held_checkin_drop,
)

SYNC_BATCH_LIMIT = 500


def checkin_permission(view):
    """Signed in, holding attendance.add_attendance (403 otherwise): read from the user's check-in scope, which
    each worker keeps in memory (attendance.selectors.checkin_scope), not from two permission queries a request."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.checkin_scope(request.user).allowed:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(checked)


def _json_body(request: HttpRequest) -> dict | None:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _bad_request(message: str, errors: dict | None = None) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message, "errors": errors or {}}, status=400)


@checkin_permission
@require_GET
def checkin_sessions(request: HttpRequest) -> HttpResponse:
    sites: dict = {}
    for session in selectors.checkin_sessions_for_user(request.user):
        sites.setdefault(session.site, []).append(session)
    return render(
        request,
        "attendance/sessions.html",
        {"sites": sites, "held_waiting": selectors.held_checkin_waiting_count(request.user)},
    )


def _paper_pdf_url(session) -> str:
    """The blank daftar hadir of the session (reports area), kept by the service worker for printing offline."""
    url = reverse("reports:report_download", args=[session.site.event_id, "daftar_hadir", "pdf"])
    return f"{url}?site={session.site_id}&session={session.pk}"


def _screen_config(session, expected: int) -> dict:
    """What checkin.js needs: the endpoints, the site's zone, and its texts in the user's language."""
    keep = [reverse("attendance:checkin_screen", args=[session.pk]), reverse("attendance:checkin_sessions")]
    # The paper sheet is kept only when it is built in the request (up to REPORTS_LARGE_SHEET_ROWS participants, the
    # daftar hadir's own limit): a larger one is a background job (a download page), which the worker must not start
    # at every opening of the screen.
    if expected <= settings.REPORTS_LARGE_SHEET_ROWS:
        keep.append(_paper_pdf_url(session))
    return {
        "session": session.pk,
        "site": session.site_id,
        "zone": session.site.time_zone,
        "zoneLabel": session.site.zone_label,
        "urls": {
            "roster": reverse("attendance:checkin_roster", args=[session.pk]),
            "search": reverse("attendance:checkin_search", args=[session.pk]),
            "record": reverse("attendance:checkin_record", args=[session.pk]),
            "sync": reverse("attendance:checkin_sync", args=[session.site_id]),
            "counts": reverse("attendance:checkin_counts", args=[session.pk]),
            "worker": reverse("attendance:checkin_worker"),
            "scope": reverse("attendance:checkin_sessions"),
            "paperPdf": _paper_pdf_url(session),
        },
        # What the service worker keeps for reopening this screen offline (attendance/offline.py).
        "keep": keep,
        "text": {
            "online": _("Online"),
            "offline": _("Offline"),
            "waitingOne": _("%(count)s waiting to be sent") % {"count": "{n}"},
            "checkIn": _("Check in"),
            "checkInAnyway": _("Check in anyway"),
            "checkedIn": _("Checked in"),
            "checkedInAt": _("Present since {time}"),
            "notRecorded": _("Not checked in"),
            "savedOffline": _("Saved on this phone at {time}; it will be sent when the connection returns."),
            "unknownOffline": _(
                "This code is not in the list kept on this phone; it will be checked when the connection returns."
            ),
            "notFound": _("No participant found."),
            "searchOffline": _("Searching the list kept on this phone (offline): name or code only."),
            "rosterSaved": _("List of {n} participants kept on this phone."),
            "rosterOld": _("Offline: using the list kept on this phone."),
            "rosterNone": _("Offline and no list kept on this phone yet."),
            "sent": _("{n} offline check-ins sent."),
            "problems": _("Offline check-ins that need a decision:"),
            "cameraError": _("The camera could not be opened. Type the code instead."),
            "error": _("Something went wrong. Try again."),
            "queuedHere": _("Waiting to be sent from this device:"),
            "failedHere": _("Not recorded by the server (from this device):"),
            "dismissFailed": _("Clear this list"),
            "offlineReady": _("This screen can be reopened on this device without a connection."),
            "loggedOut": _("Your session has ended: log in again (check-ins stay on this phone)."),
        },
    }


@checkin_permission
@require_GET
def checkin_screen(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.checkin_session_for_user(request.user, session_id)
    counts = selectors.session_counts(session)
    context = {
        "session": session,
        "site": session.site,
        "other_sessions": session.site.sessions.order_by("starts_at"),
        "counts": counts,
        "config": _screen_config(session, expected=counts["expected"]),
        "day_notice": rules.session_not_today_notice(session),
        "held_waiting": selectors.held_checkin_waiting_count(request.user),
    }
    return render(request, "attendance/screen.html", context)


@checkin_permission
@require_GET
def checkin_roster(request: HttpRequest, session_id: int) -> JsonResponse:
    """The site's expected participants, identifiers masked: the screen keeps them for working offline."""
    session = selectors.checkin_session_for_user(request.user, session_id)
    return JsonResponse(
        {
            "session": session.pk,
            "site": session.site_id,
            "participants": selectors.session_roster(session=session),
        }
    )


@checkin_permission
@require_GET
def checkin_counts(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.checkin_session_for_user(request.user, session_id)
    return render(
        request,
        "attendance/_counts.html",
        {"session": session, "counts": selectors.session_counts(session)},
    )


@checkin_permission
@require_POST
def checkin_search(request: HttpRequest, session_id: int) -> JsonResponse:
    session = selectors.door_place(request.user, session_id).session
    form = SearchForm(_json_body(request) or request.POST)
    if not form.is_valid():
        return _bad_request(_("Type at least two characters."), form.errors)
    results = selectors.checkin_search(session=session, query=form.cleaned_data["q"], user=request.user)
    return JsonResponse({"ok": True, "results": results})


@checkin_permission
@require_POST
def checkin_record(request: HttpRequest, session_id: int) -> JsonResponse:
    place = selectors.door_place(request.user, session_id)
    session = place.session
    form = CheckinForm(_json_body(request) or request.POST)
    if not form.is_valid():
        return _bad_request(_("The check-in could not be read."), form.errors)
    registration, existing = selectors.registration_for_checkin(place=place, code=form.cleaned_data["code"])
    if registration is None:
        return JsonResponse({"ok": False, "error": _("No registration of this event has this code.")}, status=404)
    try:
        attendance, created, warnings = attendance_record(
            registration=registration,
            session=session,
            method=form.cleaned_data["method"],
            actor=request.user,
            allow_other_site=form.cleaned_data["allow_other_site"],
            allow_inactive=form.cleaned_data["allow_inactive"],
            existing=existing,
        )
    except CheckinError as error:
        return JsonResponse({"ok": False, "error": error.message}, status=409)
    return JsonResponse(
        {
            "ok": True,
            "recorded": attendance is not None,
            "created": created,
            # Masked at the door, like the search results (see attendance.selectors.checkin_search).
            "person": selectors.registration_card(registration, attendance=attendance),
            "warnings": [warning.as_dict() for warning in warnings],
        }
    )


@checkin_permission
@require_POST
def checkin_sync(request: HttpRequest, site_id: int) -> JsonResponse:
    """Offline check-ins sent when the connection returns; each answered on its own, idempotent by its uuid."""
    site = selectors.checkin_site_for_user(request.user, site_id)
    data = _json_body(request)
    items = data.get("items") if data else None
    if not isinstance(items, list):
        return _bad_request(_("The check-ins could not be read."))
    if len(items) > SYNC_BATCH_LIMIT:
        return _bad_request(_("Send at most %(limit)d check-ins at once.") % {"limit": SYNC_BATCH_LIMIT})
    results = attendance_sync(site=site, items=items, actor=request.user, device=request.headers.get("User-Agent", ""))
    return JsonResponse({"ok": True, "results": [result.as_dict() for result in results]})


@checkin_permission
@require_http_methods(["GET", "POST"])
def checkin_paper(request: HttpRequest, session_id: int) -> HttpResponse:
    """The paper attendance sheet of a session typed in: tick who signed, save at once."""
    session = selectors.checkin_session_for_user(request.user, session_id)
    present = selectors.present_registration_ids(session)
    expected = selectors.expected_registrations(session.site)
    form = PaperSheetForm(request.POST or None, queryset=expected.exclude(pk__in=list(present)))
    if request.method == "POST" and form.is_valid():
        try:
            created = attendance_bulk_paper(
                session=session, registrations=list(form.cleaned_data["registrations"]), actor=request.user
            )
        except CheckinError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Recorded present: %(count)d.") % {"count": len(created)})
            return redirect("attendance:checkin_paper", session_id=session.pk)
    chosen = {str(value) for value in form["registrations"].value() or []} if form.is_bound else set()
    rows = [
        {
            "registration": registration,
            "attendance": present.get(registration.pk),
            "ticked": str(registration.pk) in chosen,
        }
        for registration in expected
    ]
    return render(request, "attendance/paper.html", {"session": session, "form": form, "rows": rows})


@checkin_permission
@require_GET
def held_list(request: HttpRequest) -> HttpResponse:
    """Offline check-ins put aside because of their time, for the panitia of their site to accept or drop."""
    lists = selectors.held_checkin_lists(request.user)
    return render(request, "attendance/held_list.html", {**lists, "drop_form": HeldDropForm()})


@checkin_permission
@require_POST
def held_accept(request: HttpRequest, pk: int) -> HttpResponse:
    held = selectors.held_checkin_for_user(request.user, pk)
    try:
        held_checkin_accept(held=held, actor=request.user)
    except CheckinError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Accepted: %(name)s, checked in with the phone's time.") % {"name": held.registration.full_name}
        )
    return redirect("attendance:held_list")


@checkin_permission
@require_POST
def held_drop(request: HttpRequest, pk: int) -> HttpResponse:
    held = selectors.held_checkin_for_user(request.user, pk)
    form = HeldDropForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why this check-in is dropped."))
        return redirect("attendance:held_list")
    try:
        held_checkin_drop(held=held, actor=request.user, reason=form.cleaned_data["reason"])
    except CheckinError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Dropped: %(name)s.") % {"name": held.registration.full_name})
    return redirect("attendance:held_list")
