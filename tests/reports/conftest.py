"""The roster builders (cohort, Tahap phases) for the reports tests that show Komite Pembelajaran figures."""

from tests.rosters.conftest import cohort, phases  # noqa: F401 (fixtures)
