"""The validation engine of Komite Pembelajaran rosters: named rules run over the facts of one committee.

A rule is one small function decorated with `@rule(code=..., severity=...)` in this module; the
decorator registers it and `evaluate()` runs every registered rule in declaration order. A rule
receives a `CommitteeFacts` (the committee, its members and every lookup it needs, loaded beforehand
in a constant number of queries by `facts_for_committees` or `facts_for_proposal`) and yields
`(message, member_index, field)` tuples; the engine turns them into `Finding`s that carry the rule's
code and severity. Errors stop a validation; warnings need an explicit acknowledgement.

The same rules run on a proposal (a form or an import not yet saved) and on a saved committee. The
findings of `BLOCKING_CODES` cannot even be stored (the database keeps one committee per person and
cohort and one person per identifier), so the services refuse to save a proposal that has them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.identifiers import cross_check_nik_nip, validate_identifier, validate_npsn
from events.models import EventSite
from participants.models import Person, identifier_q
from participants.services import comparable_name
from rosters.models import Committee, CommitteeMember, CompositionRule, Position, SekolahPenggerak
from rosters.selectors import committees_visible_to

Severity = Literal["error", "warning"]
IDENTIFIER_FIELDS = ("nik", "nip", "nuptk")


@lru_cache(maxsize=65536)
def _validated(kind: str, raw, pppk: bool = False, from_file: bool = False):
    # An identifier is checked by several rules and often seen twice in a file: validate each value once.
    # The one verdict of every channel (core.identifiers), with the member's PPPK mark and where it came from.
    return validate_identifier(kind, raw, pppk=pppk and kind == "nip", from_file=from_file)


@dataclass(frozen=True)
class Finding:
    """One problem of a committee. `member` is the index of the member in `CommitteeFacts.members` (or None
    for the committee as a whole), `field` the field it points at, `ref` what the caller attached to that
    member (an import row number, a member id)."""

    code: str
    severity: Severity
    message: Any
    member: int | None = None
    field: str = ""
    ref: Any = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def label(self) -> str:
        """The rule in words ("Composition per level"), as a person reads it; `code` is for data."""
        registered = rule_by_code(self.code)
        return str(registered.label) if registered else self.code

    @property
    def field_label(self) -> str:
        """The member's field the finding points at, in words ("Class or subject taught")."""
        return str(FIELD_LABELS.get(self.field, self.field))


# The words of the member fields a finding may point at (MemberFacts).
FIELD_LABELS = {
    "full_name": _("Full name"),
    "position": _("Position"),
    "class_taught": _("Class or subject taught"),
    "nik": "NIK",
    "nip": "NIP",
    "nuptk": "NUPTK",
}


@dataclass
class MemberFacts:
    full_name: str
    position: str
    class_taught: str = ""
    nik: Any = ""  # raw as given: a number cell from Excel stays a number so the damage is seen
    nip: Any = ""
    nuptk: Any = ""
    nip_is_pppk: bool = False  # the NIP is an NI PPPK: checked by its own rule
    person_id: int | None = None
    ref: Any = None
    from_file: bool = False  # read from a spreadsheet (an import): Excel's damage is said for a file

    def validated(self, kind: str):
        """The verdict on one of the member's identifiers (core.identifiers.validate_identifier), cached."""
        return _validated(kind, getattr(self, kind), bool(self.nip_is_pppk), self.from_file)

    def identifiers(self) -> dict[str, str]:
        """The identifiers given, normalised when valid (as text otherwise); cached while they stay the same."""
        raw = (self.nik, self.nip, self.nuptk)
        cached = self.__dict__.get("_identifiers")
        if cached is not None and cached[0] == raw:
            return cached[1]
        found = self._normalised()
        self.__dict__["_identifiers"] = (raw, found)
        return found

    def _normalised(self) -> dict[str, str]:
        found = {}
        for name in IDENTIFIER_FIELDS:
            raw = getattr(self, name)
            if raw in (None, ""):
                continue
            result = self.validated(name)
            found[name] = result.value if result.value is not None else str(raw).strip()
        return found


@dataclass
class CommitteeFacts:
    """Everything the rules need about one committee, already loaded."""

    school_npsn: str
    school_name: str
    school_level: str
    province_id: int | None
    cohort_id: int
    members: list[MemberFacts]
    composition: dict[str, CompositionRule]
    committee_id: int | None = None
    designated: bool = False
    principal: Person | None = None
    # (identifier kind, value) → the school of another committee of the cohort holding that person; "" when
    # that committee is outside the viewer's scope (where a person works is not told to whoever knows a number).
    elsewhere: dict[tuple[str, str], str] = field(default_factory=dict)
    # (identifier kind, value) → the name recorded for it in the database: compared, never shown (whoever
    # knows a number must not learn the name behind it from a check).
    known_names: dict[tuple[str, str], str] = field(default_factory=dict)
    # (identifier kind, value) → the name typed for it earlier in the same file or form: the user's own input.
    typed_names: dict[tuple[str, str], str] = field(default_factory=dict)
    # Provinces served by the events of the cohort; None when the cohort has no such events.
    served_province_ids: set[int] | None = None


RuleFunction = Callable[[CommitteeFacts], Iterable[tuple[Any, int | None, str]]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    function: RuleFunction
    description: str
    label: Any = ""  # a short name for lists and the dashboard (translated)


RULES: list[Rule] = []


def rule(*, code: str, severity: Severity, label: Any = "") -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule: `@rule(code="my_rule", severity="error", label=_("My rule"))` over a function of
    CommitteeFacts."""

    def register(function: RuleFunction) -> RuleFunction:
        if any(existing.code == code for existing in RULES):
            raise ValueError(f"Duplicate roster rule code {code!r}")
        RULES.append(Rule(code, severity, function, (function.__doc__ or "").strip(), label or code))
        return function

    return register


def evaluate(facts: CommitteeFacts) -> list[Finding]:
    """Run every registered rule over one committee and return its findings (errors first)."""
    findings = []
    for registered in RULES:
        for message, member, field_name in registered.function(facts):
            ref = facts.members[member].ref if member is not None else None
            findings.append(Finding(registered.code, registered.severity, message, member, field_name, ref))
    return sorted(findings, key=lambda f: (not f.is_error, f.member if f.member is not None else -1))


def counts(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    tally = Counter(f.severity for f in findings)
    return tally["error"], tally["warning"]


# --- the rules ---------------------------------------------------------------------------------------------------


@rule(code="school_npsn_format", severity="error", label=_("NPSN format"))
def school_npsn_format(facts):
    """The school's NPSN has the format of an NPSN."""
    for error in validate_npsn(facts.school_npsn).errors:
        yield error.message, None, "npsn"


@rule(code="school_not_penggerak", severity="error", label=_("School not a Sekolah Penggerak"))
def school_not_penggerak(facts):
    """The school is designated as Sekolah Penggerak in the committee's cohort."""
    if not facts.designated:
        yield _("This school is not designated as a Sekolah Penggerak in this cohort."), None, "school"


@rule(code="school_outside_served_provinces", severity="error", label=_("School outside the provinces served"))
def school_outside_served_provinces(facts):
    """The school lies in one of the provinces served by the cohort's events."""
    if facts.served_province_ids is not None and facts.province_id not in facts.served_province_ids:
        yield _("The school is outside the provinces this program's event serves."), None, "school"


@rule(code="member_identifier_missing", severity="error", label=_("Member without an identifier"))
def member_identifier_missing(facts):
    """Every member has at least one of NIK, NIP, NUPTK."""
    for index, member in enumerate(facts.members):
        if not member.identifiers():
            yield _("Fill in at least one of NIK, NIP or NUPTK."), index, "nik"


@rule(code="member_identifier_format", severity="error", label=_("Identifier format"))
def member_identifier_format(facts):
    """Each NIK, NIP and NUPTK given has a valid format (and did not go through an Excel number cell)."""
    for index, member in enumerate(facts.members):
        for name in IDENTIFIER_FIELDS:
            raw = getattr(member, name)
            if raw in (None, ""):
                continue
            # The message as every channel says it; the finding's field names the identifier.
            for error in member.validated(name).errors:
                yield error.message, index, name


@rule(code="member_identifier_check", severity="warning", label=_("Identifier cross-check"))
def member_identifier_check(facts):
    """Second looks: an unknown kab/kota code in a NIK, a NIK and a NIP that disagree."""
    for index, member in enumerate(facts.members):
        if member.nik not in (None, ""):
            for warning in member.validated("nik").warnings:
                yield warning.message, index, "nik"
        identifiers = member.identifiers()
        if "nik" in identifiers and "nip" in identifiers and member.validated("nik").ok and member.validated("nip").ok:
            for warning in cross_check_nik_nip(identifiers["nik"], identifiers["nip"], pppk=bool(member.nip_is_pppk)):
                yield warning.message, index, "nip"


@rule(code="member_twice", severity="error", label=_("Member listed twice"))
def member_twice(facts):
    """No identifier appears twice in the same committee."""
    seen: dict[tuple[str, str], int] = {}
    for index, member in enumerate(facts.members):
        for key in member.identifiers().items():
            if key in seen and seen[key] != index:
                yield (
                    format_lazy(_("This {kind} is already listed in this committee."), kind=key[0].upper()),
                    index,
                    key[0],
                )
            seen.setdefault(key, index)


@rule(code="identifier_under_two_names", severity="error", label=_("Identifier under two names"))
def identifier_under_two_names(facts):
    """An identifier is not recorded under another person's name."""
    for index, member in enumerate(facts.members):
        for kind, value in member.identifiers().items():
            known = facts.known_names.get((kind, value))
            typed = facts.typed_names.get((kind, value))
            if known is not None and comparable_name(known) != comparable_name(member.full_name):
                yield (
                    format_lazy(
                        _("This {kind} is already recorded under another name. Check the number."), kind=kind.upper()
                    ),
                    index,
                    kind,
                )
            elif known is None and typed is not None and comparable_name(typed) != comparable_name(member.full_name):
                yield (
                    format_lazy(
                        _("This {kind} is given earlier in this file under the name {name}."),
                        kind=kind.upper(),
                        name=typed,
                    ),
                    index,
                    kind,
                )


@rule(code="person_on_two_committees", severity="error", label=_("Person on two committees"))
def person_on_two_committees(facts):
    """A person sits on at most one committee per cohort."""
    for index, member in enumerate(facts.members):
        for key in member.identifiers().items():
            school = facts.elsewhere.get(key)
            if school is not None:
                message = (
                    format_lazy(_("This person is already on the committee of {school} in this cohort."), school=school)
                    if school
                    else _("This person is already on another school's committee in this cohort.")
                )
                yield (message, index, key[0])
                break


@rule(code="kepala_sekolah_single", severity="error", label=_("Not exactly one kepala sekolah"))
def kepala_sekolah_single(facts):
    """Exactly one kepala sekolah."""
    heads = [index for index, member in enumerate(facts.members) if member.position == Position.KEPALA_SEKOLAH]
    if not heads:
        yield _("The committee has no principal (kepala sekolah)."), None, "position"
    for index in heads[1:]:
        yield _("The committee may have only one principal (kepala sekolah)."), index, "position"


@rule(code="kepala_sekolah_not_penggerak", severity="error", label=_("Kepala sekolah not the approved one"))
def kepala_sekolah_not_penggerak(facts):
    """The kepala sekolah is the school's approved Kepala Sekolah Penggerak."""
    principal = facts.principal
    if principal is None:
        return
    approved = {(kind, getattr(principal, kind)) for kind in IDENTIFIER_FIELDS if getattr(principal, kind)}
    for index, member in enumerate(facts.members):
        if member.position != Position.KEPALA_SEKOLAH:
            continue
        same = (member.person_id is not None and member.person_id == principal.pk) or bool(
            approved & set(member.identifiers().items())
        )
        if not same:
            yield (
                format_lazy(
                    _("The principal must be the approved Kepala Sekolah Penggerak ({name})."), name=principal.full_name
                ),
                index,
                "position",
            )


@rule(code="composition_count", severity="error", label=_("Composition per level"))
def composition_count(facts):
    """The number of members of each position is within the composition rule of the school's level."""
    tally = Counter(member.position for member in facts.members)
    for position in Position:
        if position == Position.KEPALA_SEKOLAH:
            continue  # kepala_sekolah_single says it more precisely
        composition = facts.composition.get(position)
        minimum, maximum = (composition.minimum, composition.maximum) if composition else (0, 0)
        count = tally[position]
        if count < minimum:
            yield (
                format_lazy(
                    _("{level} needs at least {minimum} × {position}; the committee has {count}."),
                    level=facts.school_level,
                    minimum=minimum,
                    position=position.label,
                    count=count,
                ),
                None,
                "position",
            )
        elif count > maximum:
            yield (
                format_lazy(
                    _("{level} allows at most {maximum} × {position}; the committee has {count}."),
                    level=facts.school_level,
                    maximum=maximum,
                    position=position.label,
                    count=count,
                ),
                None,
                "position",
            )


@rule(code="teacher_without_class", severity="error", label=_("Teacher without class taught"))
def teacher_without_class(facts):
    """Members of a position whose rule needs it state the class or subject they teach."""
    for index, member in enumerate(facts.members):
        composition = facts.composition.get(member.position)
        if composition is not None and composition.needs_class and not member.class_taught.strip():
            yield _("State the class or subject this teacher teaches."), index, "class_taught"


@rule(code="required_classes_missing", severity="warning", label=_("Required classes not covered"))
def required_classes_missing(facts):
    """The teachers cover the classes the level's rule lists (e.g. Kelas 1 and Kelas 4 for SD)."""
    taught = defaultdict(set)
    for member in facts.members:
        taught[member.position].add(member.class_taught.strip().casefold())
    for position, composition in facts.composition.items():
        for required in composition.required_class_list:
            if required.casefold() not in taught[position]:
                yield (
                    format_lazy(_("No teacher of {required} on the committee."), required=required),
                    None,
                    "class_taught",
                )


# --- loading the facts in a constant number of queries -----------------------------------------------------------


# The composition of a committee per school level, as the program set it (editable by Admin pusat afterwards):
# level, position, minimum, maximum, needs_class, required_classes. Loaded by a data migration.
DEFAULT_COMPOSITION = [
    ("PAUD", "kepala_sekolah", 1, 1, False, ""),
    ("PAUD", "guru", 1, 2, True, "TK B"),
    ("PAUD", "penilik", 1, 1, False, ""),
    ("PAUD", "pengawas", 0, 0, False, ""),
    ("PAUD", "cadangan", 0, 2, False, ""),
    ("SD", "kepala_sekolah", 1, 1, False, ""),
    ("SD", "guru", 2, 2, True, "Kelas 1, Kelas 4"),
    ("SD", "pengawas", 1, 1, False, ""),
    ("SD", "penilik", 0, 0, False, ""),
    ("SD", "cadangan", 0, 2, False, ""),
    ("SMP", "kepala_sekolah", 1, 1, False, ""),
    ("SMP", "guru", 1, 3, True, "Kelas 7"),
    ("SMP", "pengawas", 1, 1, False, ""),
    ("SMP", "penilik", 0, 0, False, ""),
    ("SMP", "cadangan", 0, 2, False, ""),
    ("SMA", "kepala_sekolah", 1, 1, False, ""),
    ("SMA", "guru", 1, 3, True, "Kelas 10"),
    ("SMA", "pengawas", 1, 1, False, ""),
    ("SMA", "penilik", 0, 0, False, ""),
    ("SMA", "cadangan", 0, 2, False, ""),
    ("SMK", "kepala_sekolah", 1, 1, False, ""),
    ("SMK", "guru", 1, 3, True, "Kelas 10"),
    ("SMK", "pengawas", 1, 1, False, ""),
    ("SMK", "penilik", 0, 0, False, ""),
    ("SMK", "cadangan", 0, 2, False, ""),
    ("SLB", "kepala_sekolah", 1, 1, False, ""),
    ("SLB", "guru", 1, 3, True, ""),
    ("SLB", "pengawas", 1, 1, False, ""),
    ("SLB", "penilik", 0, 0, False, ""),
    ("SLB", "cadangan", 0, 2, False, ""),
]


def composition_defaults_load(model=CompositionRule) -> None:
    """Create the default composition rules that are missing (a data migration passes its historical model)."""
    for level, position, minimum, maximum, needs_class, required in DEFAULT_COMPOSITION:
        model.objects.get_or_create(
            level=level,
            position=position,
            defaults={"minimum": minimum, "maximum": maximum, "needs_class": needs_class, "required_classes": required},
        )


def _composition_by_level() -> dict[str, dict[str, CompositionRule]]:
    by_level: dict[str, dict[str, CompositionRule]] = defaultdict(dict)
    for composition in CompositionRule.objects.all():
        by_level[composition.level][composition.position] = composition
    return by_level


def _served_provinces(cohort_ids: set[int]) -> dict[int, set[int] | None]:
    served: dict[int, set[int] | None] = dict.fromkeys(cohort_ids)
    through = EventSite.provinces_served.through
    for cohort_id, province_id in through.objects.filter(eventsite__event__cohort_id__in=cohort_ids).values_list(
        "eventsite__event__cohort_id", "province_id"
    ):
        served[cohort_id] = (served[cohort_id] or set()) | {province_id}
    return served


def _identifier_condition(prefix: str, keys: set[tuple[str, str]]) -> Q | None:
    condition = None
    for kind in IDENTIFIER_FIELDS:
        values = [value for k, value in keys if k == kind]
        if values:
            part = identifier_q(kind, values, prefix=prefix)
            condition = part if condition is None else condition | part
    return condition


@dataclass
class PeopleLookup:
    """What the database knows of a set of identifiers: the person's id and recorded name for each."""

    ids: dict[tuple[str, str], int] = field(default_factory=dict)
    names: dict[tuple[str, str], str] = field(default_factory=dict)


def people_lookup(keys: set[tuple[str, str]]) -> PeopleLookup:
    """One query per identifier kind, whatever the number of identifiers."""
    lookup = PeopleLookup()
    for kind in IDENTIFIER_FIELDS:
        values = [value for k, value in keys if k == kind]
        if values:
            for pk, name, value in Person.objects.filter(identifier_q(kind, values)).values_list(
                "pk", "full_name", kind
            ):
                lookup.ids[(kind, value)] = pk
                lookup.names[(kind, value)] = name
    return lookup


def _memberships(lookup: PeopleLookup, cohort_ids: set[int]) -> list[tuple[tuple[str, str], int, int, str]]:
    """(identifier, committee id, cohort id, school name) of the saved members holding one of the identifiers."""
    keys_of = defaultdict(list)
    for key, pk in lookup.ids.items():
        keys_of[pk].append(key)
    if not keys_of:
        return []
    rows = CommitteeMember.objects.filter(person_id__in=list(keys_of), cohort_id__in=cohort_ids).values_list(
        "person_id", "committee_id", "cohort_id", "committee__school__name"
    )
    return [
        (key, committee_id, cohort_id, school_name)
        for person_id, committee_id, cohort_id, school_name in rows
        for key in keys_of[person_id]
    ]


def _visible_committee_ids(viewer, ids: set[int]) -> set[int]:
    if viewer is None or not ids:
        return set()
    return set(committees_visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))


@dataclass
class Proposal:
    """A committee as a form or an import states it, before it is saved."""

    school: Any  # participants.School with regency loaded
    cohort_id: int
    members: list[MemberFacts]
    committee_id: int | None = None


def facts_for_proposals(
    proposals: list[Proposal], *, people: PeopleLookup | None = None, viewer=None
) -> list[CommitteeFacts]:
    """Facts of unsaved committees, in a constant number of queries whatever their number.

    Within the batch, an identifier given under two names or on two schools' committees is reported
    like one already in the database (the earlier one in the batch is the reference). Another committee
    holding a member is named only when `viewer` may see it.
    """
    if not proposals:
        return []
    cohort_ids = {p.cohort_id for p in proposals}
    keys = {key for p in proposals for m in p.members for key in m.identifiers().items()}
    compositions = _composition_by_level()
    served = _served_provinces(cohort_ids)
    designations = {
        (d.school_id, d.cohort_id): d
        for d in SekolahPenggerak.objects.filter(
            school_id__in={p.school.pk for p in proposals if p.school.pk}, cohort_id__in=cohort_ids
        ).select_related("principal")
    }
    people = people if people is not None else people_lookup(keys)
    known = people.names
    memberships = _memberships(people, cohort_ids)
    visible = _visible_committee_ids(viewer, {committee_id for _key, committee_id, _c, _s in memberships})
    saved_by_key = defaultdict(list)
    for key, committee_id, cohort_id, school_name in memberships:
        saved_by_key[key].append((committee_id, cohort_id, school_name if committee_id in visible else ""))

    batch_names: dict[tuple[str, str], str] = {}
    batch_schools: dict[tuple[int, tuple[str, str]], Any] = {}
    result = []
    for proposal in proposals:
        school = proposal.school
        elsewhere = {
            key: school_name
            for member in proposal.members
            for key in member.identifiers().items()
            for committee_id, cohort_id, school_name in saved_by_key.get(key, ())
            if cohort_id == proposal.cohort_id and committee_id != proposal.committee_id
        }
        names = {key: known[key] for m in proposal.members for key in m.identifiers().items() if key in known}
        typed = {}
        own_keys = set()
        for member in proposal.members:
            for key in member.identifiers().items():
                own_keys.add(key)
                other_school = batch_schools.get((proposal.cohort_id, key))
                if other_school is not None and other_school.pk != school.pk:
                    elsewhere.setdefault(key, other_school.name)
                if key not in names and key in batch_names:
                    typed[key] = batch_names[key]
        for member in proposal.members:
            for key in member.identifiers().items():
                batch_names.setdefault(key, member.full_name)
                batch_schools.setdefault((proposal.cohort_id, key), school)
        designation = designations.get((school.pk, proposal.cohort_id))
        result.append(
            CommitteeFacts(
                school_npsn=school.npsn,
                school_name=school.name,
                school_level=school.level,
                province_id=school.regency.province_id if school.regency_id else None,
                cohort_id=proposal.cohort_id,
                members=proposal.members,
                composition=compositions.get(school.level, {}),
                committee_id=proposal.committee_id,
                designated=designation is not None,
                principal=designation.principal if designation else None,
                elsewhere=elsewhere,
                known_names=names,
                typed_names=typed,
                served_province_ids=served.get(proposal.cohort_id),
            )
        )
    return result


def member_facts(member: CommitteeMember) -> MemberFacts:
    person = member.person
    return MemberFacts(
        full_name=person.full_name,
        position=member.position,
        class_taught=member.class_taught,
        nik=person.nik,
        nip=person.nip,
        nuptk=person.nuptk,
        nip_is_pppk=person.nip_is_pppk,
        person_id=person.pk,
        ref=member.pk,
    )


def facts_for_committees(committees: Iterable[Committee], *, viewer=None) -> list[CommitteeFacts]:
    """Facts of saved committees (a page of a list, or one), in a constant number of queries."""
    committees = list(committees)
    members = defaultdict(list)
    for member in (
        CommitteeMember.objects.filter(committee__in=[c.pk for c in committees])
        .select_related("person")
        .order_by("committee_id", "order", "pk")
    ):
        members[member.committee_id].append(member_facts(member))
    proposals = [
        Proposal(school=c.school, cohort_id=c.cohort_id, members=members[c.pk], committee_id=c.pk) for c in committees
    ]
    return facts_for_proposals(proposals, viewer=viewer)


def findings_for_committees(committees: Iterable[Committee], *, viewer=None) -> dict[int, list[Finding]]:
    """Committee id → its findings now (schools must come with `select_related('school__regency')`).

    The messages name other committees' schools only when `viewer` may see those committees."""
    committees = list(committees)
    facts = facts_for_committees(committees, viewer=viewer)
    return {c.pk: evaluate(one) for c, one in zip(committees, facts, strict=True)}


def iter_rules() -> Iterator[Rule]:
    return iter(RULES)


def rule_by_code(code: str) -> Rule | None:
    return next((registered for registered in RULES if registered.code == code), None)


def committee_ids_with_finding(committees: Iterable[Committee], *, code: str) -> list[int]:
    """Ids of the committees that have a finding of rule `code` now (constant number of queries)."""
    return [pk for pk, findings in findings_for_committees(committees).items() if any(f.code == code for f in findings)]
