"""Reads of the check-in screen, scoped to the user: sessions, the expected participants, live counts, search.

Every function keeps a constant number of queries whatever the number of registrations.

The door's hot path (a check-in POST, a search, an offline sync) reads its fixed data from each worker's memory
(`DOOR_MEMO`, a `core.cache.ProcessMemo`, one read of its version per request): who may check in where
(`checkin_scope`: the permission and the ids of the user's sites) and the session with what a check-in reads of it
(`door_place`), kept while nothing they are made of changes (attendance/apps.py drops every worker's copies on such
a change). The registration of a scanned code is then one query (`registration_for_checkin`).
"""

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, DateTimeField, Expression, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from attendance.models import Attendance, HeldCheckin
from core.cache import ProcessMemo
from core.identifiers import mask_nik, mask_nip
from events.models import Agency, EventSite, Role, Session
from events.selectors import is_central, sites_registrable_by
from participants.models import Registration, School, identifier_q

SEARCH_LIMIT = 20
_IDENTIFIER = re.compile(r"^\d{8,18}$")


CHECKIN_PERMISSION = "attendance.add_attendance"


def checkin_sites_for_user(user) -> QuerySet[EventSite]:
    """Sites where the user may check people in: panitia of the event, koordinator of the site, admin pusat."""
    return sites_registrable_by(user)


# The door's fixed data in each worker's memory: who may check in where (per user id) and each session with what
# a check-in reads of it (`DoorPlace`). What they are made of (the user's groups and permissions, the groups'
# permissions, the sites and their coordinators, the events and their organizers, the users' UserScope, sessions,
# venues, regions, roles) drops every worker's copies when saved (attendance/apps.py); `max_age` bounds what a
# change that bypasses the signals (a QuerySet.update()) leaves.
DOOR_MEMO = ProcessMemo("attendance.door", max_age=120.0)


@dataclass(frozen=True)
class CheckinScope:
    """May the user check people in (`allowed`: the permission), and at which sites (`site_ids`; None: all)."""

    allowed: bool
    site_ids: frozenset[int] | None

    def covers(self, site_id: int) -> bool:
        return self.allowed and (self.site_ids is None or site_id in self.site_ids)


@dataclass(frozen=True)
class DoorPlace:
    """What a check-in reads of its session, none of which changes per request: the session with its site, venue
    and zone; the event's sites and its program's roles by id (a registration's card names them). Shared by the
    threads of a worker: read only."""

    session: Session
    sites: dict[int, EventSite]
    roles: dict[int, Role]


def _door_version(user) -> str:
    """The memo's version, read once per request (kept on the request's user object)."""
    version = getattr(user, "_door_version", None)
    if version is None:
        version = user._door_version = DOOR_MEMO.version()
    return version


def _checkin_scope_load(user) -> CheckinScope:
    allowed = user.has_perm(CHECKIN_PERMISSION)
    if is_central(user):
        return CheckinScope(allowed, None)
    return CheckinScope(allowed, frozenset(checkin_sites_for_user(user).values_list("pk", flat=True)))


def checkin_scope(user) -> CheckinScope:
    """The user's check-in scope: from this worker's memory (one read of the memo's version), once per request."""
    if not user.is_authenticated:
        return CheckinScope(False, frozenset())
    scope = getattr(user, "_checkin_scope", None)
    if scope is None:
        scope = DOOR_MEMO.get(("scope", user.pk), lambda: _checkin_scope_load(user), version=_door_version(user))
        user._checkin_scope = scope
    return scope


def _door_place_load(session_id: int) -> DoorPlace | None:
    session = Session.objects.select_related("site__event", "site__venue__regency__province").filter(pk=session_id)
    session = session.first()
    if session is None:
        return None
    event = session.site.event
    return DoorPlace(
        session=session,
        sites={site.pk: site for site in EventSite.objects.filter(event_id=event.pk).only("id", "event_id", "name")},
        roles={role.pk: role for role in Role.objects.filter(program_id=event.program_id)},
    )


def door_changed(**kwargs) -> None:
    """Signal receiver: something the door's memory is made of was saved or deleted. Logging in saves the user's
    last_login only, which changes nothing there."""
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"last_login"}:
        return
    DOOR_MEMO.bump()
    # Again once the change is committed: a shared cache outside the database (Redis) shows the first bump at once,
    # and a worker computing in between would keep what was there before.
    transaction.on_commit(DOOR_MEMO.bump)


def checkin_sessions_for_user(user) -> QuerySet[Session]:
    return (
        Session.objects.filter(site__in=checkin_sites_for_user(user).values("id"))
        .select_related("site__event", "site__venue__regency__province")
        .order_by("site__event__start_date", "site__event_id", "site__order", "site__name", "starts_at")
    )


def checkin_session_for_user(user, session_id: int) -> Session:
    """The session, or 404 when it belongs to a site outside the user's scope (`checkin_scope`: no scope query)."""
    session = get_object_or_404(
        Session.objects.select_related("site__event", "site__venue__regency__province"), pk=session_id
    )
    if not checkin_scope(user).covers(session.site_id):
        raise Http404
    return session


def door_place(user, session_id: int) -> DoorPlace:
    """The session of a check-in or a search with what the door reads of it, from this worker's memory (no query
    while nothing it is made of changed); 404 when it belongs to a site outside the user's scope. Read only."""
    place = DOOR_MEMO.get(("session", session_id), lambda: _door_place_load(session_id), version=_door_version(user))
    if place is None or not checkin_scope(user).covers(place.session.site_id):
        raise Http404
    return place


def checkin_site_for_user(user, site_id: int) -> EventSite:
    """The site, or 404 when it is outside the user's scope (`checkin_scope`: no scope query)."""
    if not checkin_scope(user).covers(site_id):
        raise Http404
    return get_object_or_404(EventSite.objects.select_related("event", "venue__regency__province"), pk=site_id)


def _door_registration_sql() -> str:
    """The door's read of a registration by its code: what its card, the warnings and the audit entry show, its
    agency's or school's name, and its attendance of one session. Written out once (the ORM spends a millisecond
    compiling the same query at every scan); the names come from the models."""
    registration, agency, school, attendance = (
        model._meta.db_table for model in (Registration, Agency, School, Attendance)
    )
    columns = ", ".join(
        f"r.{Registration._meta.get_field(name).column}"
        for name in ("id", "code", "full_name", "status", "nik", "nip", "event", "site", "role", "agency", "school")
    )
    # Table and column names from the models' meta; the session and the code are parameters.
    return (
        f"SELECT {columns}, ag.name AS door_agency_name, sc.name AS door_school_name, "  # noqa: S608
        "a.id AS door_attendance_id, a.checked_in_at AS door_attendance_at "
        f"FROM {registration} r LEFT JOIN {agency} ag ON ag.id = r.agency_id "
        f"LEFT JOIN {school} sc ON sc.id = r.school_id "
        f"LEFT JOIN {attendance} a ON a.registration_id = r.id AND a.session_id = %s "
        "WHERE r.code = %s"
    )


_DOOR_REGISTRATION_SQL = _door_registration_sql()


def _datetime_from_db(value):
    """A datetime column read by raw SQL, as the ORM would return it (SQLite gives text)."""
    expression = Expression(output_field=DateTimeField())
    for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value


def registration_for_checkin(*, place: DoorPlace, code: str) -> tuple[Registration | None, Attendance | None]:
    """The event's registration with this code (None: no such code in the event), with what its card shows (its
    role and site from `place`, its agency or school by name), and its attendance of the session (None when not
    checked in yet; its id and time loaded): one query on the code's unique index."""
    session = place.session
    found = list(Registration.objects.raw(_DOOR_REGISTRATION_SQL, [session.pk, code]))
    registration = found[0] if found else None
    if registration is None or registration.event_id != session.site.event_id:
        return None, None
    # The event's roles and sites as kept in memory (a role or site missing there is read as usual).
    if registration.role_id in place.roles:
        registration.role = place.roles[registration.role_id]
    if registration.site_id in place.sites:
        registration.site = place.sites[registration.site_id]
    if registration.agency_id:
        registration.agency = Agency.from_db(
            None, ["id", "name"], [registration.agency_id, registration.door_agency_name]
        )
    if registration.school_id:
        registration.school = School.from_db(
            None, ["id", "name"], [registration.school_id, registration.door_school_name]
        )
    if registration.door_attendance_id is None:
        return registration, None
    return registration, Attendance.from_db(
        None,
        ["id", "registration_id", "session_id", "checked_in_at"],
        [
            registration.door_attendance_id,
            registration.pk,
            session.pk,
            _datetime_from_db(registration.door_attendance_at),
        ],
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
