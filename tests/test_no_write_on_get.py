"""No write on GET (security probe, issue 12, finding 15d): every state change is a POST.

Every URL pattern (the access matrix's rules give each its objects), and every official report of the reports
page, is requested with GET as every role; no row of any table may appear, disappear or change (counted, and
the latest `updated_at` of the tables that have one), and no audit entry may be written. A cross-site page
could otherwise make a signed-in user's browser change data with a plain link or picture.

Two records of a *read* are expected, and only those: the download log (`ReportDownload`: who took which
export) and the `personal_data.viewed` audit entry of a screen showing unmasked identifiers. Sessions are left
out (a GET may remember a search or a looked-up code in the session). The admin's pages are walked too, as the
superuser.
"""

from django.apps import apps
from django.contrib import admin
from django.db import connection, models, transaction
from django.urls import reverse

from core.models import AuditEntry, ReportDownload
from events import groups as G
from reports.models import Certificate
from reports.views import REPORTS
from tests.factories import attend, register, user_in
from tests.test_access_matrix import ROLES, RULES, ctx, users  # noqa: F401  (fixtures)

READ_RECORDS = {ReportDownload._meta.db_table}
SKIPPED_TABLES = {"django_session"}


def _tables() -> list[tuple[str, bool]]:
    """(table, has updated_at) of every table of the app's models, many-to-many tables included."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in SKIPPED_TABLES | READ_RECORDS:
            continue
        fields = {field.name: field for field in meta.concrete_fields}
        tables[meta.db_table] = isinstance(fields.get("updated_at"), models.DateTimeField)
    return sorted(tables.items())


def snapshot() -> dict[str, tuple]:
    """Row count (and latest updated_at) of every table, in one query. Audit entries of a read are not counted."""
    quote = connection.ops.quote_name
    audit = AuditEntry._meta.db_table
    parts, names = [], []
    for table, stamped in _tables():
        where = " WHERE action <> 'personal_data.viewed'" if table == audit else ""
        parts.append(f"(SELECT COUNT(*) FROM {quote(table)}{where})")  # noqa: S608 - our own table names
        names.append(f"{table} rows")
        if stamped:
            parts.append(f"(SELECT MAX(updated_at) FROM {quote(table)})")  # noqa: S608
            names.append(f"{table} updated_at")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        values = cursor.fetchone()
    return dict(zip(names, values, strict=True))


def changes(before: dict, after: dict) -> list[str]:
    return [f"{name}: {before[name]} → {after[name]}" for name in before if before[name] != after[name]]


def report_requests(objects: dict) -> list[tuple[str, dict]]:
    """Every official report of the reports page, of a site with a participant who attended every session
    (so that a report which writes, e.g. certificate numbers, has something to write)."""
    event = objects["lokakarya"]
    site = event.sites.get(name="Kab. Bima")
    sessions = list(site.sessions.all())
    registration = register(site, "CGP", name="Peserta Hadir Penuh")
    for session in sessions:
        attend(registration, session)
    requests = []
    for report in REPORTS:
        for file_format in report.formats:
            url = reverse("reports:report_download", args=[event.pk, report.kind, file_format])
            query = {} if report.scope == "event" else {"site": site.pk}
            if report.scope == "session":
                query["session"] = sessions[0].pk
            requests.append((url, query))
    return requests


def test_no_get_writes_anything(client, users, ctx):  # noqa: F811
    found = []

    def get_as_every_role(label: str, url: str, query: dict) -> None:
        for role in ROLES:
            with transaction.atomic():
                client.logout()
                if users[role] is not None:
                    client.force_login(users[role])
                before = snapshot()
                status = client.get(url, query).status_code
                after = snapshot()
                transaction.set_rollback(True)
            if changes(before, after):
                found.append(f"GET {label} {url} as {role} ({status}): {', '.join(changes(before, after))}")

    for name in sorted(RULES):
        for rule in RULES[name] if isinstance(RULES[name], list) else [RULES[name]]:
            with transaction.atomic():
                get_as_every_role(name, reverse(name, kwargs=rule.kwargs(ctx)), {})
                transaction.set_rollback(True)
    with transaction.atomic():
        for url, query in report_requests(ctx):
            get_as_every_role("reports:report_download", url, query)
        transaction.set_rollback(True)
    assert not found, "writes on GET:\n" + "\n".join(found)


def test_certificates_are_numbered_by_a_post_only(client, lokakarya):
    site = lokakarya.sites.get(name="Kab. Bima")
    registration = register(site, "CGP", name="Peserta Hadir Penuh")
    for session in site.sessions.all():
        attend(registration, session)
    client.force_login(user_in(G.PANITIA, organized=[lokakarya]))
    url = reverse("reports:report_download", args=[lokakarya.pk, "certificates", "pdf"])

    assert client.get(url, {"site": site.pk}).status_code == 405
    assert not Certificate.objects.exists()

    page = client.get(reverse("reports:report_index", args=[lokakarya.pk])).content.decode()
    assert f'<form method="post" action="{url}?site={site.pk}"' in page
    response = client.post(f"{url}?site={site.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert Certificate.objects.get().registration == registration


def test_no_admin_get_writes_anything(client, superuser, ctx):  # noqa: F811
    """The admin's pages of every registered model (list, add, change, delete confirmation, history), as the
    superuser who may open them all."""
    register(ctx["lokakarya"].sites.get(name="Kab. Bima"), "CGP")
    client.force_login(superuser)
    found, statuses = [], []
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        urls = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls += [reverse(f"{prefix}_{page}", args=[obj.pk]) for page in ("change", "delete", "history")]
        for url in urls:
            with transaction.atomic():
                before = snapshot()
                status = client.get(url).status_code
                after = snapshot()
                transaction.set_rollback(True)
            statuses.append(status)
            if changes(before, after):
                found.append(f"GET {url} ({status}): {', '.join(changes(before, after))}")
    assert not found, "writes on GET:\n" + "\n".join(found)
    assert statuses.count(200) > 100, statuses  # the pages were really shown
