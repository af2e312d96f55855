"""Views of the roster area: Komite Pembelajaran lists, submission (form, Excel), verification, Tahap.

Thin: a permission check, rows through the scoped selectors (another province's committee is a 404), a
form, one service call, a message, a redirect. The downloads are exporters (`rosters.outputs`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import workflow
from core.params import is_id
from core.timezones import format_datetime_in_zone
from events.models import Cohort, TrainingPhase
from participants.selectors import can_see_personal_data, shown_personal_data
from participants.services import personal_data_viewed_many
from rosters import services
from rosters.forms import (
    CommitteeFilter,
    CommitteeSchoolForm,
    ImportForm,
    MemberForm,
    MemberFormSet,
    ReturnForm,
    TahapForm,
    ValidateForm,
)
from rosters.imports import (
    roster_import_batches_of,
    roster_import_check,
    roster_import_confirm,
    roster_import_stage,
)
from rosters.models import Committee, CommitteeDecision
from rosters.rules import findings_for_committees
from rosters.selectors import (
    acting_levels,
    approval_chain,
    can_assign_tahap,
    can_see_rosters,
    can_submit_rosters,
    can_verify_rosters,
    committee_chain,
    committees_visible_to,
    counts_by_province_and_phase,
    may_act_at,
    roster_cohort,
    roster_provinces,
    schools_submittable_by,
)

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _cohort(request) -> Cohort:
    """The cohort in ?cohort= (or the form's), else the latest cohort with Sekolah Penggerak."""
    return roster_cohort(request.GET.get("cohort") or request.POST.get("cohort"))


def _visible(request, cohort: Cohort):
    return committees_visible_to(request.user).filter(cohort=cohort)


def _chosen_level(request, chain):
    """The approval level a form names (?level= / POST level), among the program's; None when it names none."""
    value = request.POST.get("level", "")
    return next((level for level in chain if is_id(value) and level.order == int(value)), None)


@login_required
def committee_list(request):
    """The committees of the cohort in the user's scope, filtered; the queue of each level (?queue=on shows those
    waiting for this user's decision) with bulk approval or return at one level."""
    _require(can_see_rosters(request.user))
    cohort = _cohort(request)
    chain = approval_chain(cohort.program)
    filters = CommitteeFilter(
        request.GET or None,
        queryset=_visible(request, cohort),
        provinces=roster_provinces(request.user),
        cohort=cohort,
        chain=chain,
        user=request.user,
    )
    committees = filters.qs.select_related("school__regency__province", "phase")
    if request.method == "POST":
        _require(can_verify_rosters(request.user))
        chosen = committees.filter(pk__in=[i for i in request.POST.getlist("committee") if is_id(i)])
        level = _chosen_level(request, chain)
        try:
            if level is None:
                raise services.RosterError("level", _("Choose the level at which you decide."))
            if request.POST.get("action") == "validate":
                done, refused = services.committees_approve_many(
                    committees=chosen,
                    actor=request.user,
                    level=level,
                    acknowledge=bool(request.POST.get("acknowledge")),
                )
                messages.success(request, _("%(count)s committee(s) approved.") % {"count": done})
            else:
                done, refused = services.committees_return_many(
                    committees=chosen,
                    actor=request.user,
                    level=level,
                    reason=request.POST.get("reason", ""),
                    to=request.POST.get("to") or None,
                )
                messages.success(request, _("%(count)s committee(s) returned.") % {"count": done})
            for committee, error in refused:
                messages.warning(request, f"{committee.school.name}: {error.message}")
        except services.RosterError as error:
            messages.error(request, error.message)
        return redirect(request.get_full_path())
    page = Paginator(committees.order_by("school__regency__code", "school__name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    names = {level.order: level.name for level in chain}
    for committee in page:
        committee.level_name = names.get(committee.level, "")
    query = request.GET.copy()
    query.pop("page", None)
    levels = acting_levels(request.user, chain)
    waiting_at = filters.form.cleaned_data.get("waiting_at") if filters.form.is_valid() else ""
    return render(
        request,
        "rosters/committee_list.html",
        {
            "cohort": cohort,
            "filters": filters.form,
            "page": page,
            "query": query.urlencode(),
            "can_verify": can_verify_rosters(request.user),
            "can_assign_tahap": can_assign_tahap(request.user),
            "can_submit": can_submit_rosters(request.user),
            "phases": TrainingPhase.objects.filter(cohort=cohort),
            "acting_levels": levels,
            "chosen_level": int(waiting_at) if waiting_at else (levels[0].order if len(levels) == 1 else None),
            "return_to_choices": list(reversed(CommitteeDecision.ReturnTo.choices)),  # the submitter first
        },
    )


def _member_rows(committee, findings, reveal: bool):
    by_member = {}
    for finding in findings:
        if finding.ref is not None:
            by_member.setdefault(finding.ref, []).append(finding)
    rows = []
    for member in committee.members.select_related("person").order_by("order", "pk"):
        shown = shown_personal_data(member.person, unmasked=reveal)
        rows.append(
            {
                "member": member,
                "nik": shown["nik"],
                "nip": shown["nip"],
                "nuptk": shown["nuptk"],
                "findings": by_member.get(member.pk, []),
            }
        )
    return rows


def committee_actions(user, committee: Committee, chain) -> tuple[set[str], object]:
    """What the user may do with the committee now, and the approval level it would decide at: the workflow's
    allowed moves × the user's rights at the committee's level (the last level for a validated committee)."""
    moves = workflow.allowed_moves(committee)
    actions = set()
    if can_submit_rosters(user) and committee.is_editable:
        if schools_submittable_by(user).filter(pk=committee.school_id).exists():
            actions.add("edit")
    level = None
    if committee.status == Committee.Status.SUBMITTED:
        level = next((candidate for candidate in chain if candidate.order == committee.level), None)
    elif committee.status == Committee.Status.VALIDATED and chain:
        level = chain[-1]
    if can_verify_rosters(user):
        if level is not None and may_act_at(user, level, committee):
            if committee.status == Committee.Status.SUBMITTED and moves & {Committee.Status.VALIDATED}:
                actions.add("validate")
            if moves & {Committee.Status.RETURNED, Committee.Status.SUBMITTED}:
                actions.add("return")
    if committee.takes_tahap and can_assign_tahap(user):
        actions.add("tahap")
    return actions, level


def _decision_rows(committee: Committee) -> list[dict]:
    """The chain of decisions as the page shows it: each time in the school's zone (WIB/WITA/WIT)."""
    zone = committee.school.regency.province.time_zone
    return [
        {"decision": decision, "at": format_datetime_in_zone(decision.decided_at, zone)}
        for decision in committee_chain(committee)
    ]


@login_required
def committee_detail(request, pk: int):
    _require(can_see_rosters(request.user))
    committee = get_object_or_404(
        committees_visible_to(request.user).select_related("school__regency__province", "cohort__program", "phase"),
        pk=pk,
    )
    findings = findings_for_committees([committee], viewer=request.user)[committee.pk]
    reveal = can_see_personal_data(request.user)
    rows = _member_rows(committee, findings, reveal)
    if reveal:
        people = [row["member"].person for row in rows]
        personal_data_viewed_many(actor=request.user, holders=people, where="committee_detail")
    chain = approval_chain(committee.cohort.program)
    actions, level = committee_actions(request.user, committee, chain)
    waiting = (
        next((candidate for candidate in chain if candidate.order == committee.level), None)
        if committee.status == Committee.Status.SUBMITTED
        else None
    )
    zone = committee.school.regency.province.time_zone
    return render(
        request,
        "rosters/committee_detail.html",
        {
            "committee": committee,
            "findings": findings,
            "committee_findings": [f for f in findings if f.ref is None],
            "rows": rows,
            "errors": sum(1 for f in findings if f.is_error),
            "warnings": sum(1 for f in findings if not f.is_error),
            "actions": actions,
            "level": level,
            "chain": chain,
            "waiting": waiting,
            "waiting_since": format_datetime_in_zone(committee.level_since, zone) if waiting else "",
            "decisions": _decision_rows(committee),
            "validate_form": ValidateForm(),
            "return_form": ReturnForm(level=level),
            "tahap_form": TahapForm(cohort=committee.cohort, initial={"phase": committee.phase_id}),
        },
    )


def _acted(request, pk: int, action) -> HttpResponse:
    committee = get_object_or_404(committees_visible_to(request.user), pk=pk)
    try:
        action(committee)
    except services.RosterError as error:
        messages.error(request, error.message)
        for finding in error.findings[:10]:
            where = f"{finding.field_label}: " if finding.member is not None and finding.field else ""
            messages.error(request, f"{where}{finding.message}")
    return redirect("rosters:roster_detail", pk=committee.pk)


def _level_of(request, committee: Committee):
    """The level the posted form decides at (its hidden `level`), refused when the program has none such."""
    level = _chosen_level(request, approval_chain(committee.cohort.program_id))
    if level is None:
        raise services.RosterError("level", _("Choose the level at which you decide."))
    return level


@login_required
@require_POST
def committee_validate(request, pk: int):
    """Approve at the level the page showed (the committee moves to the next level, or is validated at the last)."""
    _require(can_verify_rosters(request.user))
    form = ValidateForm(request.POST)
    form.is_valid()

    def act(committee):
        committee = services.committee_approve(
            committee=committee,
            actor=request.user,
            level=_level_of(request, committee),
            acknowledge=form.cleaned_data.get("acknowledge", False),
        )
        if committee.status == Committee.Status.VALIDATED:
            messages.success(request, _("The committee is validated."))
        else:
            messages.success(request, _("The committee is approved and goes to the next level."))

    return _acted(request, pk, act)


@login_required
@require_POST
def committee_return(request, pk: int):
    _require(can_verify_rosters(request.user))

    def act(committee):
        committee = services.committee_return(
            committee=committee,
            actor=request.user,
            level=_level_of(request, committee),
            reason=request.POST.get("reason", ""),
            to=request.POST.get("to") or None,
        )
        if committee.status == Committee.Status.RETURNED:
            messages.success(request, _("The committee was returned to the operator."))
        else:
            messages.success(request, _("The committee was returned to the previous level."))

    return _acted(request, pk, act)


@login_required
@require_POST
def committee_submit(request, pk: int):
    _require(can_submit_rosters(request.user))

    def act(committee):
        if not schools_submittable_by(request.user).filter(pk=committee.school_id).exists():
            raise Http404
        if committee.status == Committee.Status.RETURNED:
            services.committee_resubmit(committee=committee, actor=request.user)
        else:
            services.committee_submit(committee=committee, actor=request.user)
        messages.success(request, _("The committee was sent to the verifikator."))

    return _acted(request, pk, act)


@login_required
@require_POST
def committee_tahap(request, pk: int):
    _require(can_assign_tahap(request.user))

    def act(committee):
        form = TahapForm(request.POST, cohort=committee.cohort)
        if not form.is_valid():
            raise services.RosterError("phase", _("Choose a Tahap of this cohort."))
        services.tahap_assign(committee=committee, phase=form.cleaned_data["phase"], actor=request.user)
        messages.success(request, _("The Tahap was saved."))

    return _acted(request, pk, act)


@login_required
def committee_form(request, pk: int | None = None):
    """One school's committee: the school and its members as a formset (new, or a draft/returned one)."""
    _require(can_submit_rosters(request.user))
    schools = schools_submittable_by(request.user).select_related("regency")
    committee = None
    if pk is not None:
        committee = get_object_or_404(committees_visible_to(request.user).filter(school__in=schools), pk=pk)
        cohort = committee.cohort
    else:
        cohort = _cohort(request)
    schools = schools.filter(penggerak_designations__cohort=cohort)
    reveal = can_see_personal_data(request.user)
    people = []
    initial_members, kept = [], {}
    if committee is not None:
        for member in committee.members.select_related("person").order_by("order", "pk"):
            person = member.person
            people.append(person)
            shown = shown_personal_data(person, unmasked=reveal)
            ref = str(member.pk)
            initial_members.append(
                {
                    "ref": ref,
                    "full_name": person.full_name,
                    "position": member.position,
                    "class_taught": member.class_taught,
                    **{name: shown[name] for name in MemberForm.MASKED_FIELDS},
                    "nip_is_pppk": person.nip_is_pppk,
                }
            )
            if not reveal:
                kept[ref] = {name: (shown[name], getattr(person, name)) for name in MemberForm.MASKED_FIELDS}
    form = CommitteeSchoolForm(
        request.POST or None, schools=schools, initial={"school": committee.school_id if committee else None}
    )
    formset = MemberFormSet(
        request.POST or None, initial=initial_members or None, prefix="members", form_kwargs={"kept": kept}
    )
    if reveal and people:
        # UU PDP: the unmasked identifiers in the form are a view like the detail page's.
        personal_data_viewed_many(actor=request.user, holders=people, where="committee_form")
    findings = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        members = [
            services.MemberData(ref=index, **member_form.member_values())
            for index, member_form in enumerate(formset.forms)
            if member_form.cleaned_data
        ]
        try:
            saved = services.committee_save(
                school=form.cleaned_data["school"],
                cohort=cohort,
                members=members,
                actor=request.user,
                submit=form.cleaned_data["submit"],
            )
        except services.RosterError as error:
            messages.error(request, error.message)
            findings = error.findings
            for finding in findings:
                if finding.ref is not None and finding.field in MemberFormSet.form.base_fields:
                    formset.forms[finding.ref].add_error(finding.field, str(finding.message))
        else:
            messages.success(request, _("The committee of %(school)s was saved.") % {"school": saved.school.name})
            return redirect("rosters:roster_detail", pk=saved.pk)
    return render(
        request,
        "rosters/committee_form.html",
        {
            "form": form,
            "formset": formset,
            "committee": committee,
            "cohort": cohort,
            "findings": findings,
            "masked": bool(kept),
        },
    )


@login_required
def roster_import(request):
    """Phase 1: upload and see the findings; phase 2: confirm to save (the file waits, encrypted, in the database)."""
    _require(can_submit_rosters(request.user))
    cohort = _cohort(request)
    schools = schools_submittable_by(request.user)
    report = None
    batch = None
    form = ImportForm()
    submit = request.POST.get("submit") in ("on", "1")
    if request.method == "POST" and request.POST.get("batch"):
        batch_id = request.POST["batch"]
        batch = roster_import_batches_of(request.user).filter(pk=batch_id).first() if is_id(batch_id) else None
        if batch is None:
            messages.error(request, _("The uploaded file has expired. Upload it again."))
            return redirect("rosters:roster_import")
        report, outcome = roster_import_confirm(
            batch=batch, cohort=cohort, schools=schools, actor=request.user, submit=submit
        )
        if outcome is not None:
            messages.success(
                request,
                _("Import saved: %(new)s new, %(changed)s changed, %(same)s unchanged committee(s).")
                % {"new": len(outcome.created), "changed": len(outcome.updated), "same": len(outcome.unchanged)},
            )
            return redirect("rosters:roster_list")
        batch = None
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            report = roster_import_check(data=data, cohort=cohort, schools=schools, viewer=request.user)
            if report.can_save:
                batch = roster_import_stage(data=data, filename=upload.name, cohort=cohort, user=request.user)
    return render(
        request,
        "rosters/import.html",
        {"form": form, "report": report, "batch": batch, "cohort": cohort, "submit": "1" if submit else ""},
    )


@login_required
def tahap_allocate(request):
    _require(can_assign_tahap(request.user))
    cohort = _cohort(request)
    committees = _visible(request, cohort)
    if request.method == "POST":
        result = services.tahap_allocate_apply(cohort=cohort, committees=committees, actor=request.user)
        messages.success(request, _("%(count)s committee(s) assigned to a Tahap.") % {"count": len(result.assignments)})
        if result.leftovers:
            messages.warning(request, _("%(count)s committee(s) fit in no Tahap.") % {"count": len(result.leftovers)})
        return redirect(reverse("rosters:roster_allocate") + f"?cohort={cohort.pk}")
    preview = services.tahap_allocate_preview(cohort=cohort, committees=committees)
    return render(
        request,
        "rosters/allocate.html",
        {
            "cohort": cohort,
            "preview": preview,
            "phase_rows": [(p, preview.free[p.pk], preview.count_for(p)) for p in preview.phases],
        },
    )


@login_required
def tahap_counts(request):
    _require(can_see_rosters(request.user))
    cohort = _cohort(request)
    phases = list(TrainingPhase.objects.filter(cohort=cohort))
    titles, rows = counts_by_province_and_phase(committees=_visible(request, cohort), phases=phases)
    return render(
        request,
        "rosters/counts.html",
        {"cohort": cohort, "titles": titles, "rows": rows, "phases": phases},
    )
