"""Backup and restore bring back the database rows and the uploaded files."""

import pytest
from django.db import connection

from core.backup import backup_create, backup_restore
from events.models import Event, Province


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_rows_and_media(tmp_path, settings, lokakarya):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "agency-logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "agency-logos" / "bgp.png").write_bytes(b"logo-bytes")
    archive = backup_create(output_dir=tmp_path / "backups")
    assert archive.exists()

    Event.objects.all().delete()
    (settings.MEDIA_ROOT / "agency-logos" / "bgp.png").unlink()
    (settings.MEDIA_ROOT / "stray.txt").write_text("written after the backup")
    assert Event.objects.count() == 0

    manifest = backup_restore(archive_path=archive)
    assert manifest["vendor"] == connection.vendor
    assert Event.objects.count() == 2
    assert Event.objects.get(slug=lokakarya.slug).sites.count() == 3
    assert Province.objects.count() == 38
    assert (settings.MEDIA_ROOT / "agency-logos" / "bgp.png").read_bytes() == b"logo-bytes"
    assert not (settings.MEDIA_ROOT / "stray.txt").exists()
