"""The emails a booking sends, queued in the outbox inside the booking's own transaction.

No email carries health information: not the pain summary, the reason for the visit or the triage level.
The patient's emails say when and where; the staff notice says only that something arrived, with a link to
the inbox, where staff sign in to see it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from painpoint.booking import ics
from painpoint.booking.models import Appointment, Request
from painpoint.clinics.models import Clinic
from painpoint.outbox.api import cancel_pending, enqueue

REMINDER_BEFORE = timedelta(hours=24)
MANAGE_SALT = "painpoint.booking.manage"


def site_url() -> str:
    return settings.SITE_URL or "http://127.0.0.1:8000"


def manage_token(request: Request) -> str:
    """An opaque, signed token for the patient's own link: it names the request and its secret, nothing else.
    Changing the request's secret revokes every link sent before."""
    return signing.dumps({"r": request.pk, "s": request.secret[:12]}, salt=MANAGE_SALT, compress=True)


def request_for_token(token: str) -> Request | None:
    try:
        data = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        return None
    request = Request.objects.filter(pk=data.get("r")).first()
    if request is None or request.secret[:12] != data.get("s"):
        return None
    return request


def manage_url(request: Request) -> str:
    return site_url() + reverse("booking:manage", args=[manage_token(request)])


def staff_url(request: Request) -> str:
    return site_url() + reverse("inbox:request", args=[request.pk])


def when(moment: datetime, clinic: Clinic) -> str:
    local = moment.astimezone(clinic.zone)
    hour = local.strftime("%I:%M %p").lstrip("0").replace(":00 ", " ").lower()
    return f"{local:%A, %B} {local.day}, {local.year} at {hour} ({local.tzname()})"


def _signature(clinic: Clinic) -> str:
    return f"{clinic.name}\n{clinic.phone}"


def _invitation(appointment: Appointment, clinic: Clinic, cancel: bool = False) -> tuple[str, bytes, str]:
    method = "CANCEL" if cancel else "REQUEST"
    data = ics.invitation(
        uid=f"appointment-{appointment.pk}@{site_url().split('://', 1)[-1]}",
        start=appointment.start,
        end=appointment.end,
        summary=f"{appointment.visit_type.name} at {clinic.name}",
        description=(
            f"With {appointment.provider.name}. To change or cancel: {manage_url(appointment.request)} "
            f"or call {clinic.phone}."
        ),
        location=appointment.location.address,
        organizer_email=clinic.email or "noreply@localhost",
        organizer_name=clinic.name,
        attendee_email=appointment.request.email,
        attendee_name=appointment.request.name,
        tz_name=clinic.time_zone,
        sequence=appointment.sequence,
        method=method,
        status="CANCELLED" if cancel else "CONFIRMED",
        stamp=timezone.now(),
    )
    return ("appointment.ics", data, f"text/calendar; charset=utf-8; method={method}")


def _about(appointment: Appointment) -> tuple[str, str]:
    return ("appointment", str(appointment.pk))


def booked(appointment: Appointment, clinic: Clinic, event: str = "arrived") -> None:
    request = appointment.request
    if request.email:
        enqueue(
            kind="confirmation",
            to=request.email,
            subject=f"Your appointment at {clinic.name}: {when(appointment.start, clinic)}",
            body=(
                f"Hello {request.name},\n\n"
                f"Your {appointment.visit_type.name.lower()} is booked for "
                f"{when(appointment.start, clinic)}, with {appointment.provider.name} at "
                f"{appointment.location.address}.\n\n"
                f"The invitation is attached; add it to your calendar.\n\n"
                f"To change or cancel it: {manage_url(request)}\n\n"
                f"{_signature(clinic)}\n"
            ),
            attachments=[_invitation(appointment, clinic)],
            about=_about(appointment),
            dedupe_key=f"confirmation:{appointment.pk}:{appointment.sequence}",
        )
        reminder_at = appointment.start - REMINDER_BEFORE
        if reminder_at > timezone.now():
            enqueue(
                kind="reminder",
                to=request.email,
                subject=f"Reminder: your appointment at {clinic.name} tomorrow",
                body=(
                    f"Hello {request.name},\n\n"
                    f"This is a reminder of your {appointment.visit_type.name.lower()} on "
                    f"{when(appointment.start, clinic)}, with {appointment.provider.name} at "
                    f"{appointment.location.address}.\n\n"
                    f"To change or cancel it: {manage_url(request)}\n\n{_signature(clinic)}\n"
                ),
                send_after=reminder_at,
                about=_about(appointment),
                dedupe_key=f"reminder:{appointment.pk}:{appointment.sequence}",
            )
    staff_notice(request, clinic, f"booking:{appointment.pk}:{appointment.sequence}", event)


def requested(request: Request, clinic: Clinic) -> None:
    if request.email:
        what = {
            Request.CALL_REQUEST: "your request for a call",
            Request.MESSAGE: "your message",
        }.get(request.kind, "your request for an appointment")
        enqueue(
            kind="acknowledgement",
            to=request.email,
            subject=f"We have your request: {clinic.name}",
            body=(
                f"Hello {request.name},\n\n"
                f"Thank you: we have {what}. Our front desk will contact you, usually "
                f"within one working day.\n\nIf your pain gets much worse, call {clinic.emergency_number} "
                f"or go to the nearest emergency room.\n\n{_signature(clinic)}\n"
            ),
            about=("request", str(request.pk)),
            dedupe_key=f"acknowledgement:{request.pk}",
        )
    staff_notice(request, clinic, f"request:{request.pk}")


def staff_notice(request: Request, clinic: Clinic, dedupe: str, event: str = "arrived") -> None:
    """Tell the front desk something happened, with a link: no name, no reason, no pain summary."""
    if not clinic.email:
        return
    what = f"{request.get_kind_display().lower()} #{request.pk}"
    enqueue(
        kind="staff-notice",
        to=clinic.email,
        subject=f"Painpoint inbox: {what} has {event}",
        body=f"The {what} has {event}.\n\nSign in to see it: {staff_url(request)}\n",
        about=("request", str(request.pk)),
        dedupe_key=f"staff-notice:{dedupe}",
    )


def cancelled(appointment: Appointment, clinic: Clinic) -> None:
    cancel_pending("appointment", str(appointment.pk))
    request = appointment.request
    if request.email:
        enqueue(
            kind="cancellation",
            to=request.email,
            subject=f"Cancelled: your appointment at {clinic.name}",
            body=(
                f"Hello {request.name},\n\n"
                f"Your appointment on {when(appointment.start, clinic)} is cancelled.\n\n"
                f"To book another visit, call {clinic.phone} or visit {site_url()}.\n\n{_signature(clinic)}\n"
            ),
            attachments=[_invitation(appointment, clinic, cancel=True)],
            about=_about(appointment),
            dedupe_key=f"cancellation:{appointment.pk}:{appointment.sequence}",
        )
    staff_notice(request, clinic, f"cancel:{appointment.pk}:{appointment.sequence}", "been cancelled")


def moved(appointment: Appointment, clinic: Clinic) -> None:
    cancel_pending("appointment", str(appointment.pk))
    booked(appointment, clinic, event="been moved")
