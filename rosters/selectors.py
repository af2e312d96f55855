"""Reads of the roster area, scoped to the user: which committees and schools a user may see or submit,
the cohort a roster page is about, members and counts for the outputs (constant queries)."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from core.params import is_id
from events import groups as G
from events.models import Cohort, Program, Province
from events.selectors import group_names, is_central, nothing, scope_province_ids, scope_regency_ids
from participants.models import School
from rosters.models import ApprovalLevel, Committee, CommitteeDecision, CommitteeMember, SekolahPenggerak


def committee_scope(user) -> Q:
    """A filter on Committee: Pejabat by province, Verifikator and Operator Dinas by province or kab/kota (a
    verifikator of a kab/kota acts at the first approval level)."""
    if is_central(user):
        return Q()
    names = group_names(user)
    condition = nothing()
    if G.PEJABAT in names:
        condition |= Q(school__regency__province__in=scope_province_ids(user))
    if G.OPERATOR_DINAS in names or G.VERIFIKATOR in names:
        condition |= Q(school__regency__province__in=scope_province_ids(user)) | Q(
            school__regency__in=scope_regency_ids(user)
        )
    return condition


def penggerak_scope(user) -> Q:
    """A filter on SekolahPenggerak (it names the approved principal): the provinces and kab/kota of
    `committee_scope`, since both hang on a school."""
    return committee_scope(user)


def committees_visible_to(user) -> QuerySet[Committee]:
    return Committee.objects.filter(committee_scope(user))


def schools_submittable_by(user) -> QuerySet[School]:
    """Schools whose committee the user may submit: Operator Dinas of their province or kab/kota."""
    if is_central(user):
        return School.objects.all()
    if G.OPERATOR_DINAS not in group_names(user):
        return School.objects.none()
    return School.objects.filter(
        Q(regency__province__in=scope_province_ids(user)) | Q(regency__in=scope_regency_ids(user))
    )


def can_submit_rosters(user) -> bool:
    return is_central(user) or G.OPERATOR_DINAS in group_names(user)


def can_verify_rosters(user) -> bool:
    return is_central(user) or G.VERIFIKATOR in group_names(user)


def can_assign_tahap(user) -> bool:
    """Tahap is assigned by a verifikator of a province (or the centre): a verifikator of a kab/kota only
    approves at the first level and would take the province's Tahap capacity for its schools alone."""
    if is_central(user):
        return True
    return G.VERIFIKATOR in group_names(user) and scope_province_ids(user).exists()


def can_see_rosters(user) -> bool:
    names = group_names(user)
    return is_central(user) or bool(names & {G.VERIFIKATOR, G.OPERATOR_DINAS, G.PEJABAT})


def roster_cohort(chosen=None) -> Cohort:
    """The cohort `chosen` (an id), else the latest cohort with Sekolah Penggerak (PSP Angkatan 1 in the
    demo); 404 when there is none."""
    cohorts = Cohort.objects.filter(pk__in=SekolahPenggerak.objects.values("cohort_id")).select_related("program")
    if chosen and is_id(chosen):
        cohort = cohorts.filter(pk=chosen).first()
        if cohort:
            return cohort
    cohort = cohorts.order_by("-year", "-pk").first()
    if cohort is None:
        raise Http404(_("No Sekolah Penggerak cohort yet."))
    return cohort


def roster_provinces(user) -> QuerySet[Province]:
    """The provinces whose committees the user may filter by (those of its kab/kota too)."""
    if is_central(user):
        return Province.objects.all()
    return Province.objects.filter(Q(pk__in=scope_province_ids(user)) | Q(regencies__in=scope_regency_ids(user)))


# --- approval levels -------------------------------------------------------------------------------------------


def approval_chain(program: Program | int) -> list[ApprovalLevel]:
    """The approval levels of a program's rosters in their order: those declared, else the default chain."""
    program_id = getattr(program, "pk", program)
    levels = list(ApprovalLevel.objects.filter(program_id=program_id).order_by("order"))
    if levels:
        return levels
    if not isinstance(program, Program):
        program = Program.objects.get(pk=program_id)
    return ApprovalLevel.defaults_for(program)


def level_scope(user, level: ApprovalLevel) -> Q:
    """A filter on Committee: the committees whose school is in the user's scope for acting at `level`.

    Central users act at every level; anyone else must be in the level's group, and its scope must hold the
    school's kab/kota (regency level) or province (province level). No user (None) is the system itself
    (the demo, a management command)."""
    if user is None or is_central(user):
        return Q()
    if level.group not in group_names(user):
        return nothing()
    if level.scope == ApprovalLevel.Scope.REGENCY:
        return Q(school__regency__in=scope_regency_ids(user))
    if level.scope == ApprovalLevel.Scope.PROVINCE:
        return Q(school__regency__province__in=scope_province_ids(user))
    return Q()  # national: every member of the group (Admin pusat, see ApprovalLevel.clean)


def may_act_at(user, level: ApprovalLevel, committee: Committee) -> bool:
    return Committee.objects.filter(level_scope(user, level), pk=committee.pk).exists()


def queue_scope(user, chain: list[ApprovalLevel]) -> Q:
    """A filter on Committee: the submitted committees waiting at a level where the user may act on them."""
    condition = nothing()
    for level in chain:
        condition |= Q(level=level.order) & level_scope(user, level)
    return Q(status=Committee.Status.SUBMITTED) & condition


def acting_levels(user, chain: list[ApprovalLevel]) -> list[ApprovalLevel]:
    """The levels at which the user may act on some committee: its group acts there and its scope names a
    kab/kota (regency level) or a province (province level). Two queries at most."""
    if user is None or is_central(user):
        return list(chain)
    names = group_names(user)
    levels = [level for level in chain if level.group in names]
    scoped = {
        ApprovalLevel.Scope.REGENCY: lambda: scope_regency_ids(user).exists(),
        ApprovalLevel.Scope.PROVINCE: lambda: scope_province_ids(user).exists(),
    }
    holds = {kind: check() for kind, check in scoped.items() if any(level.scope == kind for level in levels)}
    return [level for level in levels if holds.get(level.scope, True)]


def committee_chain(committee: Committee) -> list[CommitteeDecision]:
    """The committee's decisions, oldest first, with their actors (one query)."""
    return list(committee.decisions.select_related("actor").order_by("decided_at", "pk"))


@dataclass
class WaitingCell:
    count: int = 0
    oldest: datetime | None = None


def waiting_by_province_and_level(*, committees) -> dict[tuple[str, int], WaitingCell]:
    """(province name, level order) → how many submitted committees wait there and since when the oldest
    waits. One query."""
    tally: dict[tuple[str, int], WaitingCell] = {}
    for province, level, count, oldest in (
        committees.filter(status=Committee.Status.SUBMITTED, level__isnull=False)
        .order_by()
        .values_list("school__regency__province__name", "level")
        .annotate(n=Count("pk"), oldest=Min("level_since"))
        .values_list("school__regency__province__name", "level", "n", "oldest")
    ):
        tally[(province, level)] = WaitingCell(count, oldest)
    return tally


def roster_members(committees) -> dict[int, list[CommitteeMember]]:
    by_committee = defaultdict(list)
    for member in (
        CommitteeMember.objects.filter(committee__in=committees)
        .select_related("person")
        .order_by("committee_id", "order", "pk")
    ):
        by_committee[member.committee_id].append(member)
    return by_committee


def counts_by_province_and_phase(*, committees, phases) -> tuple[list[str], list[tuple[str, list[int], int]]]:
    """(column titles, rows of (province, count per phase + unassigned, total)) for the validated committees."""
    tally = Counter()
    provinces = set()
    for province, phase_id, n in (
        committees.filter(status=Committee.Status.VALIDATED)
        .values_list("school__regency__province__name", "phase_id")
        .annotate(n=Count("pk"))
        .values_list("school__regency__province__name", "phase_id", "n")
    ):
        tally[(province, phase_id)] += n
        provinces.add(province)
    keys = [p.pk for p in phases] + [None]
    titles = [str(p) for p in phases] + [_("Not assigned")]
    rows = []
    for province in sorted(provinces):
        values = [tally[(province, k)] for k in keys]
        rows.append((province, values, sum(values)))
    return titles, rows
