"""The interview in a real browser, as four kinds of visitor: by mouse on the body map, by keyboard alone,
without JavaScript, and on a 360-pixel phone by touch. Each reaches the results for a self-care, an
appointment, an urgent and an emergency case, and axe checks every step the JavaScript visitors see. The
urgent and emergency visitors tick a warning group on "Just to be safe" and then its signs on "Tell us a bit
more"; the appointment visitor, hurt in a leg, answers "Since it started".

Screenshots are named journey-case-step, e.g. `interview-phone-emergency-3-safety.png`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import no_violations, screenshot

CONTINUE = ".check-actions button[type=submit]"
# The where step's second Continue, right under the body map: map users need not scroll past the list.
MAP_CONTINUE = ".where-continue button[type=submit]"
NONE_AND_SYMPTOM = "You ticked 'None of these' and a symptom; untick one."
# The copy on the map that takes the click: regions on both figures are focusable only on the front one.
MAP_REGION = '[data-bodymap-region="{code}"]:not([aria-hidden])'


@dataclass(frozen=True)
class Case:
    """One visitor's answers, as the values of the interview's inputs, and the level they must lead to.

    Each was checked with `painpoint assess`; the options must be among those the steps offer for the regions.
    """

    level: str
    regions: tuple[str, ...]
    age: str
    safety: tuple[str, ...] = ("none",)  # the warning groups ticked
    details: tuple[tuple[str, str], ...] = ()  # (group, sign) ticked on "Tell us a bit more"
    onset: str = "onset-gradual"
    duration: str = "10"  # days, as the "How long ago?" radios carry them
    injury: tuple[str, ...] = ("none",)  # "Since it started", asked after an injury to an arm or leg
    qualities: tuple[str, ...] = ("quality-aching",)
    spread: tuple[str, ...] = ()
    behaviour: tuple[str, ...] = ()
    severity: str = "5"


# A lifting strain two days ago: low back strain, look after it at home.
SELF_CARE = Case(
    "self-care",
    regions=("lower-back",),
    age="35",
    onset="onset-injury-minor",
    duration="1.5",
    qualities=("quality-aching", "quality-stiff"),
    behaviour=("worse-bending-forward",),
    severity="4",
)
# Sciatica: pain from the back to below the knee, for ten days, since lifting; the leg bears weight.
APPOINTMENT = Case(
    "appointment",
    regions=("lower-back", "calf-left"),
    age="42",
    onset="onset-injury-minor",
    qualities=("quality-shooting",),
    spread=("spread-below-knee",),
    severity="7",
)
# Back pain with a fever: the spinal-infection red flag, see a doctor today.
URGENT = Case(
    "urgent",
    regions=("lower-back",),
    age="58",
    safety=("fever",),
    details=(("fever", "with-fever"),),
    duration="5",
    severity="6",
)
# Back pain with saddle numbness and trouble peeing: the cauda-equina red flag, call 911.
EMERGENCY = Case(
    "emergency",
    regions=("lower-back",),
    age="47",
    safety=("nerves",),
    details=(("nerves", "with-saddle-numbness"), ("nerves", "with-bladder-change")),
    duration="5",
    severity="6",
)
CASES = pytest.mark.parametrize("case", [SELF_CARE, APPOINTMENT, URGENT, EMERGENCY], ids=lambda c: c.level)


class Mouse:
    """Clicks the body map and the options; types only the age."""

    name = "mouse"
    # The Continue that ends the where step: the one under the map, which is what a map user sees.
    where_continue = MAP_CONTINUE

    def __init__(self, page):
        self.page = page

    def choose_region(self, code: str) -> None:
        self.page.click(MAP_REGION.format(code=code))

    def choose(self, name: str, value: str) -> None:
        self.page.click(f'input[name={name}][value="{value}"]')

    def type_age(self, age: str) -> None:
        self.page.click("input[name=age]")
        self.page.keyboard.type(age)

    def submit(self, selector: str = CONTINUE) -> None:
        self.page.click(selector)


class Phone(Mouse):
    """Taps the body map, the options and the button, on a touch screen."""

    name = "phone"

    def choose_region(self, code: str) -> None:
        region = self.page.locator(MAP_REGION.format(code=code))
        if not region.is_visible():
            # A phone shows one figure at a time: switch to the one that has this region.
            self.page.tap('[data-bodymap-view][aria-pressed="false"]')
        region.tap()

    def choose(self, name: str, value: str) -> None:
        self.page.tap(f'input[name={name}][value="{value}"]')

    def type_age(self, age: str) -> None:
        self.page.tap("input[name=age]")
        self.page.keyboard.type(age)

    def submit(self, selector: str = CONTINUE) -> None:
        self.page.tap(selector)


class NoScript(Mouse):
    """JavaScript is off: the body map does nothing, so regions come from the list beside it."""

    name = "nojs"
    where_continue = CONTINUE  # the list route: the button after the list

    def choose_region(self, code: str) -> None:
        self.page.click(f'input[name=regions][value="{code}"]')


class Keyboard:
    """Tab, Space, Enter and the arrow keys only: never a click."""

    name = "keyboard"
    where_continue = CONTINUE

    def __init__(self, page):
        self.page = page

    def focused(self, selector: str) -> bool:
        return self.page.evaluate("(s) => !!document.activeElement?.matches(s)", selector)

    def tab_to(self, selector: str, limit: int = 300) -> None:
        """Press Tab until `selector` has the focus, as a person would (the where step has ~110 stops)."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.focused(selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    def choose_region(self, code: str) -> None:
        # Each region is in the tab order once; Enter presses it like a button.
        self.tab_to(MAP_REGION.format(code=code))
        self.page.keyboard.press("Enter")

    def choose(self, name: str, value: str) -> None:
        target = f'input[name={name}][value="{value}"]'
        if self.page.locator(target).get_attribute("type") == "checkbox":
            self.tab_to(target)
            self.page.keyboard.press("Space")
            return
        # Tab enters a radio group once; the arrow keys then move through it, choosing as they go.
        self.tab_to(f"input[name={name}]")
        for _ in range(12):
            if self.focused(target):
                if not self.page.locator(target).is_checked():
                    self.page.keyboard.press("Space")
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"the arrow keys never reached {target}")

    def type_age(self, age: str) -> None:
        self.tab_to("input[name=age]")
        self.page.keyboard.type(age)

    def submit(self, selector: str = CONTINUE) -> None:
        self.tab_to(selector)
        self.page.keyboard.press("Enter")


def walk(page, visitor, case: Case, *, axe: bool = True, check=None) -> None:
    """Answer every step as `visitor` and land on the results. Each step is screenshotted, must fit the
    screen's width, and, when JavaScript runs, must pass axe (it needs JavaScript in the page).
    `check(page, slug)`, if given, looks at each step once it is answered."""
    number = 0

    def look(slug: str) -> None:
        nonlocal number
        number += 1
        screenshot(page, f"interview-{visitor.name}-{case.level}-{number}-{slug}")
        width = page.viewport_size["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{slug} scrolls sideways"
        if axe:
            no_violations(page)
        if check:
            check(page, slug)

    def choose(name: str, *values: str) -> None:
        for value in values:
            visitor.choose(name, value)
            assert page.locator(f'input[name={name}][value="{value}"]').is_checked(), (name, value)

    # No transitions: each screenshot shows the state the step settles in, not half a fade.
    page.emulate_media(reduced_motion="reduce")
    page.goto("/check/")
    for code in case.regions:
        visitor.choose_region(code)
        assert page.locator(f'input[name=regions][value="{code}"]').is_checked(), code
    look("where")
    visitor.submit(visitor.where_continue)
    page.wait_for_url("**/check/you/")
    visitor.type_age(case.age)
    look("you")
    visitor.submit()
    page.wait_for_url("**/check/safety/")
    choose("codes", *case.safety)
    look("safety")
    visitor.submit()
    if case.details:
        # A ticked group brings "Tell us a bit more", and the progress counts it.
        page.wait_for_url("**/check/details/")
        assert page.locator(".check-count").inner_text() == "Step 4 of 7"
        for group, sign in case.details:
            choose(group, sign)
        look("details")
        visitor.submit()
    page.wait_for_url("**/check/started/")
    choose("onset", case.onset)
    choose("duration", case.duration)
    look("started")
    visitor.submit()
    page.wait_for_url(re.compile(r"/check/(injury|feels)/$"))
    if page.url.endswith("/check/injury/"):
        choose("codes", *case.injury)
        look("injury")
        visitor.submit()
    page.wait_for_url("**/check/feels/")
    choose("quality", *case.qualities)
    choose("spread", *case.spread)
    look("feels")
    visitor.submit()
    page.wait_for_url("**/check/behaves/")
    choose("codes", *case.behaviour)
    choose("severity", case.severity)
    look("behaves")
    visitor.submit()
    page.wait_for_url("**/check/results/")
    look("results")


def assert_results_fit(page, level: str, *, javascript: bool = True) -> None:
    """The banner shows the level, and what the page offers fits it (triage-policy.md's booking column)."""
    assert page.locator("[data-triage]").get_attribute("data-triage") == level
    emergency_calls = page.locator('main a[href="tel:911"]')
    closing = page.locator(".check-privacy").inner_text()
    if level == "emergency":
        assert emergency_calls.first.is_visible()
        assert emergency_calls.first.inner_text() == "Call 911"
        # Booking is blocked: nothing on the page may offer a visit.
        booking = page.locator("a, button").filter(has_text=re.compile(r"\bbook|appointment", re.I))
        assert booking.count() == 0, booking.all_inner_texts()
        assert page.locator('a[href*="book"], a[href*="appointment"], form[action*="book"]').count() == 0
        assert page.locator('a[href^="/appointments"]').count() == 0
        # The first number to call on the page is 911's; the clinic's comes after it, not instead of it.
        assert page.locator('a[href^="tel:"]').first.get_attribute("href") == "tel:911"
        assert "After you have called 911, you can reach the clinic on" in closing
        assert "If you are worried" not in closing
    else:
        assert emergency_calls.count() == 0
        # Every other level offers a visit and a call back, each one tap away.
        for href in ("/appointments/", "/appointments/call/"):
            link = page.locator(f'main section.book a[href="{href}"]')
            assert link.count() == 1, href
            assert link.is_visible(), href
        assert "If you are worried, call us on" in closing
    if level == "urgent":
        # The clinic's phone number comes first, before anything else the results offer.
        clinic_phone = page.locator(".site-header .call-button").get_attribute("href")
        first = page.locator("main a").first
        assert first.get_attribute("class") == "call-clinic"
        assert first.get_attribute("href") == clinic_phone
        assert first.is_visible()
        assert first.inner_text().startswith("Call us now: ")
    # Printing needs JavaScript: without it the button stays hidden rather than doing nothing.
    assert page.locator("button[data-print]").is_visible() == javascript


def foreign(requests: list[str], site: str) -> list[str]:
    own = urlsplit(site).netloc
    return [url for url in requests if urlsplit(url).netloc not in (own, "")]


@pytest.fixture
def page_without_javascript(browser, site):
    context = browser.new_context(
        base_url=site, java_script_enabled=False, viewport={"width": 1024, "height": 800}
    )
    yield context.new_page()
    context.close()


@CASES
def test_a_visitor_using_a_mouse_on_the_body_map_reaches_each_level(page, site, case):
    walk(page, Mouse(page), case)
    assert_results_fit(page, case.level)
    assert foreign(page.requests, site) == []


@CASES
def test_a_visitor_using_only_the_keyboard_reaches_each_level(page, case):
    walk(page, Keyboard(page), case)
    assert_results_fit(page, case.level)


@CASES
def test_a_visitor_without_javascript_reaches_each_level_from_the_list(page_without_javascript, case):
    walk(page_without_javascript, NoScript(page_without_javascript), case, axe=False)
    assert_results_fit(page_without_javascript, case.level, javascript=False)


@CASES
def test_a_visitor_on_a_360_pixel_phone_reaches_each_level_by_tapping(phone, case):
    walk(phone, Phone(phone), case, check=fits_a_phone)
    assert_results_fit(phone, case.level)
    if case.level == "urgent":
        # "Call us now: (555) 010-2040" on one line, across the banner.
        call = phone.locator("main .call-clinic").bounding_box()
        assert call["height"] < 60 and call["width"] > 250, call
    if case.level == "emergency":
        # The call button is on the first screen: nobody in trouble should have to scroll for it.
        bottom = phone.locator('main a[href="tel:911"]').evaluate(
            "el => el.getBoundingClientRect().bottom + window.scrollY"
        )
        assert bottom <= phone.viewport_size["height"]


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def fits_a_phone(page, slug: str) -> None:
    """What the reviewer measured on a 360 x 740 phone: the header, the map and its Continue, the scale."""
    header = box(page, ".site-header")
    # Name and call button, one row of links scrolling sideways and the emergency notice: not half a screen.
    assert header["height"] <= 240, header
    # The clinic's call button, except on an emergency result, where 911's must be the first number.
    emergency = page.locator('[data-triage="emergency"]').count() == 1
    assert page.locator(".site-header .call-button").is_visible() != emergency
    assert page.locator(".site-header .notice").is_visible()
    rows = "els => els.map(el => el.getBoundingClientRect().top)"
    links = page.locator(".site-nav li:visible").evaluate_all(rows)
    assert len(set(links)) == 1, links
    if slug == "where":
        # One large figure at a time, switched by Front and Back, with Continue right under it.
        figures = page.locator(".bodymap-figure:visible")
        assert figures.count() == 1
        assert figures.first.bounding_box()["width"] >= 300
        under = box(page, MAP_CONTINUE)["y"] - box(page, ".bodymap")["y"] - box(page, ".bodymap")["height"]
        assert 0 < under < 200, under
    if slug == "behaves":
        # Two rows of six, each number a large target.
        sizes = "els => els.map(el => [el.offsetTop, el.offsetWidth, el.offsetHeight])"
        options = page.locator(".scale-option").evaluate_all(sizes)
        assert len({top for top, _, _ in options}) == 2, options
        assert all(width >= 44 and height >= 44 for _, width, height in options), options


def printed_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@CASES
def test_the_printed_summary_is_one_page_in_dark_ink_with_the_level_reasons_and_answers(
    page_without_javascript, case
):
    page = page_without_javascript
    walk(page, NoScript(page), case, axe=False)
    page.emulate_media(media="print")
    screenshot(page, f"interview-print-{case.level}")
    banner = page.locator("[data-triage]")
    # Browsers leave out background colours when printing: the emergency banner's white text would vanish.
    assert banner.evaluate("el => getComputedStyle(el).color") == "rgb(0, 0, 0)"
    assert banner.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    expect(page.locator(".print-head")).to_contain_text("pain summary")
    headings = ["Why we say this", "Your answers"]
    if case.level != "emergency":
        headings.append("What it might be")
    for heading in headings:
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator(".bodymap-summary")).to_be_visible()
    expect(page.get_by_role("heading", name="What can help")).to_be_hidden()
    for paper in ("Letter", "A4"):
        assert printed_pages(page.pdf(format=paper)) == 1, paper


def test_a_phone_without_javascript_stacks_both_figures_at_full_width(browser, site):
    context = browser.new_context(
        base_url=site, java_script_enabled=False, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.goto("/check/")
    screenshot(page, "interview-phone-nojs-1-where")
    assert not page.locator("[data-bodymap-views]").is_visible()
    figures = [box(page, ".bodymap-front"), box(page, ".bodymap-back")]
    assert all(figure["width"] >= 300 for figure in figures), figures
    assert figures[1]["y"] > figures[0]["y"] + figures[0]["height"] - 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def reach_safety(page, visitor) -> None:
    page.goto("/check/")
    visitor.choose_region("lower-back")
    visitor.submit(visitor.where_continue)
    page.wait_for_url("**/check/you/")
    visitor.type_age("58")
    visitor.submit()
    page.wait_for_url("**/check/safety/")


def test_none_of_these_with_a_symptom_is_refused_and_both_stay_ticked(page_without_javascript):
    page = page_without_javascript
    visitor = NoScript(page)
    reach_safety(page, visitor)
    visitor.choose("codes", "fever")
    visitor.choose("codes", "none")
    visitor.submit()
    page.wait_for_load_state()
    assert page.url.endswith("/check/safety/")
    assert page.locator(".field-error").inner_text() == NONE_AND_SYMPTOM
    # Nothing is dropped: the visitor decides which one to untick.
    assert page.locator('input[name=codes][value="fever"]').is_checked()
    assert page.locator('input[name=codes][value="none"]').is_checked()
    visitor.choose("codes", "none")
    visitor.submit()
    # With "None of these" unticked, the ticked group's details follow.
    page.wait_for_url("**/check/details/")


def test_ticking_a_symptom_unticks_none_of_these_but_never_the_other_way(page):
    visitor = Mouse(page)
    reach_safety(page, visitor)
    none = page.locator('input[name=codes][value="none"]')
    fever = page.locator('input[name=codes][value="fever"]')
    visitor.choose("codes", "none")
    visitor.choose("codes", "fever")
    assert fever.is_checked() and not none.is_checked()
    # A tap on "None of these" keeps the symptom, which may be a red flag; the server then asks.
    visitor.choose("codes", "none")
    assert fever.is_checked() and none.is_checked()
    visitor.submit()
    page.wait_for_load_state()
    assert page.locator(".field-error").inner_text() == NONE_AND_SYMPTOM


def test_with_javascript_the_steps_change_without_a_page_load_and_back_still_works(page):
    visitor = Mouse(page)
    reach_safety(page, visitor)
    # A mark on this document: a page load would wipe it.
    page.evaluate("window.sameDocument = true")
    visitor.choose("codes", "none")
    visitor.submit()
    page.wait_for_url("**/check/started/")
    assert page.evaluate("window.sameDocument === true")
    assert page.title().startswith("When it started")
    # The focus goes where a page load would leave a screen reader: the new step's heading.
    assert page.evaluate("document.activeElement.tagName") == "H1"
    no_violations(page)
    # The browser's Back shows the step before, still in the same document.
    page.go_back()
    page.wait_for_url("**/check/safety/")
    # The address changes first, then the step arrives.
    expect(page.locator(".check-form h1")).to_contain_text("Just to be safe")
    assert page.evaluate("window.sameDocument === true")
    # The step's own Back link too.
    page.click(".check-actions a.button-secondary")
    page.wait_for_url("**/check/you/")
    assert page.locator("input[name=age]").input_value() == "58"
    assert page.evaluate("window.sameDocument === true")


def test_with_javascript_an_answer_the_server_refuses_shows_its_error_in_place(page):
    visitor = Mouse(page)
    reach_safety(page, visitor)
    page.evaluate("window.sameDocument = true")
    visitor.submit()  # nothing ticked
    error = page.locator(".field-error")
    error.wait_for()
    assert page.url.endswith("/check/safety/")
    assert page.evaluate("window.sameDocument === true")
    assert page.evaluate("document.activeElement.classList.contains('field-error')")


def slow_network(page, latency_ms: int) -> None:
    """Make every request of `page` take `latency_ms` longer, as on a slow phone connection."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    conditions = {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1}
    cdp.send("Network.emulateNetworkConditions", conditions)


def test_with_javascript_a_slow_answer_shows_the_step_is_busy_until_the_next_one_arrives(page):
    visitor = Mouse(page)
    reach_safety(page, visitor)
    # A slow phone connection: two seconds for every request.
    slow_network(page, latency_ms=2000)
    visitor.choose("codes", "none")
    visitor.submit()
    busy = page.locator(".check[aria-busy=true] .check-form")
    busy.wait_for()
    page.wait_for_timeout(500)  # past the fade's delay
    assert float(busy.evaluate("form => getComputedStyle(form).opacity")) < 1
    screenshot(page, "interview-slow-answer-busy")
    page.wait_for_url("**/check/started/", timeout=20_000)
    expect(page.locator(".check[aria-busy]")).to_have_count(0)


def test_with_javascript_a_back_press_while_the_next_step_loads_shows_the_step_the_address_names(page):
    visitor = Mouse(page)
    reach_safety(page, visitor)
    visitor.choose("codes", "none")
    visitor.submit()
    page.wait_for_url("**/check/started/")
    visitor.choose("onset", "onset-gradual")
    visitor.choose("duration", "5")
    slow_network(page, latency_ms=1500)
    visitor.submit()
    page.locator(".check[aria-busy=true]").wait_for()
    # Back before the answer's next step arrives: as with page loads, the step before wins.
    page.go_back()
    page.wait_for_url("**/check/safety/")
    expect(page.locator(".check-form h1")).to_contain_text("Just to be safe", timeout=10_000)
    expect(page.locator(".check[aria-busy]")).to_have_count(0, timeout=10_000)
    page.wait_for_timeout(2000)  # longer than the cancelled answer would have taken
    assert page.url.endswith("/check/safety/")
    expect(page.locator(".check-form h1")).to_contain_text("Just to be safe")
