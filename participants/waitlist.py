"""The waiting list of a site × role (daftar tunggu): who waits for a seat when a quota that closes when full is full.

A waiting registration is a `Registration` in status WAITING: it has its code, its data and its place in the
line — by `submitted_at`, then id — and it blocks a second registration of the person for the event like any
active one; it holds no seat. A seat that frees at the site × role (a registration rejected or withdrawn, the
quota raised, closed no more or removed) goes to the first in line in the same transaction
(:func:`waitlist_fill`, called by `participants.services.registration_transition` and on the `events`
signal `quota_changed`); the organizer may also promote someone by hand (even beyond the target: its decision,
on record) or take someone out of the line, each with a reason. Every move is an audit entry
(`waitlist.submitted`, `waitlist.withdrawn`); the promoted participant gets a mail after commit, and so does one
the organizer removes (with the reason).

Locks, always in this order, so that no two transactions wait on each other: the quota row (SELECT … FOR
UPDATE), then the waiting registrations. A seat holder leaving locks its own row first, then the quota; it is
never a waiting row, so no cycle can form. The reads of the line (positions, the staff page, the export) are
here too: they share the definition of the order.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core import workflow
from core.errors import DomainError
from events.models import EventSite, Role, SiteQuota
from events.services.quotas import quota_lock
from events.signals import quota_changed
from participants.models import Registration
from participants.notifications import send_waitlist_promotion, send_waitlist_removal

Status = Registration.Status
# The order of the line: who came first.
LINE_ORDER = ("submitted_at", "pk")


class WaitlistError(DomainError):
    pass


# --- reads -----------------------------------------------------------------------------------------------------


def waiting_line(*, site_id: int, role_id: int) -> QuerySet[Registration]:
    """The waiting registrations of a site × role, first in line first."""
    return Registration.objects.filter(site_id=site_id, role_id=role_id, status=Status.WAITING).order_by(*LINE_ORDER)


def waiting_position(registration: Registration) -> int | None:
    """The registration's place in its line (1 = next to get a seat); None when it is not waiting. One query."""
    if registration.status != Status.WAITING:
        return None
    ahead = Q(submitted_at__lt=registration.submitted_at) | Q(
        submitted_at=registration.submitted_at, pk__lt=registration.pk
    )
    return waiting_line(site_id=registration.site_id, role_id=registration.role_id).filter(ahead).count() + 1


def waiting_positions(*, event_id: int) -> dict[int, int]:
    """Registration id → place in its line, for every waiting registration of the event (one query).

    Counted over the whole line, so a user who sees only part of it (a province's verifikator) reads the real
    place of each row it sees.
    """
    positions: dict[int, int] = {}
    seen: dict[tuple[int, int], int] = defaultdict(int)
    rows = (
        Registration.objects.filter(event_id=event_id, status=Status.WAITING)
        .order_by("site_id", "role_id", *LINE_ORDER)
        .values_list("pk", "site_id", "role_id")
    )
    for pk, site_id, role_id in rows:
        seen[site_id, role_id] += 1
        positions[pk] = seen[site_id, role_id]
    return positions


def seats_taken(*, site_ids) -> dict[tuple[int, int], int]:
    """(site id, role id) → registrations holding a seat (submitted or verified), for the given sites (one query)."""
    rows = (
        Registration.objects.filter(site_id__in=site_ids, status__in=Registration.SEAT_STATUSES)
        .order_by()
        .values_list("site_id", "role_id")
        .annotate(n=Count("id"))
    )
    return {(site_id, role_id): n for site_id, role_id, n in rows}


@dataclass
class WaitingGroup:
    """The line of one site × role, as a staff page shows it: the quota, the seats taken, who waits."""

    site: EventSite
    role: Role
    target: int | None
    closes_when_full: bool
    taken: int
    rows: list[tuple[Registration, int]] = field(default_factory=list)  # (registration, place in the line)


def waiting_groups(
    *, registrations: QuerySet[Registration], sites: list[EventSite], event_id: int
) -> list[WaitingGroup]:
    """The lines of the given sites of one event: one per quota that closes when full, and one per site × role
    where someone waits. `registrations` is the user's scope (rows outside it are not shown; places are still
    counted in the whole line). Four queries, whatever the number of sites, roles and rows."""
    site_by_id = {site.pk: site for site in sites}
    quotas = {
        (quota.site_id, quota.role_id): quota
        for quota in SiteQuota.objects.filter(site_id__in=site_by_id).select_related("role")
    }
    waiting = list(
        registrations.filter(event_id=event_id, site_id__in=site_by_id, status=Status.WAITING)
        .select_related("role", "agency", "school", "province")
        .order_by(*LINE_ORDER)
    )
    positions = waiting_positions(event_id=event_id)
    taken = seats_taken(site_ids=list(site_by_id))
    groups: dict[tuple[int, int], WaitingGroup] = {}

    def group(site_id: int, role: Role) -> WaitingGroup:
        key = (site_id, role.pk)
        if key not in groups:
            quota = quotas.get(key)
            groups[key] = WaitingGroup(
                site=site_by_id[site_id],
                role=role,
                target=quota.target if quota else None,
                closes_when_full=bool(quota and quota.close_when_full),
                taken=taken.get(key, 0),
            )
        return groups[key]

    for (site_id, _role_id), quota in quotas.items():
        if quota.close_when_full:
            group(site_id, quota.role)
    for registration in waiting:
        group(registration.site_id, registration.role).rows.append((registration, positions[registration.pk]))
    for line in groups.values():
        line.rows.sort(key=lambda row: row[1])
    return sorted(groups.values(), key=lambda g: (g.site.order, g.site.name, g.role.order, g.role.name))


# --- writes ----------------------------------------------------------------------------------------------------


def seats_held(*, site_id: int, role_id: int, exclude_pk: int | None = None) -> int:
    """The seats of the site × role held now (registrations in a seat status), but `exclude_pk`'s; one COUNT.
    Read under the quota's lock (events.services.quotas.quota_lock) when a seat is decided on it."""
    statuses = ", ".join(["%s"] * len(Registration.SEAT_STATUSES))
    # Names from the model, values as parameters. In SQL: a statement of every registration (see quota_lock).
    sql = (
        f'SELECT COUNT(*) FROM "{Registration._meta.db_table}" '  # noqa: S608
        f'WHERE "site_id" = %s AND "role_id" = %s AND "status" IN ({statuses})'
    )
    params = [site_id, role_id, *Registration.SEAT_STATUSES]
    if exclude_pk is not None:
        sql += ' AND "id" <> %s'
        params.append(exclude_pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _free_seats(quota: SiteQuota | None, *, site_id: int, role_id: int) -> int | None:
    """Seats free at the site × role now; None when nothing limits them (no quota, or one that does not close)."""
    if quota is None or not quota.close_when_full:
        return None
    return max(quota.target - seats_held(site_id=site_id, role_id=role_id), 0)


def _not_waiting(locked: Registration, to_status: str) -> WaitlistError:
    return WaitlistError(
        _("This registration is not on the waiting list (status: %(status)s).")
        % {"status": locked.get_status_display()},
        code="not_waiting",
    )


def _require_waiting(locked: Registration) -> None:
    # The workflow also lets a rejected registration be submitted, or a seat holder withdraw: not these moves.
    if locked.status != Status.WAITING:
        raise _not_waiting(locked, "")


def _promote(registration: Registration, *, actor, reason: str, data: dict) -> Registration:
    """Give the (locked, waiting) registration a seat: it goes to the verifikator like any submitted one."""

    def apply(locked: Registration, audit_data: dict) -> list[str]:
        _require_waiting(locked)
        audit_data.update(data)
        return []

    moved = workflow.transition(
        registration,
        to_status=Status.SUBMITTED,
        actor=actor,
        action="waitlist",
        forbidden=_not_waiting,
        apply=apply,
        reason=reason,
    )
    transaction.on_commit(lambda: send_waitlist_promotion(registration_id=moved.pk))
    return moved


def waitlist_fill(*, site_id: int, role_id: int, actor=None, cause: str, freed_by: int | None = None) -> list[int]:
    """Give every free seat of the site × role to the first in line; returns the ids promoted, in order.

    Runs in the caller's transaction (a rejection, a withdrawal, a quota change): the seat that freed and its
    new holder are committed together, or neither. `cause` says why in the audit entry ("rejected",
    "withdrawn", "quota_changed"); `freed_by` is the registration that left, if one did.
    """
    promoted: list[int] = []
    with transaction.atomic():
        quota = quota_lock(site_id=site_id, role_id=role_id)
        while True:
            free = _free_seats(quota, site_id=site_id, role_id=role_id)
            if free == 0:
                break
            line = waiting_line(site_id=site_id, role_id=role_id).select_for_update()
            # A row withdrawn meanwhile by another transaction drops out of the locked set: read again until
            # the seats are filled or nobody waits.
            batch = list(line if free is None else line[:free])
            if not batch:
                break
            for registration in batch:
                data = {"automatic": True, "cause": cause}
                if freed_by is not None:
                    data["freed_by"] = freed_by
                _promote(registration, actor=actor, reason="", data=data)
                promoted.append(registration.pk)
            if free is None:
                break
    return promoted


def _on_quota_changed(sender, *, site_id: int, role_id: int, actor=None, **kwargs) -> None:
    waitlist_fill(site_id=site_id, role_id=role_id, actor=actor, cause="quota_changed")


def signals_connect() -> None:
    """Connect the waiting list to the signals of the areas below (called once by ParticipantsConfig.ready)."""
    quota_changed.connect(_on_quota_changed, dispatch_uid="participants.waitlist_fill_on_quota_changed")


def waitlist_promote(*, registration: Registration, actor, reason: str) -> Registration:
    """The organizer gives a waiting registration a seat out of turn, with a reason; beyond the target when the
    quota is full (its decision: the audit entry says so)."""
    reason = reason.strip()
    if not reason:
        raise WaitlistError(_("Give the reason."), code="reason_required", field="reason")
    with transaction.atomic():
        quota = quota_lock(site_id=registration.site_id, role_id=registration.role_id)
        free = _free_seats(quota, site_id=registration.site_id, role_id=registration.role_id)
        return _promote(registration, actor=actor, reason=reason, data={"automatic": False, "beyond_target": free == 0})


def waitlist_remove(*, registration: Registration, actor, reason: str) -> Registration:
    """The organizer takes a registration out of the waiting list (withdrawn), with a reason; the participant gets
    a mail saying so and why, after commit."""
    reason = reason.strip()
    if not reason:
        raise WaitlistError(_("Give the reason."), code="reason_required", field="reason")
    with transaction.atomic():
        removed = workflow.transition(
            registration,
            to_status=Status.WITHDRAWN,
            actor=actor,
            action="waitlist",
            forbidden=_not_waiting,
            apply=lambda locked, data: _require_waiting(locked),
            reason=reason,
        )
        transaction.on_commit(lambda: send_waitlist_removal(registration_id=removed.pk, reason=reason))
    return removed
