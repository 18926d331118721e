"""The staff side in a real browser: a request arrives with its pain summary; a staff member signs in with a
one-time code, changes its status, and the audit trail records it."""

from __future__ import annotations

import json
import re
import urllib.request

import pyotp

from tests.e2e.conftest import no_violations, run_on_site, screenshot

PASSWORD = "a long and private passphrase"
CREATE_STAFF = f"""
from django.contrib.auth.models import Group, User
user = User.objects.create_user("carla", password={PASSWORD!r}, first_name="Carla", is_staff=True)
user.groups.add(Group.objects.get(name="Clinic admin"))
"""
ANSWERS = {
    "age": 58,
    "regions": ["lower-back", "thigh-back-left"],
    "duration_days": 20,
    "severity": 7,
    "findings": ["spread-below-knee", "worse-sitting", "worse-cough-sneeze", "quality-shooting"],
}


def send_request(site: str) -> int:
    body = {
        "visit_type": "injection-consultation",
        "preferred_times": "Tuesday mornings",
        "patient": {
            "name": "Dora Example",
            "phone": "(555) 010-0200",
            "email": "dora@example.org",
            "date_of_birth": "1968-02-29",
        },
        "reason": "Sciatica for three weeks",
        "consent": True,
        "assessment": ANSWERS,
    }
    request = urllib.request.Request(
        site + "/api/v1/appointments",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 201
        return json.load(response)["id"]


def test_a_request_reaches_the_inbox_and_a_status_change_is_audited(page, site):
    run_on_site("shell", "-c", CREATE_STAFF)
    entry = send_request(site)

    page.goto("/staff/")
    page.wait_for_url("**/staff/sign-in/**")
    page.fill("#id_username", "carla")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Continue')")
    # First sign-in: set up the authenticator from the key the page shows, as a phone app would.
    secret = re.sub(r"\s", "", page.locator(".totp-secret").inner_text())
    screenshot(page, "inbox-1-authenticator")
    no_violations(page)
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.click("button:has-text('Check the code')")
    page.wait_for_url("**/staff/")
    assert "Dora Example" in page.locator("main").inner_text()
    screenshot(page, "inbox-2-list")
    no_violations(page)

    page.click("a:has-text('Dora Example')")
    page.wait_for_url(f"**/staff/requests/{entry}/")
    summary = page.locator("main").inner_text()
    for words in ("Sciatica for three weeks", "7 out of 10", "below the knee", "Sciatica"):
        assert words.lower() in summary.lower(), words
    # The body figure draws the chosen regions.
    assert page.locator(
        '[data-bodymap-region="lower-back"].is-selected, [data-selected~="lower-back"]'
    ).count()
    screenshot(page, "inbox-3-entry")
    no_violations(page)

    page.select_option("select[name=status]", "contacted")
    page.fill("textarea[name=note]", "Called, booked a consultation for Tuesday")
    page.click("button:has-text('Change the status')")
    page.wait_for_url(f"**/staff/requests/{entry}/**")
    assert "Contacted" in page.locator(".entry-meta .status").inner_text()

    page.goto("/staff/audit/")
    trail = page.locator("main").inner_text()
    assert re.search(rf"carla.*(Changed|change).*#{entry}|#{entry}.*(Changed|change)", trail, re.S), trail[
        :2000
    ]
    assert "new → contacted" in trail
    screenshot(page, "inbox-4-audit")
    no_violations(page)
