"""Reads of the roster area, scoped to the user: which committees and schools a user may see or submit,
the cohort a roster page is about, members and counts for the outputs (constant queries)."""

from collections import Counter, defaultdict

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from core.params import is_id
from events import groups as G
from events.models import Cohort, Province
from events.selectors import group_names, is_central, nothing, scope_province_ids, scope_regency_ids
from participants.models import School
from rosters.models import Committee, CommitteeMember, SekolahPenggerak


def committee_scope(user) -> Q:
    """A filter on Committee: Verifikator and Pejabat by province, Operator Dinas by province or kab/kota."""
    if is_central(user):
        return Q()
    names = group_names(user)
    condition = nothing()
    if G.VERIFIKATOR in names or G.PEJABAT in names:
        condition |= Q(school__regency__province__in=scope_province_ids(user))
    if G.OPERATOR_DINAS in names:
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
    """The provinces whose committees the user may filter by."""
    if is_central(user):
        return Province.objects.all()
    return Province.objects.filter(pk__in=scope_province_ids(user))


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
