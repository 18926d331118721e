"""The staff inbox: who sees and changes what, the list and its name search, the entry with its pain summary,
the front desk's actions, and the audit trail behind all of them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from painpoint.assessment.knowledge import clinic_knowledge
from painpoint.booking import service
from painpoint.booking.calendar import Window, free_slots
from painpoint.booking.models import Appointment, CalendarUnit, Provider, Request, VisitType
from painpoint.clinics.models import Clinic
from painpoint.clinics.roles import CLINIC_ADMIN, CLINICIAN, CONTENT_EDITOR, FRONT_DESK
from painpoint.engine import assess
from painpoint.engine.tests.test_assess import CONTRACT_EXAMPLE as SCIATICA  # sciatica, an appointment
from painpoint.engine.validate import validate
from painpoint.inbox.models import AuditEvent, Note, audit
from painpoint.inbox.views import SEARCH_KEY
from painpoint.testing.factories import make_user, sign_in_staff

pytestmark = pytest.mark.django_db

ANN = service.Patient(
    name="Ann Example",
    phone="(555) 010-0100",
    email="ann@example.org",
    date_of_birth=date(1963, 4, 2),
    reason="My back has hurt for weeks.",
)
BOB = service.Patient(name="Bob Sample", phone="(555) 010-0200", email="", date_of_birth=None)
# Back pain after cancer: the engine says urgent, with the cancer-history red flag.
URGENT = {
    "age": 62,
    "sex": "female",
    "regions": ["lower-back", "buttock-left"],
    "duration_days": 42,
    "severity": 7,
    "findings": ["history-cancer", "onset-gradual", "quality-aching", "worse-night"],
}


def engine_assessment(raw: dict[str, Any], summary: tuple[tuple[str, str], ...] = ()) -> service.Assessment:
    """An assessment as the booking API makes one: the answers checked, then the real engine run on them."""
    answers, problems = validate(raw)
    assert answers is not None, problems
    result = assess(answers, clinic_knowledge()).to_contract()
    return service.Assessment(answers=raw, result=result, summary=summary)


def weekday_morning(days_ahead: int = 3) -> datetime:
    """7 am, clinic time, on a weekday at least `days_ahead` days from now."""
    zone = Clinic.objects.current().zone
    day = timezone.now().astimezone(zone).date() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(7), tzinfo=zone)


def book_urgent(patient: service.Patient = ANN, raw: dict[str, Any] | None = None, **kwargs: Any) -> Request:
    """Book a new-patient visit through the service, with an urgent assessment (so: the same day's slots)."""
    now = weekday_morning()
    visit_type = VisitType.objects.get(slug="new-patient")
    slot = free_slots(visit_type, Window.for_visitors(Clinic.objects.current(), now, same_day=True))[0]
    made, _ = service.book(
        visit_type=visit_type,
        start=slot.start,
        provider_id=slot.provider_id,
        location_id=slot.location_id,
        patient=patient,
        assessment=engine_assessment(raw or URGENT, **kwargs),
        now=now,
    )
    return made


def ask(kind: str = Request.CALL_REQUEST, patient: service.Patient = BOB, **kwargs: Any) -> Request:
    kwargs.setdefault("preferred_times", "Mornings")
    made, _ = service.ask(kind=kind, patient=patient, **kwargs)
    return made


def staff(client: Any, role: str | None, username: str = "") -> Any:
    user = make_user(username or (role or "norole").lower().replace(" ", "-"), role=role)
    sign_in_staff(client, user)
    return user


def page(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


# Who may do what


def test_anonymous_visitors_are_sent_to_sign_in(client):
    made = ask()
    for url in (
        "/staff/",
        f"/staff/requests/{made.pk}/",
        f"/staff/requests/{made.pk}/fhir.json",
        "/staff/audit/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/"), url
    response = client.post(f"/staff/requests/{made.pk}/status/", {"status": "contacted"})
    assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")
    assert Request.objects.get(pk=made.pk).status == Request.NEW


@pytest.mark.parametrize("role", [CONTENT_EDITOR, None])
def test_a_content_editor_and_a_user_without_a_role_are_turned_away(client, role):
    made = ask()
    staff(client, role)
    for url in (
        "/staff/",
        f"/staff/requests/{made.pk}/",
        f"/staff/requests/{made.pk}/fhir.json",
        f"/staff/requests/{made.pk}/slot/",
        "/staff/audit/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/staff/requests/{made.pk}/status/", {"status": "contacted"}).status_code == 403
    assert client.post(f"/staff/requests/{made.pk}/notes/", {"text": "Called"}).status_code == 403
    assert client.post("/staff/search/", {"q": "Bob"}).status_code == 403
    assert Request.objects.get(pk=made.pk).status == Request.NEW and not Note.objects.exists()
    assert not AuditEvent.objects.filter(action__in=[AuditEvent.VIEW, AuditEvent.EXPORT]).exists()


def test_the_front_desk_can_change_the_status_but_not_export(client):
    made = ask()
    staff(client, FRONT_DESK)
    assert client.get(f"/staff/requests/{made.pk}/").status_code == 200
    response = client.post(f"/staff/requests/{made.pk}/status/", {"status": "contacted"})
    assert response.status_code == 302
    assert Request.objects.get(pk=made.pk).status == Request.CONTACTED
    assert client.get(f"/staff/requests/{made.pk}/fhir.json").status_code == 403
    assert client.get("/staff/audit/").status_code == 403
    detail = client.get(f"/staff/requests/{made.pk}/").content
    assert b"fhir.json" not in detail and b"data-print" not in detail


def test_a_clinician_can_export_and_add_notes_but_not_change_the_status_or_the_calendar(client):
    made = ask()
    booked = book_urgent()
    staff(client, CLINICIAN)
    assert client.get(f"/staff/requests/{made.pk}/fhir.json").status_code == 200
    assert client.post(f"/staff/requests/{made.pk}/notes/", {"text": "Read it."}).status_code == 302
    assert client.post(f"/staff/requests/{made.pk}/status/", {"status": "contacted"}).status_code == 403
    assert client.get(f"/staff/requests/{made.pk}/slot/").status_code == 403
    appointment = booked.appointments.get()
    cancel = f"/staff/requests/{booked.pk}/appointments/{appointment.pk}/cancel/"
    assert client.post(cancel, {"confirm": "on"}).status_code == 403
    assert Request.objects.get(pk=made.pk).status == Request.NEW
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.BOOKED
    detail = page(client.get(f"/staff/requests/{made.pk}/"))
    assert detail.select_one("a[href$='fhir.json']") is not None
    assert detail.select_one("form[action$='/status/']") is None


def test_only_a_clinic_admin_reads_the_audit_trail(client):
    ask()
    for role in (FRONT_DESK, CLINICIAN):
        staff(client, role)
        assert client.get("/staff/audit/").status_code == 403
    admin = staff(client, CLINIC_ADMIN)
    response = client.get("/staff/audit/")
    assert response.status_code == 200
    assert b"Audit trail" in response.content
    # Read-only: the page offers no form that posts.
    assert not page(response).select("form[method='post']:not([action='/staff/sign-out/'])")
    assert admin.username.encode() in response.content


# The list


def test_the_list_shows_every_kind_of_request_newest_first_with_level_visit_and_local_time(client):
    booked = book_urgent()  # created "on" a weekday morning days from now: the newest
    ask(patient=BOB)
    request_visit = ask(
        Request.APPOINTMENT_REQUEST,
        patient=service.Patient(name="Cleo Request", phone="(555) 010-0300", email="", date_of_birth=None),
        visit_type=VisitType.objects.get(slug="injection-consultation"),
    )
    staff(client, FRONT_DESK)
    response = client.get("/staff/")
    assert response.status_code == 200
    rows = page(response).select("table.inbox-table tbody tr")
    assert [row.select_one("th").get_text(strip=True) for row in rows] == [
        "Ann Example",
        "Cleo Request",
        "Bob Sample",
    ]
    first = rows[0].get_text(" ", strip=True)
    assert "Booked appointment" in first and "Urgent" in first and "New-patient consultation" in first
    start = booked.appointments.get().start.astimezone(Clinic.objects.current().zone)
    assert f"{start:%b} {start.day}, {start:%I:%M}".replace(" 0", " ") in first
    assert rows[0].select_one("[data-triage='urgent']") is not None
    assert "Injection consultation" in rows[1].get_text() and "Appointment request" in rows[1].get_text()
    assert "Call request" in rows[2].get_text() and "No assessment" in rows[2].get_text()
    assert request_visit.pk


def test_the_list_filters_by_status_kind_visit_provider_level_and_day(client):
    booked = book_urgent()
    call = ask(patient=BOB, now=timezone.now() - timedelta(days=10))
    other = ask(
        Request.APPOINTMENT_REQUEST,
        patient=service.Patient(name="Cleo Request", phone="(555) 010-0300", email="", date_of_birth=None),
        visit_type=VisitType.objects.get(slug="injection-consultation"),
        assessment=engine_assessment(SCIATICA),
    )
    Request.objects.filter(pk=call.pk).update(status=Request.CONTACTED)
    staff(client, FRONT_DESK)
    provider = booked.appointments.get().provider
    someone_else = Provider.objects.exclude(pk=provider.pk).first()
    zone = Clinic.objects.current().zone
    today = timezone.now().astimezone(zone).date()

    def names(query: str) -> list[str]:
        response = client.get("/staff/?" + query)
        assert response.status_code == 200
        return [th.get_text(strip=True) for th in page(response).select("tbody th")]

    assert names("status=contacted") == ["Bob Sample"]
    assert names("kind=booking") == ["Ann Example"]
    assert names("kind=appointment-request") == ["Cleo Request"]
    assert names("visit_type=injection-consultation") == ["Cleo Request"]
    assert names(f"provider={provider.pk}") == ["Ann Example"]
    assert names(f"provider={someone_else.pk}") == []
    assert names("triage=urgent") == ["Ann Example"]
    assert names("triage=appointment") == ["Cleo Request"]
    assert names("triage=none") == ["Bob Sample"]
    assert names(f"created_to={today - timedelta(days=5)}") == ["Bob Sample"]
    assert names(f"created_from={today}&created_to={today}") == ["Cleo Request"]
    assert names("kind=call-request&status=new") == []
    # A wrong value is reported and left out; the other filters still apply.
    response = client.get("/staff/?created_from=not-a-date&kind=booking")
    assert [th.get_text(strip=True) for th in page(response).select("tbody th")] == ["Ann Example"]
    assert page(response).select_one(".has-error") is not None
    assert other.pk


def test_the_name_search_is_posted_kept_in_the_session_and_never_put_in_a_url(client):
    ask(patient=ANN)
    ask(patient=BOB)
    staff(client, FRONT_DESK)
    response = client.post("/staff/search/", {"q": "  ann  ", "filters": "kind=call-request"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/?kind=call-request"
    assert client.session[SEARCH_KEY] == "ann"
    listing = client.get(response["Location"])
    assert [th.get_text(strip=True) for th in page(listing).select("tbody th")] == ["Ann Example"]
    links = [
        tag.get(attr, "") for tag in page(listing).select("[href], [action]") for attr in ("href", "action")
    ]
    assert links and not any("ann" in link.lower() for link in links)
    assert b"Clear search" in listing.content
    # Whatever rides in the hidden filters field, only known filters come back into the URL.
    response = client.post(
        "/staff/search/", {"q": "ann", "filters": "kind=call-request&q=Ann+Example&name=Ann"}
    )
    assert response["Location"] == "/staff/?kind=call-request"
    cleared = client.post("/staff/search/", {"q": "ann", "clear": "1"})
    assert cleared["Location"] == "/staff/" and SEARCH_KEY not in client.session
    names = [th.get_text(strip=True) for th in page(client.get("/staff/")).select("tbody th")]
    assert sorted(names) == ["Ann Example", "Bob Sample"]
    # No name in any audit record either.
    assert not AuditEvent.objects.filter(detail__icontains="ann ").exists()
    assert client.get("/staff/search/").status_code == 405


def test_the_list_shows_25_requests_a_page(client):
    for number in range(27):
        ask(
            patient=service.Patient(
                name=f"Patient {number:02}", phone="(555) 010-0100", email="", date_of_birth=None
            ),
            now=timezone.now() - timedelta(minutes=number),
        )
    staff(client, FRONT_DESK)
    first = page(client.get("/staff/?kind=call-request"))
    assert len(first.select("tbody tr")) == 25
    assert first.select_one("tbody th").get_text(strip=True) == "Patient 00"
    older = first.select_one("a[rel='next']")["href"]
    assert older == "?kind=call-request&page=2"
    second = page(client.get("/staff/" + older))
    assert [th.get_text(strip=True) for th in second.select("tbody th")] == ["Patient 25", "Patient 26"]


# One request


def test_the_entry_shows_the_pain_summary_of_a_booking_made_through_the_service(client):
    booked = book_urgent()
    staff(client, CLINICIAN)
    response = client.get(f"/staff/requests/{booked.pk}/")
    assert response.status_code == 200
    html = page(response)
    summary = html.select_one("#summary")
    text = summary.get_text(" ", strip=True)
    # The figure with the chosen regions drawn, inert like the results page's.
    figure = summary.select_one("[inert] .bodymap")
    assert figure["data-selected"] == "lower-back buttock-left"
    assert "Lower back" in text and "Left buttock" in text
    assert "7/10" in text
    assert "About 6 weeks" in text
    assert "You have had cancer" in text  # the finding, in the interview's words
    flag = summary.select_one("[data-red-flag='cancer-history']")
    assert "cancer can spread to the spine" in flag.get_text() and "Urgent" in flag.get_text()
    assert summary.select_one(".triage-box[data-triage='urgent']") is not None
    conditions = summary.select_one("table.conditions").get_text(" ", strip=True)
    assert "Cancer in the spine" in conditions and "C79.51" in conditions and "Most likely" in conditions
    # Contact details, the appointment and the print button (hidden until its script runs).
    page_text = html.get_text(" ", strip=True)
    assert "(555) 010-0100" in page_text and "ann@example.org" in page_text and "April 2, 1963" in page_text
    assert "My back has hurt for weeks." in page_text
    assert "Dr. Maria Lopez" in page_text or "Dr. Ben Holt" in page_text
    assert html.select_one("button[data-print][hidden]") is not None
    assert html.select_one("script[type='module'][src$='inbox/print.js']") is not None
    # The title names the request, not the patient: titles stay in the browser's history.
    assert "Ann" not in html.title.get_text()


def test_the_entry_shows_the_answers_in_the_words_the_patient_read_when_the_interview_stored_them(client):
    rows = (
        ("Where it hurts", "Lower back, Left buttock"),
        ("What you told us", "You have had cancer; Slowly"),
    )
    booked = book_urgent(summary=rows)
    staff(client, FRONT_DESK)
    summary = page(client.get(f"/staff/requests/{booked.pk}/")).select_one("#summary")
    assert "Answers, as the patient read them" in summary.get_text()
    assert "You have had cancer; Slowly" in summary.get_text()


def test_a_request_without_an_assessment_says_so(client):
    made = ask()
    staff(client, FRONT_DESK)
    response = client.get(f"/staff/requests/{made.pk}/")
    assert b"there is no pain summary" in response.content
    assert client.get("/staff/requests/99999/").status_code == 404


def test_pages_have_one_h1_and_no_inline_script_or_style(client):
    booked = book_urgent()
    call = ask()
    staff(client, CLINIC_ADMIN)
    for url in (
        "/staff/",
        f"/staff/requests/{booked.pk}/",
        f"/staff/requests/{call.pk}/",
        f"/staff/requests/{call.pk}/slot/",
        "/staff/audit/",
    ):
        html = page(client.get(url))
        assert len(html.select("h1")) == 1, url
        assert not html.select("[style]"), url
        assert not html.select("style"), url
        assert all(script.get("src") for script in html.select("script")), url
        for field in html.select("input:not([type='hidden']), select, textarea"):
            if field.get("type") in ("checkbox", "radio"):
                assert field.find_parent("label") is not None, url
            else:
                assert html.select_one(f"label[for='{field['id']}']") is not None, (url, field)


# Changes


def test_changing_the_status_follows_the_workflow_and_is_audited(client):
    made = ask()
    user = staff(client, FRONT_DESK)
    response = client.post(
        f"/staff/requests/{made.pk}/status/", {"status": "contacted", "note": "Left a message."}
    )
    assert response.status_code == 302 and response["Location"] == f"/staff/requests/{made.pk}/"
    made.refresh_from_db()
    assert made.status == Request.CONTACTED
    assert Note.objects.get(request=made).text == "Left a message."
    event = AuditEvent.objects.filter(action=AuditEvent.CHANGE).get()
    assert (event.user, event.object_kind, event.object_id) == (user, "request", str(made.pk))
    assert event.detail == "status new → contacted, note added"
    # "Booked" comes only with an appointment, and attended only after one: refused, nothing changes.
    for status in ("booked", "attended", "new"):
        response = client.post(f"/staff/requests/{made.pk}/status/", {"status": status})
        assert response.status_code == 400, status
        assert b"Select a valid choice" in response.content
    made.refresh_from_db()
    assert made.status == Request.CONTACTED
    assert AuditEvent.objects.filter(action=AuditEvent.CHANGE).count() == 1


def test_a_booked_request_is_marked_attended_only_once_its_visit_has_begun(client):
    booked = book_urgent()
    staff(client, FRONT_DESK)
    assert client.post(f"/staff/requests/{booked.pk}/status/", {"status": "attended"}).status_code == 400
    appointment = booked.appointments.get()
    past = timezone.now() - timedelta(hours=1)
    Appointment.objects.filter(pk=appointment.pk).update(start=past, end=past + timedelta(minutes=45))
    assert client.post(f"/staff/requests/{booked.pk}/status/", {"status": "attended"}).status_code == 302
    booked.refresh_from_db()
    assert booked.status == Request.ATTENDED


def test_adding_a_note_is_audited_and_shows_on_the_entry(client):
    made = ask()
    user = staff(client, CLINICIAN)
    response = client.post(f"/staff/requests/{made.pk}/notes/", {"text": "Called back, all fine."})
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.request, note.author, note.text) == (made, user, "Called back, all fine.")
    event = AuditEvent.objects.get(action=AuditEvent.CHANGE)
    assert (event.user, event.object_id, event.detail) == (user, str(made.pk), "note added")
    assert b"Called back, all fine." in client.get(f"/staff/requests/{made.pk}/").content
    empty = client.post(f"/staff/requests/{made.pk}/notes/", {"text": "   "})
    assert empty.status_code == 400 and Note.objects.count() == 1


def test_the_front_desk_gives_a_call_request_a_free_slot(client):
    made = ask()
    user = staff(client, FRONT_DESK)
    visit_type = VisitType.objects.get(slug="follow-up")
    response = client.get(f"/staff/requests/{made.pk}/slot/?visit_type=follow-up")
    assert response.status_code == 200
    html = page(response)
    day_link = html.select(".day-picker a")[1]["href"]
    assert day_link.startswith("?visit_type=follow-up&day=")
    other_day = page(client.get(f"/staff/requests/{made.pk}/slot/" + day_link.split("#")[0]))
    key = other_day.select_one("input[name='slot']")["value"]
    response = client.post(f"/staff/requests/{made.pk}/slot/", {"visit_type": "follow-up", "slot": key})
    assert response.status_code == 302 and response["Location"] == f"/staff/requests/{made.pk}/"
    made.refresh_from_db()
    appointment = made.appointments.get()
    assert made.status == Request.BOOKED and appointment.visit_type == visit_type
    assert CalendarUnit.objects.filter(appointment=appointment).count() == 30 // 5
    event = AuditEvent.objects.get(action=AuditEvent.CHANGE)
    assert (event.user, event.object_id, event.detail) == (
        user,
        str(made.pk),
        f"appointment #{appointment.pk} booked",
    )
    # Once booked, there is no second slot to give.
    assert client.get(f"/staff/requests/{made.pk}/slot/").status_code == 302


def test_a_time_taken_meanwhile_shows_the_booking_error_next_to_the_slots(client):
    made = ask()
    taken = book_urgent()
    appointment = taken.appointments.get()
    staff(client, FRONT_DESK)
    key = f"{appointment.start:%Y%m%dT%H%M}-{appointment.provider_id}-{appointment.location_id}"
    response = client.post(f"/staff/requests/{made.pk}/slot/", {"visit_type": "new-patient", "slot": key})
    assert response.status_code == 409
    error = page(response).select_one("#slot-error, .field-error")
    assert "just taken" in error.get_text()
    made.refresh_from_db()
    assert made.status == Request.NEW and not made.appointments.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.CHANGE).exists()


def test_the_front_desk_cancels_a_booked_appointment_after_confirming(client):
    booked = book_urgent()
    appointment = booked.appointments.get()
    user = staff(client, FRONT_DESK)
    url = f"/staff/requests/{booked.pk}/appointments/{appointment.pk}/cancel/"
    unconfirmed = client.post(url)
    assert unconfirmed.status_code == 400 and b"Tick the box" in unconfirmed.content
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.BOOKED
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    booked.refresh_from_db()
    assert appointment.status == Appointment.CANCELLED and booked.status == Request.CANCELLED
    assert not CalendarUnit.objects.filter(appointment=appointment).exists()
    event = AuditEvent.objects.get(action=AuditEvent.CHANGE)
    assert (event.user, event.object_id) == (user, str(booked.pk))
    assert event.detail == f"appointment #{appointment.pk} cancelled"
    other = ask()
    assert client.post(f"/staff/requests/{other.pk}/appointments/{appointment.pk}/cancel/").status_code == 404


# The audit trail


def test_every_view_change_and_export_writes_an_audit_event_with_who_what_and_which_entry(client):
    made = book_urgent()
    user = staff(client, CLINIC_ADMIN)
    client.get("/staff/")
    client.get(f"/staff/requests/{made.pk}/")
    client.get(f"/staff/requests/{made.pk}/fhir.json")
    client.post(f"/staff/requests/{made.pk}/notes/", {"text": "Seen."})
    events = list(AuditEvent.objects.order_by("pk").values_list("user", "action", "object_kind", "object_id"))
    assert events == [
        (user.pk, "view", "request-list", ""),
        (user.pk, "view", "request", str(made.pk)),
        (user.pk, "export", "request", str(made.pk)),
        (user.pk, "change", "request", str(made.pk)),
    ]
    listing = AuditEvent.objects.get(object_kind="request-list")
    assert listing.detail == f"page 1 of 1, 1 entries: #{made.pk}"
    # The details say what was done, never what the entry says.
    for event in AuditEvent.objects.all():
        assert "Ann" not in event.detail and "cancer" not in event.detail.lower()


def test_the_audit_trail_is_newest_first_and_filters_by_user_and_action(client):
    made = ask()
    frank = make_user("frank", role=FRONT_DESK)
    audit(frank, AuditEvent.VIEW, made)
    audit(frank, AuditEvent.CHANGE, made, "status new → contacted")
    staff(client, CLINIC_ADMIN, "carol")
    rows = page(client.get("/staff/audit/")).select("tbody tr")
    assert "status new → contacted" in rows[0].get_text()
    only = page(client.get(f"/staff/audit/?user={frank.pk}&action=change")).select("tbody tr")
    assert len(only) == 1 and "frank" in only[0].get_text()
    assert [
        row.get_text() for row in page(client.get("/staff/audit/?action=export")).select("tbody tr")
    ] == []


def test_audit_events_cannot_be_changed_or_deleted():
    event = audit(None, AuditEvent.VIEW, ("request", "1"))
    event.detail = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_staff_pages_are_never_cached(client):
    made = ask()
    staff(client, CLINIC_ADMIN)
    for url in (
        "/staff/",
        f"/staff/requests/{made.pk}/",
        f"/staff/requests/{made.pk}/slot/",
        f"/staff/requests/{made.pk}/fhir.json",
        "/staff/audit/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    posted = client.post(f"/staff/requests/{made.pk}/notes/", {"text": "x"})
    assert "no-store" in posted["Cache-Control"]


def test_the_list_warns_when_emails_could_not_be_sent(client):
    from painpoint.outbox.models import Message

    staff(client, FRONT_DESK)
    assert "could not be sent" not in page(client.get("/staff/")).get_text()
    Message.objects.create(
        kind="confirmation",
        to="ann@example.org",
        subject="s",
        body="b",
        failed_at=timezone.now(),
        attempts=20,
    )
    text = " ".join(page(client.get("/staff/")).get_text().split())
    assert "1 email to patients or staff could not be sent" in text
