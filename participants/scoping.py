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


def nothing() -> Q:
    return Q(pk__in=[])


def registration_scope(user) -> Q:
    """A filter on Registration for the rows the user may see."""
    if is_central(user):
        return Q()
    names = group_names(user)
    condition = nothing()
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
    condition = nothing()
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
    condition = nothing()
    if G.PANITIA in names:
        condition |= Q(event__in=_organized_event_ids(user))
    if G.KOORDINATOR_SITE in names:
        condition |= Q(pk__in=EventSite.objects.filter(coordinators=user).values("id"))
    return EventSite.objects.filter(condition)
