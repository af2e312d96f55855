"""Who may see what: every view, export and admin page filters its rows through these functions.

Scopes (DESIGN.md): Admin pusat sees everything; Panitia the events it organizes (or is given in
its UserScope); Koordinator site its sites; Verifikator the provinces of its UserScope; Operator
Dinas its provinces/regencies; Pejabat its provinces or the events it is given. A user in several
groups sees the union. Requests for rows outside the scope must end in 404.
"""

from django.db.models import Q, QuerySet

from events.models import Event, EventSite, Province, Regency
from participants import groups as G
from participants.models import Registration


def group_names(user) -> frozenset[str]:
    """The user's group names, read once per request object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_group_names_cache"):
        user._group_names_cache = frozenset(user.groups.values_list("name", flat=True))
    return user._group_names_cache


def is_central(user) -> bool:
    """Admin pusat (or a superuser): every event, every province."""
    return user.is_authenticated and (user.is_superuser or G.ADMIN_PUSAT in group_names(user))


def can_see_personal_data(user) -> bool:
    return user.is_authenticated and user.has_perm("participants.view_personal_data")


def scope_province_ids(user) -> QuerySet:
    return Province.objects.filter(userscope__user=user).values("id")


def scope_regency_ids(user) -> QuerySet:
    return Regency.objects.filter(userscope__user=user).values("id")


def scope_event_ids(user) -> QuerySet:
    return Event.objects.filter(userscope__user=user).values("id")


def _organized_event_ids(user) -> QuerySet:
    return Event.objects.filter(Q(organizers=user) | Q(userscope__user=user)).values("id")


def _nothing() -> Q:
    return Q(pk__in=[])


def registration_scope(user) -> Q:
    """A filter on Registration for the rows the user may see."""
    if is_central(user):
        return Q()
    names = group_names(user)
    condition = _nothing()
    if G.PANITIA in names:
        condition |= Q(event__in=_organized_event_ids(user))
    if G.KOORDINATOR_SITE in names:
        condition |= Q(site__in=EventSite.objects.filter(coordinators=user).values("id"))
    if G.VERIFIKATOR in names:
        condition |= Q(person__province__in=scope_province_ids(user))
    if G.PEJABAT in names:
        condition |= Q(person__province__in=scope_province_ids(user)) | Q(event__in=scope_event_ids(user))
    return condition


def site_scope(user) -> Q:
    """A filter on EventSite for the sites where the user works or may look."""
    if is_central(user):
        return Q()
    names = group_names(user)
    condition = _nothing()
    if G.PANITIA in names:
        condition |= Q(event__in=_organized_event_ids(user))
    if G.KOORDINATOR_SITE in names:
        condition |= Q(pk__in=EventSite.objects.filter(coordinators=user).values("id"))
    if G.VERIFIKATOR in names or G.PEJABAT in names:
        served = EventSite.objects.filter(provinces_served__in=scope_province_ids(user)).values("id")
        condition |= Q(pk__in=served)
    if G.PEJABAT in names:
        condition |= Q(event__in=scope_event_ids(user))
    return condition


def registrations_visible_to(user) -> QuerySet[Registration]:
    return Registration.objects.filter(registration_scope(user))


def sites_visible_to(user) -> QuerySet[EventSite]:
    return EventSite.objects.filter(site_scope(user))


def events_visible_to(user) -> QuerySet[Event]:
    return Event.objects.filter(pk__in=sites_visible_to(user).values("event_id"))


def sites_registrable_by(user) -> QuerySet[EventSite]:
    """Sites where the user may register participants: panitia of the event, koordinator of the site."""
    if is_central(user):
        return EventSite.objects.all()
    names = group_names(user)
    condition = _nothing()
    if G.PANITIA in names:
        condition |= Q(event__in=_organized_event_ids(user))
    if G.KOORDINATOR_SITE in names:
        condition |= Q(pk__in=EventSite.objects.filter(coordinators=user).values("id"))
    return EventSite.objects.filter(condition)


# --- roster area: Komite Pembelajaran ---


def committee_scope(user) -> Q:
    """A filter on Committee: Verifikator and Pejabat by province, Operator Dinas by province or kab/kota."""
    if is_central(user):
        return Q()
    names = group_names(user)
    condition = _nothing()
    if G.VERIFIKATOR in names or G.PEJABAT in names:
        condition |= Q(school__regency__province__in=scope_province_ids(user))
    if G.OPERATOR_DINAS in names:
        condition |= Q(school__regency__province__in=scope_province_ids(user)) | Q(
            school__regency__in=scope_regency_ids(user)
        )
    return condition


def committees_visible_to(user):
    from participants.models import Committee

    return Committee.objects.filter(committee_scope(user))


def roster_cohort(chosen=None):
    """The cohort `chosen` (an id), else the latest cohort with Sekolah Penggerak (PSP Angkatan 1 in the
    demo); 404 when there is none."""
    from django.http import Http404
    from django.utils.translation import gettext as _

    from core.params import is_id
    from events.models import Cohort
    from participants.models import SekolahPenggerak

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


def schools_submittable_by(user):
    """Schools whose committee the user may submit: Operator Dinas of their province or kab/kota."""
    from participants.models import School

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


# --- outcomes area: responsibility matrix, rencana aksi ---


def events_managed_by(user) -> QuerySet[Event]:
    """Events whose outcomes the user may edit: all for the Admin pusat, its own for the panitia."""
    if is_central(user):
        return Event.objects.all()
    if G.PANITIA not in group_names(user):
        return Event.objects.none()
    return Event.objects.filter(Q(organizers=user) | Q(userscope__user=user)).distinct()


def plans_with_items(queryset):
    """Action plans with their items and follow-ups, in three queries."""
    from django.db.models import Prefetch

    from events.models import ActionPlanFollowUp, ActionPlanItem

    items = ActionPlanItem.objects.order_by("order", "id").prefetch_related(
        Prefetch("follow_ups", queryset=ActionPlanFollowUp.objects.order_by("created_at", "id"))
    )
    return queryset.select_related("province", "agency", "event__organizer").prefetch_related(
        Prefetch("items", queryset=items)
    )


def agreed_matrix(slug: str):
    """The agreed responsibility matrix of a public event (404 otherwise): what the participants may read."""
    from django.shortcuts import get_object_or_404

    from events.models import ResponsibilityMatrix
    from events.selectors import PUBLIC_STATUSES

    event = get_object_or_404(Event.objects.filter(status__in=PUBLIC_STATUSES).select_related("organizer"), slug=slug)
    matrix = get_object_or_404(ResponsibilityMatrix, event=event, status=ResponsibilityMatrix.Status.AGREED)
    return event, matrix
