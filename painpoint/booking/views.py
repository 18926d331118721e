"""The visitor's side of booking: choose a visit, a day and a time (or give preferences), then who you are.

The triage level from the interview, when there is one, gates what is offered (policy: emergency offers no
booking; urgent puts the clinic's phone first and shows only today's times). Pages holding a visitor's
details are never cached.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from painpoint.assessment.carry import carried, forget
from painpoint.booking import notify, service
from painpoint.booking.calendar import Slot, Window, by_local_day, free_slots, parse_slot_key
from painpoint.booking.forms import CallForm, ContactForm, DetailsForm, PreferenceForm
from painpoint.booking.models import Appointment, Request, VisitType
from painpoint.clinics.models import Clinic
from painpoint.lib.ratelimit import limit_posts

DAYS_SHOWN = 14


def local_time(moment: datetime, clinic: Clinic) -> str:
    local = moment.astimezone(clinic.zone)
    return local.strftime("%I:%M %p").lstrip("0").lower()


def local_day(day: date) -> str:
    return f"{day:%A}, {day:%B} {day.day}"


def gate(request: HttpRequest) -> tuple[service.Assessment | None, str]:
    """The carried assessment and its level ('' without one)."""
    assessment = carried(request.session)
    return assessment, assessment.triage if assessment else ""


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    assessment, level = gate(request)
    context = {
        "visit_types": VisitType.objects.filter(active=True).select_related("treatment"),
        "assessment": assessment,
        "level": level,
    }
    return render(request, "booking/start.html", context)


def day_picker(
    found: list[Slot],
    clinic: Clinic,
    requested_day: str | None,
    *,
    chosen_key: str = "",
    slot_error: str = "",
) -> dict[str, Any]:
    """The context of booking/_slots.html: links to the days with free times, and the requested day's times
    (the first day's when that day has none) grouped by provider and location, the radio groups of the form.
    """
    days = by_local_day(found, clinic.zone)
    day_map = dict(days)
    try:
        chosen_day: date | None = date.fromisoformat(requested_day) if requested_day else None
    except ValueError:
        chosen_day = None
    if chosen_day not in day_map:
        chosen_day = days[0][0] if days else None
    groups: dict[tuple[int, int], dict[str, Any]] = {}
    for slot in day_map.get(chosen_day, []) if chosen_day else []:
        group = groups.setdefault(
            (slot.provider_id, slot.location_id),
            {"provider": slot.provider, "location": slot.location, "slots": []},
        )
        group["slots"].append({"key": slot.key, "label": local_time(slot.start, clinic)})
    return {
        "days": [
            {"day": day, "label": local_day(day), "count": len(day_slots), "iso": day.isoformat()}
            for day, day_slots in days[:DAYS_SHOWN]
        ],
        "chosen_day": chosen_day,
        "chosen_day_label": local_day(chosen_day) if chosen_day else "",
        "groups": list(groups.values()),
        "chosen_key": chosen_key,
        "slot_error": slot_error,
        "zone_name": clinic.time_zone,
        "zone_label": zone_label(day_map.get(chosen_day, []) if chosen_day else [], clinic),
    }


def zone_label(slots: list[Slot], clinic: Clinic) -> str:
    """The zone as the confirmation names it ("PST"), for the day shown: visitors know that name, not
    "America/Los_Angeles". Both names show on a day the clocks change within the listed times."""
    names = dict.fromkeys(slot.start.astimezone(clinic.zone).tzname() or "" for slot in slots)
    return "/".join(name for name in names if name) or clinic.time_zone


@never_cache
@limit_posts("booking.forms", "FORM_RATE")
def visit(request: HttpRequest, slug: str) -> HttpResponse:
    visit_type = get_object_or_404(VisitType, slug=slug, active=True)
    clinic = Clinic.objects.current()
    assessment, level = gate(request)
    if level == "emergency":
        return render(request, "booking/emergency.html", {"assessment": assessment}, status=200)
    if not visit_type.instant:
        return _request_visit(request, visit_type, clinic, assessment, level)

    form = DetailsForm(request.POST or None, initial={"token": secrets.token_urlsafe(16)})
    slot_error = ""
    requested_day = request.GET.get("day") or request.POST.get("day")
    chosen_key = request.POST.get("slot", "")
    if request.method == "POST":
        parsed = parse_slot_key(chosen_key)
        if parsed is None:
            slot_error = "Please choose a time."
        if form.is_valid() and parsed is not None:
            start, provider_id, location_id = parsed
            try:
                booked, _ = service.book(
                    visit_type=visit_type,
                    start=start,
                    provider_id=provider_id,
                    location_id=location_id,
                    patient=form.patient(),
                    assessment=assessment,
                    idempotency_key="form:" + form.cleaned_data["token"],
                    body=[visit_type.pk, chosen_key, form.cleaned_data["name"], form.cleaned_data["phone"]],
                )
            except service.BookingError as error:
                slot_error = error.message
            else:
                forget(request.session)
                return redirect(reverse("booking:manage", args=[notify.manage_token(booked)]) + "?booked=1")
    # Listed only now: a booked time redirects, and a refused one is no longer offered.
    window = Window.for_visitors(clinic, same_day=level == "urgent")
    found = free_slots(visit_type, window, clinic=clinic)
    context = {
        "visit_type": visit_type,
        "assessment": assessment,
        "level": level,
        "form": form,
        **day_picker(found, clinic, requested_day, chosen_key=chosen_key, slot_error=slot_error),
    }
    return render(request, "booking/visit.html", context)


def _request_visit(
    request: HttpRequest,
    visit_type: VisitType,
    clinic: Clinic,
    assessment: service.Assessment | None,
    level: str,
) -> HttpResponse:
    form = PreferenceForm(request.POST or None, initial={"token": secrets.token_urlsafe(16)})
    if request.method == "POST" and form.is_valid():
        service.ask(
            kind=Request.APPOINTMENT_REQUEST,
            patient=form.patient(),
            visit_type=visit_type,
            preferred_times=form.preferred_times(),
            assessment=assessment,
            idempotency_key="form:" + form.cleaned_data["token"],
            body=[visit_type.pk, form.cleaned_data["name"], form.cleaned_data["phone"]],
        )
        forget(request.session)
        messages.success(request, "Thank you: we have your request. Our front desk will contact you soon.")
        return redirect("booking:thanks")
    context = {"visit_type": visit_type, "assessment": assessment, "level": level, "form": form}
    return render(request, "booking/request.html", context)


@never_cache
@limit_posts("booking.forms", "FORM_RATE")
def call(request: HttpRequest) -> HttpResponse:
    assessment, level = gate(request)
    if level == "emergency":
        return render(request, "booking/emergency.html", {"assessment": assessment})
    form = CallForm(request.POST or None, initial={"token": secrets.token_urlsafe(16)})
    if request.method == "POST" and form.is_valid():
        service.ask(
            kind=Request.CALL_REQUEST,
            patient=form.patient(),
            preferred_times=form.cleaned_data.get("best_time", ""),
            assessment=assessment,
            idempotency_key="form:" + form.cleaned_data["token"],
            body=["call", form.cleaned_data["name"], form.cleaned_data["phone"]],
        )
        forget(request.session)
        messages.success(request, "Thank you: we will call you soon.")
        return redirect("booking:thanks")
    return render(request, "booking/call.html", {"form": form, "assessment": assessment, "level": level})


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/thanks.html")


def _appointment_for(token: str) -> tuple[Request, Appointment | None]:
    found = notify.request_for_token(token)
    if found is None:
        raise Http404("This link is not valid. Please call the clinic.")
    appointment = (
        found.appointments.select_related("visit_type", "provider", "location").order_by("-pk").first()
    )
    return found, appointment


@never_cache
@limit_posts("booking.forms", "FORM_RATE")
def manage(request: HttpRequest, token: str) -> HttpResponse:
    clinic = Clinic.objects.current()
    found, appointment = _appointment_for(token)
    error = ""
    if request.method == "POST" and appointment is not None and request.POST.get("action") == "cancel":
        try:
            service.cancel(appointment)
        except service.BookingError as problem:
            error = problem.message
        else:
            messages.success(request, "Your appointment is cancelled. We have sent you an email.")
            return redirect("booking:manage", token=token)
    now = timezone.now()
    changeable = (
        appointment is not None
        and appointment.status == Appointment.BOOKED
        and not service.too_late_to_change(appointment, clinic, now)
    )
    context = {
        "found": found,
        "appointment": appointment,
        "when": notify.when(appointment.start, clinic) if appointment else "",
        "changeable": changeable,
        # A visit that has started is past changing at all, not just "too near" to change online.
        "started": appointment is not None and appointment.start <= now,
        "just_booked": request.GET.get("booked") == "1",
        "error": error,
        "token": token,
    }
    return render(request, "booking/manage.html", context)


@never_cache
@limit_posts("booking.forms", "FORM_RATE")
def move(request: HttpRequest, token: str) -> HttpResponse:
    clinic = Clinic.objects.current()
    _, appointment = _appointment_for(token)
    if appointment is None or appointment.status != Appointment.BOOKED:
        return redirect("booking:manage", token=token)
    error = ""
    requested_day = request.GET.get("day") or request.POST.get("day")
    chosen_key = request.POST.get("slot", "")
    if request.method == "POST":
        parsed = parse_slot_key(chosen_key)
        if parsed is None:
            error = "Please choose a time."
        else:
            start, provider_id, location_id = parsed
            try:
                service.move(appointment, start=start, provider_id=provider_id, location_id=location_id)
            except service.BookingError as problem:
                error = problem.message
            else:
                messages.success(request, "Your appointment is moved. We have sent you a new invitation.")
                return redirect("booking:manage", token=token)
    window = Window.for_visitors(clinic)
    slots_found = free_slots(appointment.visit_type, window, clinic=clinic, ignore=appointment)
    context = {
        "appointment": appointment,
        "when": notify.when(appointment.start, clinic),
        "token": token,
        **day_picker(slots_found, clinic, requested_day, chosen_key=chosen_key, slot_error=error),
    }
    return render(request, "booking/move.html", context)


@never_cache
@limit_posts("contact", "FORM_RATE")
def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, initial={"started": ContactForm.start_stamp()})
    if request.method == "POST" and form.is_valid():
        if not form.is_robot():
            data = form.cleaned_data
            service.ask(
                kind=Request.MESSAGE,
                patient=service.Patient(
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    date_of_birth=None,
                    reason=data["message"],
                ),
            )
        # A robot is thanked like a person, so it learns nothing about what gave it away.
        messages.success(request, "Thank you: we have your message and will answer soon.")
        return redirect("booking:thanks")
    if request.method == "POST" and not form.is_valid():
        form.data = form.data.copy()
        form.data["started"] = ContactForm.start_stamp()  # a second try is timed afresh
    return render(request, "booking/contact.html", {"form": form})
