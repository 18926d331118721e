"""GET /api/v1/slots and POST /api/v1/appointments."""

from __future__ import annotations

import json

import pytest

from painpoint.booking.models import Appointment, Request
from painpoint.engine.tests.test_assess import CONTRACT_EXAMPLE

pytestmark = pytest.mark.django_db


def post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/api/v1/appointments", data=data, content_type="application/json", **headers)


def a_slot(client, visit_type="new-patient"):
    response = client.get(f"/api/v1/slots?visit_type={visit_type}")
    assert response.status_code == 200
    return response.json()["slots"][0]


def body_for(slot, **changes):
    body = {
        "visit_type": "new-patient",
        "start": slot["start"],
        "provider": slot["provider"]["id"],
        "location": slot["location"]["id"],
        "patient": {
            "name": "Ann Example",
            "phone": "(555) 010-0100",
            "email": "ann@example.org",
            "date_of_birth": "1961-04-12",
        },
        "reason": "Low back pain",
        "consent": True,
    }
    body.update(changes)
    return body


def test_slots_are_listed_in_utc_with_the_clinics_local_time(client):
    data = client.get("/api/v1/slots?visit_type=new-patient").json()
    assert data["time_zone"] == "America/Los_Angeles"
    first = data["slots"][0]
    assert first["start"].endswith("Z")
    assert first["local_start"][-6:] in ("-08:00", "-07:00")
    assert {"id", "name"} <= set(first["provider"])


def test_slots_between_two_dates_stay_between_them(client):
    data = client.get("/api/v1/slots?visit_type=new-patient&from=2026-12-07&to=2026-12-08").json()
    assert data["slots"]
    assert all(slot["local_start"].startswith("2026-12-07") for slot in data["slots"])


@pytest.mark.parametrize(
    ("query", "path", "words"),
    [
        ("visit_type=nope", "visit_type", "unknown visit type 'nope'; known: new-patient"),
        ("", "visit_type", "give the slug"),
        ("visit_type=new-patient&from=yesterday", "from", "not a date"),
        ("visit_type=new-patient&from=2026-12-01T09:00", "from", "offset"),
        ("visit_type=new-patient&from=2026-12-09&to=2026-12-01", "to", "after 'from'"),
        ("visit_type=new-patient&from=2026-12-01&to=2027-03-01", "to", "at most 31 days"),
        ("visit_type=new-patient&provider=x", "provider", "whole number"),
        ("visit_type=new%00patient", "visit_type", "NUL"),
    ],
)
def test_a_bad_slot_query_gets_a_400_naming_the_parameter(client, query, path, words):
    response = client.get(f"/api/v1/slots?{query}")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == path and words in error["message"]


def test_booking_a_listed_slot_returns_the_appointment(client):
    slot = a_slot(client)
    response = post(client, body_for(slot), key="first-try")
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["start"], data["provider"]) == ("booked", slot["start"], slot["provider"])
    assert "/appointments/manage/" in data["manage_url"]
    assert slot["start"] not in {
        s["start"]
        for s in client.get("/api/v1/slots?visit_type=new-patient").json()["slots"]
        if s["provider"] == slot["provider"]
    }


def test_a_replay_returns_the_same_appointment_and_a_changed_body_is_refused(client):
    slot = a_slot(client)
    first = post(client, body_for(slot), key="k-123")
    again = post(client, body_for(slot), key="k-123")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    changed = post(client, body_for(slot, reason="Neck pain"), key="k-123")
    assert changed.status_code == 422
    assert changed.json()["errors"][0]["path"] == "Idempotency-Key"
    assert Appointment.objects.count() == 1


def test_a_taken_slot_gets_a_409_that_says_so(client):
    slot = a_slot(client)
    assert post(client, body_for(slot)).status_code == 201
    taken = post(client, body_for(slot))
    assert taken.status_code == 409
    assert "taken" in taken.json()["errors"][0]["message"]


def test_without_a_provider_the_first_free_one_is_chosen(client):
    slot = a_slot(client)
    body = body_for(slot)
    del body["provider"], body["location"]
    response = post(client, body)
    assert response.status_code == 201
    assert response.json()["start"] == slot["start"]


def test_a_replay_without_a_provider_returns_the_first_booking_even_when_no_provider_is_free(client):
    slot = a_slot(client)
    body = body_for(slot)
    del body["provider"], body["location"]
    first = post(client, body, key="any-provider")
    # Both providers busy at that time: a fresh booking would be refused, but a replay is not a new one.
    post(client, body)
    again = post(client, body, key="any-provider")
    assert first.status_code == 201 and again.status_code == 201, again.content
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert post(client, body).status_code == 409


def test_every_bad_field_is_named_in_one_400(client):
    slot = a_slot(client)
    body = body_for(
        slot,
        visit_type="new-patiant",
        consent=False,
        colour="blue",
        patient={"name": "A", "phone": "call me", "email": "ann@", "date_of_birth": "2999-01-01"},
    )
    response = post(client, body)
    assert response.status_code == 400
    paths = {error["path"] for error in response.json()["errors"]}
    assert paths >= {
        "visit_type",
        "consent",
        "colour",
        "patient.name",
        "patient.phone",
        "patient.email",
        "patient.date_of_birth",
    }
    assert Request.objects.count() == 0


@pytest.mark.parametrize(
    ("start", "words"),
    [
        ("2020-01-06T17:00:00Z", "passed"),
        ("not a time", "ISO 8601"),
        ("2026-12-07T09:00:00", "offset"),
    ],
)
def test_a_bad_start_gets_a_400_on_the_start_field(client, start, words):
    response = post(client, body_for(a_slot(client), start=start))
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "start"
    assert words in response.json()["errors"][0]["message"]


def test_an_assessment_is_attached_and_an_emergency_one_cannot_book(client):
    slot = a_slot(client)
    response = post(client, body_for(slot, assessment=CONTRACT_EXAMPLE))
    assert response.status_code == 201 and response.json()["triage"] == "appointment"
    stored = Request.objects.get()
    assert stored.assessment["result"]["triage"] == "appointment"
    emergency = dict(CONTRACT_EXAMPLE, findings=["with-saddle-numbness", "with-bladder-change"])
    refused = post(client, body_for(a_slot(client), assessment=emergency))
    assert refused.status_code == 422
    assert "911" in refused.json()["errors"][0]["message"]


def test_a_bad_assessment_is_named_with_its_own_path(client):
    response = post(client, body_for(a_slot(client), assessment={"age": 40, "regions": ["lower-bak"]}))
    assert response.status_code == 400
    assert any(error["path"].startswith("assessment.") for error in response.json()["errors"])


def test_a_visit_booked_by_request_takes_preferred_times(client):
    body = body_for(
        {"start": "", "provider": {"id": 1}, "location": {"id": 1}}, visit_type="injection-consultation"
    )
    del body["start"], body["provider"], body["location"]
    assert post(client, body).json()["errors"][0]["path"] == "preferred_times"
    response = post(client, dict(body, preferred_times="Tuesday mornings"))
    assert response.status_code == 201
    assert response.json()["kind"] == "appointment-request"
    assert Request.objects.get().preferred_times == "Tuesday mornings"


@pytest.mark.parametrize(
    "raw", ["", "[]", "null", "{", '"text"', '{"patient": []}', json.dumps({"visit_type": 5})]
)
def test_malformed_bodies_get_a_400_never_a_500(client, raw):
    assert post(client, raw).status_code == 400


def test_the_openapi_document_describes_the_booking_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/slots", "/api/v1/appointments"} <= set(document["paths"])
    post_op = document["paths"]["/api/v1/appointments"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in post_op["parameters"])


def test_a_nul_character_anywhere_in_a_booking_is_named_in_a_400_and_nothing_is_saved(client):
    slot = a_slot(client)
    patient = {**body_for(slot)["patient"], "name": "Ann\x00Example"}
    body = body_for(slot, visit_type="new\x00patient", patient=patient, **{"odd\x00key": 1})
    response = post(client, body, key="nul-1")
    assert response.status_code == 400
    assert {error["path"] for error in response.json()["errors"]} == {
        "visit_type",
        "patient.name",
        "odd\\u0000key",
    }
    assert Request.objects.count() == 0
