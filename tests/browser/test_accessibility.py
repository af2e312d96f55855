"""Accessibility: axe-core (WCAG 2 A and AA rules) finds no serious or critical violation on the main pages of
any role (issue 14, item 13), over the demo's data, at 1280 px (and the public and door pages at 390 px).

axe-core comes from npm (a devDependency pinned in package-lock.json) and is read from node_modules by this
test only; it is injected through Playwright (`page.evaluate`), never as a <script> of the page, so the app's
Content Security Policy stays as it is and the app never serves it.
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse

from events import groups as G
from tests.main_pages import ANONYMOUS, demo_users, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]

AXE = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}});
  return result.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 4).map((node) => node.target.join(" ") + "\\n        " +
        node.failureSummary.replaceAll("\\n", " ")),
      more: Math.max(violation.nodes.length - 4, 0),
    }));
}"""


def axe_source() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: run make assets (npm ci)"
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text()


def readable(page_name: str, violations: list[dict]) -> str:
    lines = [page_name]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines += [f"      {node}" for node in violation["nodes"]]
        if violation["more"]:
            lines.append(f"      … and {violation['more']} more")
    return "\n".join(lines)


def sign_in(page, live_server, user) -> None:
    """The browser takes the session of a test client signed in as `user` (the login form has its own tests)."""
    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_no_serious_accessibility_violation_on_the_main_pages_of_any_role(page, live_server, migration_data):
    source = axe_source()
    call_command("load_demo", stdout=io.StringIO())
    users, pages = demo_users(), main_pages()
    public_form = next(path for path in pages[ANONYMOUS] if resolve(path).url_name == "public_register")
    found, checked = [], 0
    # Every page at 1280 px; the participant's pages, the panitia's at the door and the dashboard on a 390 px phone.
    runs = [(1280, role, paths) for role, paths in pages.items()]
    door_and_dashboard = [path for path in pages[G.PANITIA] if not path.startswith(reverse("reports:report_events"))]
    runs += [(390, ANONYMOUS, pages[ANONYMOUS]), (390, G.PANITIA, door_and_dashboard)]
    for width, role, paths in runs:
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, live_server, users[role])
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{role} {path}: {response.status}"
            page.evaluate(source)
            violations = page.evaluate(RUN_AXE)
            checked += 1
            if violations:
                found.append(readable(f"{role} {path} at {width} px", violations))
    assert checked > 25
    # htmx reads the valid data-hx-* attributes as it read hx-*: the form's agency drop-down still asks the server.
    page.goto(live_server.url + public_form)
    with page.expect_response(lambda response: reverse("participants:agency_options") in response.url) as answer:
        page.select_option("select[name=agency_type]", index=1)
    assert answer.value.status == 200
    assert not found, f"axe-core: serious or critical violations on {len(found)} pages:\n" + "\n".join(found)
