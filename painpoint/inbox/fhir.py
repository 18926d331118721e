"""A request as FHIR, for a clinician to file in the patient's record: FHIR R4B (4.3.0, the R4 line).

`bundle(request)` builds a Bundle of type "collection" as plain dicts: a Patient, one Appointment per
appointment (or one proposed Appointment for a request still waiting for a time), and a
QuestionnaireResponse of the interview when the request came with one. "collection" rather than "document":
a document needs a Composition that someone attests, and this is a set of resources the receiving system
files, not a signed clinical document. Entries refer to each other by `urn:uuid:` full URLs derived from the
site and the request, so a second export of the same request names the same resources.

`validate(data)` parses the result with the `fhir.resources` R4B models (pydantic), which check every
element's type, cardinality and the resources' invariants; the export view sends nothing that fails it.

Mapping choices:
- Patient: the one name field we keep goes to `name[0].text` (we do not guess given and family names);
  phone and email to `telecom`; the date of birth to `birthDate`.
- Appointment.status: booked → booked; attended → fulfilled; no-show → noshow; a cancelled appointment (or a
  cancelled request) → cancelled; an appointment request without a time → proposed, with no start or end.
- Appointment.priority (unsignedInt; as in iCalendar, 0 is undefined, 1 the highest, 9 the lowest): emergency
  → 1, urgent → 2, appointment → 5, self-care → 9; without an assessment the element is left out.
- Appointment.reasonCode: first the triage level (and red flags) as text, then one entry per likely condition
  (likelihood high or medium; the first condition when none is): our plain name and likelihood as text, its
  ICD-10-CM codes (`http://hl7.org/fhir/sid/icd-10-cm`) as codings. The patient's own words and preferred
  times go to `comment`; the provider and the location are participants named by `display`. A call request
  or message without an appointment exports no Appointment.
- QuestionnaireResponse: one item per answer, `linkId` the contract's field name: age and severity as
  valueInteger, duration_days as valueDecimal (days), sex as an administrative-gender valueCoding, each
  region as a valueCoding (code from contract v1 in a code system named under the site, its label as
  display), and a "findings" group with one item
  per finding reported, `valueBoolean` true. Findings not reported are left out: the contract reads them as
  "not reported", not as "no".
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from painpoint.booking.models import Appointment, Request
from painpoint.booking.notify import site_url
from painpoint.clinics.models import Clinic
from painpoint.inbox.summary import PainSummary, build

if TYPE_CHECKING:
    from fhir.resources.R4B.bundle import Bundle

# The media type with its FHIR version parameter (major.minor), as the FHIR http page describes it.
CONTENT_TYPE = "application/fhir+json; fhirVersion=4.3"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
GENDER = "http://hl7.org/fhir/administrative-gender"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
PRIORITY = {"emergency": 1, "urgent": 2, "appointment": 5, "self-care": 9}


def region_system() -> str:
    # Contract v1's region codes have no standard code system: they are named under the clinic's own site,
    # as FHIR asks of a local code system. The URL identifies; nothing needs to be served there.
    return f"{site_url()}/fhir/CodeSystem/assessment-v1-region"


def _uuid(request: Request, part: str) -> str:
    return "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{site_url()}/staff/requests/{request.pk}/{part}")
    )


def _instant(moment: datetime, clinic: Clinic) -> str:
    return moment.astimezone(clinic.zone).isoformat(timespec="seconds")


def appointment_status(request: Request, appointment: Appointment | None) -> str:
    """Our statuses in FHIR's Appointment status value set."""
    if appointment is None:
        return "cancelled" if request.status == Request.CANCELLED else "proposed"
    if appointment.status == Appointment.CANCELLED or request.status == Request.CANCELLED:
        return "cancelled"
    return {Request.ATTENDED: "fulfilled", Request.NO_SHOW: "noshow"}.get(request.status, "booked")


def patient(request: Request) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient", "name": [{"text": request.name}]}
    telecom = []
    if request.phone:
        telecom.append({"system": "phone", "value": request.phone})
    if request.email:
        telecom.append({"system": "email", "value": request.email})
    if telecom:
        resource["telecom"] = telecom
    if request.date_of_birth:
        resource["birthDate"] = request.date_of_birth.isoformat()
    return resource


def reasons(summary: PainSummary | None) -> list[dict[str, Any]]:
    """The triage level and the likely conditions, as Appointment.reasonCode."""
    if summary is None or not summary.level:
        return []
    text = f"Triage level from the online pain guide: {summary.level_name}"
    if summary.red_flags:
        text += ". Red flags: " + "; ".join(
            f"{flag['reason']} ({flag['level']})" for flag in summary.red_flags
        )
    found = [{"text": text}]
    likely = [row for row in summary.conditions if row["likelihood"] in ("high", "medium")]
    for row in likely or summary.conditions[:1]:
        concept: dict[str, Any] = {"text": f"{row['name']} (likelihood: {row['likelihood']})"}
        if row["icd10"]:
            # No Coding.display: it must be the code system's own wording, which we do not hold; our plain
            # name of the condition is the concept's text.
            concept["coding"] = [{"system": ICD10CM, "code": code} for code in row["icd10"]]
        found.append(concept)
    return found


def appointment(
    request: Request,
    booked: Appointment | None,
    patient_url: str,
    clinic: Clinic,
    summary: PainSummary | None,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "status": appointment_status(request, booked),
        "created": _instant(booked.created_at if booked else request.created_at, clinic),
    }
    visit_type = booked.visit_type if booked else request.visit_type
    if booked is not None:
        resource["identifier"] = [{"system": f"{site_url()}/fhir/appointment", "value": str(booked.pk)}]
    level = request.triage or ""
    if level in PRIORITY:
        resource["priority"] = PRIORITY[level]
    if visit_type is not None:
        resource["serviceType"] = [{"text": visit_type.name}]
        resource["description"] = visit_type.name
        resource["minutesDuration"] = visit_type.duration_minutes
    reason_codes = reasons(summary)
    if reason_codes:
        resource["reasonCode"] = reason_codes
    if booked is not None:
        resource["start"] = _instant(booked.start, clinic)
        resource["end"] = _instant(booked.end, clinic)
    comments = []
    if request.reason:
        comments.append(f"From the patient: {request.reason}")
    if booked is None and request.preferred_times:
        comments.append(f"Preferred times: {request.preferred_times}")
    if comments:
        resource["comment"] = "\n".join(comments)
    participants: list[dict[str, Any]] = [
        {"actor": {"reference": patient_url, "display": request.name}, "status": "accepted"}
    ]
    if booked is not None:
        provider = booked.provider.name + (f", {booked.provider.title}" if booked.provider.title else "")
        participants.append(
            {
                "type": [
                    {"coding": [{"system": PARTICIPATION, "code": "PPRF", "display": "primary performer"}]}
                ],
                "actor": {"display": provider},
                "status": "accepted",
            }
        )
        participants.append({"actor": {"display": booked.location.address}, "status": "accepted"})
    resource["participant"] = participants
    return resource


def questionnaire_response(
    request: Request, patient_url: str, clinic: Clinic, summary: PainSummary | None
) -> dict[str, Any] | None:
    answers = (request.assessment or {}).get("answers")
    if not isinstance(answers, dict) or summary is None:
        return None
    items: list[dict[str, Any]] = []
    if answers.get("age") is not None:
        items.append(
            {"linkId": "age", "text": "Age in years", "answer": [{"valueInteger": int(answers["age"])}]}
        )
    if answers.get("sex"):
        coding = {"system": GENDER, "code": answers["sex"], "display": summary.sex}
        items.append({"linkId": "sex", "text": "Sex", "answer": [{"valueCoding": coding}]})
    if summary.regions:
        items.append(
            {
                "linkId": "regions",
                "text": "Where it hurts",
                "answer": [
                    {"valueCoding": {"system": region_system(), "code": code, "display": label}}
                    for code, label in zip(summary.regions, summary.region_labels, strict=True)
                ],
            }
        )
    if answers.get("duration_days") is not None:
        items.append(
            {
                "linkId": "duration_days",
                "text": f"Days since the pain began ({summary.duration})",
                "answer": [{"valueDecimal": float(answers["duration_days"])}],
            }
        )
    if answers.get("severity") is not None:
        items.append(
            {
                "linkId": "severity",
                "text": "Worst pain in the last 24 hours (0 to 10)",
                "answer": [{"valueInteger": int(answers["severity"])}],
            }
        )
    if summary.findings:
        items.append(
            {
                "linkId": "findings",
                "text": "What the patient reported",
                "item": [
                    {
                        "linkId": f"findings.{code}",
                        "text": text,
                        "answer": [{"valueBoolean": True}],
                    }
                    for code, text in summary.findings
                ],
            }
        )
    return {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": f"{site_url()}/fhir/assessment", "value": str(request.pk)},
        "status": "completed",
        "subject": {"reference": patient_url, "display": request.name},
        "authored": _instant(request.created_at, clinic),
        "author": {"reference": patient_url, "display": request.name},
        "item": items,
    }


def bundle(request: Request, now: datetime | None = None) -> dict[str, Any]:
    """Return the request as a FHIR R4B Bundle (type collection), as plain JSON-ready dicts."""
    clinic = Clinic.objects.current()
    patient_url = _uuid(request, "patient")
    summary = build(request.assessment)  # once: each Appointment and the QuestionnaireResponse read it
    entries = [{"fullUrl": patient_url, "resource": patient(request)}]
    booked = list(request.appointments.select_related("visit_type", "provider", "location").order_by("start"))
    if booked:
        for row in booked:
            entries.append(
                {
                    "fullUrl": _uuid(request, f"appointment-{row.pk}"),
                    "resource": appointment(request, row, patient_url, clinic, summary),
                }
            )
    elif request.kind == Request.APPOINTMENT_REQUEST:
        entries.append(
            {
                "fullUrl": _uuid(request, "appointment"),
                "resource": appointment(request, None, patient_url, clinic, summary),
            }
        )
    answers = questionnaire_response(request, patient_url, clinic, summary)
    if answers is not None:
        entries.append({"fullUrl": _uuid(request, "assessment"), "resource": answers})
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(now or timezone.now(), clinic),
        "entry": entries,
    }


def validate(data: dict[str, Any]) -> Bundle:
    """Parse `data` with the R4B models; raises pydantic's ValidationError naming each wrong element."""
    # Imported here: the FHIR models take a moment to load, and only an export needs them.
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate(data)
