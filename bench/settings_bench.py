"""Settings of the registration benchmark (bench/registration.py): the app's settings, the bench URLs.

Used only by the benchmark's gunicorn, on loopback. DEBUG is off so that Django does not keep every
query in memory, and mail goes nowhere.
"""

import os
import warnings

os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")  # noqa: S105 - loopback benchmark only
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Production refuses to start without encryption keys (DEBUG off): throw-away keys of the bench's own database,
# the same in every process of the run (the main process, migrate, every gunicorn worker).
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2gtb25seS10aHJvdy1hd2F5LWZpZWxkLWtleSE=")
os.environ.setdefault("FIELD_HASH_KEY", "bench-only-throw-away-hash-key")

from psp_koordinasi.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.bench_urls"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# The benchmark serves no static files; whitenoise's notice about the missing folder is noise here.
warnings.filterwarnings("ignore", message="No directory at")
