"""The lock of a site × role quota: the row every seat decision of that quota waits on."""

from django.db import connection

from events.models import SiteQuota


def quota_lock(*, site_id: int, role_id: int, closing_only: bool = False) -> SiteQuota | None:
    """Lock and return the quota of the site × role (None when it has none, or, with `closing_only`, when it does
    not close when full: nothing to wait on then).

    Only the quota's own row is locked, found by its unique (site, role): no ordering, no join. SiteQuota's default
    ordering goes through the site, its event and the role, and a FOR UPDATE over those joins locked the event's
    row too, so every registration of the event, whatever its site and role, queued behind the one before, and
    behind any edit of the event. Written in SQL: it is a statement of every registration, and the ORM's compiling
    of it cost several times what the database spends (bench/registration.py). SQLite takes no row locks (its
    writers are serialised by BEGIN IMMEDIATE).
    """
    sql = f'SELECT * FROM "{SiteQuota._meta.db_table}" WHERE "site_id" = %s AND "role_id" = %s'  # noqa: S608 - names from the model
    params: list = [site_id, role_id]
    if closing_only:
        sql += ' AND "close_when_full" = %s'
        params.append(True)
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return next(iter(SiteQuota.objects.raw(sql, params)), None)
