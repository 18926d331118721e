"""POST /api/v1/assessments: the contract's HTTP door."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from painpoint.engine.tests.test_assess import CONTRACT_EXAMPLE
from painpoint.lib.ratelimit import limiter

pytestmark = pytest.mark.django_db
URL = "/api/v1/assessments"


def post(client, body, content_type="application/json", **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, **extra)


def test_it_assesses_the_contract_example(client):
    response = post(client, CONTRACT_EXAMPLE)
    assert response.status_code == 200
    result = response.json()
    assert result["triage"] == "appointment"
    assert result["red_flags"] == []
    assert result["conditions"][0]["slug"] == "sciatica-herniated-disc"
    assert result["conditions"][0]["url"] == "http://testserver/conditions/sciatica-herniated-disc/"
    assert set(result) >= {"triage", "advice", "red_flags", "conditions", "treatments", "engine"}
    assert response["Cache-Control"] == "no-store"


def test_it_puts_the_clinics_services_first(client):
    result = post(client, CONTRACT_EXAMPLE).json()
    offered = [t["offered"] for t in result["treatments"]]
    assert offered == sorted(offered, reverse=True) and offered[0] is True


def test_a_change_to_the_clinics_services_shows_in_the_next_assessment(client):
    from painpoint.clinics.models import Clinic

    before = {t["slug"] for t in post(client, CONTRACT_EXAMPLE).json()["treatments"] if t["offered"]}
    assert before
    Clinic.objects.current().offered_treatments.clear()
    after = [t["slug"] for t in post(client, CONTRACT_EXAMPLE).json()["treatments"] if t["offered"]]
    assert after == []


def test_it_stores_nothing(client):
    with CaptureQueriesContext(connection) as queries:
        assert post(client, CONTRACT_EXAMPLE).status_code == 200
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def test_it_needs_no_csrf_token(client):
    client.handler.enforce_csrf_checks = True
    assert post(client, CONTRACT_EXAMPLE).status_code == 200


def test_it_names_every_problem_with_its_path_and_suggests_the_nearest_code(client):
    body = {
        "age": 130,
        "regions": ["lower-bak", "knee-left", "knee-left"],
        "duration_days": -1,
        "severity": "7",
        "findings": ["spread-below-kne"],
        "colour": "blue",
    }
    response = post(client, body)
    assert response.status_code == 400
    errors = {e["path"]: e["message"] for e in response.json()["errors"]}
    assert errors == {
        "colour": "unknown field",
        "age": "expected an integer from 0 to 120",
        "regions[0]": "unknown region code 'lower-bak' (did you mean 'lower-back'?)",
        "regions[2]": "'knee-left' is listed twice",
        "duration_days": "expected a number of days, 0 or more (0.04 is about an hour)",
        "severity": "expected an integer from 0 to 10",
        "findings[0]": "unknown finding code 'spread-below-kne' (did you mean 'spread-below-knee'?)",
    }


def test_it_names_missing_fields(client):
    errors = post(client, {"findings": []}).json()["errors"]
    assert {e["path"] for e in errors} == {"age", "regions", "duration_days", "severity"}
    assert all(e["message"] == "this field is required" for e in errors)


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ("{not json", "application/json", "the body is not valid JSON at line 1, column 2"),
        ("[1, 2]", "application/json", "expected a JSON object with the fields"),
        ("age=42", "application/x-www-form-urlencoded", "Content-Type: application/json"),
        ('"just a string"', "application/json", "expected a JSON object"),
        (b"\xff\xfe", "application/json", "the body is not valid JSON"),
    ],
)
def test_a_body_that_is_not_an_assessment_gets_a_400_that_says_why(client, body, content_type, message):
    response = post(client, body, content_type=content_type)
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]


def test_other_methods_are_refused_with_json(client):
    response = client.get(URL)
    assert response.status_code == 405 and response["Allow"] == "POST, OPTIONS"
    assert response.json()["errors"][0]["message"] == "use POST with a JSON body"


@override_settings(API_RATE="3/m")
def test_it_limits_each_client(client):
    limiter.reset()
    try:
        for _ in range(3):
            assert post(client, CONTRACT_EXAMPLE).status_code == 200
        response = post(client, CONTRACT_EXAMPLE)
        assert response.status_code == 429
        assert int(response["Retry-After"]) >= 1
        assert response.json()["errors"][0]["message"].startswith("too many requests")
        # Another client is not affected.
        assert post(client, CONTRACT_EXAMPLE, REMOTE_ADDR="10.9.8.7").status_code == 200
    finally:
        limiter.reset()


def test_the_benchmarks_stand_in_for_the_engine_does_all_the_endpoint_does_but_assess(rf, monkeypatch):
    """bench/engine.py's ceiling row is only fair if the stand-in parses, validates and encodes as the
    endpoint does: the same refusals, and a full result of the same shape."""
    from painpoint.lib import bench

    monkeypatch.setattr(bench, "_first", [])

    def call(body):
        data = body if isinstance(body, str) else json.dumps(body)
        request = rf.post("/_bench/without-engine.json", data=data, content_type="application/json")
        return bench.without_engine(request)

    first = json.loads(call(CONTRACT_EXAMPLE).content)
    assert first["conditions"][0]["slug"] == "sciatica-herniated-disc"
    assert first["conditions"][0]["url"].startswith("http://testserver/")
    other = dict(CONTRACT_EXAMPLE, regions=["jaw-left"])
    assert json.loads(call(other).content) == first  # the engine's work is not redone
    refused = call(dict(CONTRACT_EXAMPLE, age="old"))
    assert refused.status_code == 400
    assert json.loads(refused.content)["errors"][0]["path"] == "age"
    assert call("{not json").status_code == 400
