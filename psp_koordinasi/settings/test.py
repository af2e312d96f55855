"""Settings of the test suite (pyproject.toml): the app's settings, with a fast password hasher.

PBKDF2 with Django's default iterations is deliberately slow; the tests create and log in hundreds
of users, so they hash with MD5 instead. Nothing in the tests depends on the hasher's strength.
The password validators stay: tests check that a weak password is refused. The suite runs on the
development keys on purpose: their start-up warning (core.W001) is silenced here.
"""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SILENCED_SYSTEM_CHECKS = ["core.W001"]
