"""Backup and restore of the database and the uploaded files, for SQLite and PostgreSQL.

An archive is a .tar.gz with `manifest.json`, the database (`database.sqlite3`: an online copy made
with SQLite's backup API; or `database.dump`: `pg_dump --format=custom`) and `media/`.
"""

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    args += ["--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _database_file(directory: Path) -> Path:
    """Write the database into `directory`; returns the file written."""
    if connection.vendor == "sqlite":
        target = directory / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as destination:
            connection.connection.backup(destination)
        return target
    if connection.vendor == "postgresql":
        target = directory / "database.dump"
        args, env = _pg_env()
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env=env, check=True)  # noqa: S603,S607
        return target
    raise BackupError(f"unsupported database: {connection.vendor}")


def backup_create(*, output_dir: Path) -> Path:
    """Write one archive of the database and the media folder; returns its path."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    archive_path = output_dir / f"psp-koordinasi-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as temporary:
        database = _database_file(Path(temporary))
        manifest = {"created_at": stamp, "vendor": connection.vendor, "database": database.name}
        with tarfile.open(archive_path, "w:gz") as archive:
            archive.add(database, arcname=database.name)
            data = json.dumps(manifest).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                archive.add(media, arcname="media")
    return archive_path


def backup_restore(*, archive_path: Path) -> dict:
    """Replace the database and the media folder with the archive's; returns its manifest."""
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(directory, filter="data")
        manifest = json.loads((directory / MANIFEST).read_text())
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"the archive holds a {manifest['vendor']} database, this site uses {connection.vendor}")
        database = directory / manifest["database"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(database) as source:
                source.backup(connection.connection)
        else:
            for alias in connections:
                connections[alias].close()
            args, env = _pg_env()
            subprocess.run(  # noqa: S603
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(database)],  # noqa: S607
                env=env,
                check=True,
            )
        media = Path(settings.MEDIA_ROOT)
        if (directory / "media").exists():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(directory / "media", media)
    return manifest
