"""Reads of participants data, scoped to the user; every list loads its relations up front."""

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format

from core.identifiers import mask_birth_date, mask_identifier, mask_nik, mask_nip, mask_nuptk
from events import groups as G
from events.models import Event, EventSite
from events.selectors import (
    group_names,
    is_central,
    nothing,
    organized_event_ids,
    scope_event_ids,
    scope_province_ids,
    sites_registrable_by,
    sites_visible_to,
)
from participants.filters import RegistrationFilter
from participants.models import Registration


def can_see_personal_data(user) -> bool:
    return user.is_authenticated and user.has_perm("participants.view_personal_data")


def shown_personal_data(holder, *, unmasked: bool) -> dict[str, str]:
    """What a viewer sees of the identifying data a Person or a Registration holds: everything when `unmasked`
    (roles that may, their view audited by the caller), else the NIK as its province code, the NIP and the
    birth date as the birth year, the NUPTK as its last digits, the phone masked in the middle. Together, the
    masked values leave more than a million NIKs possible (UU 27/2022: a masked NIK must not be recoverable from
    what is beside it; tests/participants/test_personal_data_probe.py counts them).
    """
    if unmasked:
        return {
            "nik": holder.nik,
            "nip": holder.nip,
            "nuptk": holder.nuptk,
            "phone": holder.phone,
            "birth_date": date_format(holder.birth_date, "j F Y") if holder.birth_date else "",
        }
    return {
        "nik": mask_nik(holder.nik),
        "nip": mask_nip(holder.nip),
        "nuptk": mask_nuptk(holder.nuptk),
        "phone": mask_identifier(holder.phone),
        "birth_date": mask_birth_date(holder.birth_date),
    }


# How a requested correction is shown to a user who may not see identifiers: masked like the field it corrects.
# Other fields (a name, a birth date, a position) are shown: the organizer must read them to make the correction.
_CORRECTION_MASKS = {"nik": mask_nik, "nip": mask_nip, "nuptk": mask_nuptk, "phone": mask_identifier}


def shown_correction_value(correction, *, unmasked: bool) -> str:
    mask = _CORRECTION_MASKS.get(correction.field)
    return correction.correct_value if unmasked or mask is None else mask(correction.correct_value)


def registration_scope(user) -> Q:
    """A filter on Registration for the rows the user may see."""
    if is_central(user):
        return Q()
    names = group_names(user)
    condition = nothing()
    if G.PANITIA in names:
        condition |= Q(event__in=organized_event_ids(user))
    if G.KOORDINATOR_SITE in names:
        condition |= Q(site__in=EventSite.objects.filter(coordinators=user).values("id"))
    if G.VERIFIKATOR in names:
        condition |= Q(province__in=scope_province_ids(user))
    if G.PEJABAT in names:
        condition |= Q(province__in=scope_province_ids(user)) | Q(event__in=scope_event_ids(user))
    return condition


def registrations_visible_to(user) -> QuerySet[Registration]:
    return Registration.objects.filter(registration_scope(user))


def registration_list(*, user, params) -> RegistrationFilter:
    """The filtered registrations the user may see (`.qs`), with the filter form (`.form`)."""
    queryset = registrations_visible_to(user).select_related(
        "agency__type", "school", "province", "site__event", "role", "event"
    )
    return RegistrationFilter(params, queryset=queryset, sites=sites_visible_to(user))


def importable_events(user) -> QuerySet[Event]:
    """Events the user may import registrations into (Panitia of the event, Koordinator of a site, Admin pusat)."""
    return Event.objects.filter(pk__in=sites_registrable_by(user).values("event_id")).order_by("-start_date", "title")


def status_counts(queryset: QuerySet[Registration]) -> dict[str, int]:
    """How many registrations of the queryset are in each status (one query)."""
    counts = {status: 0 for status in Registration.Status.values}
    for row in queryset.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts
