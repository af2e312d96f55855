"""Reading ids and dates from query strings and form data that anyone can type."""

import datetime as dt

# SQLite stores integers in 64 bits and raises OverflowError (a 500) on a larger number in a query;
# no row id of ours comes near it, so a longer digit string is simply not an id.
MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    """True for a plain ASCII digit string (or int) that fits a database integer: safe to filter on."""
    text = str(value) if value is not None else ""
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


def parse_date_or_none(value) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) typed into a query string, or None for anything else (never an error)."""
    try:
        return dt.date.fromisoformat(str(value)) if value and len(str(value)) == 10 else None
    except ValueError:
        return None
