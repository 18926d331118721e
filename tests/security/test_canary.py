"""Canary values sent through every form never turn up in logs, emails, URLs or headers.

Each field gets its own marker, made at run time (so no source line, template or fixture can hold one):
`<MARKER>bookname`, `<MARKER>callreason`, ... The rules:

* Logs (every logger, at DEBUG): no marker at all.
* URLs (every request path and query, redirect target, and href/src/action/formaction in every page rendered
  during the flow) and response headers: no marker at all. One exception, on staff pages only: a `mailto:`
  link may hold the patient's own email address, since it opens the staff member's mail program and is never
  requested from a server.
* Emails: a patient's own email (sent to the address they gave) may hold their own name and email address,
  and nothing else they typed. Every other email, including every staff notice, holds no marker at all. So
  no health detail (reason, message, best time, symptoms, staff notes) is in any email.
* The audit trail: no marker (it says what was done to which entry, never what the entry says).

The forms: every interview step (it has no free text today; any free-text field a step grows gets a marker,
and every field is first posted with a marker, which the step must refuse), booking, asking for a time, asking
for a call, the contact form, the staff sign-in, and the inbox's name search, notes and status notes. The site
search is left out on purpose: it is a GET form, so its words are in its URL by design.
"""

from __future__ import annotations

import logging
import secrets
import time as clock
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils import timezone

from painpoint.booking.calendar import Window, free_slots
from painpoint.booking.forms import ContactForm
from painpoint.booking.models import Request, VisitType
from painpoint.clinics.models import Clinic
from painpoint.clinics.roles import CLINIC_ADMIN, CLINICIAN, FRONT_DESK
from painpoint.inbox.models import AuditEvent
from painpoint.outbox.api import deliver_due
from painpoint.testing.factories import make_user, sign_in_staff
from tests.security import interview

pytestmark = pytest.mark.django_db

MARKER = "canary" + secrets.token_hex(6)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcset", "poster", "data", "cite")
FORMS = ("book", "ask", "call", "contact")  # the booking, request-a-time, call-me and contact forms


def m(field: str) -> str:
    """The marker for one field, e.g. m("bookname")."""
    return MARKER + field


def email_of(form: str) -> str:
    return f"{m(form + 'email')}@example.org"


def own_details(form: str) -> tuple[str, ...]:
    """What a patient's own email may repeat back to them: their name and their address."""
    return (m(form + "name"), m(form + "email"))


class Recorder:
    """A test client that follows redirects by hand and keeps every URL and header it meets."""

    def __init__(self, client: Client, who: str) -> None:
        self.client = client
        self.who = who
        self.seen: list[tuple[str, str]] = []  # (where it was found, the text)

    def get(self, path: str, **data: Any) -> Any:
        return self.send("GET", path, data)

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.send("POST", path, data)

    def send(self, method: str, path: str, data: dict[str, Any]) -> Any:
        response = self.client.get(path, data) if method == "GET" else self.client.post(path, data)
        self.keep(method, response)
        hops = 0
        while response.status_code in (301, 302, 303) and hops < 5:
            response = self.client.get(response["Location"])
            self.keep("GET", response)
            hops += 1
        return response

    def keep(self, method: str, response: Any) -> None:
        environ = response.wsgi_request.META
        url = environ["PATH_INFO"] + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        where = f"{self.who} {method} {url}"
        self.seen.append((f"{where}: the URL", url))
        for header, value in response.items():
            self.seen.append((f"{where}: header {header}", value))
        if "text/html" not in response.get("Content-Type", ""):
            return
        page = BeautifulSoup(response.content.decode("utf-8"), "html.parser")
        for element in page.find_all(True):
            for attribute in URL_ATTRIBUTES:
                value = element.get(attribute)
                if value is None:
                    continue
                if (
                    attribute == "href"
                    and value.startswith("mailto:")
                    and url.startswith("/staff/")
                    and any(value == f"mailto:{email_of(form)}" for form in FORMS)
                ):
                    continue  # the patient's own address, for staff to write to (see the module's rules)
                self.seen.append((f"{where}: <{element.name} {attribute}>", value))


@pytest.fixture
def every_log(caplog):
    """Every record of every logger at DEBUG, whatever the logging settings say."""
    names = ["", *logging.root.manager.loggerDict]
    quiet = {}
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name or None)
        found = logging.getLogger(name or None)
        quiet[name] = found.propagate
        found.propagate = True
    yield caplog
    for name, propagate in quiet.items():
        logging.getLogger(name or None).propagate = propagate


def log_text(caplog) -> str:
    formatter = logging.Formatter()
    parts = [caplog.text]
    for record in caplog.records:
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append(formatter.formatException(record.exc_info))
        parts.append(str(record.stack_info or ""))
        parts.append(repr(vars(record)))
    return "\n".join(parts)


def email_texts(message: Any) -> str:
    parts = [message.subject, message.body, message.from_email, *message.to, *message.cc, *message.bcc]
    parts += [*message.reply_to, *(f"{k}: {v}" for k, v in message.extra_headers.items())]
    parts += [content for content, _ in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            filename, content, mimetype = attachment
            data = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
            parts += [str(filename), data, str(mimetype)]
        else:  # a MIME part
            data = attachment.get_payload(decode=True) or b""
            parts += [str(attachment.get_filename()), data.decode("utf-8", "replace")]
    # Unfold iCalendar lines (RFC 5545 folds at 75 octets), or a long name could hide a marker across lines.
    return "\n".join(parts).replace("\r\n ", "").replace("\n ", "")


# The flow


def walk_the_interview(visitor: Recorder) -> None:
    """Every step, first with the marker in every field (refused), then answered, with the marker in any
    free-text field a step has."""
    interview.walk(
        visitor.get,
        visitor.post,
        lambda: visitor.client.session,
        free_text=m("checktext"),
        junk=m("checkjunk"),
    )
    results = visitor.get("/check/results/")
    assert results.status_code == 200 and b"data-triage" in results.content


def details(form: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": f"Ann {m(form + 'name')}",
        "phone": "(555) 010-0100",
        "email": email_of(form),
        "date_of_birth": "1961-04-12",
        "reason": f"Sharp pain down my left leg {m(form + 'reason')}",
        "consent": "on",
        "token": "tok-" + form,
        **extra,
    }


def book_a_visit(visitor: Recorder) -> None:
    visit_type = VisitType.objects.get(slug="new-patient")
    # Not the very first slot: the minimum notice may catch up with it while the test runs.
    slot = free_slots(visit_type, Window.for_visitors(Clinic.objects.current()))[1]
    visitor.get("/appointments/")
    visitor.get("/appointments/new-patient/")
    again = visitor.post("/appointments/new-patient/", details("book", consent="", slot=slot.key))
    assert again.status_code == 200  # a mistake: the page comes back with what was typed
    booked = visitor.post("/appointments/new-patient/", details("book", slot=slot.key))
    assert b"You are booked" in booked.content
    manage = booked.wsgi_request.path
    visitor.get(manage + "move/")


def ask_for_a_time(visitor: Recorder) -> None:
    url = "/appointments/injection-consultation/"
    visitor.get(url)
    again = visitor.post(url, details("ask", days=[m("askdays")], times=[m("asktimes")]))
    assert again.status_code == 200
    visitor.post(url, details("ask", days=["tue", "thu"], times=["morning"]))
    assert Request.objects.filter(kind=Request.APPOINTMENT_REQUEST).exists()


def ask_for_a_call(visitor: Recorder) -> None:
    visitor.get("/appointments/call/")
    data = details("call", best_time=f"After 4 pm {m('callbesttime')}", date_of_birth="")
    again = visitor.post("/appointments/call/", {**data, "phone": m("callphone")})
    assert again.status_code == 200
    visitor.post("/appointments/call/", data)
    assert Request.objects.filter(kind=Request.CALL_REQUEST).exists()


def send_a_message(visitor: Recorder, monkeypatch) -> None:
    visitor.get("/contact/")
    data = {
        "name": f"Cal {m('contactname')}",
        "phone": "",
        "email": email_of("contact"),
        "message": f"Does the injection hurt? {m('contactmessage')}",
        "consent": "on",
        "website": "",
        "started": ContactForm.start_stamp(),
    }
    real = clock.time
    monkeypatch.setattr("painpoint.booking.forms.time.time", lambda: real() + 10)  # ten seconds to type
    visitor.post("/contact/", data)
    monkeypatch.undo()
    assert Request.objects.filter(kind=Request.MESSAGE).exists()


def answer_in_the_inbox(desk: Recorder) -> None:
    desk.get("/staff/")
    desk.post("/staff/search/", {"q": m("bookname"), "filters": "status=new"})
    desk.post("/staff/search/", {"q": "", "clear": "1"})
    for found in Request.objects.order_by("pk"):
        desk.get(f"/staff/requests/{found.pk}/")
        desk.post(f"/staff/requests/{found.pk}/notes/", {"text": f"Left a message {m('note')}"})
        desk.post(f"/staff/requests/{found.pk}/notes/", {"text": " "})  # refused: the page comes back
        if found.status == Request.NEW:
            note = f"Called, will book {m('statusnote')}"
            desk.post(f"/staff/requests/{found.pk}/status/", {"status": "contacted", "note": note})
            desk.post(f"/staff/requests/{found.pk}/status/", {"status": m("status"), "note": note})
        if found.kind in (Request.APPOINTMENT_REQUEST, Request.CALL_REQUEST):
            desk.get(f"/staff/requests/{found.pk}/slot/")


def try_to_sign_in(visitor: Recorder) -> None:
    """A user name field sometimes gets a password typed into it: it must not be kept anywhere."""
    visitor.get("/staff/sign-in/", next="/staff/")
    visitor.post("/staff/sign-in/?next=/staff/", {"username": m("username"), "password": m("password")})
    visitor.post("/staff/sign-in/", {"username": m("username2"), "password": ""})


def test_markers_sent_through_every_form_stay_out_of_logs_emails_urls_and_headers(
    client, every_log, monkeypatch
):
    visitor = Recorder(client, "visitor")
    walk_the_interview(visitor)
    book_a_visit(visitor)
    walk_the_interview(visitor)  # the request goes with a fresh pain summary too
    ask_for_a_time(visitor)
    ask_for_a_call(visitor)
    send_a_message(visitor, monkeypatch)
    try_to_sign_in(Recorder(Client(), "stranger"))

    desk = Recorder(Client(), "front desk")
    sign_in_staff(desk.client, make_user("desk", role=FRONT_DESK))
    answer_in_the_inbox(desk)
    clinician = Recorder(Client(), "clinician")
    sign_in_staff(clinician.client, make_user("doc", role=CLINICIAN))
    for found in Request.objects.order_by("pk"):
        clinician.get(f"/staff/requests/{found.pk}/fhir.json")
    boss = Recorder(Client(), "clinic admin")
    sign_in_staff(boss.client, make_user("boss", role=CLINIC_ADMIN))
    audit_page = boss.get("/staff/audit/")

    # Every email, reminders included, goes out now.
    deliver_due(now=timezone.now() + timedelta(days=400))
    assert len(mail.outbox) >= 8

    problems = []
    logs = log_text(every_log)
    if MARKER in logs:
        start = logs.index(MARKER)
        problems.append(f"a log holds a marker: …{logs[max(0, start - 200) : start + 60]}…")
    for recorder in (visitor, desk, clinician, boss):
        for where, text in recorder.seen:
            if MARKER in text:
                problems.append(f"{where}: {text[:200]}")
    for message in mail.outbox:
        text = email_texts(message)
        own = [form for form in FORMS if message.to == [email_of(form)]]
        for allowed in own_details(own[0]) if own else ():
            text = text.replace(allowed, "")
        if MARKER in text:
            kind = f"the patient's own email ({own[0]} form)" if own else f"an email to {message.to}"
            problems.append(f"{kind} '{message.subject}' holds a marker it must not")
    for event in AuditEvent.objects.all():
        if MARKER in f"{event.username} {event.object_kind} {event.object_id} {event.detail}":
            problems.append(f"audit event {event} holds a marker: {event.detail}")
    assert MARKER.encode() not in audit_page.content
    assert not problems, f"{len(problems)} leaks:\n" + "\n".join(problems)


def test_the_flow_really_carried_the_markers(client, every_log, monkeypatch):
    """A control: the markers did reach the places they belong, so their absence elsewhere means something."""
    visitor = Recorder(client, "visitor")
    walk_the_interview(visitor)
    book_a_visit(visitor)
    ask_for_a_call(visitor)
    send_a_message(visitor, monkeypatch)
    deliver_due(now=timezone.now() + timedelta(days=400))
    booked = Request.objects.get(kind=Request.BOOKING)
    assert m("bookname") in booked.name and m("bookreason") in booked.reason
    assert Request.objects.get(kind=Request.CALL_REQUEST).preferred_times.endswith(m("callbesttime"))
    assert m("contactmessage") in Request.objects.get(kind=Request.MESSAGE).reason
    own = [message for message in mail.outbox if message.to == [email_of("book")]]
    assert own and m("bookname") in own[0].body  # "Hello Ann …": the one thing it may repeat
    # And the recorder does see URLs and the logger does see records.
    assert any("/appointments/manage/" in text for _, text in visitor.seen)
    assert every_log.records
