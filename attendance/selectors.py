"""Reads of the check-in screen, scoped to the user: sessions, the expected participants, live counts, search.

Every function keeps a constant number of queries whatever the number of registrations.
"""

import re

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from attendance.models import Attendance, HeldCheckin
from core.identifiers import mask_nik, mask_nip
from events.models import EventSite, Role, Session
from events.selectors import sites_registrable_by
from participants.models import Registration, identifier_q

SEARCH_LIMIT = 20
_IDENTIFIER = re.compile(r"^\d{8,18}$")


def checkin_sites_for_user(user) -> QuerySet[EventSite]:
    """Sites where the user may check people in: panitia of the event, koordinator of the site, admin pusat."""
    return sites_registrable_by(user)


def checkin_sessions_for_user(user) -> QuerySet[Session]:
    return (
        Session.objects.filter(site__in=checkin_sites_for_user(user).values("id"))
        .select_related("site__event", "site__venue__regency__province")
        .order_by("site__event__start_date", "site__event_id", "site__order", "site__name", "starts_at")
    )


def checkin_session_for_user(user, session_id: int) -> Session:
    """The session, or 404 when it belongs to a site outside the user's scope."""
    return get_object_or_404(checkin_sessions_for_user(user), pk=session_id)


def checkin_site_for_user(user, site_id: int) -> EventSite:
    return get_object_or_404(
        checkin_sites_for_user(user).select_related("event", "venue__regency__province"), pk=site_id
    )


def _with_person(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    return queryset.select_related("agency", "school", "role", "site")


def expected_registrations(site: EventSite) -> QuerySet[Registration]:
    """Who is expected at the site: registrations submitted or verified (rejected and withdrawn are not)."""
    return _with_person(Registration.objects.filter(site=site, status__in=Registration.SEAT_STATUSES)).order_by(
        "full_name", "id"
    )


def present_registration_ids(session: Session) -> dict[int, Attendance]:
    return {
        attendance.registration_id: attendance
        for attendance in Attendance.objects.filter(session=session).only(
            "id", "registration_id", "checked_in_at", "method"
        )
    }


def registration_card(registration: Registration, *, attendance: Attendance | None, unmasked: bool = False) -> dict:
    """What the door sees of a person: name, role, agency, status; identifiers masked unless `unmasked`."""
    show = unmasked
    return {
        "id": registration.pk,
        "code": registration.code,
        "name": registration.full_name,
        "role": registration.role.name,
        "agency": registration.institution,
        "status": registration.status,
        "status_label": str(registration.get_status_display()),
        "site": registration.site_id,
        "site_name": registration.site.name,
        "nik": registration.nik if show else mask_nik(registration.nik),
        "nip": registration.nip if show else mask_nip(registration.nip),
        "present": attendance is not None,
        "checked_in_at": attendance.checked_in_at.isoformat() if attendance else None,
    }


def session_roster(*, session: Session) -> list[dict]:
    """The site's expected participants with their presence in the session: the offline list of the screen.

    Identifiers are always masked here: the list is stored on the device.
    """
    present = present_registration_ids(session)
    rows = []
    for registration in expected_registrations(session.site):
        rows.append(registration_card(registration, attendance=present.get(registration.pk)))
    return rows


def session_counts(session: Session) -> dict:
    """Checked in / expected per role for the session (expected: submitted or verified at the site)."""
    expected = dict(
        Registration.objects.filter(site=session.site_id, status__in=Registration.SEAT_STATUSES)
        .values_list("role_id")
        .annotate(n=Count("id"))
    )
    present = dict(
        Attendance.objects.filter(session=session).values_list("registration__role_id").annotate(n=Count("id"))
    )
    roles = Role.objects.filter(pk__in=set(expected) | set(present)).order_by("order", "name")
    rows = [{"role": role, "present": present.get(role.pk, 0), "expected": expected.get(role.pk, 0)} for role in roles]
    return {
        "rows": rows,
        "present": sum(present.values()),
        "expected": sum(expected.values()),
    }


def checkin_search(*, session: Session, query: str, user) -> list[dict]:
    """Registrations of the session's site by name, code or identifier; a full NIK/NIP/NUPTK or a code also
    finds a registration of another site of the same event, so that the screen can warn about it.
    """
    query = query.strip()
    if not query:
        return []
    compact = re.sub(r"[\s.-]", "", query)
    exact = Q(code__iexact=compact)
    if _IDENTIFIER.match(compact):
        exact |= identifier_q("nik", compact) | Q(nip=compact) | Q(nuptk=compact)
    condition = Q(site=session.site_id) & (Q(full_name__icontains=query) | exact)
    condition |= Q(event=session.site.event_id) & exact
    registrations = list(
        _with_person(Registration.objects.filter(condition)).order_by("full_name", "id")[:SEARCH_LIMIT]
    )
    present = {
        attendance.registration_id: attendance
        for attendance in Attendance.objects.filter(session=session, registration__in=registrations)
    }
    # The door needs no full NIK (name, code and the masked number identify the person): always masked,
    # so the check-in screen never unmasks and needs no audit entry per search.
    return [registration_card(r, attendance=present.get(r.pk)) for r in registrations]


def held_checkins_for_user(user) -> QuerySet[HeldCheckin]:
    """Held offline check-ins of the sites where the user checks people in, with what the list shows."""
    return HeldCheckin.objects.filter(session__site__in=checkin_sites_for_user(user).values("id")).select_related(
        "registration__role",
        "session__site__event",
        "session__site__venue__regency__province",
        "sent_by",
        "decided_by",
        "attendance",
    )


def held_checkin_for_user(user, pk: int) -> HeldCheckin:
    """The held check-in, or 404 when its site is outside the user's scope."""
    return get_object_or_404(held_checkins_for_user(user), pk=pk)


def held_checkin_lists(user, *, decided_limit: int = 50) -> dict[str, list[HeldCheckin]]:
    """Waiting items (oldest scan first) and the latest decided ones: two queries whatever their number."""
    held = held_checkins_for_user(user)
    return {
        "waiting": list(held.filter(status=HeldCheckin.Status.HELD).order_by("device_time", "id")),
        "decided": list(held.exclude(status=HeldCheckin.Status.HELD).order_by("-decided_at", "-id")[:decided_limit]),
    }


def held_checkin_waiting_count(user) -> int:
    return held_checkins_for_user(user).filter(status=HeldCheckin.Status.HELD).count()
