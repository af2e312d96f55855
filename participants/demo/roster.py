"""Demo data of the roster area (fictitious people only). Filled by the issue that builds it."""


def load() -> None:
    """Idempotent."""
