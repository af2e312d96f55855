r"""Text dumps of a whole database, and loading them into an empty one (SQLite and PostgreSQL).

SQLite: Python's `sqlite3` `iterdump()`, loaded with `executescript`.
PostgreSQL: `pg_dump --no-owner --no-privileges --format=plain` (COPY blocks), loaded through psycopg
(statements one by one, each COPY block through `cursor.copy`; psql meta-commands such as the
`\restrict` guard lines of recent pg_dump releases are skipped), so no `psql` client is needed. `psql -f`
loads the same file.
"""

import os
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit


def sqlite_dump(database: Path, out: Path) -> None:
    connection = sqlite3.connect(database)
    try:
        with open(out, "w", encoding="utf-8", newline="\n") as handle:
            for statement in connection.iterdump():
                handle.write(statement + "\n")
    finally:
        connection.close()


def sqlite_load(dump: Path, database: Path) -> None:
    """Load a dump into a new (empty) SQLite file."""
    connection = sqlite3.connect(database)
    try:
        connection.executescript(dump.read_text(encoding="utf-8"))
    finally:
        connection.close()


# --- PostgreSQL -------------------------------------------------------------------------------------------------


def postgres_url(*, host="127.0.0.1", port=5432, user="postgres", password="", name="postgres") -> str:
    """A DATABASE_URL for dj-database-url."""
    auth = quote(user or "", safe="")
    if password:
        auth += ":" + quote(password, safe="")
    return f"postgres://{auth}@{host or '127.0.0.1'}:{port or 5432}/{name}"


def _conninfo(url: str) -> dict:
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or None,
        "dbname": parts.path.lstrip("/") or "postgres",
    }


def postgres_connect(url: str, **options):
    import psycopg

    info = {key: value for key, value in _conninfo(url).items() if value is not None}
    return psycopg.connect(**info, **options)


def postgres_create(server_url: str, name: str) -> str:
    """Drop and create database `name` on the server of `server_url`; returns its DATABASE_URL."""
    from psycopg import sql

    with postgres_connect(server_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urlsplit(server_url)
    return parts._replace(path=f"/{name}").geturl()


def postgres_drop(server_url: str, name: str) -> None:
    from psycopg import sql

    with postgres_connect(server_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def postgres_dump(database_url: str, out: Path) -> None:
    info = _conninfo(database_url)
    command = ["pg_dump", "--no-owner", "--no-privileges", "--format=plain", "--file", str(out)]
    command += ["--host", str(info["host"]), "--port", str(info["port"]), "--username", info["user"], info["dbname"]]
    env = {"PGPASSWORD": info["password"]} if info["password"] else {}
    subprocess.run(command, check=True, env={**os.environ, **env})


def postgres_load(dump: Path, database_url: str) -> None:
    """Load a plain pg_dump into an empty database, in one transaction."""
    lines = iter(dump.read_text(encoding="utf-8").splitlines(keepends=True))
    with postgres_connect(database_url) as connection, connection.cursor() as cursor:
        statement: list[str] = []
        for line in lines:
            if not statement and (not line.strip() or line.startswith("--")):
                continue
            if not statement and line.startswith("\\"):
                continue  # a psql meta-command (pg_dump's \restrict / \unrestrict guard lines): not SQL
            statement.append(line)
            if not line.rstrip().endswith(";"):
                continue
            text, statement = "".join(statement), []
            if text.startswith("COPY ") and text.rstrip().endswith("FROM stdin;"):
                block = []
                for data in lines:
                    if data.rstrip("\n") == "\\.":
                        break
                    block.append(data)
                with cursor.copy(text) as copy:
                    copy.write("".join(block))
            else:
                cursor.execute(text)
        if statement:
            raise ValueError(f"{dump}: unterminated statement at the end: {''.join(statement)[:200]}")
        connection.commit()


# --- Running the project's code against a scratch database -----------------------------------------------------

# Every variable the settings read: none of the caller's may leak into a build or a test run (its own
# encryption keys, for one, would not read the development-key tokens of the dumps).
SETTINGS_VARIABLES = (
    "ALLOWED_HOSTS AXES_COOLOFF_MINUTES AXES_ENABLED AXES_FAILURE_LIMIT CSRF_TRUSTED_ORIGINS DATABASE_URL "
    "DB_POOL_DISABLED DB_POOL_MAX DB_POOL_MIN DEBUG DEFAULT_FROM_EMAIL DEMO_ADMIN_PASSWORD EMAIL_BACKEND EMAIL_HOST "
    "EMAIL_HOST_PASSWORD EMAIL_HOST_USER EMAIL_PORT EMAIL_USE_TLS FIELD_ENCRYPTION_KEYS FIELD_HASH_KEY LOG_LEVEL "
    "MEDIA_ROOT REPORTS_LARGE_ROWS SECRET_KEY SECURE_HSTS_SECONDS SECURE_SSL_REDIRECT SESSION_COOKIE_AGE "
    "SESSION_EXPIRE_AT_BROWSER_CLOSE STATIC_ROOT TASKS_BACKEND TRUSTED_PROXY_COUNT DJANGO_SETTINGS_MODULE"
).split()


def django_env(*, database_url: str, media_root: Path) -> dict[str, str]:
    """The environment of a `manage.py` run on a scratch database: the base settings with DEBUG on (so the
    development encryption and hash keys apply, as when the dumps were made), no pool, mails kept in memory."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="psp_koordinasi.settings",
        DATABASE_URL=database_url,
        DEBUG="true",
        MEDIA_ROOT=str(media_root),
        DB_POOL_DISABLED="true",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env
