"""Settings for psp-koordinasi, read from the environment.

Everything that differs between a laptop running `make run` and a production server comes from
environment variables; the defaults give a working embedded set-up (SQLite, DEBUG on, console mail).
Production (DEBUG off) refuses to start without its keys, and sends no mail until mail is configured.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The settings that fell back to a development value (only possible while DEBUG is on): the system check
# core.W001 names them once when the app starts (core/checks.py), so nobody runs on them unknowingly.
DEVELOPMENT_KEYS: list[str] = []
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
    DEVELOPMENT_KEYS.append("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tasks",
    "axes",
    "django_otp",
    "core.otp_app.TwoFactorDevicesConfig",  # django_otp.plugins.otp_totp, named in words
    "csp",
    "core",
    "events",
    "participants",
    "rosters",
    "attendance",
    "outcomes",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store for signed-in users and downloads (shared computers at venues).
    "core.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.RequireVerifiedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into our page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out username + IP before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "psp_koordinasi.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "psp_koordinasi.wsgi.application"


# Database: DATABASE_URL, or an SQLite file in the project folder.
def database_config(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Several request threads write at once (runserver, registration peaks): WAL lets readers
        # go on during a write, IMMEDIATE takes the write lock at BEGIN so two writers queue on
        # the busy timeout instead of failing with "database is locked" halfway through.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
            ),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # psycopg 3 connection pool; persistent connections must stay off with a pool.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "pool": {
                "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
                "max_size": int(os.environ.get("DB_POOL_MAX", "20")),
                "timeout": 10,
            }
        }
        if env_bool("DB_POOL_DISABLED", False):
            config["OPTIONS"] = {}
        if env_bool("DB_SERVER_SIDE_BINDING", True):
            # Parameters sent apart from the SQL, and a statement run 5 times on a connection prepared on the
            # server (parsed and planned once: a quarter less PostgreSQL CPU per registration, bench/registration.py).
            # Safe with the in-process pool; turn it off behind a transaction-mode pgbouncer.
            config["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
    return config


DATABASES = {"default": database_config(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Indonesian first, English switchable. Times are stored in UTC and shown
# in each site's own zone (WIB/WITA/WIT); Asia/Jakarta is only the fallback.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
# The language switch's cookie: no script reads it, it travels over HTTPS only in production.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def media_storage(environ) -> dict:
    """Uploads and report files: MEDIA_ROOT on this machine (a volume every app server and worker mounts when
    there are several), or an S3-compatible store (django-storages) when S3_BUCKET is set."""
    bucket = environ.get("S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "location": environ.get("S3_PREFIX", ""),
        # Private files: every download goes through the app (scope checked, logged), never a public address.
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    for option, name in (
        ("endpoint_url", "S3_ENDPOINT_URL"),
        ("region_name", "S3_REGION"),
        ("access_key", "S3_ACCESS_KEY_ID"),
        ("secret_key", "S3_SECRET_ACCESS_KEY"),
    ):
        if environ.get(name):
            options[option] = environ[name]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "events:event_list"
LOGOUT_REDIRECT_URL = "events:event_list"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail (the participants' confirmations). EMAIL_BACKEND if given; else SMTP once EMAIL_HOST is set; else, on a
# laptop (DEBUG on), printed on the console. In production without any mail configuration mails are not sent
# at all (the dummy backend; the system check core.W002 says so at start-up): the console backend would write
# every participant's name, address and registration code into the server log.
if os.environ.get("EMAIL_BACKEND"):
    EMAIL_BACKEND = os.environ["EMAIL_BACKEND"]
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "psp-koordinasi <noreply@localhost>")

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
# Staff work on shared computers at venues (check-in desks, the dinas office): a session ends when
# the browser closes, and in any case after SESSION_COOKIE_AGE (a working day).
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# The client address and the scheme come from our reverse proxies only when the app runs behind them
# (TRUSTED_PROXY_COUNT > 0): without a proxy, a client could claim "https" (X-Forwarded-Proto) or any address.
# The proxy must set X-Forwarded-Proto itself, replacing whatever the client sent.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT > 0 else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- login hardening, two-factor and CSP (security area) ---
# Lockout: 5 failed logins for one username from one IP lock that pair for AXES_COOLOFF_MINUTES;
# another IP or another user is not affected, a successful login resets the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.two_factor.lockout_response"
# The client IP: REMOTE_ADDR, unless the app runs behind TRUSTED_PROXY_COUNT reverse proxies (set above) that
# each append to X-Forwarded-For (a client can forge the header, so it is never trusted by default).
AXES_CLIENT_IP_CALLABLE = "core.two_factor.client_ip"

# Optional TOTP two-factor; who may set up a device is a domain rule, kept in events.groups.
TWO_FACTOR_ELIGIBLE = "events.groups.may_use_two_factor"
OTP_TOTP_ISSUER = "psp-koordinasi"

# Content-Security-Policy: scripts only from our own static files, never inline. Inline style
# attributes exist in the templates, so styles allow 'unsafe-inline' (styles cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        # QR codes (2FA set-up, badges) are data: URIs.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# --- end of security area ---


# --- throttling area (issue 12): look-up and POST throttles of anonymous visitors (core/throttle.py) ---
# The counts must be shared by every worker and survive a restart, so the default cache is the database
# (table core_cache, made by `migrate`; core.cache.DatabaseCache is Django's with an atomic incr), or
# Redis when REDIS_URL is set (e.g. redis://127.0.0.1:6379/0).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "core_cache"


def cache_config(redis_url: str) -> dict:
    if redis_url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "psp-koordinasi",
        }
    # Django culls a third of the rows once the table holds MAX_ENTRIES (default 300): far above the
    # counters one window can hold, so a flood of new addresses does not evict the counts of others.
    return {"BACKEND": "core.cache.DatabaseCache", "LOCATION": CACHE_TABLE, "OPTIONS": {"MAX_ENTRIES": 50_000}}


CACHES = {"default": cache_config(REDIS_URL)}
# Failed look-ups (wrong registration codes, unknown edit links) per client address and window (seconds).
THROTTLE_LOOKUP_LIMIT = int(os.environ.get("THROTTLE_LOOKUP_LIMIT", "20"))
THROTTLE_LOOKUP_WINDOW = int(os.environ.get("THROTTLE_LOOKUP_WINDOW", "3600"))
# Anonymous form POSTs per client address and window (seconds).
THROTTLE_POST_LIMIT = int(os.environ.get("THROTTLE_POST_LIMIT", "60"))
THROTTLE_POST_WINDOW = int(os.environ.get("THROTTLE_POST_WINDOW", "600"))
# --- end of throttling area ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler masks NIK/NIP/phone numbers that slip into a record (core/logging.py).
    "filters": {"mask_identifiers": {"()": "core.logging.MaskIdentifiersFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_identifiers"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}


# --- reports area: background jobs (django-tasks) ---
# Where report jobs run (README, "Running it for a province or the whole country"): TASKS_BACKEND if given; else, on
# a laptop (DEBUG on), in the request's own process (`make run` needs no worker); in production (DEBUG off) in a
# real queue that every app server shares: RQ on Redis when REDIS_URL is set (worker: `manage.py rqworker
# --job-class django_tasks_rq.Job default`), else the database (worker: `manage.py db_worker`).
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"
DATABASE_TASKS = "django_tasks_db.DatabaseBackend"
RQ_TASKS = "django_tasks_rq.RQBackend"


def tasks_backend(*, explicit: str, debug: bool, redis_url: str) -> str:
    if explicit:
        return explicit
    if debug:
        return IMMEDIATE_TASKS
    return RQ_TASKS if redis_url else DATABASE_TASKS


TASKS = {
    "default": {
        "BACKEND": tasks_backend(explicit=os.environ.get("TASKS_BACKEND", ""), debug=DEBUG, redis_url=REDIS_URL),
        "QUEUES": ["default"],
    }
}
# django_tasks_db: its table (made by `migrate`) is the queue of the database backend.
INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks") + 1, "django_tasks_db")
if TASKS["default"]["BACKEND"] == RQ_TASKS:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks_db") + 1, "django_rq")
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_rq") + 1, "django_tasks_rq")
# django-rq's queues: the one queue of the report jobs, in the Redis of REDIS_URL (a report may take minutes).
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}
RQ_SHOW_ADMIN_LINK = False  # the queue is read through the job pages, not the admin
# Exports of more rows than this are built as a background job with a progress bar; smaller ones stream at once.
REPORTS_LARGE_ROWS = int(os.environ.get("REPORTS_LARGE_ROWS", "300"))
# A daftar hadir (blank or with the check-in times) is quick to build — 0.75 s for 5,000 rows, bench/daftar_hadir.py —
# so it is built in the request up to this many participants: the check-in screen keeps it for printing offline.
REPORTS_LARGE_SHEET_ROWS = int(os.environ.get("REPORTS_LARGE_SHEET_ROWS", "3000"))
# Every PDF and Excel download of the app (the export kit, core/exports.py): one explicit list.
EXPORTERS = [
    "participants.outputs.RegistrationExport",
    "participants.outputs.ImportTemplate",
    "participants.outputs.WaitingListExport",
    "rosters.outputs.RosterPdfExport",
    "rosters.outputs.RosterWorkbookExport",
    "rosters.outputs.FindingsWorkbookExport",
    "rosters.outputs.RosterTemplate",
    "outcomes.outputs.MatrixPdfExport",
    "outcomes.outputs.PublicMatrixPdfExport",
    "outcomes.outputs.ActionPlansWorkbookExport",
    "outcomes.outputs.ActionPlanPdfExport",
    "reports.outputs.rekap.Rekap",
    "reports.outputs.attendance_recap.AttendanceRecap",
    "reports.outputs.badges.Badges",
    "reports.outputs.certificates.Certificates",
    "reports.outputs.certificates.CertificatesZip",
    "reports.outputs.daftar_hadir.DaftarHadir",
    "reports.outputs.daftar_hadir.DaftarHadirFilled",
    "reports.outputs.piagam.PiagamList",
    "reports.outputs.piagam.Piagam",
    "reports.outputs.laporan.LaporanKegiatan",
    "reports.outputs.laporan.LaporanKegiatanZip",
]
# The address the public reaches the app at, without a trailing slash: certificates and piagam print the QR code
# of their verification page (/sertifikat/<key>/) under it, so it must be the public one, not localhost.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost:8000")
# --- end of reports area ---


# --- outcomes area ---
# A delegation's edit link of its rencana aksi works until this many days after the event's end (or after the
# day the link is made, if later); the panitia may choose another last day when making a new link.
ACTION_PLAN_LINK_DAYS = int(os.environ.get("ACTION_PLAN_LINK_DAYS", "90"))
# --- end of outcomes area ---


# --- personal-data encryption area (issue 7): NIK and phone encrypted at rest (core/fields.py) ---
# FIELD_ENCRYPTION_KEYS: comma-separated Fernet keys, newest first (generate one with
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())").
# FIELD_HASH_KEY: the HMAC key of the nik_hash/phone_hash search columns; never rotated casually
#   (changing it means recomputing every hash: `manage.py rotate_field_keys --rehash`).
# Development defaults only while DEBUG is on, like SECRET_KEY; production refuses to start without them.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", "")
FIELD_HASH_KEY = os.environ.get("FIELD_HASH_KEY", "")
if not FIELD_ENCRYPTION_KEYS or not FIELD_HASH_KEY:
    if not DEBUG:
        raise RuntimeError("FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY must be set when DEBUG is off.")
    if not FIELD_ENCRYPTION_KEYS:
        FIELD_ENCRYPTION_KEYS = ["ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZC0="]
        DEVELOPMENT_KEYS.append("FIELD_ENCRYPTION_KEYS")
    if not FIELD_HASH_KEY:
        FIELD_HASH_KEY = "dev-only-field-hash-key-do-not-use-in-production"  # noqa: S105
        DEVELOPMENT_KEYS.append("FIELD_HASH_KEY")
# --- end of personal-data encryption area ---
