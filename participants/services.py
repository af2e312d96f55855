"""Writes of the participants area: registrations (create, with quota and duplicate guards, and the
verification workflow), the people's data (corrections, the person admin), the participant's correction
requests, and the audit entry of every unmasked NIK or phone shown (UU 27/2022).

Every view, import, admin action and command creates or moves a registration or a person through these
functions; nobody else saves a Registration. Showing a NIK or phone number in full is an act on record:
every page, card, admin form and export that unmasks one calls `personal_data_viewed(_many)`, which writes a
`personal_data.viewed` audit entry per person — who, which person, when and where, never the value itself.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import audit, workflow
from core.bulk import insert_one, instances_from_rows, select_columns
from core.errors import DomainError
from events.models import Agency, AgencyType, Event, EventSite, Province, Role
from events.selectors import provinces_served_by_site
from events.services.quotas import quota_lock
from participants.models import CorrectionRequest, Person, Registration, School, identifier_compared, identifier_q
from participants.notifications import send_registration_confirmation
from participants.selectors import registrations_visible_to
from participants.signals import registration_left
from participants.waitlist import seats_held, waitlist_fill

Status = Registration.Status


class RegistrationError(DomainError):
    """A registration rule refused the request; `existing` is the registration a duplicate ran into."""

    def __init__(self, code: str, message, *, field: str | None = None, existing: Registration | None = None):
        super().__init__(message, code=code, field=field)
        self.existing = existing


@dataclass
class PersonData:
    """What a form or an import row says about a person, already validated and normalised."""

    full_name: str
    gender: str = ""
    birth_date: date | None = None
    nik: str = ""
    nip: str = ""
    nip_is_pppk: bool = False  # the NIP is an NI PPPK (validated by its own rule)
    nuptk: str = ""
    position: str = ""
    agency: Agency | None = None
    school: School | None = None
    province: Province | None = None
    phone: str = ""
    email: str = ""

    @property
    def identifiers(self) -> dict[str, str]:
        return {name: value for name, value in (("nik", self.nik), ("nip", self.nip), ("nuptk", self.nuptk)) if value}


_TITLE_TOKEN = re.compile(r"^[\w]+\.([\w]+\.?)*$")


def comparable_name(name: str) -> str:
    """A name without academic titles, case and punctuation: 'Dr. Siti Aminah, M.Pd.' → 'siti aminah'."""
    tokens = [token.strip(",") for token in name.replace(",", ", ").split()]
    return " ".join(t.casefold() for t in tokens if t and not _TITLE_TOKEN.match(t))


def _require_identifier(data: PersonData) -> None:
    if not data.identifiers:
        raise RegistrationError("identifier_missing", _("Fill in at least one of NIK, NIP or NUPTK."), field="nik")


def _match_person(data: PersonData, *, event_id: int | None = None) -> tuple[Person | None, RegistrationError | None]:
    """The Person holding the given identifiers (None when nobody does), and what conflicts with the data:
    the identifiers belong to two people, or to a person recorded under another name. The errors name no one.

    With `event_id`, the person comes with `active_registration_id`: the id of its registration for that event
    that counts (see `_active_registration`), or None; the same query."""
    _require_identifier(data)
    identifiers = data.identifiers
    matches = _people_holding(identifiers, event_id=event_id)
    if not matches:
        return None, None
    if len(matches) > 1:
        # The NIK's holder first: the identifier printed on the identity card.
        matches.sort(key=lambda person: person.nik != data.nik)
        return matches[0], RegistrationError(
            "identifiers_of_two_people",
            _("These identifiers belong to two different people in our records. Contact the organizer."),
            field="nik",
        )
    person = matches[0]
    if comparable_name(person.full_name) != comparable_name(data.full_name):
        field = next(name for name, value in identifiers.items() if getattr(person, name) == value)
        return person, RegistrationError(
            "identifier_under_other_name",
            _("This %(identifier)s is already recorded under another name. Check the number, or contact the organizer.")
            % {"identifier": field.upper()},
            field=field,
        )
    return person, None


def _people_holding(identifiers: dict[str, str], *, event_id: int | None) -> list[Person]:
    """Up to two people holding any of the identifiers (compared as `identifier_q` does), each with
    `active_registration_id`: the id of its registration for the event that counts, or None; one statement.

    Written in SQL: it is a statement of every registration, and compiling it through the ORM (the OR of the
    identifiers, the subquery) cost several times what the database spends on it (bench/registration.py)."""
    person, registration = Person._meta.db_table, Registration._meta.db_table
    conditions, params = [], []
    for kind, value in identifiers.items():
        column, compared = identifier_compared(kind, value)
        if compared:
            conditions.append(f'p."{column}" = %s')
            params.append(compared)
    if not conditions:
        return []
    active, active_params = "NULL", []
    if event_id is not None:
        statuses = ", ".join(["%s"] * len(Registration.ACTIVE_STATUSES))
        # Names from the models, values as parameters.
        active = (
            f'(SELECT r."id" FROM "{registration}" r WHERE r."person_id" = p."id" AND r."event_id" = %s '  # noqa: S608
            f'AND r."status" IN ({statuses}) AND r."review" = %s LIMIT 1)'
        )
        active_params = [event_id, *Registration.ACTIVE_STATUSES, ""]
    where = " OR ".join(conditions)
    sql = f'SELECT {select_columns(Person, "p")}, {active} FROM "{person}" p WHERE {where} LIMIT 2'  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*active_params, *params])
        rows = cursor.fetchall()
    people = instances_from_rows(Person, rows)  # none, for a person seen for the first time
    for holder in people:
        (holder.active_registration_id,) = holder.extra_columns
    return people


def _person_create(data: PersonData) -> Person:
    """The shared record of a human seen for the first time, with the data of its first registration."""
    return insert_one(Person(**{f.name: _stored(f.name, getattr(data, f.name)) for f in fields(PersonData)}))


def _person_for(data: PersonData, *, public: bool, event_id: int) -> tuple[Person, str]:
    """The person a registration for the event belongs to (with `active_registration_id`, see `_match_person`),
    and the review it needs ("" for none).

    The shared record is never changed by a registration: each registration keeps its own copy of what was
    entered. A conflict refuses the registration of an organizer (who can check the number), and flags a
    public one for the organizer to judge: the public form never tells anyone whether a NIK is recorded.
    A new person is inserted without a savepoint of its own: if someone registers the same identifier at the
    same moment, the IntegrityError ends the caller's transaction, which starts again and finds that person.
    """
    person, conflict = _match_person(data, event_id=event_id)
    if conflict is not None:
        if not public:
            raise conflict
        return person, Registration.Review.IDENTITY
    if person is not None:
        return person, ""
    person = _person_create(data)
    person.active_registration_id = None
    return person, ""


def province_not_served(*, site: EventSite, province: Province | None, served: dict[int, set[int]]) -> str:
    """Why a registrant from `province` cannot register at `site` ("" when it may).

    A site that names the provinces it serves takes participants from those only (a site serving none named
    takes everyone). Nobody else could verify them: a verifikator acts on the provinces of its scope. The
    message names the event's sites that do serve the province. `served` maps each site of the event to the
    ids of the provinces it serves (see `provinces_served_by_site`), so a caller checking many rows reads it once.
    """
    own = served.get(site.pk, set())
    if province is None or not own or province.pk in own:
        return ""
    serving = [name for pk, name in served.get("names", {}).items() if province.pk in served.get(pk, set())]
    if serving:
        return _("The site %(site)s does not serve participants from %(province)s. Register at: %(sites)s.") % {
            "site": site.name,
            "province": province.name,
            "sites": ", ".join(serving),
        }
    return _("No site of this event serves participants from %(province)s. Contact the organizer.") % {
        "province": province.name
    }


def _claim_seat(*, site: EventSite, role: Role, exclude: Registration | None = None) -> None:
    """Refuse when the role's quota at the site is closed and full.

    The quota row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already
    serialises writers), so two people can never take the last seat together.
    """
    quota = quota_lock(site_id=site.pk, role_id=role.pk, closing_only=True)
    if quota is None:
        return
    if seats_held(site_id=site.pk, role_id=role.pk, exclude_pk=exclude.pk if exclude else None) >= quota.target:
        raise RegistrationError(
            "quota_full",
            _("All %(target)s places for %(role)s at %(site)s are taken.")
            % {"target": quota.target, "role": role.name, "site": site.name},
            field="role",
        )


def _duplicate_error(existing: Registration, actor) -> RegistrationError:
    """The person is registered already; where and how only to a user who may see that registration."""
    if actor is not None and registrations_visible_to(actor).filter(pk=existing.pk).exists():
        message = _("This person is already registered for this event at %(site)s (status: %(status)s).") % {
            "site": existing.site.name,
            "status": existing.get_status_display(),
        }
    else:
        message = _("This person is already registered for this event.")
    return RegistrationError("duplicate", message, field="nik", existing=existing)


def _active_registration(person: Person, event_id: int) -> Registration | None:
    """The person's registration for the event that counts (flagged public ones wait for the organizer)."""
    return (
        Registration.objects.filter(
            person=person, event_id=event_id, status__in=Registration.ACTIVE_STATUSES, review=""
        )
        .select_related("site")
        .first()
    )


# --- Participation rules on history: "only those who attended <previous event> may register" ---------------


def people_who_attended(*, event_id: int, person_ids) -> set[int]:
    """Those of `person_ids` with at least one check-in (an attendance row) on a registration of theirs at the
    event; one query. Attendance rows are reached through the registrations (participants imports nothing above)."""
    return set(
        Registration.objects.filter(event_id=event_id, person_id__in=person_ids, attendances__isnull=False)
        .values_list("person_id", flat=True)
        .distinct()
    )


def not_eligible_message(required: Event) -> str:
    """What a registrant without the required attendance reads: the rule, naming the event it requires."""
    return _(
        "Only participants who attended %(event)s may register for this event. If you did attend, contact the "
        "organizer."
    ) % {"event": required.title}


def registration_eligibility_check(*, event: Event, person_data: PersonData) -> None:
    """Refuse (RegistrationError "not_eligible") a person who did not attend the event's required previous event.

    The one check of the rule for every channel: `registration_create` calls it (public form, organizer form,
    admin, Excel import), and the import's check phase reports the same message per row. The person is the one
    recorded under the given identifiers and name; nobody recorded, or recorded under another name, has no
    attendance to show. Costs nothing for an event without the rule.
    """
    if not event.required_event_id:
        return
    person, conflict = _match_person(person_data)
    if (
        person is not None
        and conflict is None
        and people_who_attended(event_id=event.required_event_id, person_ids=[person.pk])
    ):
        return
    raise RegistrationError("not_eligible", not_eligible_message(event.required_event))


def _stored(name: str, value):
    """A value as a model field stores it: text fields hold "" rather than None."""
    return "" if value is None and name in _TEXT_FIELDS else value


_TEXT_FIELDS = {"full_name", "gender", "nik", "nip", "nuptk", "position", "phone", "email"}


# A registration that runs into another one made at the same moment (the same new person, the same person's
# registration) starts again once and finds it; a third collision in a row is a real error.
CREATE_ATTEMPTS = 3


def registration_create(
    *,
    site: EventSite,
    role: Role,
    person_data: PersonData,
    source: str,
    actor=None,
    proposed_agency: "NewAgency | None" = None,
    served: dict | None = None,
    join_waitlist: bool = False,
) -> Registration:
    """Register a person for a site in a role: one active registration per person and event.

    The registration keeps its own copy of the data entered (PersonData) and links to the shared Person
    found by its identifiers (or created); the shared record is never changed here.

    Organizers (forms, imports, admin): a duplicate or an identifier recorded under another name is refused
    (RegistrationError, naming nobody). Self-registration (source "self"): both are kept, flagged for the
    organizer (`review`), and answered exactly like any registration, so the form reveals nothing of what
    is recorded. A full quota refuses both ("quota_full"), unless `join_waitlist`: the registration is then
    made on the waiting list (status WAITING, participants.waitlist). `proposed_agency` is an agency the
    registrant did not find in the list: a proposal the organizer accepts or maps. Sends the confirmation mail
    after commit (when an address was given). `served`: `provinces_served_by_site(site.event_id)` when the
    caller has it at hand.

    The statements of a new person's registration: the person looked up by its identifiers' hashes together with
    its registration for the event, the person inserted, the quota row locked and its seats counted (a quota closed
    when full only: the lock is held from there to the commit), the registration and the audit entry inserted; no
    savepoint (see `_person_for`).
    """
    if role.program_id != site.event.program_id:
        raise RegistrationError("role_not_in_program", _("This role does not belong to the event."), field="role")
    if served is None:
        served = provinces_served_by_site(site.event_id)
    unserved = province_not_served(site=site, province=person_data.province, served=served)
    if unserved:
        raise RegistrationError("province_not_served", unserved, field="province")
    registration_eligibility_check(event=site.event, person_data=person_data)
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _registration_insert(
                    site=site,
                    role=role,
                    person_data=person_data,
                    source=source,
                    actor=actor,
                    proposed_agency=proposed_agency,
                    join_waitlist=join_waitlist,
                )
        except IntegrityError:
            # Another request inserted the same new person or the person's registration at the same moment: the
            # next attempt finds it (a duplicate is refused, or flagged on the public form).
            if attempt == CREATE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _registration_insert(
    *, site: EventSite, role: Role, person_data: PersonData, source: str, actor, proposed_agency, join_waitlist: bool
) -> Registration:
    """The writes of `registration_create`, inside its transaction."""
    public = source == Registration.Source.SELF
    person, review = _person_for(person_data, public=public, event_id=site.event_id)
    if not review and person.active_registration_id is not None:
        if not public:
            existing = Registration.objects.select_related("site").get(pk=person.active_registration_id)
            raise _duplicate_error(existing, actor)
        review = Registration.Review.DUPLICATE
    # The quota's lock last: it is held from the count of the seats to the commit, not while the person is found.
    status = _seat_or_waiting(site=site, role=role, join_waitlist=join_waitlist)
    values = {f.name: _stored(f.name, getattr(person_data, f.name)) for f in fields(PersonData)}
    if proposed_agency is not None:
        values["agency"] = None
        values["proposed_agency_name"] = " ".join(proposed_agency.name.split())
        values["proposed_agency_type"] = proposed_agency.agency_type
    values |= {
        "person": person,
        "event_id": site.event_id,
        "site": site,
        "role": role,
        "source": source,
        "status": status,
        "submitted_at": timezone.now(),
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    registration = insert_one(Registration(review=review, **values))
    audit.record(
        actor=actor,
        action="registration.created",
        target=registration,
        to_state=status,
        data={"source": source, "site": site.pk, "role": role.pk, "review": review},
    )
    if registration.email:
        transaction.on_commit(lambda: send_registration_confirmation(registration_id=registration.pk))
    return registration


def _transition_forbidden(locked: Registration, to_status: str) -> RegistrationError:
    return RegistrationError(
        "transition_forbidden",
        _("A registration that is %(from)s cannot become %(to)s.")
        % {"from": locked.get_status_display(), "to": Status(to_status).label},
    )


def registration_transition(*, registration: Registration, to_status: str, actor, reason: str = "") -> Registration:
    """Move a registration along the declared workflow, with an audit entry; the row is locked."""
    reason = reason.strip()

    left_seat = []

    def apply(locked: Registration, data: dict) -> list[str]:
        left_seat.append(locked.status in Registration.SEAT_STATUSES and to_status not in Registration.SEAT_STATUSES)
        if locked.status == Status.WAITING and to_status == Status.SUBMITTED:
            # A seat from the line comes in its turn or from the organizer (participants.waitlist), never this way.
            raise _transition_forbidden(locked, to_status)
        if to_status == Status.REJECTED and not reason:
            raise RegistrationError("reason_required", _("Give the reason for the rejection."), field="reason")
        fields = []
        if to_status == Status.VERIFIED and locked.review:
            # Verifying a flagged registration is the organizer's judgement that it stands: it then counts
            # like any other, so the person may hold no second active registration for the event.
            other = _active_registration(locked.person, locked.event_id)
            if other is not None and other.pk != locked.pk:
                # Where the other one is, only to whoever may see it; never its code (the participant's key).
                known = _duplicate_error(other, actor).message
                raise RegistrationError(
                    "duplicate_to_resolve",
                    format_lazy(
                        "{} {}", known, _("Verify only one registration of the person: reject or withdraw the other.")
                    ),
                )
            data["review_resolved"] = locked.review
            locked.review = ""
            fields.append("review")
        if to_status == Status.SUBMITTED:
            _claim_seat(site=locked.site, role=locked.role, exclude=locked)
        if to_status in (Status.VERIFIED, Status.REJECTED):
            locked.decided_at, locked.decided_by = timezone.now(), actor
            fields += ["decided_at", "decided_by"]
        if to_status == Status.REJECTED:
            locked.rejection_reason = reason
            fields.append("rejection_reason")
        if to_status == Status.SUBMITTED:
            locked.submitted_at, locked.rejection_reason = timezone.now(), ""
            fields += ["submitted_at", "rejection_reason"]
        return fields

    with transaction.atomic():
        moved = workflow.transition(
            registration,
            to_status=to_status,
            actor=actor,
            action="registration",
            forbidden=_transition_forbidden,
            apply=apply,
            reason=reason,
        )
        if to_status not in Registration.SEAT_STATUSES:
            registration_left.send(sender=Registration, registration=moved, actor=actor, reason=reason)
        if left_seat[0]:
            # The seat it held goes to the first in line, in this same transaction.
            waitlist_fill(site_id=moved.site_id, role_id=moved.role_id, actor=actor, cause=to_status, freed_by=moved.pk)
    return moved


def _seat_or_waiting(*, site: EventSite, role: Role, join_waitlist: bool) -> str:
    """The status of a new registration: submitted when a seat is free, waiting when the quota is full and the
    registrant chose the waiting list (else the quota_full refusal stands)."""
    try:
        _claim_seat(site=site, role=role)
    except RegistrationError as error:
        if error.code != "quota_full" or not join_waitlist:
            raise
        return Status.WAITING
    return Status.SUBMITTED


def registration_withdraw(*, registration: Registration, actor=None, reason: str = "") -> Registration:
    """The registration is withdrawn (by the participant from the status page: `actor` None); its seat, if it
    held one, goes to the first in line. Refused once the site's last day is past (the papers stand)."""
    if registration.site.end_date < timezone.localdate():
        raise RegistrationError("event_over", _("The event is over: a registration can no longer be withdrawn."))
    return registration_transition(registration=registration, to_status=Status.WITHDRAWN, actor=actor, reason=reason)


def registration_verify(*, registration: Registration, actor) -> Registration:
    return registration_transition(registration=registration, to_status=Status.VERIFIED, actor=actor)


def registration_reject(*, registration: Registration, actor, reason: str) -> Registration:
    return registration_transition(registration=registration, to_status=Status.REJECTED, actor=actor, reason=reason)


def registration_resubmit(*, registration: Registration, actor) -> Registration:
    """A rejected registration, corrected, goes back to the verifikator."""
    return registration_transition(registration=registration, to_status=Status.SUBMITTED, actor=actor)


def registrations_verify_many(*, registrations, actor) -> tuple[int, list[RegistrationError]]:
    """Verify each submitted registration of the (already scoped) queryset; returns (done, refused)."""
    done, refused = 0, []
    for registration in registrations.filter(status=Status.SUBMITTED).order_by("pk"):
        try:
            registration_verify(registration=registration, actor=actor)
            done += 1
        except RegistrationError as error:
            refused.append(error)
    return done, refused


# --- Forms: a new agency typed in the registration form, and corrections of a person's data ---------------


@dataclass
class NewAgency:
    """An agency the registering person did not find in the list: created together with the registration."""

    agency_type: AgencyType
    name: str
    province: Province | None = None


def _agency_in_region(new_agency: NewAgency, name: str) -> Agency | None:
    return (
        Agency.objects.filter(type=new_agency.agency_type, province=new_agency.province, name__iexact=name)
        .order_by("regency_id", "pk")
        .first()
    )


def agency_find_or_create(*, new_agency: NewAgency, actor=None) -> Agency:
    """The agency of that type, province and name (case and spacing ignored), created when missing.

    Names are unique per type and region (events.models.Agency): "SMP Negeri 1" of another province is
    another agency; the same name in the same province is the one already listed, never a second one.
    """
    name = " ".join(new_agency.name.split())
    existing = _agency_in_region(new_agency, name)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            agency = Agency.objects.create(type=new_agency.agency_type, name=name, province=new_agency.province)
    except IntegrityError:
        # Created by another request at the same moment (or differing only in case): that one.
        existing = _agency_in_region(new_agency, name)
        if existing is None:
            raise
        return existing
    audit.record(actor=actor, action="agency.created", target=agency, data={"via": "registration_form"})
    return agency


def registration_create_with_agency(
    *,
    site: EventSite,
    role: Role,
    person_data: PersonData,
    source: str,
    actor=None,
    new_agency: NewAgency | None = None,
    join_waitlist: bool = False,
) -> Registration:
    """`registration_create`, first creating the agency typed in the form; a refused registration leaves no agency."""
    if new_agency is None:
        return registration_create(
            site=site, role=role, person_data=person_data, source=source, actor=actor, join_waitlist=join_waitlist
        )
    with transaction.atomic():
        person_data.agency = agency_find_or_create(new_agency=new_agency, actor=actor)
        return registration_create(
            site=site, role=role, person_data=person_data, source=source, actor=actor, join_waitlist=join_waitlist
        )


def _person_is_only_of(person: Person, registration: Registration) -> bool:
    """Whether nothing but this registration refers to the person (no other registration, no roster seat)."""
    for relation in Person._meta.related_objects:
        rows = relation.related_model._default_manager.filter(**{relation.field.name: person})
        if relation.related_model is Registration:
            rows = rows.exclude(pk=registration.pk)
        if rows.exists():
            return False
    return True


def registration_data_update(
    *, registration: Registration, person_data: PersonData, actor, new_agency: NewAgency | None = None
) -> Registration:
    """Correct what a registration holds about its person (an organizer, e.g. before resubmitting it).

    Only the registration's own copy changes: the shared Person, which other events rely on, is changed
    here only when nothing but this registration refers to it. New identifiers link the registration to
    the person holding them (refused if that person is recorded under another name, or already registered
    for the event), or to a new person. The audit entry names the changed fields, never their values.
    """
    with transaction.atomic():
        if new_agency is not None:
            person_data.agency = agency_find_or_create(new_agency=new_agency, actor=actor)
        _require_identifier(person_data)
        locked = Registration.objects.select_for_update().select_related("person").get(pk=registration.pk)
        values = {f.name: _stored(f.name, getattr(person_data, f.name)) for f in fields(PersonData)}
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        if not changed:
            return registration
        identity = {"nik", "nip", "nuptk", "full_name"}
        previous = locked.person
        if identity & set(changed):
            person, conflict = _match_person(person_data)
            if person is not None and person.pk == previous.pk:
                conflict = None  # the same human, its own record: a corrected spelling, nothing else to check
            if conflict is not None:
                raise conflict
            if person is None or person.pk == previous.pk:
                if _person_is_only_of(previous, locked):
                    person = previous
                    for name, value in values.items():
                        setattr(person, name, value)
                    try:
                        with transaction.atomic():
                            person.save()
                    except IntegrityError:
                        raise _identifiers_taken() from None
                else:
                    person = _person_create(person_data) if person is None else person
            if person.pk != previous.pk:
                existing = _active_registration(person, locked.event_id)
                if existing is not None and existing.pk != locked.pk and not locked.review:
                    raise _duplicate_error(existing, actor)
                locked.person = person
                changed.append("person")
        for name, value in values.items():
            setattr(locked, name, value)
        try:
            with transaction.atomic():
                locked.save(update_fields=[*changed, "updated_at"])
        except IntegrityError:
            raise _duplicate_error(_active_registration(locked.person, locked.event_id), actor) from None
        audit.record(actor=actor, action="registration.data_changed", target=locked, data={"fields": changed})
        if locked.person_id != previous.pk and not previous.registrations.exists():
            try:
                previous.delete()  # a record of a typo, now referred to by nothing
            except ProtectedError:
                pass
    registration.refresh_from_db()
    return registration


def registration_agency_proposal_accept(*, registration: Registration, actor) -> Registration:
    """The organizer accepts the agency the registrant proposed: it joins the list (or the one of that name)."""
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if not locked.proposed_agency_name or locked.proposed_agency_type_id is None:
            raise RegistrationError("no_proposal", _("This registration proposes no agency."))
        agency = agency_find_or_create(
            new_agency=NewAgency(
                agency_type=locked.proposed_agency_type, name=locked.proposed_agency_name, province=locked.province
            ),
            actor=actor,
        )
        return _agency_proposal_close(
            locked, agency=agency, actor=actor, decision="accepted", registration=registration
        )


def registration_agency_proposal_map(*, registration: Registration, agency: Agency, actor) -> Registration:
    """The organizer maps the proposed agency to one of the list (the proposal was a variant of its name)."""
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if not locked.proposed_agency_name:
            raise RegistrationError("no_proposal", _("This registration proposes no agency."))
        return _agency_proposal_close(locked, agency=agency, actor=actor, decision="mapped", registration=registration)


def _agency_proposal_close(locked, *, agency, actor, decision: str, registration) -> Registration:
    proposed = locked.proposed_agency_name
    locked.agency, locked.proposed_agency_name, locked.proposed_agency_type = agency, "", None
    locked.save(update_fields=["agency", "proposed_agency_name", "proposed_agency_type", "updated_at"])
    audit.record(
        actor=actor,
        action=f"registration.agency_proposal_{decision}",
        target=locked,
        data={"proposed": proposed, "agency": agency.pk},
    )
    registration.refresh_from_db()
    return registration


def person_identifiers_check(*, person_data: PersonData, exclude: Person | None = None) -> None:
    """Refuse a person without any of NIK, NIP, NUPTK, or with one that another person already holds."""
    if not person_data.identifiers:
        raise RegistrationError("identifier_missing", _("Fill in at least one of NIK, NIP or NUPTK."), field="nik")
    for name, value in person_data.identifiers.items():
        others = Person.objects.filter(identifier_q(name, value))
        if exclude is not None:
            others = others.exclude(pk=exclude.pk)
        if others.exists():
            raise RegistrationError(
                "identifier_taken",
                _("This %(identifier)s already belongs to another person in our records.")
                % {"identifier": name.upper()},
                field=name,
            )


def _identifiers_taken() -> RegistrationError:
    return RegistrationError("identifier_taken", _("These identifiers already belong to another person."), field="nik")


def person_create(*, person_data: PersonData, actor) -> Person:
    """A person entered by hand (the admin), with an audit entry naming the fields given, never their values."""
    with transaction.atomic():
        person_identifiers_check(person_data=person_data)
        values = {f.name: getattr(person_data, f.name) for f in fields(PersonData)}
        try:
            with transaction.atomic():
                person = Person.objects.create(
                    **{k: ("" if v is None and k in _TEXT_FIELDS else v) for k, v in values.items()}
                )
        except IntegrityError:
            raise _identifiers_taken() from None
        audit.record(
            actor=actor, action="person.created", target=person, data={"fields": [k for k, v in values.items() if v]}
        )
    return person


def person_update(*, person: Person, person_data: PersonData, actor, new_agency: NewAgency | None = None) -> Person:
    """Correct a person's data (e.g. before resubmitting a rejected registration), with an audit entry.

    Identifiers stay unique: one that another person already holds is refused. The audit entry names the
    changed fields only, never their values (NIK and phone stay out of logs).
    """
    with transaction.atomic():
        if new_agency is not None:
            person_data.agency = agency_find_or_create(new_agency=new_agency, actor=actor)
        locked = Person.objects.select_for_update().get(pk=person.pk)
        person_identifiers_check(person_data=person_data, exclude=locked)
        changed = []
        for f in fields(PersonData):
            value = getattr(person_data, f.name)
            if value is None and f.name in _TEXT_FIELDS:
                value = ""
            if getattr(locked, f.name) != value:
                setattr(locked, f.name, value)
                changed.append(f.name)
        if changed:
            try:
                with transaction.atomic():
                    locked.save(update_fields=[*changed, "updated_at"])
            except IntegrityError:
                raise _identifiers_taken() from None
            audit.record(actor=actor, action="person.updated", target=locked, data={"fields": changed})
    person.refresh_from_db()
    return person


class CorrectionError(DomainError):
    pass


def correction_request_create(
    *, registration: Registration, field: str, correct_value: str, note: str = ""
) -> CorrectionRequest:
    with transaction.atomic():
        request = CorrectionRequest.objects.create(
            registration=registration, field=field, correct_value=correct_value.strip(), note=note.strip()
        )
        # The audit entry names the field, never the value (it may be a NIK).
        audit.record(
            actor=None, action="correction.requested", target=request, to_state=request.status, data={"field": field}
        )
    return request


def correction_request_decide(
    *, correction: CorrectionRequest, status: str, actor, reason: str = ""
) -> CorrectionRequest:
    """Close a request as corrected or refused; the data itself is changed through the person edit form."""

    def apply(locked: CorrectionRequest, data: dict) -> list[str]:
        locked.decided_by, locked.decided_at = actor, timezone.now()
        return ["decided_by", "decided_at"]

    return workflow.transition(
        correction,
        to_status=status,
        actor=actor,
        action="correction",
        forbidden=lambda locked, to_status: CorrectionError(_("This request has already been handled.")),
        apply=apply,
        reason=reason,
    )


PERSONAL_DATA_VIEWED = "personal_data.viewed"


def personal_data_viewed(*, actor, holder, where: str) -> None:
    """Record that `actor` was shown the unmasked NIK/phone `holder` keeps (a Person, or a Registration's own
    copy) on `where`."""
    audit.record(actor=actor, action=PERSONAL_DATA_VIEWED, target=holder, data={"where": where})


def personal_data_viewed_many(*, actor, holders: Iterable, where: str) -> int:
    """The same for every row of a list, card set or export, in one INSERT; duplicates counted once."""
    shown = {(type(row), row.pk): row for row in holders if row is not None and (row.nik or row.phone)}
    unique = list(shown.values())
    return audit.record_many(actor=actor, action=PERSONAL_DATA_VIEWED, targets=unique, data={"where": where})
