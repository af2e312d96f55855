"""What the settings become for a deployment of several servers (README, "Running it for a province or the whole
country"): the queue of report jobs, the shared cache and the store of uploads, chosen from the environment. Read by
fresh processes with the app's own settings, as a deployment reads them; nothing here opens a network connection."""

from storages.backends.s3 import S3Storage

from psp_koordinasi.settings.base import media_storage
from tests.core.test_deploy_settings import app_environ, manage, production_environ, settings_of

NAMES = ("TASKS", "INSTALLED_APPS", "CACHES", "RQ_QUEUES", "STORAGES")


def test_production_queues_report_jobs_in_the_database_and_counts_in_the_database_cache():
    values = settings_of(production_environ(), *NAMES)
    assert values["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in values["INSTALLED_APPS"] and "django_rq" not in values["INSTALLED_APPS"]
    assert values["CACHES"]["default"]["BACKEND"] == "core.cache.DatabaseCache"
    assert values["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_production_with_redis_queues_report_jobs_in_rq_and_caches_in_redis():
    env = production_environ(REDIS_URL="redis://queue.internal:6379/2")
    values = settings_of(env, *NAMES)
    assert values["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert {"django_rq", "django_tasks_rq"} <= set(values["INSTALLED_APPS"])
    assert values["RQ_QUEUES"]["default"]["URL"] == "redis://queue.internal:6379/2"
    assert values["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://queue.internal:6379/2",
        "KEY_PREFIX": "psp-koordinasi",
    }
    # The RQ backend's own system check finds its queue configured (no connection is made by `check`).
    result = manage({**env, "EMAIL_HOST": "smtp.example.go.id"}, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_laptop_runs_report_jobs_in_process_and_an_explicit_backend_wins():
    laptop = {key: value for key, value in app_environ().items() if key not in ("DEBUG", "TASKS_BACKEND", "REDIS_URL")}
    assert settings_of({**laptop, "DATABASE_URL": "sqlite:///:memory:"}, "TASKS")["TASKS"]["default"]["BACKEND"] == (
        "django_tasks.backends.immediate.ImmediateBackend"
    )
    chosen = production_environ(TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend", REDIS_URL="redis://x")
    assert (
        settings_of(chosen, "TASKS")["TASKS"]["default"]["BACKEND"]
        == "django_tasks.backends.immediate.ImmediateBackend"
    )


def test_s3_bucket_set_puts_uploads_in_the_s3_compatible_store():
    env = production_environ(
        S3_BUCKET="psp-koordinasi-media",
        S3_ENDPOINT_URL="https://s3.example.go.id",
        S3_REGION="id-jkt-1",
        S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        S3_SECRET_ACCESS_KEY="secret-example",  # noqa: S106
    )
    storage = settings_of(env, "STORAGES")["STORAGES"]["default"]
    assert storage == media_storage(env)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (
        storage["OPTIONS"]["bucket_name"] == "psp-koordinasi-media" and storage["OPTIONS"]["default_acl"] == "private"
    )

    # The storage is built and signs a private address offline (no request leaves this machine).
    s3 = S3Storage(**storage["OPTIONS"])
    url = s3.url("reports/daftar-hadir.pdf")
    assert url.startswith("https://s3.example.go.id/psp-koordinasi-media/reports/daftar-hadir.pdf?")
    assert "Signature=" in url or "X-Amz-Signature=" in url
    assert media_storage({})["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_postgresql_binds_parameters_on_the_server_and_prepares_frequent_statements():
    """Prepared statements: PostgreSQL parses and plans a registration's statements once per connection (the pool
    keeps the connections). Off with DB_SERVER_SIDE_BINDING=false, behind a transaction-mode pgbouncer."""
    url = "postgres://psp@db.internal:5432/psp"
    options = settings_of(production_environ(DATABASE_URL=url), "DATABASES")["DATABASES"]["default"]["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
    assert "pool" in options
    off = production_environ(DATABASE_URL=url, DB_SERVER_SIDE_BINDING="false")
    options = settings_of(off, "DATABASES")["DATABASES"]["default"]["OPTIONS"]
    assert "server_side_binding" not in options and "prepare_threshold" not in options
