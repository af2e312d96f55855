"""An agency as named on a day (events.selectors.agency_as_named_on): the row valid that day along its renamings."""

import datetime as dt

import pytest

from events.models import Agency, AgencyType
from events.selectors import agency_as_named_on


def agency(name: str, *, valid_from=None, valid_to=None, successor=None) -> Agency:
    return Agency.objects.create(
        type=AgencyType.objects.get_or_create(code="TEST", defaults={"name": "Test"})[0],
        name=name,
        valid_from=valid_from,
        valid_to=valid_to,
        successor=successor,
    )


@pytest.fixture
def chain(db):
    """LPPKSPS (to 2021) → BBGP (2022–2024) → BBGTK (from 2025)."""
    bbgtk = agency("BBGTK", valid_from=dt.date(2025, 1, 1))
    bbgp = agency("BBGP", valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2024, 12, 31), successor=bbgtk)
    lppksps = agency("LPPKSPS", valid_to=dt.date(2021, 12, 31), successor=bbgp)
    return lppksps, bbgp, bbgtk


@pytest.mark.parametrize(
    ("start", "day", "expected"),
    [
        ("LPPKSPS", dt.date(2021, 5, 20), "LPPKSPS"),
        ("LPPKSPS", dt.date(2022, 10, 15), "BBGP"),
        ("LPPKSPS", dt.date(2026, 1, 1), "BBGTK"),
        ("BBGTK", dt.date(2021, 5, 20), "LPPKSPS"),
        ("BBGTK", dt.date(2024, 12, 31), "BBGP"),
        ("BBGP", dt.date(2025, 1, 1), "BBGTK"),
        ("BBGP", dt.date(2022, 1, 1), "BBGP"),
    ],
)
def test_the_row_valid_on_the_day_along_the_chain(chain, start, day, expected):
    rows = {row.name: row for row in chain}
    assert agency_as_named_on(rows[start], day).name == expected


def test_itself_when_no_row_was_valid_or_two_bodies_merged(db):
    merged = agency("BPMP", valid_from=dt.date(2022, 1, 1))
    agency("LPMP", valid_to=dt.date(2021, 12, 31), successor=merged)
    agency("BP PAUD Dikmas", valid_to=dt.date(2021, 12, 31), successor=merged)
    closed = agency("Closed", valid_to=dt.date(2020, 1, 1))

    assert agency_as_named_on(merged, dt.date(2021, 5, 20)) == merged  # which of the two? the app cannot tell
    assert agency_as_named_on(closed, dt.date(2023, 1, 1)) == closed


def test_a_loop_typed_in_the_admin_ends(db):
    first = agency("First", valid_to=dt.date(2020, 12, 31))
    second = agency("Second", valid_from=dt.date(2021, 1, 1), valid_to=dt.date(2021, 12, 31), successor=first)
    first.successor = second
    first.save(update_fields=["successor"])

    assert agency_as_named_on(first, dt.date(2030, 1, 1)) == first
    assert agency_as_named_on(second, dt.date(2019, 1, 1)) == first
