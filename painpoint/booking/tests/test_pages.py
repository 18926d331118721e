"""The visitor's booking pages: choosing a visit and a time, the details form, and the signed link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from painpoint.assessment.steps import SESSION_KEY
from painpoint.booking import notify, service
from painpoint.booking.models import Appointment, Request
from painpoint.booking.tests.conftest import ANN, free
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
    service.book(
        visit_type=new_patient,
        start=slot.start,
        provider_id=slot.provider_id,
        location_id=slot.location_id,
        patient=ANN,
    )
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
    made, _ = service.book(
        visit_type=new_patient,
        start=later.start,
        provider_id=later.provider_id,
        location_id=later.location_id,
        patient=ANN,
    )
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
    made, _ = service.book(
        visit_type=new_patient,
        start=found[0].start,
        provider_id=found[0].provider_id,
        location_id=found[0].location_id,
        patient=ANN,
    )
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
