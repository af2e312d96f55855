"""Valid HTML (issue 14, item 13: the Nu checker reported `hx-*` attributes on `select` and `div`).

The main pages of every role (tests/main_pages.py), rendered over the demo's data with the test client, are
checked by the Nu HTML checker (`vnu.jar` of the npm package vnu-jar, a devDependency: never served) in one
Java run for all of them, errors only. Skipped when Java or the jar is missing, except under CI
(REQUIRE_BROWSER_TESTS=1), where that is a failure.
"""

import io
import json
import os
import shutil
import subprocess  # noqa: S404 - the checker is a local Java program
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.main_pages import demo_users, main_pages

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

VNU_JAR = Path(settings.BASE_DIR, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")


def checker() -> list[str]:
    java = shutil.which("java")
    missing = "java (apt-get install default-jre-headless)" if not java else None
    if java and not VNU_JAR.exists():
        missing = f"{VNU_JAR} (make assets)"
    if missing:
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(f"the Nu HTML checker needs {missing}, and REQUIRE_BROWSER_TESTS is set")
        pytest.skip(f"the Nu HTML checker needs {missing}")
    return [java, "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def test_main_pages_of_every_role_are_valid_html(client, lokakarya, tmp_path):
    command = checker()
    call_command("load_demo", stdout=io.StringIO())
    users, pages = demo_users(), main_pages()
    files = {}
    for role, paths in pages.items():
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, f"{role} {path}: {response.status_code}"
            file = tmp_path / f"page{len(files)}.html"
            file.write_bytes(response.content)
            files[file.name] = f"{role} {path}"
    result = subprocess.run([*command, *sorted(map(str, tmp_path.glob("*.html")))], capture_output=True, text=True)  # noqa: S603
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = []
    for message in messages:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            page = files.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
            extract = message.get("extract", "").strip()[:160]
            errors.append(f"{page}, line {message.get('lastLine')}: {message['message']}\n    {extract!r}")
    assert len(files) > 25
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
