"""The FHIR export: an R4B Bundle the fhir.resources models accept, saying what the request says."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from painpoint.booking import service
from painpoint.booking.calendar import Window, free_slots
from painpoint.booking.models import Appointment, Request, VisitType
from painpoint.clinics.roles import CLINICIAN
from painpoint.inbox import fhir
from painpoint.inbox.models import AuditEvent
from painpoint.inbox.tests.test_inbox import SCIATICA, URGENT, ask, book_urgent, engine_assessment, staff

pytestmark = pytest.mark.django_db
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"


def export(client, made: Request) -> dict:
    response = client.get(f"/staff/requests/{made.pk}/fhir.json")
    assert response.status_code == 200
    return json.loads(response.content)


def resources(bundle: Bundle, kind: type) -> list:
    return [entry.resource for entry in bundle.entry if isinstance(entry.resource, kind)]


def test_the_export_parses_with_the_r4b_models_and_matches_the_request(client):
    made = book_urgent()
    appointment = made.appointments.select_related("provider").get()
    staff(client, CLINICIAN)
    bundle = Bundle.model_validate(export(client, made))
    assert bundle.type == "collection"
    [patient] = resources(bundle, FhirPatient)
    [visit] = resources(bundle, FhirAppointment)
    [answers] = resources(bundle, QuestionnaireResponse)
    # Each resource also stands on its own against its model.
    for resource in (patient, visit, answers):
        type(resource).model_validate(resource.model_dump())

    assert patient.name[0].text == "Ann Example"
    assert str(patient.birthDate) == "1963-04-02"
    assert {(point.system, point.value) for point in patient.telecom} == {
        ("phone", "(555) 010-0100"),
        ("email", "ann@example.org"),
    }

    patient_url = bundle.entry[0].fullUrl
    assert visit.status == "booked"
    assert visit.start == appointment.start and visit.end == appointment.end
    assert visit.priority == 2  # urgent
    assert visit.minutesDuration == 45
    assert visit.participant[0].actor.reference == patient_url
    assert appointment.provider.name in visit.participant[1].actor.display
    reasons = visit.reasonCode
    assert "Urgent" in reasons[0].text and "cancer can spread to the spine" in reasons[0].text
    codes = {(coding.system, coding.code) for reason in reasons[1:] for coding in reason.coding or []}
    assert (ICD10CM, "C79.51") in codes
    condition_names = [reason.text for reason in reasons[1:]]
    assert condition_names == ["Cancer in the spine (likelihood: high)"]

    assert answers.status == "completed"
    assert answers.subject.reference == patient_url
    assert answers.authored == made.created_at
    items = {item.linkId: item for item in answers.item}
    assert items["age"].answer[0].valueInteger == 62
    assert items["severity"].answer[0].valueInteger == 7
    assert float(items["duration_days"].answer[0].valueDecimal) == 42
    assert items["sex"].answer[0].valueCoding.code == "female"
    assert [answer.valueCoding.code for answer in items["regions"].answer] == ["lower-back", "buttock-left"]
    assert [answer.valueCoding.display for answer in items["regions"].answer] == [
        "Lower back",
        "Left buttock",
    ]
    findings = {item.linkId: item for item in items["findings"].item}
    assert set(findings) == {f"findings.{code}" for code in URGENT["findings"]}
    assert all(item.answer[0].valueBoolean is True for item in findings.values())
    assert findings["findings.history-cancer"].text == "You have had cancer"


def test_the_export_is_a_fhir_json_attachment_never_cached_and_audited(client):
    made = book_urgent()
    user = staff(client, CLINICIAN)
    response = client.get(f"/staff/requests/{made.pk}/fhir.json")
    assert response["Content-Type"].startswith("application/fhir+json")
    assert "fhirVersion=4.3" in response["Content-Type"]
    assert response["Content-Disposition"] == f'attachment; filename="request-{made.pk}.fhir.json"'
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditEvent.EXPORT)
    assert (event.user, event.object_kind, event.object_id) == (user, "request", str(made.pk))
    assert "Ann" not in event.detail
    # The same request exports with the same resource ids, so a second import updates the first.
    again = client.get(f"/staff/requests/{made.pk}/fhir.json")
    first_urls = [entry["fullUrl"] for entry in json.loads(response.content)["entry"]]
    assert [entry["fullUrl"] for entry in json.loads(again.content)["entry"]] == first_urls


def test_an_appointment_request_without_a_time_exports_a_proposed_appointment(client):
    made = ask(
        Request.APPOINTMENT_REQUEST,
        visit_type=VisitType.objects.get(slug="injection-consultation"),
        assessment=engine_assessment(SCIATICA),
        preferred_times="Monday; morning",
    )
    staff(client, CLINICIAN)
    bundle = Bundle.model_validate(export(client, made))
    [visit] = resources(bundle, FhirAppointment)
    assert visit.status == "proposed" and visit.start is None and visit.end is None
    assert visit.priority == 5  # appointment
    assert "Preferred times: Monday; morning" in visit.comment
    assert visit.serviceType[0].text == "Injection consultation"
    [patient] = resources(bundle, FhirPatient)
    assert patient.birthDate is None and [point.system for point in patient.telecom] == ["phone"]
    codes = {coding.code for reason in visit.reasonCode[1:] for coding in reason.coding or []}
    assert "M51.16" in codes  # the contract's example: sciatica from a disc


def test_a_call_request_without_an_assessment_exports_only_the_patient(client):
    made = ask()
    staff(client, CLINICIAN)
    bundle = Bundle.model_validate(export(client, made))
    assert [entry.resource.get_resource_type() for entry in bundle.entry] == ["Patient"]


@pytest.mark.parametrize(
    ("request_status", "appointment_status", "expected"),
    [
        (Request.BOOKED, Appointment.BOOKED, "booked"),
        (Request.ATTENDED, Appointment.BOOKED, "fulfilled"),
        (Request.NO_SHOW, Appointment.BOOKED, "noshow"),
        (Request.CANCELLED, Appointment.CANCELLED, "cancelled"),
    ],
)
def test_our_statuses_map_to_fhir_appointment_statuses(client, request_status, appointment_status, expected):
    made = book_urgent()
    Request.objects.filter(pk=made.pk).update(status=request_status)
    Appointment.objects.filter(request=made).update(status=appointment_status)
    made.refresh_from_db()
    data = fhir.bundle(made)
    [visit] = resources(fhir.validate(data), FhirAppointment)
    assert visit.status == expected


def test_the_triage_level_sets_the_priority_lower_numbers_first():
    assert fhir.PRIORITY == {"emergency": 1, "urgent": 2, "appointment": 5, "self-care": 9}


def test_a_cancelled_and_a_new_appointment_both_export(client):
    made = book_urgent()
    first = made.appointments.get()
    service.cancel(first, by_staff=True)
    Request.objects.filter(pk=made.pk).update(status=Request.CONTACTED)
    made.refresh_from_db()
    later = timezone.now() + timedelta(days=1)
    slot_after = free_slots(first.visit_type, Window(later, later + timedelta(days=14)))[0]
    service.confirm(
        made,
        visit_type=first.visit_type,
        start=slot_after.start,
        provider_id=slot_after.provider_id,
        location_id=slot_after.location_id,
    )
    made.refresh_from_db()
    bundle = fhir.validate(fhir.bundle(made))
    statuses = sorted(visit.status for visit in resources(bundle, FhirAppointment))
    assert statuses == ["booked", "cancelled"]


def test_every_instant_carries_its_offset():
    made = book_urgent()
    data = fhir.bundle(made, now=datetime(2026, 12, 1, 12, tzinfo=timezone.get_current_timezone()))
    visit = data["entry"][1]["resource"]
    for value in (data["timestamp"], visit["start"], visit["end"], visit["created"]):
        assert datetime.fromisoformat(value).tzinfo is not None
