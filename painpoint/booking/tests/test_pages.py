"""The visitor's booking pages: choosing a visit and a time, the details form, and the signed link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from painpoint.assessment.steps import SESSION_KEY
from painpoint.booking import notify
from painpoint.booking.models import Appointment, Request
from painpoint.booking.tests.conftest import book, free
from painpoint.outbox.api import deliver_due

pytestmark = pytest.mark.django_db


class Page(BeautifulSoup):
    def __init__(self, response):
        super().__init__(response.content, "html.parser")

    @property
    def text(self) -> str:
        return " ".join(self.get_text(" ").split())

    def links_to(self, href: str) -> bool:
        return bool(self.select(f'a[href="{href}"]'))


def details(**changes):
    data = {
        "name": "Ann Example",
        "phone": "(555) 010-0100",
        "email": "ann@example.org",
        "date_of_birth": "1961-04-12",
        "reason": "",
        "consent": "on",
        "token": "tok-1",
    }
    data.update(changes)
    return data


def finish_the_interview(client, *, findings=()):
    """Put a finished interview in the visitor's session, as the steps would."""
    session = client.session
    session[SESSION_KEY] = {
        "regions": ["lower-back"],
        "age": 52,
        "sex": "",
        "findings": {"safety": list(findings), "started": ["onset-gradual"], "feels": ["quality-aching"]},
        "duration": "10",
        "severity": 5,
        "done": ["where", "you", "safety", "started", "feels", "behaves", "more"],
    }
    session.save()


def test_the_start_page_lists_the_visit_types_and_offers_a_call(client):
    page = Page(client.get("/appointments/"))
    assert "New-patient consultation" in page.text and "Injection consultation" in page.text
    assert page.links_to("/appointments/call/")


def test_a_visitor_books_a_time_and_lands_on_their_appointment(client, new_patient):
    slot = free(new_patient)[0]
    response = client.post("/appointments/new-patient/", details(slot=slot.key))
    assert response.status_code == 302 and "/appointments/manage/" in response["Location"]
    page = Page(client.get(response["Location"]))
    assert "You are booked" in page.text and slot.provider in page.text
    assert Appointment.objects.get().start == slot.start


def test_a_double_click_books_once(client, new_patient):
    slot = free(new_patient)[0]
    first = client.post("/appointments/new-patient/", details(slot=slot.key))
    second = client.post("/appointments/new-patient/", details(slot=slot.key))
    assert first["Location"] == second["Location"]
    assert Appointment.objects.count() == 1


def test_mistakes_are_shown_next_to_their_fields_and_nothing_is_saved(client, new_patient):
    slot = free(new_patient)[0]
    tomorrow = (timezone.now() + timedelta(days=2)).date().isoformat()
    response = client.post(
        "/appointments/new-patient/",
        details(slot="", email="ann@", phone="call me", date_of_birth=tomorrow, consent=""),
    )
    page = Page(response)
    assert response.status_code == 200
    for field, words in (
        ("email", "valid email"),
        ("phone", "phone number"),
        ("date_of_birth", "in the future"),
        ("consent", "tick this box"),
    ):
        assert words in page.select_one(f"#id_{field}_error").text
    assert "Please choose a time" in page.select_one("#slot-error").text
    assert Request.objects.count() == 0
    # What the visitor typed is kept.
    assert page.select_one("#id_name")["value"] == "Ann Example"
    del slot


def test_a_time_taken_meanwhile_says_so_and_keeps_the_details(client, new_patient):
    slot = free(new_patient)[0]
    book(slot, new_patient)
    page = Page(client.post("/appointments/new-patient/", details(slot=slot.key, token="tok-2")))
    assert "just taken" in page.select_one("#slot-error").text
    assert page.select_one("#id_phone")["value"] == "(555) 010-0100"


def test_the_interview_goes_with_the_booking_and_leaves_the_session(client, new_patient):
    finish_the_interview(client)
    page = Page(client.get("/appointments/new-patient/"))
    assert "pain summary" in page.text
    slot = free(new_patient)[0]
    client.post("/appointments/new-patient/", details(slot=slot.key))
    stored = Request.objects.get()
    assert stored.assessment["answers"]["regions"] == ["lower-back"]
    assert stored.triage == stored.assessment["result"]["triage"]
    assert ["Where it hurts", "Lower back"] in stored.assessment["summary"]
    assert SESSION_KEY not in client.session


def test_after_an_emergency_result_no_booking_is_offered(client, new_patient):
    finish_the_interview(client, findings=["with-saddle-numbness", "with-bladder-change"])
    for url in ("/appointments/", "/appointments/new-patient/", "/appointments/call/"):
        page = Page(client.get(url))
        assert page.select_one("[data-triage=emergency]") is not None, url
        assert page.links_to("tel:911"), url
        assert not page.select("input[name=slot]"), url
        assert not page.select("main form button[type=submit]"), url
    slot = free(new_patient)[0]
    client.post("/appointments/new-patient/", details(slot=slot.key))
    assert Request.objects.count() == 0


def test_a_visit_booked_by_request_takes_preferred_days(client):
    data = details(days=["tue", "thu"], times=["morning"])
    response = client.post("/appointments/injection-consultation/", data)
    assert response.status_code == 302
    stored = Request.objects.get()
    assert (stored.kind, stored.status) == (Request.APPOINTMENT_REQUEST, Request.NEW)
    assert stored.preferred_times == "Tuesday, Thursday; morning"


def test_a_call_request_needs_only_a_name_and_a_phone(client):
    response = client.post(
        "/appointments/call/",
        {
            "name": "Bob Example",
            "phone": "555 0101",
            "consent": "on",
            "token": "t",
            "best_time": "after 4 pm",
        },
    )
    assert response.status_code == 302
    assert Request.objects.get().kind == Request.CALL_REQUEST


def test_the_signed_link_cancels_and_a_forged_one_is_refused(client, new_patient):
    later = next(s for s in free(new_patient) if s.start > timezone.now() + timedelta(days=3))
    made = book(later, new_patient)
    url = f"/appointments/manage/{notify.manage_token(made)}/"
    assert "Cancel this appointment" in Page(client.get(url)).text
    assert client.get(url[:-5] + "xxxx/").status_code == 404
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    assert Appointment.objects.get().status == Appointment.CANCELLED
    made.secret = "rotated"
    made.save()
    assert client.get(url).status_code == 404


def test_the_patient_moves_their_visit_through_the_link(client, new_patient):
    found = [s for s in free(new_patient) if s.start > timezone.now() + timedelta(days=3)]
    made = book(found[0], new_patient)
    target = found[5]
    url = f"/appointments/manage/{notify.manage_token(made)}/move/"
    assert Page(client.get(url)).select("input[name=slot]")
    response = client.post(url, {"slot": target.key})
    assert response.status_code == 302
    assert Appointment.objects.get().start == target.start


def test_the_emails_go_out_through_the_worker_and_hold_no_health_details(client, new_patient):
    finish_the_interview(client)
    slot = free(new_patient)[0]
    client.post("/appointments/new-patient/", details(slot=slot.key, reason="sharp pain in my lower back"))
    deliver_due()
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"ann@example.org", "frontdesk@riverside-spine.example"}
    for message in mail.outbox:
        text = message.subject + message.body
        assert "lower back" not in text.lower() and "sharp pain" not in text
    assert "Ann" not in sent["frontdesk@riverside-spine.example"].body


def test_booking_pages_are_never_cached(client, new_patient):
    for url in ("/appointments/", "/appointments/new-patient/", "/appointments/call/"):
        assert "no-store" in client.get(url)["Cache-Control"]


def contact_form(client, **changes):
    from painpoint.booking.forms import ContactForm

    page = client.get("/contact/")
    assert page.status_code == 200
    data = {
        "name": "Cal Example",
        "phone": "555 0102",
        "email": "",
        "message": "Do you take my insurance?",
        "consent": "on",
        "website": "",
        "started": ContactForm.start_stamp(),
    }
    data.update(changes)
    return client.post("/contact/", data)


def test_a_contact_message_reaches_the_inbox(client, monkeypatch):
    import time as clock

    from painpoint.booking.forms import ContactForm

    started = ContactForm.start_stamp()
    real = clock.time
    monkeypatch.setattr("painpoint.booking.forms.time.time", lambda: real() + 10)  # ten seconds to type
    response = contact_form(client, started=started)
    assert response.status_code == 302 and response["Location"] == "/appointments/thanks/"
    stored = Request.objects.get()
    assert (stored.kind, stored.reason, stored.status) == (
        Request.MESSAGE,
        "Do you take my insurance?",
        "new",
    )


def test_a_contact_message_needs_a_way_to_answer(client, monkeypatch):
    response = contact_form(client, phone="", email="")
    assert b"Give a phone number or an email address" in response.content
    assert Request.objects.count() == 0


def test_robots_are_thanked_but_their_messages_are_dropped(client, monkeypatch):
    import time as clock

    from painpoint.booking.forms import ContactForm

    real = clock.time
    assert contact_form(client).status_code == 302  # sent at once: faster than a person types
    started = ContactForm.start_stamp()
    monkeypatch.setattr("painpoint.booking.forms.time.time", lambda: real() + 10)
    assert contact_form(client, website="http://spam.example", started=started).status_code == 302
    assert contact_form(client, started="forged").status_code == 302
    assert Request.objects.count() == 0


def test_the_public_forms_are_rate_limited_per_client(client, settings):
    from painpoint.lib.ratelimit import limiter

    settings.FORM_RATE = "3/h"
    limiter.reset()
    codes = [client.post("/contact/", {"name": "x"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.post("/appointments/call/", {"name": "x"}).status_code == 200
    limiter.reset()


def test_the_site_search_is_rate_limited_per_client(client, settings):
    from painpoint.lib.ratelimit import limiter

    settings.SEARCH_RATE = "2/m"
    limiter.reset()
    codes = [client.get("/search/?q=back").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limiter.reset()


def test_an_empty_field_is_named_in_its_own_words_not_a_generic_required(client, new_patient):
    slot = free(new_patient)[0]
    response = client.post(
        "/appointments/new-patient/",
        details(slot=slot.key, name="", phone="", email="", date_of_birth=""),
    )
    page = Page(response)
    assert page.select_one("#id_name_error").text == "Enter your full name."
    assert page.select_one("#id_phone_error").text == "Enter a phone number we can call you on."
    assert page.select_one("#id_email_error").text == "Enter your email address, for the confirmation."
    assert page.select_one("#id_date_of_birth_error").text == "Enter your date of birth."
    assert "This field is required" not in page.text


def test_an_empty_contact_form_names_what_is_missing(client):
    page = Page(contact_form(client, name="", message=""))
    assert page.select_one("#id_name_error").text == "Enter your name."
    assert page.select_one("#id_message_error").text == "Write your message to the clinic."


# An urgent result: the call button, and what is said about today's times

URGENT_FINDINGS = ["history-cancer"]  # back pain after cancer: the engine says "see a doctor today"


def only_today(monkeypatch, slots):
    """Fix what an urgent visitor is offered today, whatever the time the tests run."""
    monkeypatch.setattr("painpoint.booking.views.free_slots", lambda *args, **kwargs: slots)


def test_the_urgent_call_button_stands_on_its_own_not_inside_a_sentence(client):
    finish_the_interview(client, findings=URGENT_FINDINGS)
    for url in ("/appointments/", "/appointments/call/"):
        box = Page(client.get(url)).select_one(".carried.level-urgent")
        button = box.select_one("a.call-clinic")
        assert button["href"] == "tel:5550102040", url
        # Its paragraph holds the button and nothing else, so no full stop is left on a line of its own.
        assert button.parent.name == "p" and button.parent.get_text() == button.get_text(), url


def test_the_visit_list_does_not_promise_times_it_does_not_show(client):
    finish_the_interview(client, findings=URGENT_FINDINGS)
    for url in ("/appointments/", "/appointments/call/"):
        page = Page(client.get(url))
        assert "see a doctor today" in page.text, url
        assert "free times" not in page.text, url


def test_an_urgent_visit_page_with_times_says_they_are_only_todays(client, new_patient, monkeypatch):
    only_today(monkeypatch, free(new_patient)[:3])
    finish_the_interview(client, findings=URGENT_FINDINGS)
    page = Page(client.get("/appointments/new-patient/"))
    assert page.select("input[name=slot]")
    said = [p.get_text(" ", strip=True) for p in page.select(".carried p")]
    assert "Below are only today's free times." in said


def test_an_urgent_visitor_with_no_times_left_today_is_told_to_call_now(client, new_patient, monkeypatch):
    only_today(monkeypatch, [])
    finish_the_interview(client, findings=URGENT_FINDINGS)
    page = Page(client.get("/appointments/new-patient/"))
    assert not page.select("input[name=slot]")
    assert "today's free times" not in page.text
    empty = page.select_one(".empty")
    assert "no free times left to book online today" in empty.get_text(" ")
    assert "call us now" in empty.get_text(" ")
    assert empty.select_one('a[href="tel:5550102040"]').get_text() == "(555) 010-2040"
    assert "urgent care" in empty.get_text(" ")
    # A call back can take a working day: too slow for someone who should see a doctor today.
    assert not empty.select('a[href="/appointments/call/"]')


# The confirmation page


def book_soon(new_patient):
    made = book(free(new_patient)[0], new_patient)
    return f"/appointments/manage/{notify.manage_token(made)}/?booked=1"


def test_a_visit_that_can_still_change_online_says_to_keep_the_page(client, new_patient):
    url = book_soon(new_patient)
    with_clinic(cancel_notice_hours=0)
    page = Page(client.get(url))
    assert "Keep this page's address: you can change or cancel your visit here." in page.text
    assert "Choose another time" in page.text and "Cancel this appointment" in page.text


def test_a_visit_too_near_to_change_online_says_to_call_and_promises_nothing_else(client, new_patient):
    url = book_soon(new_patient)
    with_clinic(cancel_notice_hours=9999)  # every visit is inside the notice
    page = Page(client.get(url))
    assert "You are booked" in page.text
    assert "change or cancel your visit here" not in page.text
    assert "Cancel this appointment" not in page.text
    assert "less than 9999 hours away, so it cannot be changed online" in page.text
    assert page.links_to("tel:5550102040")


def test_the_visit_page_names_the_time_zone_as_the_confirmation_does(client, new_patient):
    from painpoint.clinics.models import Clinic

    clinic = Clinic.objects.current()
    first = free(new_patient)[0]
    page = Page(client.get("/appointments/new-patient/"))
    hint = page.select_one("#times .hint").get_text()
    short = first.start.astimezone(clinic.zone).tzname()
    assert f"({short})" in hint and clinic.time_zone not in hint
    assert f"({short})" in notify.when(first.start, clinic)


def with_clinic(**changes):
    from painpoint.clinics.models import Clinic

    Clinic.objects.update(**changes)


# The request-a-call form


def label_of(page, field: str) -> str:
    return page.select_one(f'label[for="id_{field}"]').get_text(strip=True)


def test_the_call_form_marks_every_optional_field(client):
    page = Page(client.get("/appointments/call/"))
    assert label_of(page, "email") == "Email (optional)"
    assert label_of(page, "date_of_birth") == "Date of birth (optional)"
    assert label_of(page, "best_time").endswith("(optional)")
    assert "optional" not in label_of(page, "name") + label_of(page, "phone")


def test_the_call_form_says_what_the_email_is_for_on_a_call_request(client):
    hint = Page(client.get("/appointments/call/")).select_one("#id_email_helptext").get_text()
    # A call request sends no confirmation and no reminder: only a note that it arrived.
    assert "reminder" not in hint and "confirmation" not in hint
    assert "we have your request" in hint


def test_the_booking_form_still_asks_for_its_email_and_date_of_birth(client, new_patient):
    page = Page(client.get("/appointments/new-patient/"))
    assert label_of(page, "email") == "Email"
    assert label_of(page, "date_of_birth") == "Date of birth"


def summary_links(page) -> dict[str, str]:
    summary = page.select_one(".error-summary[role=alert]")
    return {link["href"]: link.get_text(" ", strip=True) for link in summary.select("a")}


def test_the_call_form_error_summary_links_each_mistake_to_its_field(client):
    mistakes = {"name": "", "phone": "call me", "email": "ann@", "token": "t"}
    page = Page(client.post("/appointments/call/", mistakes))
    links = summary_links(page)
    assert links == {
        "#id_name": "Your full name: Enter your full name.",
        "#id_phone": "Phone number: " + page.select_one("#id_phone_error").get_text(),
        "#id_email": "Email (optional): Enter a valid email address.",
        "#id_consent": "Please tick this box so we may contact you.",
    }
    for href in links:
        assert page.select_one(href) is not None, href
    assert Request.objects.count() == 0


def test_the_booking_form_error_summary_links_the_time_and_the_fields(client, new_patient):
    page = Page(client.post("/appointments/new-patient/", details(slot="", name="", consent="")))
    links = summary_links(page)
    assert list(links) == ["#times", "#id_name", "#id_consent"]
    assert links["#times"] == "Day and time: Please choose a time."
    for href in links:
        assert page.select_one(href) is not None, href


def test_the_request_and_contact_forms_share_the_linked_error_summary(client):
    page = Page(client.post("/appointments/injection-consultation/", details(days=["sun"], phone="")))
    links = summary_links(page)
    assert set(links) == {"#id_days_0", "#id_phone"}
    for href in links:
        assert page.select_one(href) is not None, href
    page = Page(contact_form(client, name="", phone="", email=""))
    assert set(summary_links(page)) == {"#id_name", "#id_phone"}
