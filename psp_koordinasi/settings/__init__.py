"""`psp_koordinasi.settings` is the app's settings (base.py), as manage.py, wsgi/asgi and bench/ expect.

The test suite uses `psp_koordinasi.settings.test` (pyproject.toml), which builds on the same base.
"""

from .base import *  # noqa: F403
