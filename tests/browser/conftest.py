"""Browser tests: Python Playwright driving Debian's Chromium (no browser download here).

Skipped with a visible reason when /usr/bin/chromium is missing, except under CI
(REQUIRE_BROWSER_TESTS=1), where a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(f"{CHROMIUM} is missing and REQUIRE_BROWSER_TESTS is set (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
    # itself (building data) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def migration_data(transactional_db):
    """A transactional test starts from a flushed database: put back what the data migrations hold
    (the staff groups and the default Komite Pembelajaran composition rules)."""
    from django.apps import apps

    from events.groups import sync_groups
    from rosters.rules import composition_defaults_load

    sync_groups(apps)
    composition_defaults_load()
