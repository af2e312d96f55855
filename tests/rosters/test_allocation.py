"""The Tahap allocator: capacity never exceeded, kab/kota kept together, deterministic, leftovers listed."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rosters.allocation import Bin, Item, allocate
from rosters.models import Committee
from rosters.services import tahap_allocate_apply, tahap_allocate_preview
from tests.rosters.conftest import approve_all, good_committee

items_strategy = st.lists(
    st.tuples(st.integers(1, 500), st.sampled_from(["14.01", "14.71", "18.71", "19.01", "53.71"])),
    unique_by=lambda pair: pair[0],
    max_size=40,
).map(lambda pairs: [Item(i, g) for i, g in pairs])
bins_strategy = st.lists(st.integers(0, 15), min_size=1, max_size=3).map(
    lambda frees: [Bin(number, free) for number, free in enumerate(frees, start=1)]
)


@settings(max_examples=200, deadline=None)
@given(items_strategy, bins_strategy)
def test_capacity_never_exceeded_nothing_dropped_and_deterministic(items, bins):
    result = allocate(items, bins)
    for b in bins:
        assert sum(1 for phase in result.assignments.values() if phase == b.id) <= b.free
    assert set(result.assignments) | set(result.leftovers) == {i.id for i in items}
    assert not set(result.assignments) & set(result.leftovers)
    assert len(result.assignments) == min(len(items), sum(b.free for b in bins))
    assert allocate(list(reversed(items)), bins) == result


def test_kab_kota_stay_together_and_tahap_1_fills_first():
    items = [Item(1, "A"), Item(2, "A"), Item(3, "A"), Item(4, "B"), Item(5, "B"), Item(6, "C"), Item(7, "C")]
    result = allocate(items, [Bin(1, 5), Bin(2, 2)])
    assert result.assignments == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2}
    assert result.leftovers == [] and result.split_groups == []


def test_leftovers_are_listed():
    result = allocate([Item(i, "A") for i in range(1, 6)], [Bin(1, 2), Bin(2, 1)])
    assert result.leftovers == [4, 5] and result.split_groups == ["A"]


@pytest.mark.django_db
def test_preview_then_apply_saves_the_same_plan(cohort, phases):
    committees = [
        approve_all(good_committee(cohort, regency=regency, submit=True))
        for regency in ["14.71", "14.71", "18.71", "18.71", "53.71", "53.71", "53.71"]
    ]
    preview = tahap_allocate_preview(cohort=cohort, committees=Committee.objects.all())
    assert len(preview.assignments) == 6 and len(preview.leftovers) == 1
    applied = tahap_allocate_apply(cohort=cohort, committees=Committee.objects.all(), actor=None)
    assert applied.assignments == preview.assignments
    saved = dict(Committee.objects.exclude(phase=None).values_list("pk", "phase_id"))
    assert saved == preview.assignments
    kupang = {c.phase_id for c in Committee.objects.filter(school__regency__code="53.71", phase__isnull=False)}
    assert len(kupang) == 1
    for phase in phases:
        assert phase.committees.count() <= phase.capacity
    assert {c.pk for c in preview.leftovers} == {c.pk for c in committees} - set(saved)
