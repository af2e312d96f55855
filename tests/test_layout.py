"""The layout of STYLE.md ("one app per area"), checked on the code itself so that it stays that way.

- Imports run down the stack only: reports → outcomes → attendance, rosters → participants → events → core;
  `rosters` and `attendance` never import each other; nothing imports `reports`; `core` knows no domain.
- No import of our own code hides inside a function (the way a cycle gets dodged), and the modules import no
  cycle among themselves. The one exception is Django's own: an `AppConfig.ready()` imports the modules that
  connect signal receivers once every app is loaded.
- Each area is an app with its own urls.py, templates folder and admin; `participants/` holds at most 30 % of
  the app's lines.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# An app may import the apps of a lower rank; the two rank-3 apps may not import each other.
RANK = {"core": 0, "events": 1, "participants": 2, "rosters": 3, "attendance": 3, "outcomes": 4, "reports": 5}
AREAS = ["events", "participants", "rosters", "attendance", "outcomes", "reports"]


def project_modules() -> dict[str, Path]:
    """Every module of the apps (configuration, migrations and tests aside), by dotted name."""
    modules = {}
    for app in RANK:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def imports_of(path: Path, module: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of the file, relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            ready = path.name == "apps.py" and getattr(child, "name", "") == "ready"
            nested = in_function or (is_function and not ready)
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - child.level + 1] + ([base] if base else []))
                found.append((base, child.lineno, in_function))
                # `from app import module` names a module too
                found.extend((f"{base}.{alias.name}", child.lineno, in_function) for alias in child.names)
            visit(child, nested)

    visit(tree, False)
    return found


def app_of(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in RANK else None


def test_imports_run_down_the_stack_only():
    wrong = []
    for module, path in project_modules().items():
        source = app_of(module)
        for imported, line, _in_function in imports_of(path, module):
            target = app_of(imported)
            if target is None or target == source:
                continue
            upward = RANK[target] > RANK[source]
            sideways = RANK[target] == RANK[source]
            if upward or sideways:
                wrong.append(f"{path.relative_to(ROOT)}:{line} ({source}) imports {imported} ({target})")
    assert not wrong, "imports against the stack:\n" + "\n".join(sorted(set(wrong)))


def test_no_import_of_our_code_hides_inside_a_function():
    hidden = [
        f"{path.relative_to(ROOT)}:{line} imports {imported} inside a function"
        for module, path in project_modules().items()
        for imported, line, in_function in imports_of(path, module)
        if in_function and app_of(imported)
    ]
    assert not hidden, "\n".join(sorted(set(hidden)))


def test_the_modules_import_no_cycle():
    modules = project_modules()
    graph = defaultdict(set)
    for module, path in modules.items():
        for imported, _line, in_function in imports_of(path, module):
            if not in_function and imported in modules and imported != module:
                graph[module].add(imported)
    # A package's __init__ importing its own submodules (and them importing each other) is not a cycle we mean:
    # look for cycles between modules of different packages, or between sibling modules.
    visiting, done, cycles = set(), set(), []

    def walk(node, trail):
        visiting.add(node)
        for nxt in sorted(graph[node]):
            if nxt in visiting:
                cycle = trail[trail.index(nxt) :] + [nxt]
                if not all(part.startswith(f"{module}.") or part == module for part in cycle for module in [cycle[0]]):
                    cycles.append(" → ".join(cycle))
            elif nxt not in done:
                walk(nxt, [*trail, nxt])
        visiting.discard(node)
        done.add(node)

    for module in sorted(modules):
        if module not in done:
            walk(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("app", AREAS)
def test_each_area_is_an_app_with_its_own_urls_templates_and_admin(app):
    folder = ROOT / app
    assert (folder / "apps.py").exists() and (folder / "admin.py").exists(), app
    assert (folder / "urls.py").exists(), app
    if app != "events":  # the public event pages use the project's base templates/events/
        assert (folder / "templates" / app).is_dir(), app


def _lines(folder: Path) -> int:
    return sum(
        len(path.read_text().splitlines()) for path in folder.rglob("*.py") if "migrations" not in path.parts
    )


def test_participants_holds_at_most_30_percent_of_the_lines():
    apps = {app: _lines(ROOT / app) for app in [*RANK, "psp_koordinasi"]}
    share = apps["participants"] / sum(apps.values())
    assert share <= 0.30, f"participants/ holds {share:.0%} of the app's lines: {apps}"
