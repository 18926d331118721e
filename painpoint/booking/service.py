"""Booking, requesting, confirming, moving and cancelling appointments: every write to the calendar.

Each function runs in one transaction that also queues its notifications, so a booking and its emails are
saved together or not at all. How a slot is kept from being booked twice is told in `docs/locking.md`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from painpoint.booking import notify
from painpoint.booking.calendar import Slot, Window, free_slots
from painpoint.booking.models import (
    Appointment,
    CalendarUnit,
    IdempotencyKey,
    Location,
    Provider,
    Request,
    VisitType,
    on_grid,
    units,
)
from painpoint.clinics.models import Clinic


class BookingError(Exception):
    """A booking that cannot be made, with the field to blame and a message for the visitor."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code


class SlotTaken(BookingError):
    def __init__(self) -> None:
        super().__init__("start", "Sorry, that time was just taken. Please choose another.", "slot_taken")


class IdempotencyConflict(BookingError):
    def __init__(self) -> None:
        super().__init__(
            "Idempotency-Key",
            "This Idempotency-Key was already used with a different request; use a new key.",
            "idempotency_conflict",
        )


@dataclass(frozen=True)
class Patient:
    name: str
    phone: str
    email: str
    date_of_birth: date | None
    reason: str = ""


@dataclass(frozen=True)
class Assessment:
    """What the interview or a partner's page sent along: the contract's answers and the engine's result."""

    answers: dict[str, Any]
    result: dict[str, Any]
    # The answers in plain words, as the visitor read them (the interview gives them; the API does not).
    summary: tuple[tuple[str, str], ...] = ()

    @property
    def triage(self) -> str:
        return str(self.result.get("triage", ""))

    def to_json(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "result": self.result,
            "summary": [list(row) for row in self.summary],
        }


def fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def guard_on() -> bool:
    """Whether the double-booking guard is on. Only the race test's control run turns it off."""
    return bool(getattr(settings, "BOOKING_GUARD", True))


def check_level_allows_booking(assessment: Assessment | None, window: Window) -> None:
    if assessment is not None and assessment.triage == "emergency":
        raise BookingError(
            "assessment",
            "Your answers need emergency care now: call 911. We cannot book this as a clinic visit.",
            "emergency",
        )


def _replay(key: str | None, body_fingerprint: str) -> Request | None:
    if key is None:
        return None
    found = IdempotencyKey.objects.filter(key=key).select_related("request").first()
    if found is None:
        return None
    if found.fingerprint != body_fingerprint:
        raise IdempotencyConflict
    return found.request


def _claim_key(key: str | None, body_fingerprint: str, request: Request) -> None:
    if key is not None:
        IdempotencyKey.objects.create(key=key, fingerprint=body_fingerprint, request=request)


def _hold(appointment: Appointment) -> None:
    """Write the appointment's calendar units: the database refuses them if any is already held."""
    if not guard_on():
        return
    try:
        with transaction.atomic():  # a savepoint, so a refusal leaves the outer transaction usable
            CalendarUnit.objects.bulk_create(
                CalendarUnit(provider_id=appointment.provider_id, unit=moment, appointment=appointment)
                for moment in units(appointment.start, appointment.end)
            )
    except IntegrityError:
        raise SlotTaken from None


def _lock_provider(provider_id: int) -> None:
    # Serialises bookings for one provider on PostgreSQL (SQLite's IMMEDIATE transactions serialise all
    # writers already), so the availability check below sees every booking committed before it.
    if guard_on():
        Provider.objects.select_for_update(no_key=True).filter(pk=provider_id).first()


def _check_free(
    visit_type: VisitType,
    start: datetime,
    provider_id: int | None,
    location_id: int | None,
    window: Window,
    clinic: Clinic,
    ignore: Appointment | None = None,
) -> Slot:
    """The free slot at `start` (with this provider and location, or the first free one when not given),
    or a BookingError that says why there is none."""
    if not on_grid(start):
        raise BookingError("start", "That is not one of the offered times.")
    if start < window.start:
        raise BookingError("start", "That time is too soon or has passed; please choose a later one.")
    if start >= window.end:
        raise BookingError("start", "That time is beyond the days we can book; please choose an earlier one.")
    offered = free_slots(
        visit_type,
        window.narrowed(start, start + visit_type.duration),
        provider_id=provider_id,
        location_id=location_id,
        ignore=ignore,
        clinic=clinic,
    )
    for slot in offered:
        if slot.start == start:
            return slot
    # Taken, or never open: say which, as the visitor can then do something different.
    providers = [provider_id] if provider_id is not None else visit_type.providers.all()
    booked = Appointment.objects.filter(
        provider__in=providers,
        status=Appointment.BOOKED,
        start__lt=start + visit_type.duration,
        end__gt=start,
    )
    if ignore is not None:
        booked = booked.exclude(pk=ignore.pk)
    if booked.exists():
        raise SlotTaken
    raise BookingError(
        "start", "That time is not open for this visit; please choose one of the offered times."
    )


def book(
    *,
    visit_type: VisitType,
    start: datetime,
    provider_id: int | None,
    location_id: int | None,
    patient: Patient,
    assessment: Assessment | None = None,
    idempotency_key: str | None = None,
    body: Any = None,
    now: datetime | None = None,
) -> tuple[Request, bool]:
    """Book a free slot at once. Returns the request and whether it was made now (False for a replay).

    Without a provider or a location, the first free one at `start` is taken (after a replay is answered:
    the time a replay asks for is, of course, no longer free)."""
    if not visit_type.active or not visit_type.instant:
        raise BookingError(
            "visit_type", "This visit is booked by request: send your preferred times instead."
        )
    clinic = Clinic.objects.current()
    same_day = assessment is not None and assessment.triage == "urgent"
    window = Window.for_visitors(clinic, now, same_day=same_day)
    check_level_allows_booking(assessment, window)
    body_fingerprint = fingerprint(body if body is not None else [visit_type.pk, start, provider_id, patient])
    try:
        with transaction.atomic():
            replayed = _replay(idempotency_key, body_fingerprint)
            if replayed is not None:
                return replayed, False
            if provider_id is None or location_id is None:
                chosen = _check_free(visit_type, start, provider_id, location_id, window, clinic)
                provider_id, location_id = chosen.provider_id, chosen.location_id
            _lock_provider(provider_id)
            # A twin of this submission may have held the lock and committed while this one waited.
            replayed = _replay(idempotency_key, body_fingerprint)
            if replayed is not None:
                return replayed, False
            _check_free(visit_type, start, provider_id, location_id, window, clinic)
            request = _new_request(Request.BOOKING, Request.BOOKED, visit_type, patient, assessment, now)
            _claim_key(idempotency_key, body_fingerprint, request)
            appointment = Appointment.objects.create(
                request=request,
                visit_type=visit_type,
                provider_id=provider_id,
                location_id=location_id,
                start=start,
                end=start + visit_type.duration,
                created_at=now or timezone.now(),
            )
            _hold(appointment)
            notify.booked(appointment, clinic)
            return request, True
    except IntegrityError:
        # The same key committed by a concurrent twin of this request after our first look: answer as it did.
        replayed = _replay(idempotency_key, body_fingerprint)
        if replayed is not None:
            return replayed, False
        raise


def ask(
    *,
    kind: str,
    patient: Patient,
    visit_type: VisitType | None = None,
    preferred_times: str = "",
    assessment: Assessment | None = None,
    idempotency_key: str | None = None,
    body: Any = None,
    now: datetime | None = None,
) -> tuple[Request, bool]:
    """Save a request for an appointment or a call, for the front desk to answer."""
    if kind not in (Request.APPOINTMENT_REQUEST, Request.CALL_REQUEST, Request.MESSAGE):
        raise ValueError(kind)
    clinic = Clinic.objects.current()
    if kind == Request.APPOINTMENT_REQUEST:
        check_level_allows_booking(assessment, Window.for_visitors(clinic, now))
    body_fingerprint = fingerprint(body if body is not None else [kind, patient, preferred_times])
    try:
        with transaction.atomic():
            replayed = _replay(idempotency_key, body_fingerprint)
            if replayed is not None:
                return replayed, False
            request = _new_request(kind, Request.NEW, visit_type, patient, assessment, now, preferred_times)
            _claim_key(idempotency_key, body_fingerprint, request)
            notify.requested(request, clinic)
            return request, True
    except IntegrityError:
        replayed = _replay(idempotency_key, body_fingerprint)
        if replayed is not None:
            return replayed, False
        raise


def confirm(
    request: Request, *, visit_type: VisitType, start: datetime, provider_id: int, location_id: int
) -> Appointment:
    """Staff give a request a slot. The minimum notice does not apply; opening hours and other bookings do."""
    clinic = Clinic.objects.current()
    now = timezone.now()
    window = Window(now, start + visit_type.duration)
    with transaction.atomic():
        request = Request.objects.select_for_update().get(pk=request.pk)
        if request.appointments.filter(status=Appointment.BOOKED).exists():
            raise BookingError("start", "This request already has an appointment; move that one instead.")
        _lock_provider(provider_id)
        _check_free(visit_type, start, provider_id, location_id, window, clinic)
        appointment = Appointment.objects.create(
            request=request,
            visit_type=visit_type,
            provider_id=provider_id,
            location_id=location_id,
            start=start,
            end=start + visit_type.duration,
        )
        _hold(appointment)
        request.status = Request.BOOKED
        request.visit_type = visit_type
        request.save(update_fields=["status", "visit_type", "updated_at"])
        notify.booked(appointment, clinic)
        return appointment


def cancel(appointment: Appointment, *, by_staff: bool = False, now: datetime | None = None) -> None:
    clinic = Clinic.objects.current()
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status != Appointment.BOOKED:
            return  # cancelling twice is the same as once
        if not by_staff:
            check_change_allowed(appointment, clinic, now)
        appointment.status = Appointment.CANCELLED
        appointment.sequence += 1
        appointment.save(update_fields=["status", "sequence"])
        appointment.units.all().delete()
        request = appointment.request
        request.status = Request.CANCELLED
        request.save(update_fields=["status", "updated_at"])
        notify.cancelled(appointment, clinic)


def move(
    appointment: Appointment,
    *,
    start: datetime,
    provider_id: int,
    location_id: int,
    by_staff: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Move an appointment to another free slot; it keeps its slot if the new one cannot be had."""
    clinic = Clinic.objects.current()
    now = now or timezone.now()
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update().select_related("visit_type").get(pk=appointment.pk)
        )
        if appointment.status != Appointment.BOOKED:
            raise BookingError("start", "This appointment was cancelled, so it cannot be moved.")
        if not by_staff:
            check_change_allowed(appointment, clinic, now)
        if by_staff:
            window = Window(now, start + appointment.visit_type.duration)
        else:
            window = Window.for_visitors(clinic, now)
        for pk in sorted({appointment.provider_id, provider_id}):  # always in the same order: no deadlock
            _lock_provider(pk)
        _check_free(
            appointment.visit_type, start, provider_id, location_id, window, clinic, ignore=appointment
        )
        appointment.units.all().delete()
        appointment.start = start
        appointment.end = start + appointment.visit_type.duration
        appointment.provider_id = provider_id
        appointment.location_id = location_id
        appointment.sequence += 1
        appointment.save(update_fields=["start", "end", "provider", "location", "sequence"])
        _hold(appointment)
        notify.moved(appointment, clinic)
        return appointment


def too_late_to_change(appointment: Appointment, clinic: Clinic, now: datetime) -> bool:
    """Whether the visit is too near for the visitor to move or cancel it online (the clinic's notice)."""
    return appointment.start - now < timedelta(hours=clinic.cancel_notice_hours)


def check_change_allowed(appointment: Appointment, clinic: Clinic, now: datetime) -> None:
    hours = clinic.cancel_notice_hours
    if too_late_to_change(appointment, clinic, now):
        raise BookingError(
            "start",
            f"Visits can be changed online up to {hours} hours before. Please call us at {clinic.phone}.",
            "too_late",
        )


def _new_request(
    kind: str,
    status: str,
    visit_type: VisitType | None,
    patient: Patient,
    assessment: Assessment | None,
    now: datetime | None,
    preferred_times: str = "",
) -> Request:
    moment = now or timezone.now()
    return Request.objects.create(
        kind=kind,
        status=status,
        visit_type=visit_type,
        name=patient.name,
        phone=patient.phone,
        email=patient.email,
        date_of_birth=patient.date_of_birth,
        reason=patient.reason,
        preferred_times=preferred_times,
        consent_at=moment,
        assessment=assessment.to_json() if assessment else None,
        triage=assessment.triage if assessment else "",
        created_at=moment,
    )


__all__ = [
    "Assessment",
    "BookingError",
    "IdempotencyConflict",
    "Location",
    "Patient",
    "SlotTaken",
    "ask",
    "book",
    "cancel",
    "confirm",
    "move",
]
