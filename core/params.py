"""Reading ids from query strings and form data that anyone can type."""

# SQLite stores integers in 64 bits and raises OverflowError (a 500) on a larger number in a query;
# no row id of ours comes near it, so a longer digit string is simply not an id.
MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    """True for a plain ASCII digit string (or int) that fits a database integer: safe to filter on."""
    text = str(value) if value is not None else ""
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID
