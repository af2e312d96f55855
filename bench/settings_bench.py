"""Settings of the benches' gunicorn: the app's production settings (DEBUG off), the bench URLs, no mail.

The environment (keys, database) is set by bench/common.py `bench_environment()` before this module is read;
the defaults below only let `manage.py` be pointed at it by hand.
"""

import os
import warnings

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Every client of a bench comes from 127.0.0.1: the public POST throttle still counts each POST (its cost is part
# of the path measured) but must not refuse the crowd of one address.
os.environ.setdefault("THROTTLE_POST_LIMIT", "100000000")

from psp_koordinasi.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.bench_urls"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# The bench's warnings about what a real deployment must configure (mail) are not news here.
SILENCED_SYSTEM_CHECKS = ["core.W002"]

# The benchmark serves no static files; whitenoise's notice about the missing folder is noise here.
warnings.filterwarnings("ignore", message="No directory at")
