"""Demo data of the outcomes area (fictitious people only). Filled by the issue that builds it."""


def load() -> None:
    """Idempotent."""
