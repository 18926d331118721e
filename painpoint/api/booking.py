"""The booking API: `GET /api/v1/slots` and `POST /api/v1/appointments`.

The same rules as the web pages, through the same service: the triage level of an attached assessment gates
what can be booked (the engine is run again on the answers; a level sent by the client is never trusted),
a replayed `Idempotency-Key` returns the first answer, and every failure is a JSON body naming the field.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from painpoint.api.views import errors, limited
from painpoint.assessment.knowledge import clinic_knowledge
from painpoint.booking import notify, service
from painpoint.booking.calendar import Window, free_slots
from painpoint.booking.models import Request, VisitType
from painpoint.clinics.models import PHONE, Clinic
from painpoint.engine import assess
from painpoint.engine.validate import validate

MAX_BODY_BYTES = 32 * 1024
MAX_RANGE = timedelta(days=31)
APPOINTMENT_FIELDS = {
    "visit_type",
    "start",
    "provider",
    "location",
    "patient",
    "reason",
    "consent",
    "assessment",
    "preferred_times",
}
PATIENT_FIELDS = {"name", "phone", "email", "date_of_birth"}


def _instant(value: Any, path: str, zone: Any, problems: list[tuple[str, str]]) -> datetime | None:
    """An ISO 8601 instant with an offset, or a date (the clinic's local midnight)."""
    if not isinstance(value, str):
        problems.append(
            (path, "give a date (2026-12-01) or a date and time with an offset (2026-12-01T09:00Z)")
        )
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=zone).astimezone(UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        problems.append((path, f"'{value}' is not a date or date and time in ISO 8601 form"))
        return None
    if moment.tzinfo is None:
        problems.append((path, "give the time with its offset, e.g. 2026-12-01T09:00:00-05:00 or ...Z"))
        return None
    return moment.astimezone(UTC)


def _nul_characters(value: Any, path: str = "") -> list[tuple[str, str]]:
    """A problem for every string (object keys too) holding a NUL character: no text a person types has one,
    and PostgreSQL refuses them in text and JSON, so they are turned away here, not as a server error."""
    message = "must not contain a NUL (\\u0000) character"
    if isinstance(value, str):
        return [(path, message)] if "\x00" in value else []
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            shown = key.replace("\x00", "\\u0000")
            where = f"{path}.{shown}" if path else shown
            if "\x00" in key:
                found.append((where, message))
            found += _nul_characters(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _nul_characters(item, f"{path}[{index}]")
    return found


def _visit_type(slug: Any, problems: list[tuple[str, str]]) -> VisitType | None:
    if not isinstance(slug, str) or not slug:
        problems.append(("visit_type", "give the slug of a visit type"))
        return None
    found = VisitType.objects.filter(slug=slug, active=True).first()
    if found is None:
        known = ", ".join(VisitType.objects.filter(active=True).values_list("slug", flat=True))
        problems.append(("visit_type", f"unknown visit type '{slug}'; known: {known}"))
    return found


@csrf_exempt  # it changes nothing; exempt so other methods get a JSON 405, not the CSRF page
def slots(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return errors(405, ("", "use GET"), headers={"Allow": "GET"})
    refused = limited(request, "api.slots", settings.API_RATE)
    if refused:
        return refused
    nul = [problem for name, value in request.GET.items() for problem in _nul_characters(value, name)]
    if nul:
        return errors(400, *nul)
    clinic = Clinic.objects.current()
    problems: list[tuple[str, str]] = []
    visit_type = _visit_type(request.GET.get("visit_type"), problems)
    window = Window.for_visitors(clinic)
    start = _instant(request.GET["from"], "from", clinic.zone, problems) if "from" in request.GET else None
    end = _instant(request.GET["to"], "to", clinic.zone, problems) if "to" in request.GET else None
    provider = request.GET.get("provider")
    if provider is not None and not provider.isdigit():
        problems.append(("provider", "give a provider's id, a whole number"))
    if start and end and end <= start:
        problems.append(("to", "must be after 'from'"))
    if start and end and end - start > MAX_RANGE:
        problems.append(("to", f"ask for at most {MAX_RANGE.days} days at a time"))
    if problems or visit_type is None:
        return errors(400, *problems)
    start = start or window.start
    end = end or min(start + timedelta(days=7), window.end)
    found = (
        free_slots(
            visit_type,
            window.narrowed(start, end),
            provider_id=int(provider) if provider else None,
            clinic=clinic,
        )
        if visit_type.instant
        else []
    )
    response = JsonResponse(
        {
            "visit_type": visit_type.slug,
            "mode": visit_type.mode,
            "duration_minutes": visit_type.duration_minutes,
            "time_zone": clinic.time_zone,
            "slots": [slot.to_json(clinic.zone) for slot in found],
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def _patient(raw: Any, problems: list[tuple[str, str]], email_required: bool) -> service.Patient | None:
    if not isinstance(raw, dict):
        problems.append(("patient", "give an object with name, phone, email and date_of_birth"))
        return None
    for key in sorted(set(raw) - PATIENT_FIELDS):
        problems.append((f"patient.{key}", "unknown field"))
    name = raw.get("name")
    if not isinstance(name, str) or len(" ".join(name.split())) < 2 or len(name) > 120:
        problems.append(("patient.name", "give the patient's name (2 to 120 characters)"))
    phone = raw.get("phone")
    try:
        if not isinstance(phone, str):
            raise ValidationError("missing")
        PHONE(phone)
    except ValidationError:
        problems.append(
            ("patient.phone", "give a phone number with digits, spaces, dashes, dots or brackets")
        )
    email = raw.get("email", "")
    if email or email_required:
        try:
            if not isinstance(email, str):
                raise ValidationError("not a string")
            validate_email(email)
        except ValidationError:
            problems.append(("patient.email", "give a valid email address"))
    born = None
    raw_born = raw.get("date_of_birth")
    try:
        born = date.fromisoformat(raw_born) if isinstance(raw_born, str) else None
        if born is None:
            problems.append(("patient.date_of_birth", "give the date of birth as YYYY-MM-DD"))
        elif born > date.today():
            problems.append(("patient.date_of_birth", "the date of birth is in the future"))
        elif born.year < 1900:
            problems.append(("patient.date_of_birth", "check the year of birth"))
    except ValueError:
        problems.append(("patient.date_of_birth", f"'{raw_born}' is not a date in the form YYYY-MM-DD"))
    if problems:
        return None
    return service.Patient(
        name=" ".join(str(name).split()),
        phone=str(phone),
        email=str(email or ""),
        date_of_birth=born,
    )


def _assessment(raw: Any, problems: list[tuple[str, str]]) -> service.Assessment | None:
    if raw is None:
        return None
    answers, found = validate(raw)
    if answers is None:
        problems.extend(
            (f"assessment{'.' if path and not path.startswith('[') else ''}{path}", message)
            for path, message in found
        )
        return None
    result = assess(answers, clinic_knowledge()).to_contract()
    return service.Assessment(answers=raw, result=result)


def _appointment_json(made: Request, clinic: Clinic) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": made.pk,
        "kind": made.kind,
        "status": made.status,
        "visit_type": made.visit_type.slug if made.visit_type else None,
        "manage_url": notify.manage_url(made),
    }
    appointment = made.appointments.select_related("provider", "location").order_by("-pk").first()
    if appointment is not None:
        body.update(
            start=appointment.start.isoformat().replace("+00:00", "Z"),
            end=appointment.end.isoformat().replace("+00:00", "Z"),
            local_start=appointment.start.astimezone(clinic.zone).isoformat(),
            provider={"id": appointment.provider_id, "name": appointment.provider.name},
            location={"id": appointment.location_id, "name": appointment.location.name},
        )
    if made.triage:
        body["triage"] = made.triage
    return body


@csrf_exempt
def appointments(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return errors(405, ("", "use POST with a JSON body"), headers={"Allow": "POST"})
    refused = limited(request, "api.appointments", settings.BOOKING_RATE)
    if refused:
        return refused
    if (request.content_type or "") != "application/json":
        return errors(
            400, ("", "send the appointment as JSON with the header Content-Type: application/json")
        )
    if len(request.body) > MAX_BODY_BYTES:
        return errors(400, ("", f"the body is larger than {MAX_BODY_BYTES // 1024} KB"))
    try:
        raw = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return errors(400, ("", "the body is not valid JSON"))
    if not isinstance(raw, dict):
        return errors(400, ("", "the body must be a JSON object"))
    nul = _nul_characters(raw)
    if nul:
        return errors(400, *nul)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (1 <= len(key) <= 200):
        return errors(400, ("Idempotency-Key", "give a key of 1 to 200 characters"))

    clinic = Clinic.objects.current()
    problems: list[tuple[str, str]] = [
        (field, "unknown field") for field in sorted(set(raw) - APPOINTMENT_FIELDS)
    ]
    visit_type = _visit_type(raw.get("visit_type"), problems)
    patient = _patient(raw.get("patient"), problems, email_required=True)
    if raw.get("consent") is not True:
        problems.append(("consent", "the patient must agree to be contacted: send true"))
    reason = raw.get("reason", "")
    if not isinstance(reason, str) or len(reason) > 2000:
        problems.append(("reason", "give the reason as text of at most 2,000 characters"))
    assessment = _assessment(raw.get("assessment"), problems)
    start = None
    if visit_type is not None and visit_type.instant:
        start = _instant(raw.get("start"), "start", clinic.zone, problems) if "start" in raw else None
        if start is None and "start" not in raw:
            problems.append(("start", "give the slot's start, as listed by GET /api/v1/slots"))
        for field in ("provider", "location"):
            if field in raw and (not isinstance(raw[field], int) or isinstance(raw[field], bool)):
                problems.append((field, "give the id from GET /api/v1/slots, a whole number"))
    elif visit_type is not None:
        preferred = raw.get("preferred_times")
        if not isinstance(preferred, str) or not preferred.strip() or len(preferred) > 500:
            problems.append(
                ("preferred_times", "this visit is booked by request: say which days and times suit")
            )
    if problems or visit_type is None or patient is None:
        return errors(400, *problems)
    patient = service.Patient(**{**patient.__dict__, "reason": str(reason)})

    try:
        if visit_type.instant:
            assert start is not None
            made, fresh = service.book(
                visit_type=visit_type,
                start=start,
                provider_id=raw.get("provider"),  # None: the first free one at that time
                location_id=raw.get("location"),
                patient=patient,
                assessment=assessment,
                idempotency_key=key and "api:" + key,
                body=raw,
            )
        else:
            made, fresh = service.ask(
                kind=Request.APPOINTMENT_REQUEST,
                patient=patient,
                visit_type=visit_type,
                preferred_times=str(raw["preferred_times"]).strip(),
                assessment=assessment,
                idempotency_key=key and "api:" + key,
                body=raw,
            )
    except service.IdempotencyConflict as error:
        return errors(422, (error.field, error.message))
    except service.SlotTaken as error:
        return errors(409, (error.field, error.message))
    except service.BookingError as error:
        status = 422 if error.code == "emergency" else 400
        return errors(status, (error.field, error.message))
    response = JsonResponse(_appointment_json(made, clinic), status=201)
    response["Cache-Control"] = "no-store"
    if not fresh:
        response["Idempotent-Replayed"] = "true"
    return response
