"""The staged import files, the download log and the background report jobs move to the export and import
kits of `core` (core 0002): rows are copied, then the old tables go.

- ImportBatch: `event` becomes the kit's `kind="registrations"` and `scope={"event_id": …}`; the file stays
  encrypted (read and written through the same field).
- ReportDownload: `event`/`site`/`session` become `params` ({"event_id", "site_id", "session_id"}), and a
  description with their names.
- ReportJob: copied as it is (same stored files); its `params` already hold `event_id`.

Rows keep their ids and the three models keep their content type rows (relabelled to `core`), so audit
entries ("import.completed" names its batch), permissions and the groups holding them still point at them.

The roster import used to leave each checked file in clear text under `media/roster-imports/`; those files
are deleted here (the kit keeps them encrypted in the database, and drops them).
"""

from django.core.files.storage import default_storage
from django.db import migrations

from core.migration_helpers import move_content_types, reset_sequences


def copy_to_core(apps, schema_editor):
    alias = schema_editor.connection.alias
    OldBatch = apps.get_model("participants", "ImportBatch")
    NewBatch = apps.get_model("core", "ImportBatch")
    for batch in OldBatch.objects.using(alias).order_by("pk").iterator(chunk_size=20):
        copy = NewBatch.objects.using(alias).create(
            id=batch.pk,
            kind="registrations",
            scope={"event_id": batch.event_id},
            created_by_id=batch.created_by_id,
            filename=batch.filename,
            data=bytes(batch.data),
            status=batch.status,
            result=batch.result,
        )
        # auto_now_add/auto_now set the times on create: keep the original ones.
        NewBatch.objects.using(alias).filter(pk=copy.pk).update(
            created_at=batch.created_at, updated_at=batch.updated_at
        )

    OldDownload = apps.get_model("participants", "ReportDownload")
    NewDownload = apps.get_model("core", "ReportDownload")
    downloads = OldDownload.objects.using(alias).select_related("event", "site", "session").order_by("pk")
    for download in downloads.iterator(chunk_size=500):
        params = {
            key: value
            for key, value in (
                ("event_id", download.event_id),
                ("site_id", download.site_id),
                ("session_id", download.session_id),
            )
            if value is not None
        }
        names = [
            obj.title if hasattr(obj, "title") else obj.name
            for obj in (download.event, download.site, download.session)
            if obj
        ]
        copy = NewDownload.objects.using(alias).create(
            id=download.pk,
            user_id=download.user_id,
            kind=download.kind,
            file_format=download.file_format,
            description=" — ".join([download.kind, *names])[:300],
            params=params,
        )
        NewDownload.objects.using(alias).filter(pk=copy.pk).update(created_at=download.created_at)

    OldJob = apps.get_model("participants", "ReportJob")
    NewJob = apps.get_model("core", "ReportJob")
    for job in OldJob.objects.using(alias).order_by("created_at").iterator(chunk_size=500):
        NewJob.objects.using(alias).create(
            id=job.id,
            finished_at=job.finished_at,
            user_id=job.user_id,
            kind=job.kind,
            params=job.params,
            status=job.status,
            progress=job.progress,
            file=job.file.name if job.file else "",
            filename=job.filename,
            content_type=job.content_type,
        )
        NewJob.objects.using(alias).filter(pk=job.id).update(created_at=job.created_at)
    reset_sequences(schema_editor, [NewBatch, NewDownload])


def delete_clear_text_roster_files(apps, schema_editor):
    folder = "roster-imports"
    try:
        if not default_storage.exists(folder):
            return
        for name in default_storage.listdir(folder)[1]:
            default_storage.delete(f"{folder}/{name}")
    except (NotImplementedError, OSError):
        pass  # a storage that cannot list: nothing we wrote there can be found either


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0011_merge_encryption_corrections"),
        ("core", "0002_export_kit_and_staged_imports"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, migrations.RunPython.noop),
        migrations.RunPython(delete_clear_text_roster_files, migrations.RunPython.noop),
        move_content_types(from_app="participants", to_app="core", models=["importbatch", "reportdownload", "reportjob"]),
        migrations.DeleteModel(name="ImportBatch"),
        migrations.DeleteModel(name="ReportDownload"),
        migrations.DeleteModel(name="ReportJob"),
    ]
