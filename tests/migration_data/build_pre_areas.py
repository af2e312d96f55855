"""Build the pre-areas fixture: a database made by the last commit before the areas restructure, frozen as
text dumps (SQLite and PostgreSQL) plus the facts a migration must keep (`expected.json`).

    .venv/bin/python tests/migration_data/build_pre_areas.py [--commit 37d7f96]

For each kind of database it checks out the commit in a temporary git worktree, makes an empty database
(a temporary SQLite file; PostgreSQL database `pre_areas_build`), runs that commit's `manage.py migrate`,
then `activity_pre_areas.py` (that commit's `load_demo` and a little of every kind of work, through its
own services), and dumps it. The facts come from `inspect_db.py` run on the old code. The PostgreSQL
build must give the same facts as the SQLite one, and each dump, loaded into an empty database, must give
them again; otherwise nothing is written. See README.md beside this file.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from tests.migration_data import dumps  # noqa: E402

DEFAULT_COMMIT = "37d7f96"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
BUILD_DATABASE = "pre_areas_build"
CHECK_DATABASE = "pre_areas_check"
# Facts that differ between the kinds by nature, not by content.
KIND_SPECIFIC = {"vendor"}


def run(command: list[str], *, cwd: Path, env: dict) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, text=True, capture_output=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}")
    return result.stdout


def inspect(source: Path, env: dict, work: Path) -> dict:
    out = work / "facts.json"
    run([sys.executable, str(HERE / "inspect_db.py"), str(out)], cwd=source, env=env)
    return json.loads(out.read_text(encoding="utf-8"))


def differences(first: dict, second: dict, path: str = "") -> list[str]:
    """Where two fact sets differ, as readable lines (first few items of a list only)."""
    if isinstance(first, dict) and isinstance(second, dict):
        lines = []
        for key in sorted(set(first) | set(second)):
            if key in KIND_SPECIFIC and not path:
                continue
            if key not in first or key not in second:
                lines.append(f"{path}/{key}: only in {'first' if key in first else 'second'}")
            else:
                lines += differences(first[key], second[key], f"{path}/{key}")
        return lines
    if isinstance(first, list) and isinstance(second, list) and len(first) == len(second):
        lines = []
        for index, (a, b) in enumerate(zip(first, second, strict=True)):
            lines += differences(a, b, f"{path}[{index}]")
        return lines
    return [] if first == second else [f"{path}: {json.dumps(first)[:200]} != {json.dumps(second)[:200]}"]


def build(kind: str, *, source: Path, work: Path, server: str, out: Path) -> dict:
    """Make, fill, dump and inspect one database; returns its facts."""
    media = work / "media"
    media.mkdir()
    if kind == "sqlite":
        database = work / "build.sqlite3"
        url = f"sqlite:///{database}"
    else:
        url = dumps.postgres_create(server, BUILD_DATABASE)
    try:
        env = dumps.django_env(database_url=url, media_root=media)
        run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=source, env=env)
        made = run([sys.executable, str(HERE / "activity_pre_areas.py")], cwd=source, env=env)
        print(f"{kind}: activity made {made.strip().splitlines()[-1]}")
        if kind == "sqlite":
            dumps.sqlite_dump(database, out)
        else:
            dumps.postgres_dump(url, out)
        return inspect(source, env, work)
    finally:
        if kind == "postgresql":
            dumps.postgres_drop(server, BUILD_DATABASE)


def reload(kind: str, *, dump: Path, source: Path, work: Path, server: str) -> dict:
    """Load a dump into an empty database and inspect it with the old code."""
    if kind == "sqlite":
        database = work / "check.sqlite3"
        dumps.sqlite_load(dump, database)
        url = f"sqlite:///{database}"
    else:
        url = dumps.postgres_create(server, CHECK_DATABASE)
    try:
        if kind == "postgresql":
            dumps.postgres_load(dump, url)
        return inspect(source, dumps.django_env(database_url=url, media_root=work), work)
    finally:
        if kind == "postgresql":
            dumps.postgres_drop(server, CHECK_DATABASE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commit", default=DEFAULT_COMMIT, help="the commit whose code makes the database")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL server (any database of it)")
    parser.add_argument("--out", type=Path, default=HERE / "pre_areas", help="where the dumps go")
    args = parser.parse_args()

    temp = Path(tempfile.mkdtemp(prefix="pre-areas-"))
    source = temp / "src"
    subprocess.run(["git", "worktree", "add", "--detach", str(source), args.commit], cwd=ROOT, check=True)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=source, check=True, text=True, capture_output=True
        ).stdout.strip()
        staged = temp / "out"
        staged.mkdir()
        facts = {}
        for kind in ("sqlite", "postgresql"):
            work = temp / kind
            work.mkdir()
            facts[kind] = build(kind, source=source, work=work, server=args.server, out=staged / f"{kind}.sql")
        problems = differences(facts["sqlite"], facts["postgresql"])
        if problems:
            raise SystemExit("The SQLite and PostgreSQL builds differ:\n" + "\n".join(problems[:50]))
        for kind in ("sqlite", "postgresql"):
            work = temp / f"{kind}-check"
            work.mkdir()
            again = reload(kind, dump=staged / f"{kind}.sql", source=source, work=work, server=args.server)
            problems = differences(facts["sqlite"], again)
            if problems:
                raise SystemExit(f"The {kind} dump does not load back to the same facts:\n" + "\n".join(problems[:50]))
            print(f"{kind}: the dump loads into an empty database with the same facts")
        expected = {"commit": commit, **{key: value for key, value in facts["sqlite"].items() if key != "vendor"}}
        (staged / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        args.out.mkdir(parents=True, exist_ok=True)
        for name in ("sqlite.sql", "postgresql.sql", "expected.json"):
            shutil.copyfile(staged / name, args.out / name)
            print(f"wrote {args.out / name} ({(args.out / name).stat().st_size // 1024} KiB)")
        tables = facts["sqlite"]["tables"]
        print(f"{len(tables)} tables, {sum(tables.values())} rows, commit {commit}")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(source)], cwd=ROOT, check=False)
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
