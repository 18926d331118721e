"""Browser tests: Debian's Chromium, driven by Playwright, against the real production server.

The site runs as `painpoint serve` (granian) in a subprocess with its own SQLite database in a temporary
folder, migrated and loaded with the starter content and the demo clinic, exactly as a clinic would set it up.
Screenshots go to the git-ignored `screenshots/` folder, to be looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from painpoint.testing import server
from painpoint.testing.chromium import CHROMIUM, CHROMIUM_ARGS

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


# The running site's environment, so a test can run `painpoint` commands against the site's own database.
SITE_ENV: dict[str, str] = {}


def run_on_site(*args: str) -> str:
    """Run `painpoint <args>` against the browser tests' site (its database and settings); return stdout."""
    return server.manage(SITE_ENV, *args, timeout=120)


WCAG = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}


def no_violations(page) -> None:
    """axe-core finds no WCAG 2.2 AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[str]:
    """Start the site and return its base URL."""
    env = server.site_env(tmp_path_factory.mktemp("site"))
    server.prepare(env)
    SITE_ENV.clear()
    SITE_ENV.update(env)
    with server.serving(env) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (scripts/test does this as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site):
    """A fresh page that records every request it makes."""
    context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def phone(browser, site):
    """A 360-pixel-wide phone with touch, the narrowest common screen."""
    context = browser.new_context(
        base_url=site,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
