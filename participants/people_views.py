"""Views of one person across events: the person page (staff, within their scope), and Admin pusat's likely
duplicates, the merge form and the merges with their undo.

People are addressed by their record's id, never by an identifier (NIK and phone stay out of URLs). Every view
of the person page is on record (a `personal_data.viewed` entry on the person, whether the identifiers were
shown masked or not: the page gathers a person's history, which is personal data); the merge form shows
identifiers masked until Admin pusat asks to see them in full, and that view is on record too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import AuditEntry
from events.selectors import is_central
from participants.duplicates import dismissed_pairs, duplicates_dismiss, duplicates_dismiss_undo, likely_duplicates
from participants.forms import DistinctPeopleForm, PersonMergeForm
from participants.merge import MERGE_UNDONE, MERGED, MergeError, merge_conflicts, person_merge, person_merge_undo
from participants.models import PERSONAL_DATA_FIELDS, DistinctPeople, Person
from participants.people import person_page
from participants.selectors import can_see_personal_data, shown_personal_data
from participants.services import personal_data_viewed, personal_data_viewed_many

PAGE_SIZE = 50


@login_required
@permission_required("participants.view_registration", raise_exception=True)
def person_detail(request, pk: int):
    page = person_page(person_id=pk, user=request.user)
    if page is None:
        raise Http404
    personal_data_viewed(actor=request.user, holder=page.person, where="person_page")
    return render(request, "participants/person/detail.html", {"page": page, "central": is_central(request.user)})


def _central(request) -> None:
    """Duplicates and merges are Admin pusat's alone (the shared Person records are theirs)."""
    if not is_central(request.user):
        raise PermissionDenied


@login_required
def duplicate_list(request):
    _central(request)
    pairs = likely_duplicates()
    rows = [
        (pair, shown_personal_data(pair.first, unmasked=False), shown_personal_data(pair.second, unmasked=False))
        for pair in pairs
    ]
    dismissed = Paginator(dismissed_pairs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "participants/person/duplicates.html", {"rows": rows, "dismissed": dismissed})


@login_required
@require_POST
def duplicate_dismiss(request, first_id: int, second_id: int):
    """Admin pusat judges a listed pair to be two people: it is no longer listed."""
    _central(request)
    people = Person.objects.in_bulk([first_id, second_id])
    if first_id == second_id or len(people) != 2:
        raise Http404
    form = DistinctPeopleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reason may be at most 300 characters. Nothing was changed."))
        return redirect("participants:duplicate_list")
    duplicates_dismiss(
        first=people[first_id], second=people[second_id], actor=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(
        request,
        _("The two records are judged to be two people and are no longer listed. This can be taken back below."),
    )
    return redirect("participants:duplicate_list")


@login_required
@require_POST
def duplicate_dismiss_undo(request, pk: int):
    _central(request)
    decision = get_object_or_404(DistinctPeople.objects.select_related("first"), pk=pk)
    duplicates_dismiss_undo(decision=decision, actor=request.user)
    messages.success(request, _("The judgement was taken back: the pair is listed again while it looks alike."))
    return redirect("participants:duplicate_list")


def _shown(person: Person, *, unmasked: bool) -> dict[str, str]:
    """Every PersonalData field of the record as the merge form shows it (identifiers masked unless `unmasked`)."""
    values = {
        "full_name": person.full_name,
        "gender": person.get_gender_display(),
        "nip_is_pppk": _("yes") if person.nip_is_pppk else _("no"),
        "position": person.position,
        "agency": person.agency.name if person.agency_id else "",
        "school": person.school.name if person.school_id else "",
        "province": person.province.name if person.province_id else "",
        "email": person.email,
    }
    return values | shown_personal_data(person, unmasked=unmasked)


@login_required
def person_merge_view(request, keep_id: int, drop_id: int):
    """GET: both records side by side, a choice per differing field; POST: merge `drop_id` into `keep_id`."""
    _central(request)
    people = Person.objects.select_related("agency", "school", "province").in_bulk([keep_id, drop_id])
    if keep_id == drop_id or len(people) != 2:
        raise Http404
    keep, drop = people[keep_id], people[drop_id]
    reveal = (request.POST or request.GET).get("lengkap") == "1" and can_see_personal_data(request.user)
    form = PersonMergeForm(request.POST or None, keep=keep, drop=drop)
    if request.method == "POST" and form.is_valid():
        try:
            person_merge(
                keep=keep, drop=drop, take=form.taken(), actor=request.user, reason=form.cleaned_data["reason"]
            )
        except MergeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The two records were merged. The merge can be undone from the merge list."))
            return redirect("participants:person_detail", pk=keep.pk)
    if reveal:
        personal_data_viewed_many(actor=request.user, holders=[keep, drop], where="person_merge")
    shown_keep, shown_drop = _shown(keep, unmasked=reveal), _shown(drop, unmasked=reveal)
    rows = [
        {
            "name": name,
            "label": Person._meta.get_field(name).verbose_name,
            "keep": shown_keep[name],
            "drop": shown_drop[name],
            "field": form[f"take_{name}"] if name in form.differing else None,
        }
        for name in PERSONAL_DATA_FIELDS
    ]
    context = {
        "keep": keep,
        "drop": drop,
        "form": form,
        "rows": rows,
        "reveal": reveal,
        "may_reveal": can_see_personal_data(request.user),
        "conflicts": merge_conflicts(keep=keep, drop=drop),
        "keep_count": keep.registrations.count(),
        "drop_count": drop.registrations.count(),
    }
    return render(request, "participants/person/merge.html", context, status=400 if form.errors else 200)


@login_required
def merge_list(request):
    """The merges, newest first, each with its undo (or when it was undone); a fixed number of queries."""
    _central(request)
    entries = AuditEntry.objects.filter(action=MERGED).select_related("actor").order_by("-created_at", "-id")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [entry.pk for entry in page]
    undone = {
        row.data.get("merge_entry"): row
        for row in AuditEntry.objects.filter(action=MERGE_UNDONE, data__merge_entry__in=ids).select_related("actor")
    }
    kept = Person.objects.in_bulk([entry.data.get("kept") for entry in page])
    rows = [
        {
            "entry": entry,
            "kept": kept.get(entry.data.get("kept")),
            "moved": sum(len(ids) for ids in entry.data.get("moved", {}).values()),
            "undone": undone.get(entry.pk),
            "taken": [str(Person._meta.get_field(name).verbose_name) for name in entry.data.get("taken", [])],
        }
        for entry in page
    ]
    return render(request, "participants/person/merges.html", {"page": page, "rows": rows})


@login_required
@require_POST
def merge_undo(request, entry_id: int):
    _central(request)
    entry = get_object_or_404(AuditEntry, pk=entry_id, action=MERGED)
    try:
        restored = person_merge_undo(entry=entry, actor=request.user)
    except MergeError as error:
        messages.error(request, error.message)
        return redirect("participants:merge_list")
    messages.success(request, _("The merge was undone: both records are back."))
    return redirect("participants:person_detail", pk=restored.pk)
