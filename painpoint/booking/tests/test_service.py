"""Booking through the service: the calendar, the guard against double booking, and what gets queued."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from painpoint.booking import service
from painpoint.booking.calendar import Window, free_slots
from painpoint.booking.models import (
    Appointment,
    CalendarUnit,
    DateHours,
    Request,
    TimeOff,
    VisitType,
    units,
)
from painpoint.booking.tests.conftest import ANN, book, free
from painpoint.clinics.models import Clinic
from painpoint.outbox.models import Message

pytestmark = pytest.mark.django_db


def test_the_demo_clinic_has_free_slots_in_the_coming_weeks(new_patient):
    found = free(new_patient)
    assert len(found) > 100
    clinic = Clinic.objects.current()
    soonest = timezone.now() + timedelta(hours=clinic.minimum_notice_hours)
    assert all(slot.start >= soonest for slot in found)
    assert max(slot.start for slot in found) <= timezone.now() + timedelta(days=clinic.booking_window_days)
    # Inside opening hours on the clinic's wall clock, never on a Sunday.
    for slot in found:
        local = slot.start.astimezone(clinic.zone)
        assert local.weekday() != 6
        assert time(8) <= local.time() and (local + new_patient.duration).time() <= time(17, 30)


def test_booking_a_slot_holds_it_and_queues_the_emails(new_patient, first_slot):
    made = book(first_slot, new_patient)
    appointment = made.appointments.get()
    assert made.status == Request.BOOKED
    assert (appointment.start, appointment.end) == (first_slot.start, first_slot.end)
    assert CalendarUnit.objects.filter(appointment=appointment).count() == 45 // 5
    kinds = dict(Message.objects.values_list("kind", "to"))
    assert kinds["confirmation"] == "ann@example.org"
    assert kinds["staff-notice"] == Clinic.objects.current().email
    assert first_slot not in free(new_patient)


def test_the_confirmation_carries_a_calendar_invitation_and_the_reminder_waits_until_the_day_before(
    new_patient,
):
    later = next(slot for slot in free(new_patient) if slot.start > timezone.now() + timedelta(days=3))
    made = book(later, new_patient)
    confirmation = Message.objects.get(kind="confirmation")
    message = confirmation.as_email().message()
    [invite] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert invite.get_param("method") == "REQUEST"
    event = icalendar.Calendar.from_ical(invite.get_payload(decode=True)).walk("VEVENT")[0]
    assert event.decoded("dtstart") == later.start and event.decoded("dtend") == later.end
    assert str(event["attendee"]) == "mailto:ann@example.org"
    reminder = Message.objects.get(kind="reminder")
    assert reminder.send_after == later.start - timedelta(hours=24)
    staff = Message.objects.get(kind="staff-notice")
    assert "Ann" not in staff.subject + staff.body
    assert str(made.pk) in staff.body


def test_a_slot_cannot_be_booked_twice(new_patient, first_slot):
    book(first_slot, new_patient)
    with pytest.raises(service.SlotTaken):
        book(first_slot, new_patient)
    assert Appointment.objects.count() == 1


def test_an_overlapping_visit_of_another_length_is_refused(new_patient, first_slot):
    book(first_slot, new_patient)  # 45 minutes
    follow_up = VisitType.objects.get(slug="follow-up")  # 30 minutes, same providers
    overlapping = first_slot.start + timedelta(minutes=30)
    with pytest.raises(service.BookingError):
        service.book(
            visit_type=follow_up,
            start=overlapping,
            provider_id=first_slot.provider_id,
            location_id=first_slot.location_id,
            patient=ANN,
        )
    assert Appointment.objects.count() == 1


def test_the_database_itself_refuses_an_overlap_the_application_did_not_check(new_patient, first_slot):
    made = book(first_slot, new_patient)
    held = made.appointments.get()
    other = Appointment.objects.create(
        request=made,
        visit_type=new_patient,
        provider_id=held.provider_id,
        location_id=held.location_id,
        start=held.start + timedelta(minutes=15),
        end=held.end + timedelta(minutes=15),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarUnit.objects.bulk_create(
            CalendarUnit(provider_id=other.provider_id, unit=moment, appointment=other)
            for moment in units(other.start, other.end)
        )


def test_a_replayed_idempotency_key_returns_the_first_booking(new_patient, first_slot):
    first, fresh = service.book(
        visit_type=new_patient,
        start=first_slot.start,
        provider_id=first_slot.provider_id,
        location_id=first_slot.location_id,
        patient=ANN,
        idempotency_key="abc",
        body={"same": "body"},
    )
    again, replayed_fresh = service.book(
        visit_type=new_patient,
        start=first_slot.start,
        provider_id=first_slot.provider_id,
        location_id=first_slot.location_id,
        patient=ANN,
        idempotency_key="abc",
        body={"same": "body"},
    )
    assert (again.pk, fresh, replayed_fresh) == (first.pk, True, False)
    assert Request.objects.count() == 1
    with pytest.raises(service.IdempotencyConflict):
        service.book(
            visit_type=new_patient,
            start=first_slot.start,
            provider_id=first_slot.provider_id,
            location_id=first_slot.location_id,
            patient=ANN,
            idempotency_key="abc",
            body={"another": "body"},
        )


def test_times_in_the_past_outside_hours_or_beyond_the_window_are_refused_with_a_reason(
    new_patient, first_slot
):
    clinic = Clinic.objects.current()
    past = first_slot.start - timedelta(days=7)
    night = first_slot.start.astimezone(clinic.zone).replace(hour=22, minute=0).astimezone(UTC)
    far = first_slot.start + timedelta(days=clinic.booking_window_days + 7)
    messages = {}
    for name, start in (("past", past), ("night", night), ("far", far)):
        with pytest.raises(service.BookingError) as caught:
            service.book(
                visit_type=new_patient,
                start=start,
                provider_id=first_slot.provider_id,
                location_id=first_slot.location_id,
                patient=ANN,
            )
        messages[name] = caught.value
    assert "passed" in messages["past"].message
    assert "not open" in messages["night"].message
    assert "beyond" in messages["far"].message
    assert all(error.field == "start" for error in messages.values())
    assert Request.objects.count() == 0


def test_time_off_and_a_closed_date_remove_slots(new_patient, first_slot):
    clinic = Clinic.objects.current()
    day = first_slot.start.astimezone(clinic.zone).date()
    TimeOff.objects.create(start=first_slot.start, end=first_slot.end, reason="Staff training")
    assert first_slot.start not in {slot.start for slot in free(new_patient)}
    provider_slots = [s for s in free(new_patient) if s.provider_id == first_slot.provider_id]
    next_day = next(
        s.start.astimezone(clinic.zone).date()
        for s in provider_slots
        if s.start.astimezone(clinic.zone).date() > day
    )
    DateHours.objects.create(
        provider_id=first_slot.provider_id, location_id=first_slot.location_id, day=next_day
    )
    remaining = [s for s in free(new_patient) if s.provider_id == first_slot.provider_id]
    assert all(s.start.astimezone(clinic.zone).date() != next_day for s in remaining)


def test_an_emergency_assessment_cannot_book_and_an_urgent_one_sees_only_today(new_patient):
    emergency = service.Assessment(answers={}, result={"triage": "emergency"})
    slot = free(new_patient)[0]
    with pytest.raises(service.BookingError) as caught:
        book(slot, new_patient, assessment=emergency)
    assert "911" in caught.value.message
    clinic = Clinic.objects.current()
    today = timezone.now().astimezone(clinic.zone).date()
    window = Window.for_visitors(clinic, same_day=True)
    assert all(s.start.astimezone(clinic.zone).date() == today for s in free_slots(new_patient, window))
    tomorrow = next(s for s in free(new_patient) if s.start.astimezone(clinic.zone).date() > today)
    urgent = service.Assessment(answers={}, result={"triage": "urgent"})
    with pytest.raises(service.BookingError):
        book(tomorrow, new_patient, assessment=urgent)


def test_cancelling_frees_the_slot_withdraws_the_reminder_and_sends_a_cancellation(new_patient):
    later = next(slot for slot in free(new_patient) if slot.start > timezone.now() + timedelta(days=3))
    made = book(later, new_patient)
    appointment = made.appointments.get()
    service.cancel(appointment)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.CANCELLED
    assert not CalendarUnit.objects.exists()
    assert later.start in {slot.start for slot in free(new_patient) if slot.provider_id == later.provider_id}
    assert not Message.objects.filter(kind="reminder").exists()
    assert Message.objects.filter(kind="cancellation").exists()
    # Cancelling twice is the same as once.
    service.cancel(appointment)
    assert Message.objects.filter(kind="cancellation").count() == 1


def test_a_visitor_cannot_cancel_online_inside_the_clinics_notice(new_patient, first_slot):
    made = book(first_slot, new_patient)
    with pytest.raises(service.BookingError) as caught:
        service.cancel(made.appointments.get())
    assert caught.value.code == "too_late"
    service.cancel(made.appointments.get(), by_staff=True)


def test_moving_keeps_the_old_slot_when_the_new_one_is_taken(new_patient):
    found = [slot for slot in free(new_patient) if slot.start > timezone.now() + timedelta(days=3)]
    mine = book(found[0], new_patient).appointments.get()
    theirs = next(s for s in found if s.provider_id == found[0].provider_id and s.start >= found[0].end)
    book(theirs, new_patient, patient=service.Patient("Bob", "555 0101", "bob@example.org", date(1970, 1, 1)))
    with pytest.raises(service.SlotTaken):
        service.move(mine, start=theirs.start, provider_id=theirs.provider_id, location_id=theirs.location_id)
    mine.refresh_from_db()
    assert mine.start == found[0].start and mine.units.count() == 9
    target = next(s for s in free(new_patient) if s.start > theirs.end)
    moved = service.move(
        mine, start=target.start, provider_id=target.provider_id, location_id=target.location_id
    )
    assert (moved.start, moved.sequence) == (target.start, 1)
    assert Message.objects.filter(kind="confirmation").count() == 2


def test_staff_confirming_two_overlapping_requests_books_only_one(new_patient, first_slot):
    first, _ = service.ask(kind=Request.APPOINTMENT_REQUEST, patient=ANN, preferred_times="mornings")
    second, _ = service.ask(kind=Request.APPOINTMENT_REQUEST, patient=ANN, preferred_times="any")
    service.confirm(
        first,
        visit_type=new_patient,
        start=first_slot.start,
        provider_id=first_slot.provider_id,
        location_id=first_slot.location_id,
    )
    with pytest.raises(service.SlotTaken):
        service.confirm(
            second,
            visit_type=new_patient,
            start=first_slot.start + timedelta(minutes=15),
            provider_id=first_slot.provider_id,
            location_id=first_slot.location_id,
        )
    second.refresh_from_db()
    assert second.status == Request.NEW


def test_a_failed_booking_leaves_nothing_behind(new_patient, first_slot):
    book(first_slot, new_patient)
    before = (Request.objects.count(), Message.objects.count())
    with pytest.raises(service.SlotTaken):
        book(first_slot, new_patient)
    assert (Request.objects.count(), Message.objects.count()) == before


def test_slots_start_on_the_wall_clock_across_the_autumn_change(db):
    """Opening at 8 am gives an 8 am slot on both sides of the change, an hour apart in UTC."""
    clinic = Clinic.objects.current()
    visit_type = VisitType.objects.get(slug="new-patient")
    window = Window(datetime(2026, 10, 30, tzinfo=UTC), datetime(2026, 11, 4, tzinfo=UTC))
    found = free_slots(visit_type, window, clinic=clinic)
    firsts = {}
    for slot in found:
        local = slot.start.astimezone(clinic.zone)
        firsts.setdefault(local.date(), local)
    assert firsts[date(2026, 10, 30)].time() == time(8) == firsts[date(2026, 11, 2)].time()
    assert firsts[date(2026, 10, 30)].utcoffset() - firsts[date(2026, 11, 2)].utcoffset() == timedelta(
        hours=1
    )


def test_time_off_added_over_a_booked_visit_warns_with_a_link_to_its_request(client, new_patient, first_slot):
    from painpoint.clinics.roles import CLINIC_ADMIN
    from painpoint.testing.factories import make_user, sign_in_staff

    made = book(first_slot, new_patient)
    sign_in_staff(client, make_user("owner", role=CLINIC_ADMIN))
    local = first_slot.start.astimezone(Clinic.objects.current().zone)
    form = {
        "provider": first_slot.provider_id,
        "start_0": local.strftime("%Y-%m-%d"),
        "start_1": "00:00:00",
        "end_0": (local + timedelta(days=1)).strftime("%Y-%m-%d"),
        "end_1": "00:00:00",
        "reason": "Course",
    }
    response = client.post("/admin/booking/timeoff/add/", form, follow=True)
    assert response.status_code == 200 and TimeOff.objects.filter(reason="Course").exists()
    html = response.content.decode()
    assert "1 booked visit(s) fall in this time off and are still booked" in html
    assert f'href="/staff/requests/{made.pk}/"' in html
    assert "Ann Example" not in html
    # The visit itself is untouched: moving it is a decision for a person.
    assert made.appointments.get().status == Appointment.BOOKED
