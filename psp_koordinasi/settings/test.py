"""Settings of the test suite (pyproject.toml): the app's settings, with a fast password hasher.

PBKDF2 with Django's default iterations is deliberately slow; the tests create and log in hundreds
of users, so they hash with MD5 instead. Nothing in the tests depends on the hasher's strength.
The password validators stay: tests check that a weak password is refused. The suite runs on the
development keys on purpose: their start-up warning (core.W001) is silenced here.
Throttle counts go to the database cache, whatever the environment says (see CACHES below).
"""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SILENCED_SYSTEM_CHECKS = ["core.W001"]
# The database cache even when REDIS_URL is set in the environment: a `db` test's counts are rolled back
# with its transaction, and tests/conftest.py empties the table before every test. The Redis set-up has
# its own test (tests/core/test_throttle.py), on a cache connection of its own.
CACHES = {"default": cache_config("")}  # noqa: F405
