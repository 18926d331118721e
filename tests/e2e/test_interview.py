"""The interview in a real browser: by mouse on the body map, without JavaScript, and on a 360-pixel phone."""

from __future__ import annotations

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import screenshot

CONTINUE = ".check-actions button[type=submit]"
WCAG = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}


def no_violations(page) -> None:
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def answer(
    page,
    name: str,
    *,
    regions_by_map=(),
    regions=(),
    age="40",
    safety=("none",),
    onset="onset-gradual",
    duration="10",
    qualities=("quality-aching",),
    spread=(),
    behaviour=(),
    severity="5",
    more=("none",),
    axe=True,
):
    """Answer every step and return the results banner's level. axe needs JavaScript, so a journey without
    it skips the checks (the other journeys run them on the same pages)."""
    check = no_violations if axe else (lambda page: None)
    page.goto("/check/")
    for code in regions_by_map:
        page.click(
            f'.bodymap-front [data-bodymap-region="{code}"], .bodymap-back [data-bodymap-region="{code}"]'
            ":not([aria-hidden])"
        )
    for code in regions:
        page.check(f'input[name=regions][value="{code}"]')
    screenshot(page, f"{name}-1-where")
    check(page)
    page.click(CONTINUE)
    page.fill("input[name=age]", age)
    screenshot(page, f"{name}-2-you")
    page.click(CONTINUE)
    for code in safety:
        page.check(f'input[name=codes][value="{code}"]')
    screenshot(page, f"{name}-3-safety")
    check(page)
    page.click(CONTINUE)
    page.check(f'input[name=onset][value="{onset}"]')
    page.check(f'input[name=duration][value="{duration}"]')
    page.click(CONTINUE)
    for code in qualities:
        page.check(f'input[name=quality][value="{code}"]')
    for code in spread:
        page.check(f'input[name=spread][value="{code}"]')
    page.click(CONTINUE)
    for code in behaviour:
        page.check(f'input[name=codes][value="{code}"]')
    page.check(f'input[name=severity][value="{severity}"]')
    screenshot(page, f"{name}-6-behaves")
    check(page)
    page.click(CONTINUE)
    for code in more:
        page.check(f'input[name=codes][value="{code}"]')
    page.click(CONTINUE)
    page.wait_for_url("**/check/results/")
    screenshot(page, f"{name}-8-results")
    check(page)
    return page.locator("[data-triage]").get_attribute("data-triage")


def test_a_mouse_journey_on_the_body_map_reaches_an_appointment(page, site):
    level = answer(
        page,
        "interview-mouse",
        regions_by_map=["lower-back", "calf-left"],
        age="42",
        onset="onset-injury-minor",
        qualities=["quality-shooting"],
        spread=["spread-below-knee"],
        behaviour=["worse-sitting"],
        severity="7",
    )
    assert level == "appointment"
    own = urlsplit(site).netloc
    assert [url for url in page.requests if urlsplit(url).netloc not in (own, "")] == []


def test_without_javascript_the_list_route_reaches_an_emergency(browser, site):
    context = browser.new_context(
        base_url=site, java_script_enabled=False, viewport={"width": 1024, "height": 800}
    )
    page = context.new_page()
    try:
        level = answer(
            page,
            "interview-nojs",
            regions=["chest-left", "upper-arm-left"],
            age="61",
            safety=["worse-exertion", "with-sweating-nausea"],
            onset="onset-sudden",
            duration="0.1",
            qualities=["quality-pressure"],
            severity="8",
            more=("none",),
            axe=False,
        )
        assert level == "emergency"
        assert page.locator('a[href="tel:911"]').count() >= 1
    finally:
        context.close()


def test_a_phone_journey_reaches_self_care_and_fits_the_screen(phone):
    level = answer(
        phone,
        "interview-phone",
        regions_by_map=["lower-back"],
        age="35",
        onset="onset-injury-minor",
        duration="1.5",
        qualities=["quality-aching", "quality-cramping"],
        severity="8",
    )
    assert level == "self-care"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_keyboard_only_journey_reaches_an_urgent_result(page):
    page.goto("/check/")
    # Each region is in the tab order once: choose the lower back on the figure with the keyboard.
    tab_to(page, '[data-bodymap-region="lower-back"]')
    page.keyboard.press("Enter")
    assert page.locator('input[value="lower-back"]').is_checked()
    tab_to(page, CONTINUE)
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/you/")
    tab_to(page, "input[name=age]")
    page.keyboard.type("58")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/safety/")
    tab_to(page, 'input[value="with-fever"]')
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/started/")
    tab_to(page, "input[name=onset]")
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys: "After a big fall…"
    page.keyboard.press("ArrowDown")  # "Suddenly…"
    page.keyboard.press("ArrowDown")  # "Slowly, over days or weeks"
    tab_to(page, "input[name=duration]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/feels/")
    tab_to(page, 'input[value="quality-aching"]')
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/behaves/")
    tab_to(page, "input[name=severity]")
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/more/")
    tab_to(page, 'input[value="none"]')
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/results/")
    screenshot(page, "interview-keyboard-results")
    # Back pain with a fever: the spinal-infection red flag, see a doctor today.
    assert page.locator("[data-triage]").get_attribute("data-triage") == "urgent"
    assert page.locator(".call-clinic").is_visible()
