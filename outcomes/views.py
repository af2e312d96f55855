"""Views of the outcomes area: the responsibility matrix (peran dan tanggung jawab), the action plans
(rencana aksi) and the good-practice exhibition (praktik baik).

Staff pages check the permission and fetch the event through the user's scope (another event's id
gives 404). A delegation edits its own plan through the unguessable key in its edit link; a
participant submits a good practice with its registration code (a POST field, never in the URL).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.params import is_id
from core.throttle import FAILED_LOOKUPS, PUBLIC_POSTS, throttled
from events.models import Event, EventSite
from events.selectors import PUBLIC_STATUSES
from outcomes import services
from outcomes.forms import (
    ActionPlanCreateForm,
    ActionPlanItemForm,
    EditLinkForm,
    FollowUpForm,
    GoodPracticeForm,
    MatrixAgreeForm,
    MatrixCreateForm,
    matrix_grid,
    matrix_rows_from_post,
)
from outcomes.models import ActionPlan, ActionPlanItem, GoodPractice, GoodPracticeFile, ResponsibilityMatrix
from outcomes.selectors import agreed_matrix, events_managed_by, matrix_table, plans_with_items
from outcomes.services import (
    UNKNOWN_CODE,
    PracticeError,
    good_practice_publish,
    good_practice_submit,
    good_practice_unpublish,
)

# --- scope helpers ---


def _managed_event(request, event_id: int, permission: str) -> Event:
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return get_object_or_404(events_managed_by(request.user).select_related("organizer", "program"), pk=event_id)


# --- responsibility matrix ---


@login_required
def matrix_index(request):
    if not request.user.has_perm("outcomes.change_responsibilitymatrix"):
        raise PermissionDenied
    events = events_managed_by(request.user).select_related("program", "responsibility_matrix")
    return render(request, "outcomes/matrix_index.html", {"events": events.order_by("-start_date")})


@login_required
def matrix_edit(request, event_id: int):
    event = _managed_event(request, event_id, "outcomes.change_responsibilitymatrix")
    matrix = ResponsibilityMatrix.objects.filter(event=event).select_related("agreed_by").first()
    if matrix is None:
        form = MatrixCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.matrix_create(
                    event=event, agency_types=list(form.cleaned_data["agency_types"]), actor=request.user
                )
            except services.OutcomeError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("The matrix was created. Fill in the responsibilities."))
                return redirect("outcomes:matrix_edit", event_id=event.pk)
        return render(request, "outcomes/matrix_create.html", {"event": event, "form": form})

    agree_form = MatrixAgreeForm(request.POST if request.POST.get("action") == "agree" else None)
    error = None
    if request.method == "POST" and request.POST.get("action") == "agree":
        if agree_form.is_valid():
            try:
                services.matrix_agree(matrix=matrix, actor=request.user, note=agree_form.cleaned_data["note"])
            except services.OutcomeError as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("The agreement was recorded."))
            return redirect("outcomes:matrix_edit", event_id=event.pk)
    if request.method == "POST" and request.POST.get("action") == "save":
        columns, rows = matrix_grid(matrix, request.POST)
        try:
            services.matrix_save(matrix=matrix, rows=matrix_rows_from_post(request.POST, rows), actor=request.user)
        except services.OutcomeError as refused:
            error = refused.message
        else:
            messages.success(request, _("The matrix was saved."))
            return redirect("outcomes:matrix_edit", event_id=event.pk)
    else:
        columns, rows = matrix_grid(matrix)
    context = {
        "event": event,
        "matrix": matrix,
        "columns": columns,
        "rows": rows,
        "agree_form": agree_form,
        "error": error,
    }
    return render(request, "outcomes/matrix_edit.html", context)


def matrix_public(request, slug: str):
    """The agreed matrix, read-only, for the participants of the event (no login)."""
    event, matrix = agreed_matrix(slug)
    columns, rows = matrix_table(matrix)
    return render(
        request,
        "outcomes/matrix_public.html",
        {"event": event, "matrix": matrix, "columns": columns, "rows": rows},
    )


# --- action plans (rencana aksi) ---


@login_required
def plan_index(request):
    if not request.user.has_perm("outcomes.view_actionplan"):
        raise PermissionDenied
    events = events_managed_by(request.user).select_related("program").order_by("-start_date")
    return render(request, "outcomes/plan_index.html", {"events": events})


@login_required
def plan_board(request, event_id: int):
    """All plans of the event side by side, by province; the panitia add delegations here."""
    event = _managed_event(request, event_id, "outcomes.view_actionplan")
    form = ActionPlanCreateForm(request.POST or None, event=event)
    if request.method == "POST":
        if not request.user.has_perm("outcomes.add_actionplan"):
            raise PermissionDenied
        if form.is_valid():
            try:
                plan = services.action_plan_create(
                    event=event,
                    delegation=form.cleaned_data["delegation"],
                    province=form.cleaned_data["province"],
                    actor=request.user,
                )
            except services.OutcomeError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("The action plan of %(name)s was created.") % {"name": plan.delegation})
                return redirect("outcomes:plan_board", event_id=event.pk)
    plans = list(plans_with_items(ActionPlan.objects.filter(event=event)))
    return render(request, "outcomes/plan_board.html", {"event": event, "plans": plans, "form": form})


def _staff_plan(request, plan_id: int, permission: str) -> ActionPlan:
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return get_object_or_404(
        plans_with_items(ActionPlan.objects.filter(event__in=events_managed_by(request.user))), pk=plan_id
    )


def _item_form(item: ActionPlanItem, data=None) -> ActionPlanItemForm:
    initial = {name: getattr(item, name) for name in ActionPlanItemForm.base_fields}
    return ActionPlanItemForm(data, initial=initial, prefix=f"item{item.pk}")


def _plan_editor(request, plan: ActionPlan, *, via_link: bool, here: str, extra: dict | None = None):
    """The editor shared by the staff page and the delegation's edit link: one action per POST.

    Forms of existing items carry a prefix (`item<pk>`, `follow<pk>`) so that one page holds them all.
    """
    new_form = ActionPlanItemForm()
    bound: dict[tuple[str, int], object] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        item = None
        if request.POST.get("item"):
            try:
                item = plan.items.get(pk=int(request.POST["item"]))
            except (ValueError, ActionPlanItem.DoesNotExist):
                raise Http404 from None
        if action in ("change", "delete", "follow_up") and item is None:
            raise Http404
        actor = None if via_link else request.user
        if action == "add":
            form = new_form = ActionPlanItemForm(request.POST)
        elif action == "change":
            form = bound["item", item.pk] = _item_form(item, request.POST)
        elif action == "follow_up":
            form = bound["follow", item.pk] = FollowUpForm(request.POST, prefix=f"follow{item.pk}")
        elif action == "delete":
            form = None
        else:
            raise Http404
        try:
            if action == "delete":
                services.action_plan_item_delete(plan=plan, item=item, actor=actor, via_link=via_link)
                messages.success(request, _("The item was removed."))
                return redirect(here)
            if form.is_valid():
                if action == "follow_up":
                    services.action_plan_item_follow_up(
                        plan=plan, item=item, actor=actor, via_link=via_link, **form.cleaned_data
                    )
                    messages.success(request, _("The follow-up was recorded."))
                else:
                    services.action_plan_item_save(
                        plan=plan,
                        item=item,
                        data=services.ItemData(**form.cleaned_data),
                        actor=actor,
                        via_link=via_link,
                    )
                    messages.success(request, _("The action plan was saved."))
                return redirect(here)
        except services.OutcomeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        plan = plans_with_items(ActionPlan.objects.filter(pk=plan.pk)).get()
    items = [
        {
            "item": item,
            "form": bound.get(("item", item.pk)) or _item_form(item),
            "follow_form": bound.get(("follow", item.pk))
            or FollowUpForm(initial={"status": item.status}, prefix=f"follow{item.pk}"),
            "open": ("item", item.pk) in bound or ("follow", item.pk) in bound,
        }
        for item in plan.items.all()
    ]
    context = {"plan": plan, "items": items, "new_form": new_form, "via_link": via_link, "here": here}
    return render(request, "outcomes/plan_edit.html", context | (extra or {}))


@login_required
def plan_edit(request, plan_id: int):
    plan = _staff_plan(request, plan_id, "outcomes.view_actionplan")
    if request.method == "POST" and not request.user.has_perm("outcomes.change_actionplan"):
        raise PermissionDenied
    here = reverse("outcomes:plan_edit", kwargs={"plan_id": plan.pk})
    first, last = services.action_plan_link_last_day_bounds()
    link_form = EditLinkForm(
        initial={"last_day": services.action_plan_link_default_last_day(event=plan.event)}, first=first, last=last
    )
    return _plan_editor(request, plan, via_link=False, here=here, extra={"link_form": link_form})


@login_required
@require_POST
def plan_regenerate_link(request, plan_id: int):
    plan = _staff_plan(request, plan_id, "outcomes.change_actionplan")
    form = EditLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the last day of the link as a date."))
        return redirect("outcomes:plan_edit", plan_id=plan.pk)
    try:
        plan = services.action_plan_regenerate_token(
            plan=plan, actor=request.user, last_day=form.cleaned_data["last_day"]
        )
    except services.OutcomeError as error:
        messages.error(request, error.message)
    else:
        day = date_format(timezone.localtime(plan.edit_token_expires_at).date(), "j F Y")
        messages.success(
            request, _("A new edit link was made; it works until %(day)s. The old link no longer works.") % {"day": day}
        )
    return redirect("outcomes:plan_edit", plan_id=plan.pk)


@login_required
@require_POST
def plan_revoke_link(request, plan_id: int):
    plan = _staff_plan(request, plan_id, "outcomes.change_actionplan")
    try:
        services.action_plan_revoke_token(plan=plan, actor=request.user)
    except services.OutcomeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The edit link was revoked: the delegation can no longer edit its plan."))
    return redirect("outcomes:plan_edit", plan_id=plan.pk)


@never_cache
@throttled(FAILED_LOOKUPS, count=False, methods=None)
def plan_edit_by_link(request, token: str):
    """The delegation's own plan, reached through its edit link (no account).

    A revoked or unknown link is a 404 and a failed look-up: a client that tried too many gets 429, even for
    a link that exists. An expired one is a page saying so (410), for a GET and a POST alike: nothing is
    written through it. Delegations draft their plans side by side on the venue's network (one address), so
    the POSTs of a valid link count per plan and address.
    """
    plan = plans_with_items(ActionPlan.objects.filter(edit_token=token)).first()
    if plan is None:
        FAILED_LOOKUPS.hit(request)
        raise Http404
    if not plan.edit_link_works():
        return render(request, "outcomes/plan_link_expired.html", {"plan": plan}, status=410)
    if request.method == "POST" and not PUBLIC_POSTS.hit(request, subject=f"action-plan:{plan.pk}"):
        return PUBLIC_POSTS.blocked_response(request)
    here = reverse("outcomes:plan_edit_by_link", kwargs={"token": plan.edit_token})
    return _plan_editor(request, plan, via_link=True, here=here)


@login_required
def plan_present(request, plan_id: int):
    plan = _staff_plan(request, plan_id, "outcomes.view_actionplan")
    siblings = list(ActionPlan.objects.filter(event=plan.event).values_list("pk", flat=True))
    index = siblings.index(plan.pk)
    context = {
        "plan": plan,
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
    }
    return render(request, "outcomes/plan_present.html", context)


# --- good practices (Festival Panen Hasil Belajar) ---


def _public_event(slug: str) -> Event:
    return get_object_or_404(Event.objects.filter(status__in=PUBLIC_STATUSES), slug=slug)


@throttled(PUBLIC_POSTS)
@throttled(FAILED_LOOKUPS, count=False, methods=None)
def practice_submit(request, slug: str):
    """A participant's good practice, sent with its registration code (a wrong code is a failed look-up)."""
    event = _public_event(slug)
    form = GoodPracticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            good_practice_submit(
                event=event,
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                changes=form.cleaned_data["changes"],
                uploads=form.cleaned_data["files"],
            )
        except PracticeError as error:
            if error.code == UNKNOWN_CODE:
                FAILED_LOOKUPS.hit(request)
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request, _("Thank you! Your good practice was received; the panitia will choose what to publish.")
            )
            return redirect("outcomes:practice_gallery", slug=event.slug)
    return render(request, "outcomes/practice_submit.html", {"event": event, "form": form})


def _files_prefetch(queryset):
    return queryset.select_related("registration__site", "registration__role").prefetch_related(
        Prefetch("files", queryset=GoodPracticeFile.objects.order_by("order", "id"))
    )


def practice_gallery(request, slug: str):
    """The public gallery of the published good practices, per event and site."""
    event = _public_event(slug)
    sites = list(EventSite.objects.filter(event=event).order_by("order", "name"))
    practices = GoodPractice.objects.filter(registration__event=event, status=GoodPractice.Status.PUBLISHED)
    site = None
    if is_id(request.GET.get("site", "")):
        site = next((s for s in sites if s.pk == int(request.GET["site"])), None)
        if site is None:
            raise Http404
        practices = practices.filter(registration__site=site)
    practices = _files_prefetch(practices.order_by("registration__site__order", "title"))
    return render(
        request,
        "outcomes/practice_gallery.html",
        {"event": event, "sites": sites, "site": site, "practices": practices},
    )


def practice_file(request, file_id: int):
    """A file of a published good practice (or of any, for the panitia of its event)."""
    row = get_object_or_404(GoodPracticeFile.objects.select_related("practice__registration"), pk=file_id)
    if row.practice.status != GoodPractice.Status.PUBLISHED:
        user = request.user
        allowed = (
            user.is_authenticated
            and user.has_perm("outcomes.view_goodpractice")
            and events_managed_by(user).filter(pk=row.practice.registration.event_id).exists()
        )
        if not allowed:
            raise Http404
    try:
        handle = row.file.open("rb")
    except OSError:  # the stored file is gone (e.g. purged): nothing to serve
        raise Http404 from None
    # A PDF is handed over as a download, never shown inline in the app's origin: whatever a viewer might
    # still make of it runs outside our pages. Photos stay inline (they were re-encoded from their pixels).
    # nosniff: the browser takes the declared type, never guesses another one from the bytes.
    if row.is_image:
        response = FileResponse(handle, content_type=row.content_type)
    else:
        response = FileResponse(
            handle, content_type=row.content_type, as_attachment=True, filename=f"praktik-baik-{row.pk}.pdf"
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def practice_moderate(request, event_id: int):
    event = _managed_event(request, event_id, "outcomes.view_goodpractice")
    if request.method == "POST":
        if not request.user.has_perm("outcomes.change_goodpractice"):
            raise PermissionDenied
        practice_id = request.POST.get("practice", "")
        if not is_id(practice_id):
            raise Http404
        practice = get_object_or_404(GoodPractice, registration__event=event, pk=int(practice_id))
        if request.POST.get("action") == "publish":
            good_practice_publish(practice=practice, actor=request.user)
            messages.success(request, _("“%(title)s” is published.") % {"title": practice.title})
        else:
            good_practice_unpublish(practice=practice, actor=request.user)
            messages.success(request, _("“%(title)s” is no longer published.") % {"title": practice.title})
        return redirect("outcomes:practice_moderate", event_id=event.pk)
    practices = _files_prefetch(GoodPractice.objects.filter(registration__event=event).order_by("-created_at"))
    return render(request, "outcomes/practice_moderate.html", {"event": event, "practices": practices})
