"""The lock of a site × role quota: the row every seat decision of that quota waits on."""

from django.db import connection

from core.bulk import instances_from_rows, select_columns
from events.models import SiteQuota


def quota_lock(*, site_id: int, role_id: int, closing_only: bool = False) -> SiteQuota | None:
    """Lock and return the quota of the site × role (None when it has none, or, with `closing_only`, when it does
    not close when full: nothing to wait on then).

    Only the quota's own row is locked, found by its unique (site, role): no ordering, no join. SiteQuota's default
    ordering goes through the site, its event and the role, and a FOR UPDATE over those joins locked the event's
    row too, so every registration of the event, whatever its site and role, queued behind the one before, and
    behind any edit of the event. Written in SQL and read with a plain cursor: it is a statement of every
    registration, and the ORM's compiling of it, or a raw queryset's set-up, cost several times what the database
    spends (bench/registration.py). SQLite takes no row locks (its writers are serialised by BEGIN IMMEDIATE).
    """
    sql = (
        f'SELECT {select_columns(SiteQuota, "q")} FROM "{SiteQuota._meta.db_table}" q '  # noqa: S608 - names from the model
        'WHERE q."site_id" = %s AND q."role_id" = %s'
    )
    params: list = [site_id, role_id]
    if closing_only:
        sql += ' AND q."close_when_full" = %s'
        params.append(True)
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return next(iter(instances_from_rows(SiteQuota, rows)), None)
