"""Booking in a real browser: a phone books a time; a double tap books once; mistakes are shown."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.e2e.conftest import no_violations, screenshot


def test_a_visitor_on_a_phone_books_a_new_patient_visit_and_lands_on_it(phone, site):
    requests = []
    phone.on("request", lambda request: requests.append(request.url))
    phone.goto("/")
    phone.tap("text=Book a visit")
    phone.wait_for_url("**/appointments/")
    screenshot(phone, "booking-phone-1-start")
    no_violations(phone)
    phone.tap(".visit-types a:has-text('New-patient consultation')")
    phone.wait_for_url("**/appointments/new-patient/")
    # The second day with times, to show the day buttons work.
    phone.locator(".day-picker a").nth(1).tap()
    phone.wait_for_url("**day=*")
    chosen_day = phone.locator(".day-picker a[aria-current=true]").inner_text()
    phone.locator(".slot-option").first.tap()
    phone.fill("#id_name", "Ann Example")
    phone.fill("#id_phone", "(555) 010-0100")
    phone.fill("#id_email", "ann@example.org")
    phone.fill("#id_date_of_birth", "1961-04-12")
    phone.tap("#id_consent")
    # Nothing sticks out sideways: a wider page lets a phone zoom out and shifts what a tap hits.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "booking-phone-2-choose")
    no_violations(phone)
    phone.tap("button:has-text('Book this time')")
    phone.wait_for_url("**/appointments/manage/**")
    assert phone.locator("h1").inner_text() == "You are booked"
    when = phone.locator(".appointment dd").nth(1).inner_text()
    assert chosen_day.split("\n")[-2].strip() in when or chosen_day.split()[0] in when
    screenshot(phone, "booking-phone-3-booked")
    no_violations(phone)
    own = urlsplit(site).netloc
    assert {urlsplit(url).netloc for url in requests} == {own}


def test_a_double_tap_on_book_makes_one_booking(page, site):
    page.goto("/appointments/follow-up/")
    page.locator(".slot-option").first.click()
    page.fill("#id_name", "Bob Example")
    page.fill("#id_phone", "555 010 0101")
    page.fill("#id_email", "bob@example.org")
    page.fill("#id_date_of_birth", "1950-01-02")
    page.check("#id_consent")
    button = page.locator("button:has-text('Book this time')")
    button.dblclick()
    page.wait_for_url("**/appointments/manage/**")
    assert page.locator("h1").inner_text() == "You are booked"
    screenshot(page, "booking-desktop-booked")


def test_mistakes_are_shown_beside_their_fields_and_the_chosen_time_is_kept(page):
    page.goto("/appointments/new-patient/")
    # The last day offered: late in the clinic's day, today's first day with times may have fewer than three
    # left, and the tests before this one book on the first two.
    page.locator(".day-picker a").last.click()
    page.wait_for_url("**day=*")
    page.locator(".slot-option").nth(2).click()
    page.fill("#id_email", "ann@")
    page.click("button:has-text('Book this time')")
    page.wait_for_selector(".error-summary")
    assert "valid email" in page.locator("#id_email_error").inner_text()
    assert page.locator(".slot-option input").nth(2).is_checked()
    # The chosen day, the last of a strip that scrolls sideways, is brought into sight.
    strip = page.locator(".day-picker ul").bounding_box()
    day = page.locator(".day-picker a[aria-current=true]").bounding_box()
    # (Within a pixel: the last day ends at the strip's edge, with sub-pixel widths.)
    assert strip["x"] - 1 <= day["x"] and day["x"] + day["width"] <= strip["x"] + strip["width"] + 1
    screenshot(page, "booking-desktop-errors")
    no_violations(page)
