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

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit, workflow
from core.errors import DomainError
from events.models import Agency, AgencyType, EventSite, Province, Role, SiteQuota
from participants.models import CorrectionRequest, Person, Registration, School, identifier_q
from participants.notifications import send_registration_confirmation

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


def _find_person(data: PersonData) -> Person | None:
    """The one Person holding any of the given identifiers, or None; refuse mixed or renamed matches."""
    identifiers = data.identifiers
    if not identifiers:
        raise RegistrationError("identifier_missing", _("Fill in at least one of NIK, NIP or NUPTK."), field="nik")
    condition = Q()
    for name, value in identifiers.items():
        condition |= identifier_q(name, value)
    matches = list(Person.objects.filter(condition)[:2])
    if len(matches) > 1:
        raise RegistrationError(
            "identifiers_of_two_people",
            _("These identifiers belong to two different people in our records. Contact the organizer."),
            field="nik",
        )
    if not matches:
        return None
    person = matches[0]
    if comparable_name(person.full_name) != comparable_name(data.full_name):
        field = next(name for name, value in identifiers.items() if getattr(person, name) == value)
        raise RegistrationError(
            "identifier_under_other_name",
            _("This %(identifier)s is already recorded under another name. Check the number, or contact the organizer.")
            % {"identifier": field.upper()},
            field=field,
        )
    return person


def _person_for(data: PersonData) -> Person:
    """Find the person by identifier or create it; fills blanks of a found person, never overwrites."""
    person = _find_person(data)
    if person is None:
        try:
            with transaction.atomic():
                return Person.objects.create(**{f.name: getattr(data, f.name) for f in fields(PersonData)})
        except IntegrityError:
            # Someone registered the same identifier at the same moment: use that person.
            person = _find_person(data)
            if person is None:
                raise
    blanks = [f.name for f in fields(PersonData) if getattr(data, f.name) and not getattr(person, f.name)]
    if blanks:
        for name in blanks:
            setattr(person, name, getattr(data, name))
        person.save(update_fields=[*blanks, "updated_at"])
    return person


def _claim_seat(*, site: EventSite, role: Role, exclude: Registration | None = None) -> None:
    """Refuse when the role's quota at the site is closed and full.

    The quota row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already
    serialises writers), so two people can never take the last seat together.
    """
    quota = SiteQuota.objects.select_for_update().filter(site=site, role=role, close_when_full=True).first()
    if quota is None:
        return
    taken = Registration.objects.filter(site=site, role=role, status__in=Registration.SEAT_STATUSES)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.count() >= quota.target:
        raise RegistrationError(
            "quota_full",
            _("All %(target)s places for %(role)s at %(site)s are taken.")
            % {"target": quota.target, "role": role.name, "site": site.name},
            field="role",
        )


def _duplicate_error(existing: Registration) -> RegistrationError:
    return RegistrationError(
        "duplicate",
        _("This person is already registered for this event at %(site)s (status: %(status)s).")
        % {"site": existing.site.name, "status": existing.get_status_display()},
        field="nik",
        existing=existing,
    )


def _active_registration(person: Person, event_id: int) -> Registration | None:
    return (
        Registration.objects.filter(person=person, event_id=event_id, status__in=Registration.ACTIVE_STATUSES)
        .select_related("site")
        .first()
    )


def registration_create(
    *,
    site: EventSite,
    role: Role,
    person_data: PersonData,
    source: str,
    actor=None,
) -> Registration:
    """Register a person for a site in a role: one active registration per person and event.

    Raises RegistrationError (duplicate, quota full, identifier conflicts). Sends the confirmation
    mail after commit.
    """
    if role.program_id != site.event.program_id:
        raise RegistrationError("role_not_in_program", _("This role does not belong to the event."), field="role")
    with transaction.atomic():
        _claim_seat(site=site, role=role)
        person = _person_for(person_data)
        existing = _active_registration(person, site.event_id)
        if existing is not None:
            raise _duplicate_error(existing)
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    person=person,
                    event_id=site.event_id,
                    site=site,
                    role=role,
                    source=source,
                    status=Status.SUBMITTED,
                    submitted_at=timezone.now(),
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            existing = _active_registration(person, site.event_id)
            if existing is None:
                raise
            raise _duplicate_error(existing) from None
        audit.record(
            actor=actor,
            action="registration.created",
            target=registration,
            to_state=Status.SUBMITTED,
            data={"source": source, "site": site.pk, "role": role.pk},
        )
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

    def apply(locked: Registration, data: dict) -> list[str]:
        if to_status == Status.REJECTED and not reason:
            raise RegistrationError("reason_required", _("Give the reason for the rejection."), field="reason")
        if to_status == Status.SUBMITTED:
            _claim_seat(site=locked.site, role=locked.role, exclude=locked)
        fields = []
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

    return workflow.transition(
        registration,
        to_status=to_status,
        actor=actor,
        action="registration",
        forbidden=_transition_forbidden,
        apply=apply,
        reason=reason,
    )


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


def agency_find_or_create(*, new_agency: NewAgency, actor=None) -> Agency:
    """The agency of that type, province and name (case and spacing ignored), created when missing."""
    name = " ".join(new_agency.name.split())
    existing = Agency.objects.filter(
        type=new_agency.agency_type, province=new_agency.province, name__iexact=name
    ).first()
    if existing is not None:
        return existing
    agency = Agency.objects.create(type=new_agency.agency_type, name=name, province=new_agency.province)
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
) -> Registration:
    """`registration_create`, first creating the agency typed in the form; a refused registration leaves no agency."""
    if new_agency is None:
        return registration_create(site=site, role=role, person_data=person_data, source=source, actor=actor)
    with transaction.atomic():
        person_data.agency = agency_find_or_create(new_agency=new_agency, actor=actor)
        return registration_create(site=site, role=role, person_data=person_data, source=source, actor=actor)


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


_TEXT_FIELDS = {"full_name", "gender", "nik", "nip", "nuptk", "position", "phone", "email"}


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


def personal_data_viewed(*, actor, person: Person, where: str) -> None:
    """Record that `actor` was shown `person`'s unmasked NIK/phone on `where`."""
    audit.record(actor=actor, action=PERSONAL_DATA_VIEWED, target=person, data={"where": where})


def personal_data_viewed_many(*, actor, people: Iterable[Person], where: str) -> int:
    """The same for every person of a list, card set or export, in one INSERT; duplicates counted once."""
    shown = {person.pk: person for person in people if person is not None and (person.nik or person.phone)}
    unique = list(shown.values())
    return audit.record_many(actor=actor, action=PERSONAL_DATA_VIEWED, targets=unique, data={"where": where})
