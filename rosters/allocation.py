"""The Tahap allocator as a pure function: committees in, an assignment to phases out (no database).

Rules: phases are filled in their order (Tahap 1, then Tahap 2); a phase's free capacity is never
exceeded; the committees of one kab/kota stay in the same phase whenever some phase still has room
for the whole group; the result depends only on the input (groups and committees are taken in a
fixed order); committees that fit nowhere are returned as leftovers, never dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    """A committee to place: its id and its group (the kab/kota code)."""

    id: int
    group: str


@dataclass(frozen=True)
class Bin:
    """A phase: its id and how many more committees it may take."""

    id: int
    free: int


@dataclass
class Allocation:
    assignments: dict[int, int] = field(default_factory=dict)  # item id → bin id
    leftovers: list[int] = field(default_factory=list)  # item ids that fit nowhere
    split_groups: list[str] = field(default_factory=list)  # groups that had to be spread over phases


def allocate(items: Sequence[Item], bins: Sequence[Bin]) -> Allocation:
    """Place items into bins, whole groups first-fit by decreasing size, splitting only when no bin has room."""
    groups: dict[str, list[int]] = defaultdict(list)
    for item in items:
        groups[item.group].append(item.id)
    free = {b.id: max(b.free, 0) for b in bins}
    order = [b.id for b in bins]
    result = Allocation()
    for group in sorted(groups, key=lambda g: (-len(groups[g]), g)):
        ids = sorted(groups[group])
        whole = next((bin_id for bin_id in order if free[bin_id] >= len(ids)), None)
        if whole is not None:
            for item_id in ids:
                result.assignments[item_id] = whole
            free[whole] -= len(ids)
            continue
        remaining = ids
        used_bins = 0
        for bin_id in order:
            if not remaining or free[bin_id] == 0:
                continue
            taken, remaining = remaining[: free[bin_id]], remaining[free[bin_id] :]
            for item_id in taken:
                result.assignments[item_id] = bin_id
            free[bin_id] -= len(taken)
            used_bins += 1
        if used_bins > 1 or (remaining and used_bins):
            result.split_groups.append(group)
        result.leftovers.extend(remaining)
    result.leftovers.sort()
    return result
