"""Likely duplicate people, for Admin pusat to merge (participants.merge).

Two records are likely one human when they have the same name (`comparable_name`: academic titles, case and
punctuation aside) and either

- the same birth date (their identifiers differ, or they would be one record already), or
- a NIK, NIP or NUPTK equal to the other's but for two adjacent digits swapped or one digit different (a typo).

How, and why this way: NIKs are encrypted (core/fields.py) and only their keyed hash can be searched. Both
signals need the same name, so people are first grouped by name: one query reads the id, name and birth date of
every person — no encrypted column, nothing decrypted — and groups them in memory. Only the people of a name
shared by two or more are then read in full (their NIKs decrypted), in one more query, and compared pairwise
inside their group. The cost is one light pass over the people plus the decryption of the few who share a name.

Admin pusat judges a listed pair either way: a merge (participants.merge), or "two people" (`duplicates_dismiss`,
a `DistinctPeople` row): a pair so judged is no longer listed, until the judgement is taken back
(`duplicates_dismiss_undo`). Both are on record in the audit log.

A near-miss identifier alone is no evidence, which is why it is only looked for within a name: colleagues born
on the same day and appointed the same month have NIPs one digit apart, and people of one kecamatan born on one
day have NIKs that differ in the serial only. (The alternative — hashing the 159 one-typo variants of every NIK
and looking them up through `nik_hash` — would decrypt every NIK anyway to build the variants, and find those
look-alikes.) A typo in the name itself is not found: the merge form can still join any two records.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core import audit
from participants.models import DistinctPeople, Person
from participants.services import comparable_name

DISMISSED = "person.not_duplicate"
DISMISS_UNDONE = "person.not_duplicate_undone"

IDENTIFIERS = (("nik", "NIK"), ("nip", "NIP"), ("nuptk", "NUPTK"))
MAX_PAIRS = 200


@dataclass
class DuplicatePair:
    first: Person  # the older record (the one a merge keeps)
    second: Person
    reasons: list[str] = field(default_factory=list)


def near_miss(a: str, b: str) -> str:
    """ "swapped" when `b` is `a` with two adjacent characters swapped, "one_digit" when one character differs,
    else "" (equal, empty, of other lengths, or further apart)."""
    if not a or not b or len(a) != len(b) or a == b:
        return ""
    differ = [index for index, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(differ) == 1:
        return "one_digit"
    if len(differ) == 2:
        i, j = differ
        if j == i + 1 and a[i] == b[j] and a[j] == b[i]:
            return "swapped"
    return ""


def _reasons(first: Person, second: Person) -> list[str]:
    reasons = []
    if first.birth_date and first.birth_date == second.birth_date:
        reasons.append(str(_("Same name and birth date")))
    for name, label in IDENTIFIERS:
        miss = near_miss(getattr(first, name), getattr(second, name))
        if miss == "swapped":
            reasons.append(str(_("%(identifier)s: two adjacent digits swapped") % {"identifier": label}))
        elif miss == "one_digit":
            reasons.append(str(_("%(identifier)s: one digit different") % {"identifier": label}))
    return reasons


def name_blocks() -> list[list[int]]:
    """The ids of the people sharing a comparable name, per name shared by two or more (one query, nothing
    decrypted)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for pk, full_name in Person.objects.order_by("pk").values_list("pk", "full_name"):
        key = comparable_name(full_name)
        if key:
            blocks[key].append(pk)
    return [ids for ids in blocks.values() if len(ids) > 1]


def likely_duplicates(*, limit: int = MAX_PAIRS) -> list[DuplicatePair]:
    """The likely duplicate pairs (see the module docstring) not judged to be two people, the most signals first;
    three queries."""
    blocks = name_blocks()
    if not blocks:
        return []
    candidates = {pk for ids in blocks for pk in ids}
    people = (
        Person.objects.select_related("agency", "school", "province")
        .annotate(registration_count=Count("registrations"))
        .in_bulk(candidates)
    )
    judged = set(DistinctPeople.objects.filter(first_id__in=candidates).values_list("first_id", "second_id"))
    pairs = []
    for ids in blocks:
        for first_id, second_id in combinations(ids, 2):  # ids ascending: the pair as DistinctPeople stores it
            if (first_id, second_id) in judged:
                continue
            first, second = people[first_id], people[second_id]
            reasons = _reasons(first, second)
            if reasons:
                pairs.append(DuplicatePair(first=first, second=second, reasons=reasons))
    pairs.sort(key=lambda pair: (-len(pair.reasons), comparable_name(pair.first.full_name), pair.first.pk))
    return pairs[:limit]


def duplicates_dismiss(*, first: Person, second: Person, actor, reason: str = "") -> DistinctPeople:
    """Admin pusat judges the two records to be two people: the pair is no longer listed (audited on the record
    listed first). Judging a pair again changes nothing."""
    if first.pk == second.pk:
        raise ValueError("a record is not a pair")
    first, second = sorted((first, second), key=lambda person: person.pk)
    reason = " ".join(reason.split())
    existing = DistinctPeople.objects.filter(first=first, second=second).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            decision = DistinctPeople.objects.create(first=first, second=second, reason=reason, decided_by=actor)
            audit.record(actor=actor, action=DISMISSED, target=first, data={"other": second.pk}, reason=reason)
    except IntegrityError:  # judged by another request at the same moment
        return DistinctPeople.objects.get(first=first, second=second)
    return decision


def duplicates_dismiss_undo(*, decision: DistinctPeople, actor) -> None:
    """The judgement is taken back: the pair is listed again while it still looks alike (audited)."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=DISMISS_UNDONE,
            target=decision.first,
            data={"other": decision.second_id, "judged_reason": decision.reason},
        )
        decision.delete()


def dismissed_pairs():
    """The pairs judged to be two people, newest first, with both records and who judged (one query)."""
    return DistinctPeople.objects.select_related("first", "second", "decided_by").order_by("-decided_at", "-id")
