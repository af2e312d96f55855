"""Writes of Komite Pembelajaran rosters: saving a committee's members, the verification workflow, Tahap.

Every view, import, admin action and command changes a committee through these functions; nobody
else saves a Committee or a CommitteeMember. Validation findings come from the rule engine of
`rosters.rules`; their counts are kept on the committee row (refreshed here
whenever a committee changes) so that lists and the 'has errors' filter cost no rule run per row,
while the committee page and every approval (`committee_approve`) run the rules afresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit, workflow
from core.bulk import insert_rows, large_batches
from core.errors import DomainError
from events.models import Cohort, TrainingPhase
from participants.models import Person, School, identifier_q
from rosters import allocation
from rosters.models import ApprovalLevel, Committee, CommitteeDecision, CommitteeMember
from rosters.rules import (
    IDENTIFIER_FIELDS,
    Finding,
    MemberFacts,
    Proposal,
    counts,
    evaluate,
    facts_for_proposals,
    findings_for_committees,
    people_lookup,
)
from rosters.selectors import approval_chain, may_act_at

Status = Committee.Status
Decision = CommitteeDecision.Decision
ReturnTo = CommitteeDecision.ReturnTo
FIRST_LEVEL = 1
MemberData = MemberFacts  # what a form row or an import row says about a member

# Findings that cannot be stored: the database keeps one person per identifier and one committee per
# person and cohort, and an identifier is stored only once it is valid.
BLOCKING_CODES = frozenset(
    {
        "member_identifier_missing",
        "member_identifier_format",
        "member_twice",
        "identifier_under_two_names",
        "person_on_two_committees",
        "school_npsn_format",
    }
)


class RosterError(DomainError):
    """A roster rule refused the request; `findings` are the rule findings that block it, if any."""

    def __init__(self, code: str, message, *, field: str | None = None, findings: Sequence[Finding] = ()):
        super().__init__(message, code=code, field=field)
        self.findings = list(findings)


@dataclass
class PlannedCommittee:
    """One school's committee as a form or an import proposes it, with its findings, before saving."""

    school: School
    members: list[MemberData]
    existing: Committee | None
    findings: list[Finding]
    blocking: list[Finding] = field(default_factory=list)
    unchanged: bool = False
    locked: bool = False  # the existing committee is submitted or validated and the members differ
    known_ids: dict = field(default_factory=dict)  # identifier → person id, as the plan found them


@dataclass
class SaveOutcome:
    created: list[Committee] = field(default_factory=list)
    updated: list[Committee] = field(default_factory=list)
    unchanged: list[Committee] = field(default_factory=list)
    submitted: list[Committee] = field(default_factory=list)


def _persons_by_identifier(keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(kind, value) → the id of the person holding that identifier."""
    found: dict[tuple[str, str], int] = {}
    for kind in IDENTIFIER_FIELDS:
        values = [value for k, value in keys if k == kind]
        if values:
            for pk, value in Person.objects.filter(identifier_q(kind, values)).values_list("pk", kind):
                found[(kind, value)] = pk
    return found


def _signature(person_ids: Sequence[int | None], members: Sequence[MemberData]) -> list[tuple]:
    return [(pid, m.position, m.class_taught.strip()) for pid, m in zip(person_ids, members, strict=True)]


def committees_plan(
    *, cohort: Cohort, entries: Sequence[tuple[School, list[MemberData]]], viewer=None
) -> list[PlannedCommittee]:
    """Check proposed committees (school → members) without writing: findings, and what saving would change.

    Findings name another committee's school only when `viewer` may see that committee.

    Constant number of queries whatever the number of schools and members.
    """
    schools = [school for school, _members in entries]
    existing = {
        c.school_id: c
        for c in Committee.objects.filter(cohort=cohort, school__in=[s.pk for s in schools]).select_related(
            "school__regency"
        )
    }
    current = defaultdict(list)
    for row in CommitteeMember.objects.filter(committee__in=[c.pk for c in existing.values()]).order_by(
        "committee_id", "order", "pk"
    ):
        current[row.committee_id].append((row.person_id, row.position, row.class_taught))
    proposals = [
        Proposal(
            school=school,
            cohort_id=cohort.pk,
            members=members,
            committee_id=existing[school.pk].pk if school.pk in existing else None,
        )
        for school, members in entries
    ]
    keys = {key for _school, members in entries for m in members for key in m.identifiers().items()}
    people = people_lookup(keys)
    all_facts = facts_for_proposals(proposals, people=people, viewer=viewer)
    persons = people.ids
    plans = []
    for (school, members), facts in zip(entries, all_facts, strict=True):
        findings = evaluate(facts)
        committee = existing.get(school.pk)
        plan = PlannedCommittee(
            school=school,
            members=members,
            existing=committee,
            findings=findings,
            blocking=[f for f in findings if f.code in BLOCKING_CODES],
            known_ids=persons,
        )
        if committee is not None and not plan.blocking:
            person_ids = [_resolved(persons, m) for m in members]
            plan.unchanged = None not in person_ids and _signature(person_ids, members) == current[committee.pk]
            plan.locked = not plan.unchanged and not committee.is_editable
        plans.append(plan)
    return plans


def _resolved(persons: dict[tuple[str, str], int], member: MemberData) -> int | None:
    for key in member.identifiers().items():
        if key in persons:
            return persons[key]
    return None


def committees_save(
    *,
    cohort: Cohort,
    entries: Sequence[tuple[School, list[MemberData]]],
    actor,
    submit: bool = False,
    plans: list[PlannedCommittee] | None = None,
) -> SaveOutcome:
    """Create or replace the members of each school's committee, in one transaction.

    Refuses everything (RosterError "blocking") when any committee has a finding that cannot be
    stored, or "locked" when a submitted/validated committee would change. A committee whose members
    are unchanged is left alone, so the same file imported twice creates nothing new. With
    `submit=True` the saved draft/returned committees go to the verifikator. `plans` may hold what
    `committees_plan` just returned for the same entries inside the caller's transaction.
    """
    with transaction.atomic(), large_batches():
        if plans is None:
            plans = committees_plan(cohort=cohort, entries=entries, viewer=actor)
        blocking = [f for plan in plans for f in plan.blocking]
        if blocking:
            raise RosterError(
                "blocking", _("Correct the errors marked in red first; nothing was saved."), findings=blocking
            )
        locked = [plan for plan in plans if plan.locked]
        if locked:
            raise RosterError(
                "locked",
                _("The committee of %(school)s is %(status)s and cannot be changed now.")
                % {"school": locked[0].school.name, "status": locked[0].existing.get_status_display()},
            )
        outcome = SaveOutcome()
        now = timezone.now()
        # Lock the committees we are about to change, then create the missing ones.
        changing = [plan for plan in plans if not plan.unchanged]
        if any(plan.existing for plan in changing):
            list(Committee.objects.select_for_update().filter(pk__in=[p.existing.pk for p in changing if p.existing]))
        new_rows = [
            {
                "school_id": plan.school.pk,
                "cohort_id": cohort.pk,
                "status": Status.DRAFT,
                "phase_id": None,
                "return_reason": "",
                "warnings_acknowledged": False,
                "error_count": 0,
                "warning_count": 0,
                "submitted_at": None,
                "decided_at": None,
                "decided_by_id": None,
                "created_by_id": _user(actor).pk if _user(actor) else None,
                "created_at": now,
                "updated_at": now,
            }
            for plan in changing
            if not plan.existing
        ]
        try:
            with transaction.atomic():
                insert_rows(Committee, new_rows)
        except IntegrityError:
            raise RosterError(
                "concurrent", _("Someone saved one of these committees at the same moment. Try again.")
            ) from None
        created = (
            {
                c.school_id: c
                for c in Committee.objects.filter(cohort=cohort, school__in=[r["school_id"] for r in new_rows])
            }
            if new_rows
            else {}
        )
        for plan in changing:
            if plan.existing is None:
                plan.existing = created[plan.school.pk]
                plan.existing.school = plan.school
                outcome.created.append(plan.existing)
            else:
                outcome.updated.append(plan.existing)
        outcome.unchanged = [plan.existing for plan in plans if plan.unchanged]

        persons = _persons_for(changing)
        CommitteeMember.objects.filter(committee__in=[p.existing.pk for p in changing]).delete()
        try:
            with transaction.atomic():
                insert_rows(
                    CommitteeMember,
                    [
                        {
                            "committee_id": plan.existing.pk,
                            "cohort_id": cohort.pk,
                            "person_id": persons[id(member)],
                            "position": str(member.position),
                            "class_taught": member.class_taught.strip(),
                            "order": order,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for plan in changing
                        for order, member in enumerate(plan.members)
                    ],
                )
        except IntegrityError:
            raise RosterError(
                "concurrent", _("One of these people was put on another committee at the same moment. Try again.")
            ) from None
        for plan in changing:
            committee = plan.existing
            committee.error_count, committee.warning_count = counts(plan.findings)
            committee.warnings_acknowledged = False
        to_submit = [plan.existing for plan in plans if submit and plan.existing.status in Committee.EDITABLE_STATUSES]
        previous = {c.pk: c.status for c in to_submit}
        for committee in to_submit:
            committee.status = Status.SUBMITTED
            committee.submitted_at = now
            committee.return_reason = ""
        if to_submit:
            Committee.objects.filter(pk__in=[c.pk for c in to_submit]).update(level=FIRST_LEVEL, level_since=now)
            insert_rows(
                CommitteeDecision,
                [
                    {
                        "committee_id": c.pk,
                        "level": None,
                        "level_name": "",
                        "decision": Decision.SUBMITTED,
                        "returned_to": "",
                        "actor_id": _user(actor).pk if _user(actor) else None,
                        "decided_at": now,
                        "reason": "",
                    }
                    for c in to_submit
                ],
            )
        touched = {c.pk: c for c in [p.existing for p in changing] + to_submit}
        # One UPDATE per distinct set of values (a handful), not a CASE over every row like bulk_update.
        groups = defaultdict(list)
        for committee in touched.values():
            values = (
                committee.error_count,
                committee.warning_count,
                committee.warnings_acknowledged,
                committee.status,
                committee.submitted_at,
                committee.return_reason,
            )
            groups[values].append(committee.pk)
        for (errors, warnings, acknowledged, status, submitted_at, reason), ids in groups.items():
            Committee.objects.filter(pk__in=ids).update(
                error_count=errors,
                warning_count=warnings,
                warnings_acknowledged=acknowledged,
                status=status,
                submitted_at=submitted_at,
                return_reason=reason,
                updated_at=now,
            )
        audit.record_many(actor=actor, action="committee.created", targets=outcome.created, to_state=Status.DRAFT)
        audit.record_many(actor=actor, action="committee.members_changed", targets=outcome.updated)
        for status in Committee.EDITABLE_STATUSES:
            audit.record_many(
                actor=actor,
                action="committee.submitted",
                targets=[c for c in to_submit if previous[c.pk] == status],
                from_state=status,
                to_state=Status.SUBMITTED,
            )
        outcome.submitted = to_submit
    return outcome


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _persons_for(plans: Sequence[PlannedCommittee]) -> dict[int, int]:
    """id(member) → its person's id: found by identifier, or created (in one insert) with the school's data."""
    persons = dict(plans[0].known_ids) if plans else {}
    now = timezone.now()
    new_people: list[dict] = []
    pending: dict[int, tuple[str, str]] = {}
    created_keys: set[tuple[str, str]] = set()
    for plan in plans:
        for member in plan.members:
            identifiers = member.identifiers()
            if any(key in persons for key in identifiers.items()):
                continue
            first = next(iter(identifiers.items()))
            pending[id(member)] = first
            if first in created_keys:
                continue
            created_keys.update(identifiers.items())
            new_people.append(
                {
                    "full_name": member.full_name.strip(),
                    "gender": "",
                    "birth_date": None,
                    **{kind: identifiers.get(kind, "") for kind in IDENTIFIER_FIELDS},
                    "nip_is_pppk": bool(member.nip_is_pppk and identifiers.get("nip")),
                    "position": str(member.position),
                    "agency_id": None,
                    "school_id": plan.school.pk,
                    "province_id": plan.school.regency.province_id,
                    "phone": "",
                    "email": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
    try:
        with transaction.atomic():
            insert_rows(Person, new_people)
    except IntegrityError:
        raise RosterError(
            "concurrent", _("Someone recorded one of these people at the same moment. Try again.")
        ) from None
    if new_people:
        persons.update(_persons_by_identifier(created_keys))
    result: dict[int, int] = {}
    marked_pppk: set[int] = set()
    for plan in plans:
        for member in plan.members:
            result[id(member)] = next(persons[key] for key in member.identifiers().items() if key in persons)
            if member.nip_is_pppk and member.identifiers().get("nip"):
                marked_pppk.add(result[id(member)])
    if marked_pppk:
        # A person already recorded whom the roster marks PPPK: the NIP is then read by the NI PPPK rule on every
        # page, as it was when the roster was checked (one statement).
        Person.objects.filter(pk__in=marked_pppk, nip_is_pppk=False).update(nip_is_pppk=True)
    return result


def committee_save(*, school: School, cohort: Cohort, members: list[MemberData], actor, submit=False) -> Committee:
    """Save one school's committee (the form): see `committees_save`."""
    outcome = committees_save(cohort=cohort, entries=[(school, members)], actor=actor, submit=submit)
    committee = (outcome.created + outcome.updated + outcome.unchanged)[0]
    committee.refresh_from_db()
    return committee


# --- findings --------------------------------------------------------------------------------------------------


def committee_findings(*, committee: Committee, viewer=None) -> list[Finding]:
    """The findings of a saved committee, computed now (other schools named only to a `viewer` who may see them)."""
    committee = Committee.objects.select_related("school__regency").get(pk=committee.pk)
    return findings_for_committees([committee], viewer=viewer)[committee.pk]


def committees_refresh_counts(*, committees: QuerySet[Committee]) -> int:
    """Recompute the stored error/warning counts (after a designation or a rule changed); returns how many."""
    rows = list(committees.select_related("school__regency"))
    findings = findings_for_committees(rows)
    for committee in rows:
        committee.error_count, committee.warning_count = counts(findings[committee.pk])
    Committee.objects.bulk_update(rows, ["error_count", "warning_count"])
    return len(rows)


# --- the workflow: submission and the approval levels -----------------------------------------------------------


def _transition_forbidden(locked: Committee, to_status: str) -> RosterError:
    return RosterError(
        "transition_forbidden",
        _("A committee that is %(from)s cannot become %(to)s.")
        % {"from": locked.get_status_display(), "to": Status(to_status).label},
    )


def _decision_row(
    locked: Committee, *, decision: str, level: ApprovalLevel | None, actor, reason: str = "", returned_to: str = ""
) -> None:
    CommitteeDecision.objects.create(
        committee=locked,
        level=level.order if level else None,
        level_name=level.name if level else "",
        decision=decision,
        returned_to=returned_to,
        actor=_user(actor),
        decided_at=timezone.now(),
        reason=reason,
    )


def _rules_now(locked: Committee) -> tuple[list[Finding], int, int]:
    findings = committee_findings(committee=locked)
    errors, warnings = counts(findings)
    locked.error_count, locked.warning_count = errors, warnings
    return findings, errors, warnings


def committee_submit(*, committee: Committee, actor) -> Committee:
    """Send a draft or returned committee to the first approval level (a resubmission starts there again; the
    decisions so far stay in its history)."""

    def apply(locked: Committee, data: dict) -> list[str]:
        if locked.status not in Committee.EDITABLE_STATUSES:
            raise _transition_forbidden(locked, Status.SUBMITTED)
        _rules_now(locked)
        now = timezone.now()
        locked.submitted_at, locked.level, locked.level_since = now, FIRST_LEVEL, now
        _decision_row(locked, decision=Decision.SUBMITTED, level=None, actor=actor)
        data["level"] = FIRST_LEVEL
        return ["error_count", "warning_count", "submitted_at", "level", "level_since"]

    return workflow.transition(
        committee,
        to_status=Status.SUBMITTED,
        actor=actor,
        action="committee",
        forbidden=_transition_forbidden,
        apply=apply,
    )


def committee_resubmit(*, committee: Committee, actor) -> Committee:
    """A returned committee, corrected, goes back to the first level."""
    if committee.status != Status.RETURNED:
        raise RosterError("not_returned", _("Only a returned committee can be resubmitted."))
    return committee_submit(committee=committee, actor=actor)


def _acting_level(committee: Committee, level: ApprovalLevel | int, actor) -> tuple[ApprovalLevel, bool]:
    """The declared level of order `level` in the committee's chain and whether it is the last; refuses a level
    the chain does not declare and an actor who may not act there on this committee's school."""
    order = level.order if isinstance(level, ApprovalLevel) else level
    chain = approval_chain(Committee.objects.values_list("cohort__program_id", flat=True).get(pk=committee.pk))
    declared = next((candidate for candidate in chain if candidate.order == order), None)
    if declared is None:
        raise RosterError("unknown_level", _("This program declares no approval level %(level)s.") % {"level": order})
    if not may_act_at(actor, declared, committee):
        raise RosterError(
            "not_your_level",
            _("You may not decide at the level %(level)s for this school.") % {"level": declared.name},
        )
    return declared, declared.order == chain[-1].order


def _waits_at(locked: Committee, level: ApprovalLevel) -> None:
    """Nothing skips a level: a decision at `level` needs the committee waiting there (or, for the last level
    returning a validated committee, validated)."""
    if locked.status == Status.SUBMITTED and locked.level != level.order:
        raise RosterError(
            "wrong_level",
            _("This committee waits at level %(current)s, not at level %(level)s: the levels decide in their order.")
            % {"current": locked.level or "—", "level": level.order},
        )


def committee_approve(
    *, committee: Committee, actor, level: ApprovalLevel | int, acknowledge: bool = False
) -> Committee:
    """Approve a committee at the level where it waits: it moves to the next level, or, at the last level, it is
    validated (and may then go to a Tahap). The rules run afresh: errors refuse it at every level, warnings need
    `acknowledge=True`. A decision row and an audit entry record who, when and at which level."""
    declared, last = _acting_level(committee, level, actor)

    def apply(locked: Committee, data: dict) -> list[str]:
        if locked.status != Status.SUBMITTED:
            raise _transition_forbidden(locked, Status.VALIDATED if last else Status.SUBMITTED)
        _waits_at(locked, declared)
        findings, errors, warnings = _rules_now(locked)
        if errors:
            raise RosterError(
                "has_errors",
                _("This committee has %(count)s error(s) and cannot be approved.") % {"count": errors},
                findings=[f for f in findings if f.is_error],
            )
        if warnings and not acknowledge:
            raise RosterError(
                "warnings_not_acknowledged",
                _("Acknowledge the %(count)s warning(s) to approve this committee.") % {"count": warnings},
                field="acknowledge",
            )
        now = timezone.now()
        locked.warnings_acknowledged = bool(warnings)
        locked.decided_at, locked.decided_by = now, actor
        locked.return_reason = ""
        locked.level, locked.level_since = (None, None) if last else (declared.order + 1, now)
        _decision_row(locked, decision=Decision.APPROVED, level=declared, actor=actor)
        data.update(level=declared.order, level_name=declared.name, warnings_acknowledged=warnings)
        if not last:
            data["next_level"] = declared.order + 1
        return [
            "error_count",
            "warning_count",
            "warnings_acknowledged",
            "decided_at",
            "decided_by",
            "return_reason",
            "level",
            "level_since",
        ]

    return workflow.transition(
        committee,
        to_status=Status.VALIDATED if last else Status.SUBMITTED,
        actor=actor,
        action="committee",
        forbidden=_transition_forbidden,
        apply=apply,
        audit_action="" if last else "committee.approved",
    )


def committee_return(
    *, committee: Committee, actor, level: ApprovalLevel | int, reason: str, to: str | None = None
) -> Committee:
    """Return a committee from `level` with a reason: to the previous level (it waits there again) or to the
    submitter (returned, editable), as the level declares; `to=None` takes the submitter when allowed. The last
    level may also return a validated committee. It leaves its Tahap."""
    reason = reason.strip()
    if not reason:
        raise RosterError("reason_required", _("Give the reason for returning the committee."), field="reason")
    declared, last = _acting_level(committee, level, actor)
    allowed = declared.returns_to
    if to is None:
        to = ReturnTo.SUBMITTER if ReturnTo.SUBMITTER in allowed else allowed[0]
    if to not in allowed:
        raise RosterError(
            "return_not_allowed",
            _("The level %(level)s may not return a committee to %(to)s.")
            % {"level": declared.name, "to": ReturnTo(to).label if to in ReturnTo.values else to},
            field="to",
        )
    to_previous = to == ReturnTo.PREVIOUS
    to_status = Status.SUBMITTED if to_previous else Status.RETURNED

    def apply(locked: Committee, data: dict) -> list[str]:
        if locked.status == Status.VALIDATED and not last:
            raise RosterError("wrong_level", _("Only the last level may return a validated committee."))
        if locked.status not in (Status.SUBMITTED, Status.VALIDATED):
            raise _transition_forbidden(locked, to_status)
        _waits_at(locked, declared)
        now = timezone.now()
        if locked.phase_id:
            data["phase_removed"] = locked.phase_id
        locked.phase = None
        locked.return_reason = reason
        locked.decided_at, locked.decided_by = now, actor
        locked.level, locked.level_since = (declared.order - 1, now) if to_previous else (None, None)
        _decision_row(locked, decision=Decision.RETURNED, level=declared, actor=actor, reason=reason, returned_to=to)
        data.update(level=declared.order, level_name=declared.name, returned_to=to)
        return ["phase", "return_reason", "decided_at", "decided_by", "level", "level_since"]

    return workflow.transition(
        committee,
        to_status=to_status,
        actor=actor,
        action="committee",
        forbidden=_transition_forbidden,
        apply=apply,
        reason=reason,
        audit_action="committee.returned_to_level" if to_previous else "",
    )


def committees_approve_many(
    *, committees: QuerySet[Committee], actor, level: ApprovalLevel | int, acknowledge=False
) -> tuple[int, list]:
    """Approve at `level` each committee of the (already scoped) queryset that waits there; returns (done,
    refused). Committees waiting elsewhere are refused, never moved."""
    done, refused = 0, []
    for committee in committees.select_related("school").order_by("pk"):
        try:
            committee_approve(committee=committee, actor=actor, level=level, acknowledge=acknowledge)
            done += 1
        except RosterError as error:
            refused.append((committee, error))
    return done, refused


def committees_return_many(
    *, committees: QuerySet[Committee], actor, level: ApprovalLevel | int, reason: str, to: str | None = None
) -> tuple[int, list]:
    """Return from `level`, with the same reason, each committee of the (already scoped) queryset."""
    if not reason.strip():
        raise RosterError("reason_required", _("Give the reason for returning the committee."), field="reason")
    done, refused = 0, []
    for committee in committees.select_related("school").order_by("pk"):
        try:
            committee_return(committee=committee, actor=actor, level=level, reason=reason, to=to)
            done += 1
        except RosterError as error:
            refused.append((committee, error))
    return done, refused


def approval_chain_change_refusal(*, program_id: int) -> str:
    """Why the levels of the program's approval chain may not be added, removed or renumbered now ("" when they
    may): committees of its cohorts wait at a level, and they wait at its number — another chain would put them at
    another level, or at none. A level's name, group, scope and return rights may still change."""
    waiting = (
        Committee.objects.filter(cohort__program_id=program_id, status=Committee.Status.SUBMITTED)
        .values_list("level")
        .annotate(count=Count("id"))
        .order_by("level")
    )
    counts = {level: count for level, count in waiting}
    if not counts:
        return ""
    where = ", ".join(
        str(_("%(count)s at level %(level)s") % {"count": count, "level": level}) for level, count in counts.items()
    )
    return str(
        _(
            "%(count)s Komite Pembelajaran of this program wait in its approval chain (%(where)s): its levels cannot "
            "be added, removed or renumbered until they are decided. The name, group, scope and return rights of a "
            "level can still be changed."
        )
        % {"count": sum(counts.values()), "where": where}
    )


# --- Tahap ----------------------------------------------------------------------------------------------------


def _phase_load(phases: Iterable[TrainingPhase]) -> dict[int, int]:
    ids = [p.pk for p in phases]
    return dict(
        Committee.objects.filter(phase__in=ids)
        .values_list("phase_id")
        .annotate(n=Count("pk"))
        .values_list("phase_id", "n")
    )


def tahap_assign(*, committee: Committee, phase: TrainingPhase | None, actor) -> Committee:
    """Put a validated committee in a Tahap by hand (or take it out with None), within its capacity."""
    with transaction.atomic():
        locked = Committee.objects.select_for_update().get(pk=committee.pk)
        if not locked.takes_tahap:
            raise RosterError("not_validated", _("Only a validated committee can be assigned to a Tahap."))
        old = locked.phase
        if phase is not None:
            phase = TrainingPhase.objects.select_for_update().get(pk=phase.pk)
            if phase.cohort_id != locked.cohort_id:
                raise RosterError("other_cohort", _("This Tahap belongs to another cohort."), field="phase")
            taken = Committee.objects.filter(phase=phase).exclude(pk=locked.pk).count()
            if taken >= phase.capacity:
                raise RosterError(
                    "capacity_full",
                    _("%(phase)s is full (%(capacity)s committees).") % {"phase": phase, "capacity": phase.capacity},
                    field="phase",
                )
        locked.phase = phase
        locked.save(update_fields=["phase", "updated_at"])
        audit.record(
            actor=actor,
            action="committee.tahap_assigned",
            target=locked,
            from_state=str(old) if old else "",
            to_state=str(phase) if phase else "",
        )
    committee.refresh_from_db()
    return committee


@dataclass
class AllocationPreview:
    phases: list[TrainingPhase]
    free: dict[int, int]
    assignments: dict[int, int]  # committee id → phase id
    leftovers: list[Committee]
    committees: dict[int, Committee]
    split_groups: list[str]

    def rows(self) -> list[tuple[Committee, TrainingPhase | None]]:
        by_id = {p.pk: p for p in self.phases}
        placed = sorted(
            ((self.committees[cid], by_id[pid]) for cid, pid in self.assignments.items()),
            key=lambda pair: (pair[1].number, pair[0].school.regency.code, pair[0].school.name),
        )
        return placed

    def count_for(self, phase: TrainingPhase) -> int:
        return sum(1 for pid in self.assignments.values() if pid == phase.pk)


def tahap_allocate_preview(*, cohort: Cohort, committees: QuerySet[Committee]) -> AllocationPreview:
    """What the allocator would do with the validated, unassigned committees of the (scoped) queryset."""
    phases = list(TrainingPhase.objects.filter(cohort=cohort).order_by("number"))
    load = _phase_load(phases)
    free = {p.pk: max(p.capacity - load.get(p.pk, 0), 0) for p in phases}
    candidates = {
        c.pk: c
        for c in committees.filter(cohort=cohort, status=Status.VALIDATED, phase__isnull=True).select_related(
            "school__regency__province"
        )
    }
    plan = allocation.allocate(
        [allocation.Item(c.pk, c.school.regency.code) for c in candidates.values()],
        [allocation.Bin(p.pk, free[p.pk]) for p in phases],
    )
    return AllocationPreview(
        phases=phases,
        free=free,
        assignments=plan.assignments,
        leftovers=[candidates[i] for i in plan.leftovers],
        committees=candidates,
        split_groups=plan.split_groups,
    )


def tahap_allocate_apply(*, cohort: Cohort, committees: QuerySet[Committee], actor) -> AllocationPreview:
    """Run the allocator again under lock and save its assignments (same input, same result as the preview)."""
    with transaction.atomic():
        list(TrainingPhase.objects.select_for_update().filter(cohort=cohort))
        list(
            Committee.objects.select_for_update().filter(
                pk__in=committees.filter(cohort=cohort, status=Status.VALIDATED, phase__isnull=True).values("pk")
            )
        )
        preview = tahap_allocate_preview(cohort=cohort, committees=committees)
        by_phase = defaultdict(list)
        for committee_id, phase_id in preview.assignments.items():
            by_phase[phase_id].append(committee_id)
        phases = {p.pk: p for p in preview.phases}
        for phase_id, ids in by_phase.items():
            Committee.objects.filter(pk__in=ids).update(phase_id=phase_id, updated_at=timezone.now())
            audit.record_many(
                actor=actor,
                action="committee.tahap_assigned",
                targets=[preview.committees[i] for i in ids],
                to_state=str(phases[phase_id]),
                reason="allocator",
            )
    return preview
