"""Operations the migrations of the area restructure share: a model that moves to another app keeps its
content type row (relabelled, not recreated), so its permissions, the groups holding them, audit entries and
admin log entries keep pointing at it; rows copied into another table keep their ids.
"""

from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import migrations


def _relabel(apps, schema_editor, *, from_app: str, to_app: str, models: Iterable[str]) -> None:
    alias = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    pointers = [apps.get_model("core", "AuditEntry")]
    try:
        pointers.append(apps.get_model("admin", "LogEntry"))
    except LookupError:
        pass
    for model in models:
        old = ContentType.objects.using(alias).filter(app_label=from_app, model=model).first()
        if old is None:
            continue
        stray = ContentType.objects.using(alias).filter(app_label=to_app, model=model).first()
        if stray is not None:
            # The new app's content type was made meanwhile (a permissions sync ran in between): what points at
            # it moves to the old row, whose id the rest of the database knows, and the stray row goes.
            for pointer in pointers:
                pointer.objects.using(alias).filter(content_type=stray).update(content_type=old)
            for permission in Permission.objects.using(alias).filter(content_type=stray):
                kept = Permission.objects.using(alias).filter(content_type=old, codename=permission.codename).first()
                if kept is None:
                    permission.content_type = old
                    permission.save(update_fields=["content_type"])
                    continue
                for group in permission.group_set.all():
                    group.permissions.add(kept)
                for user in permission.user_set.all():
                    user.user_permissions.add(kept)
                permission.delete()
            stray.delete()
        old.app_label = to_app
        old.save(update_fields=["app_label"])


def move_content_types(*, from_app: str, to_app: str, models: Iterable[str]) -> migrations.RunPython:
    """A RunPython relabelling the content types of `models` (lower-case names) from one app to another."""
    models = tuple(models)

    def forwards(apps, schema_editor):
        _relabel(apps, schema_editor, from_app=from_app, to_app=to_app, models=models)

    def backwards(apps, schema_editor):
        _relabel(apps, schema_editor, from_app=to_app, to_app=from_app, models=models)

    return migrations.RunPython(forwards, backwards)


def reset_sequences(schema_editor, models) -> None:
    """After rows were copied with their ids: the next id of each table follows the largest one (PostgreSQL)."""
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), list(models))
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
