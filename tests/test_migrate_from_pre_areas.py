"""A database made by the last commit before the areas restructure migrates forward with nothing lost.

The database (commit 37d7f96: the demo, plus registrations verified and rejected, a validated committee in a
Tahap, check-ins, certificates, report downloads and a report job, an import waiting for confirmation, a
correction request, audit and admin log entries, a user added to a staff group) is frozen as text dumps in
`tests/migration_data/pre_areas/`, with the facts to keep in `expected.json` (README.md there: how it was
made and how to rebuild it). For the kind of database the suite runs on, the test loads the matching dump
into a scratch database, runs the current code's `manage.py migrate`, reads the result back through the
current models (`tests/migration_data/inspect_db.py`) and checks:

- every table has the same number of rows (under its new name if it was renamed);
- the registration codes and certificate numbers are unchanged, each certificate on the same registration;
- every audit entry and admin log entry still points at the same object, through the content type of the
  model's current app;
- every content type of a model was kept as the same row (relabelled, not recreated), and no stale one is
  left behind for a moved model;
- every group still has every permission it had;
- the staff group memberships are the same rows.

When a model moves to another app (or its table is renamed, or a model is removed on purpose), update the
three mappings below, and nothing else.
"""

import copy
import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections

from tests.migration_data import dumps

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "migration_data"
EXPECTED = FIXTURE / "pre_areas" / "expected.json"
PROJECT_APPS = {"core", "events", "participants"}

# Old model label (at 37d7f96) → its label in the current code; None for a model removed on purpose (give
# the reason in REMOVED_TABLES). Filled in when a model moves to another app: every model of the old
# project apps is listed, so a move that forgets this mapping fails with a clear message.
MODEL_LABELS: dict[str, str | None] = {
    "core.AuditEntry": "core.AuditEntry",
    "events.ActionPlan": "outcomes.ActionPlan",
    "events.ActionPlanFollowUp": "outcomes.ActionPlanFollowUp",
    "events.ActionPlanItem": "outcomes.ActionPlanItem",
    "events.Agency": "events.Agency",
    "events.AgencyType": "events.AgencyType",
    "events.Cohort": "events.Cohort",
    "events.Event": "events.Event",
    "events.EventObjective": "events.EventObjective",
    "events.EventSite": "events.EventSite",
    "events.Program": "events.Program",
    "events.Province": "events.Province",
    "events.Regency": "events.Regency",
    "events.Responsibility": "outcomes.Responsibility",
    "events.ResponsibilityCell": "outcomes.ResponsibilityCell",
    "events.ResponsibilityColumn": "outcomes.ResponsibilityColumn",
    "events.ResponsibilityMatrix": "outcomes.ResponsibilityMatrix",
    "events.Role": "events.Role",
    "events.Session": "events.Session",
    "events.SiteQuota": "events.SiteQuota",
    "events.TrainingPhase": "events.TrainingPhase",
    "events.UserScope": "events.UserScope",
    "events.Venue": "events.Venue",
    "participants.Attendance": "attendance.Attendance",
    "participants.Certificate": "reports.Certificate",
    "participants.Committee": "rosters.Committee",
    "participants.CommitteeMember": "rosters.CommitteeMember",
    "participants.CompositionRule": "rosters.CompositionRule",
    "participants.CorrectionRequest": "participants.CorrectionRequest",
    "participants.GoodPractice": "outcomes.GoodPractice",
    "participants.GoodPracticeFile": "outcomes.GoodPracticeFile",
    "participants.ImportBatch": "core.ImportBatch",
    "participants.Person": "participants.Person",
    "participants.Registration": "participants.Registration",
    "participants.ReportDownload": "core.ReportDownload",
    "participants.ReportJob": "core.ReportJob",
    "participants.School": "participants.School",
    "participants.SekolahPenggerak": "rosters.SekolahPenggerak",
}

# Old table name → new table name. Filled in when a model moves to another app and its table is renamed
# (a kept db_table needs no entry); many-to-many tables ("events_event_organizers") too.
RENAMED_TABLES: dict[str, str] = {
    # Copied into the kits of core (participants 0012), ids kept.
    "participants_importbatch": "core_importbatch",
    "participants_reportdownload": "core_reportdownload",
    "participants_reportjob": "core_reportjob",
    # Komite Pembelajaran: moved to rosters with their rows (rosters 0001), tables renamed.
    "participants_committee": "rosters_committee",
    "participants_committeemember": "rosters_committeemember",
    "participants_compositionrule": "rosters_compositionrule",
    "participants_sekolahpenggerak": "rosters_sekolahpenggerak",
    # Check-in: moved to attendance (attendance 0001).
    "participants_attendance": "attendance_attendance",
    # Outcomes: the matrix and action plans from events, the good practices from participants (outcomes 0001).
    "events_responsibilitymatrix": "outcomes_responsibilitymatrix",
    "events_responsibilitycolumn": "outcomes_responsibilitycolumn",
    "events_responsibility": "outcomes_responsibility",
    "events_responsibilitycell": "outcomes_responsibilitycell",
    "events_actionplan": "outcomes_actionplan",
    "events_actionplanitem": "outcomes_actionplanitem",
    "events_actionplanfollowup": "outcomes_actionplanfollowup",
    "participants_goodpractice": "outcomes_goodpractice",
    "participants_goodpracticefile": "outcomes_goodpracticefile",
    # Certificates: moved to reports with their numbers (reports 0001).
    "participants_certificate": "reports_certificate",
}

# Old table name → why its rows may go (a model removed on purpose). Empty: nothing is removed.
REMOVED_TABLES: dict[str, str] = {}

# Permissions taken from a group on purpose: (group, permission at 37d7f96) → why.
WITHDRAWN_PERMISSIONS: dict[tuple[str, str], str] = {
    (group, f"participants.{action}_person"): (
        "issue 12: the shared Person records are Admin pusat's alone; other staff read and correct the copy a "
        "registration keeps (a known NIK must not open another event's data about the person)"
    )
    for group in ("Panitia", "Koordinator site", "Operator Dinas", "Verifikator")
    for action in ("add", "change", "view")
}

# Bookkeeping tables that later migrations add rows to; they may grow, never shrink. Their content is
# checked more closely below (content types kept, group permissions kept).
GROWING_TABLES = {
    "django_migrations": "every later migration adds its row",
    "django_content_type": "a new model gets its content type (a moved one must keep its own: checked below)",
    "auth_permission": "a new model gets its permissions",
    "auth_group_permissions": "a group may be given the permissions of a new model",
}


def _new_label(label: str | None, model_labels: dict) -> str | None:
    return model_labels.get(label, label) if label is not None else None


def _entry_problems(kind: str, expected: list[dict], actual: list[dict], model_labels: dict) -> list[str]:
    problems = []
    by_id = {entry["id"]: entry for entry in actual}
    for old in expected:
        new = by_id.get(old["id"])
        name = f"{kind} {old['id']} ({old.get('action', old.get('action_flag'))} on {old['label']} {old['object_id']})"
        if new is None:
            problems.append(f"{name} is gone")
            continue
        for key in ("action", "action_flag", "object_id"):
            if old.get(key) != new.get(key):
                problems.append(f"{name}: {key} is now {new.get(key)!r}")
        want = _new_label(old["label"], model_labels)
        if want is None:
            continue  # the model was removed on purpose (or the content type was already stale)
        if new["label"] != want:
            problems.append(f"{name} now points at {new['app_label']}.{new['model']} ({new['label']}), not {want}")
        elif old["target_exists"] and not new["target_exists"]:
            problems.append(f"{name}: its object no longer exists")
    return problems


def _content_type_problems(expected: list[dict], actual: list[dict], model_labels: dict) -> list[str]:
    problems = []
    by_label: dict[str, list[dict]] = {}
    for row in actual:
        if row["label"] is not None:
            by_label.setdefault(row["label"], []).append(row)
    allowed_stale = set()
    for old in expected:
        if old["label"] is None or _new_label(old["label"], model_labels) is None:
            allowed_stale.add((old["app_label"], old["model"]))
            continue
        want = _new_label(old["label"], model_labels)
        rows = by_label.get(want, [])
        if not rows:
            problems.append(f"no content type for {want} (was {old['app_label']}.{old['model']}, id {old['id']})")
        elif len(rows) > 1:
            problems.append(f"{len(rows)} content types for {want}: {rows}")
        elif rows[0]["id"] != old["id"]:
            problems.append(
                f"the content type of {want} is a new row (id {rows[0]['id']}, was {old['id']}): relabel the old "
                "row, so that audit entries, permissions and admin log entries keep pointing at it"
            )
    for row in actual:
        if row["label"] is None and (row["app_label"], row["model"]) not in allowed_stale:
            problems.append(f"stale content type left behind: {row['app_label']}.{row['model']} (id {row['id']})")
    return problems


def _permission_problems(expected: dict, actual: dict, model_labels: dict) -> list[str]:
    problems = []
    for group, keys in expected["group_permissions"].items():
        if group not in actual["group_permissions"]:
            problems.append(f"group {group!r} is gone")
            continue
        held = {
            (actual["permission_models"][key] or key.split(".")[0], key.split(".", 1)[1])
            for key in actual["group_permissions"][group]
        }
        for key in keys:
            if (group, key) in WITHDRAWN_PERMISSIONS:
                continue
            old_label = expected["permission_models"][key]
            if old_label is not None and _new_label(old_label, model_labels) is None:
                continue  # the model was removed on purpose
            want = (_new_label(old_label, model_labels) or key.split(".")[0], key.split(".", 1)[1])
            if want not in held:
                problems.append(f"group {group!r} lost {key} (permission {want[1]} of {want[0]})")
    return problems


def _withdrawn(expected: dict) -> int:
    """How many of the old group permissions were withdrawn on purpose (WITHDRAWN_PERMISSIONS)."""
    return sum(
        (group, key) in WITHDRAWN_PERMISSIONS for group, keys in expected["group_permissions"].items() for key in keys
    )


def migration_problems(
    expected: dict,
    actual: dict,
    *,
    model_labels: dict = MODEL_LABELS,
    renamed_tables: dict = RENAMED_TABLES,
    removed_tables: dict = REMOVED_TABLES,
) -> list[str]:
    """Every way in which `actual` (facts after migrate) lost or changed something of `expected`."""
    problems = []
    unlisted = sorted(
        {row["label"] for row in expected["content_types"] if row["label"] and row["app_label"] in PROJECT_APPS}
        - set(model_labels)
    )
    if unlisted:
        problems.append(f"MODEL_LABELS misses {unlisted}: say where each of these models is now")
    for table in sorted(set(renamed_tables) | set(removed_tables)):
        if table not in expected["tables"]:
            problems.append(f"RENAMED_TABLES/REMOVED_TABLES name {table}, which the old database did not have")

    for table, count in sorted(expected["tables"].items()):
        if table in removed_tables:
            continue
        new = renamed_tables.get(table, table)
        now = actual["tables"].get(new)
        where = table if new == table else f"{table} (now {new})"
        if now is None:
            problems.append(f"table {where} is missing")
        elif table == "auth_group_permissions" and now < count - _withdrawn(expected):
            problems.append(f"table {where}: {now} rows, fewer than the {count} before (less those withdrawn)")
        elif table in GROWING_TABLES and table != "auth_group_permissions" and now < count:
            problems.append(f"table {where}: {now} rows, fewer than the {count} before")
        elif table not in GROWING_TABLES and now != count:
            problems.append(f"table {where}: {now} rows instead of {count}")

    for key in ("registration_codes", "certificate_numbers", "certificates_by_registration_code"):
        if actual[key] != expected[key]:
            problems.append(f"{key} changed: {json.dumps(expected[key])[:300]} → {json.dumps(actual[key])[:300]}")
    problems += _entry_problems("audit entry", expected["audit_entries"], actual["audit_entries"], model_labels)
    problems += _entry_problems(
        "admin log entry", expected["admin_log_entries"], actual["admin_log_entries"], model_labels
    )
    problems += _content_type_problems(expected["content_types"], actual["content_types"], model_labels)
    problems += _permission_problems(expected, actual, model_labels)
    if actual["staff_group_memberships"] != expected["staff_group_memberships"]:
        problems.append(
            f"staff group memberships changed: {expected['staff_group_memberships']} → "
            f"{actual['staff_group_memberships']}"
        )
    return problems


def _expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


# --- The migration itself ------------------------------------------------------------------------------------


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, text=True, capture_output=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command[1:3])} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture
def scratch_database(tmp_path):
    """A new database of the suite's kind, holding the pre-areas dump; yields its DATABASE_URL."""
    vendor = connections["default"].vendor
    if vendor == "sqlite":
        database = tmp_path / "pre_areas.sqlite3"
        dumps.sqlite_load(FIXTURE / "pre_areas" / "sqlite.sql", database)
        yield f"sqlite:///{database}"
        return
    if vendor != "postgresql":
        pytest.fail(f"no pre-areas dump for {vendor}")
    config = settings.DATABASES["default"]
    server = dumps.postgres_url(
        host=config["HOST"], port=config["PORT"], user=config["USER"], password=config["PASSWORD"], name="postgres"
    )
    name = f"psp_pre_areas_{secrets.token_hex(4)}"
    url = dumps.postgres_create(server, name)
    try:
        dumps.postgres_load(FIXTURE / "pre_areas" / "postgresql.sql", url)
        yield url
    finally:
        dumps.postgres_drop(server, name)


@pytest.mark.slow
def test_pre_areas_database_migrates_without_loss(scratch_database, tmp_path):
    for new in MODEL_LABELS.values():
        if new is not None:
            apps.get_model(new)  # LookupError: MODEL_LABELS names a model the current code does not have
    env = dumps.django_env(database_url=scratch_database, media_root=tmp_path / "media")
    _run([sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"], env)

    out = tmp_path / "facts.json"
    models = {
        "registration": MODEL_LABELS["participants.Registration"],
        "certificate": MODEL_LABELS["participants.Certificate"],
        "audit_entry": MODEL_LABELS["core.AuditEntry"],
    }
    _run([sys.executable, str(FIXTURE / "inspect_db.py"), str(out), json.dumps(models)], env)
    actual = json.loads(out.read_text(encoding="utf-8"))
    assert actual["vendor"] == connections["default"].vendor

    problems = migration_problems(_expected(), actual)
    assert not problems, "The pre-areas database lost or changed data in migrate:\n" + "\n".join(problems)


# --- The checks catch a loss (on the frozen facts, no database) ------------------------------------------------

IDENTITY = {label: label for label in MODEL_LABELS}


def _check(actual: dict, **mappings) -> list[str]:
    return migration_problems(_expected(), actual, **{"model_labels": IDENTITY, "renamed_tables": {}, **mappings})


def test_unchanged_facts_pass():
    assert _check(_expected()) == []


def test_a_lost_row_or_table_is_caught():
    actual = _expected()
    actual["tables"]["participants_attendance"] -= 1
    del actual["tables"]["participants_certificate"]
    actual["tables"]["django_content_type"] -= 1
    problems = _check(actual)
    assert any("participants_attendance: 17 rows instead of 18" in p for p in problems), problems
    assert any("participants_certificate is missing" in p for p in problems), problems
    assert any("django_content_type: 48 rows, fewer" in p for p in problems), problems


def test_a_renamed_table_is_followed_and_a_new_table_is_no_error():
    actual = _expected()
    actual["tables"]["attendance_attendance"] = actual["tables"].pop("participants_attendance")
    actual["tables"]["reports_newthing"] = 3
    actual["tables"]["django_migrations"] += 5
    assert _check(actual, renamed_tables={"participants_attendance": "attendance_attendance"}) == []
    assert any("participants_attendance is missing" in p for p in _check(actual))


def test_a_changed_code_or_certificate_number_is_caught():
    actual = _expected()
    actual["registration_codes"][0] = "XXXXXXXXXX"
    code = next(iter(actual["certificates_by_registration_code"]))
    actual["certificates_by_registration_code"][code] = "9999/2/3/2022"
    problems = _check(actual)
    assert any(p.startswith("registration_codes changed") for p in problems), problems
    assert any(p.startswith("certificates_by_registration_code changed") for p in problems), problems


def test_an_audit_entry_that_no_longer_resolves_is_caught():
    actual = _expected()
    actual["audit_entries"][0]["target_exists"] = False
    stale = actual["audit_entries"][1]
    stale["label"] = None  # its content type names a model that is gone
    problems = _check(actual)
    assert any("its object no longer exists" in p for p in problems), problems
    assert any(f"audit entry {stale['id']} " in p and "now points at" in p for p in problems), problems


def test_a_lost_permission_or_membership_is_caught():
    actual = _expected()
    actual["group_permissions"]["Verifikator"].remove("participants.change_registration")
    actual["staff_group_memberships"].pop()
    problems = _check(actual)
    assert any("'Verifikator' lost participants.change_registration" in p for p in problems), problems
    assert any(p.startswith("staff group memberships changed") for p in problems), problems


def test_a_move_must_relabel_the_content_type_and_leave_no_stale_one():
    """A model moved to another app: the content type row is relabelled in place (same id)."""
    expected = _expected()
    moved = {**IDENTITY, "participants.Registration": "rosters.Registration"}
    relabelled = copy.deepcopy(expected)
    for row in relabelled["content_types"]:
        if row["label"] == "participants.Registration":
            row.update(app_label="rosters", label="rosters.Registration")
    for entry in relabelled["audit_entries"]:
        if entry["label"] == "participants.Registration":
            entry.update(app_label="rosters", label="rosters.Registration")
    moved_keys = {key for key, label in expected["permission_models"].items() if label == "participants.Registration"}

    def rename(key: str) -> str:
        return "rosters." + key.split(".", 1)[1] if key in moved_keys else key

    for group, keys in relabelled["group_permissions"].items():
        relabelled["group_permissions"][group] = [rename(key) for key in keys]
    relabelled["permission_models"] = {
        rename(key): moved.get(label, label) if label else label for key, label in expected["permission_models"].items()
    }
    assert migration_problems(expected, relabelled, model_labels=moved, renamed_tables={}) == []

    # The same move done by creating a new content type: the old row is stale, the new one has a new id.
    recreated = copy.deepcopy(relabelled)
    old_row = next(row for row in expected["content_types"] if row["label"] == "participants.Registration")
    for row in recreated["content_types"]:
        if row["label"] == "rosters.Registration":
            row["id"] = 999
    recreated["content_types"].append({**old_row, "label": None})
    problems = migration_problems(expected, recreated, model_labels=moved, renamed_tables={})
    assert any("is a new row (id 999" in p for p in problems), problems
    assert any("stale content type left behind: participants.registration" in p for p in problems), problems
    # And a move that forgets MODEL_LABELS is told so.
    assert any(
        "now points at" in p for p in migration_problems(expected, relabelled, model_labels=IDENTITY, renamed_tables={})
    )
