"""Demo data of the reports area (fictitious people only). Filled by the issue that builds it."""


def load() -> None:
    """Idempotent."""
