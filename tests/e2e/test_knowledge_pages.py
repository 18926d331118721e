"""The knowledge pages in a real browser: accessible, keyboard-friendly, phone-friendly, self-contained."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import screenshot

PAGES = {
    "home": "/",
    "region": "/where-does-it-hurt/lower-back/",
    "condition": "/conditions/sciatica-herniated-disc/",
    "serious-condition": "/conditions/heart-attack/",
    "treatment": "/treatments/massage-therapy/",
    "treatments": "/treatments/",
    "article": "/articles/muscle-knots-in-your-back/",
    "articles": "/articles/",
    "a-to-z": "/a-to-z/",
    "search": "/search/?q=slipped+disk",
}


@pytest.mark.parametrize(("name", "path"), PAGES.items())
def test_each_page_has_no_accessibility_violations_and_no_foreign_requests(page, site, name, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    screenshot(page, f"knowledge-{name}")
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]})
    assert results.violations_count == 0, results.generate_report()
    own = urlsplit(site).netloc
    foreign = [url for url in page.requests if urlsplit(url).netloc not in (own, "")]
    assert foreign == []
    assert page.locator("h1").count() == 1


def test_a_keyboard_user_can_skip_to_the_content_and_open_a_region(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    # Tab forward from the main content to the first region link and follow it.
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Head":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Head"
    page.keyboard.press("Enter")
    page.wait_for_url("**/where-does-it-hurt/head/")
    assert page.locator("h1").inner_text() == "Pain in the head"


def test_search_finds_everyday_words_and_forgives_typos(page):
    page.goto("/")
    page.fill("#site-search", "tenis elbow")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=tenis+elbow")
    assert page.locator(".suggestion").inner_text() == "Showing results for tennis elbow."
    first = page.locator(".results li").first
    assert first.locator("a").inner_text() == "Tennis elbow"
    first.locator("a").click()
    page.wait_for_url("**/conditions/tennis-elbow/")


def test_on_a_phone_the_page_fits_and_the_clinic_is_one_tap_away(phone):
    for name, path in PAGES.items():
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways ({width}px)"
        if name in ("home", "condition"):
            screenshot(phone, f"knowledge-{name}-phone")
    call = phone.locator(".call-button")
    assert call.is_visible()
    assert call.get_attribute("href") == "tel:5550102040"
    box = call.bounding_box()
    assert box["height"] >= 44
