"""The interview without JavaScript: steps in the session, every answer mapped to the contract, results."""

from __future__ import annotations

import re

import pytest

from painpoint.assessment import questions
from painpoint.assessment.steps import SESSION_KEY, STEPS, State

pytestmark = pytest.mark.django_db


def walk(client, answers: dict[str, dict]) -> str:
    """Answer every step in order and return the results page's HTML."""
    for step in STEPS:
        response = client.post(f"/check/{step.slug}/", answers.get(step.slug, {"codes": ["none"]}))
        assert response.status_code == 302, response.content.decode()[:3000]
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def triage_of(html: str) -> str:
    return re.search(r'data-triage="([^"]+)"', html).group(1)


SELF_CARE = {
    "where": {"regions": ["lower-back"]},
    "you": {"age": "35"},
    "started": {"onset": "onset-injury-minor", "duration": "1.5"},
    "feels": {"quality": ["quality-aching", "quality-cramping"]},
    "behaves": {"codes": ["worse-bending-forward"], "severity": "8"},
}
APPOINTMENT = {
    "where": {"regions": ["lower-back", "buttock-left", "thigh-back-left", "calf-left"]},
    "you": {"age": "42", "sex": "female"},
    "started": {"onset": "onset-injury-minor", "duration": "10"},
    "feels": {"quality": ["quality-shooting"], "spread": ["spread-below-knee"]},
    "behaves": {"codes": ["worse-sitting", "worse-cough-sneeze"], "severity": "7"},
}
EMERGENCY = {
    "where": {"regions": ["chest-left", "upper-arm-left"]},
    "you": {"age": "61", "sex": "male"},
    "safety": {"codes": ["worse-exertion", "with-sweating-nausea"]},
    "started": {"onset": "onset-sudden", "duration": "0.1"},
    "feels": {"quality": ["quality-pressure"]},
    "behaves": {"codes": [], "severity": "8"},
}


def test_a_back_strain_reaches_self_care_results(client):
    html = walk(client, SELF_CARE)
    assert triage_of(html) == "self-care"
    assert "Low back strain" in html and "What you can do now" in html


def test_sciatica_reaches_an_appointment_with_its_reasons(client):
    html = walk(client, APPOINTMENT)
    assert triage_of(html) == "appointment"
    assert "pain runs below the knee" in html


def test_heart_warning_signs_reach_the_emergency_banner_without_booking(client):
    html = walk(client, EMERGENCY)
    assert triage_of(html) == "emergency"
    assert 'href="tel:911"' in html and "Call 911 now" in html
    assert "What it might be" not in html and "Book" not in html


def test_a_step_cannot_be_skipped(client):
    response = client.get("/check/feels/")
    assert response.status_code == 302 and response["Location"] == "/check/where/"


def test_a_missing_answer_is_explained_next_to_the_question(client):
    response = client.post("/check/where/", {})
    assert response.status_code == 200
    assert "Choose at least one place where it hurts." in response.content.decode()
    client.post("/check/where/", {"regions": ["knee-left"]})
    response = client.post("/check/you/", {"age": "0"})
    assert "Enter your age in years, from 1 to 120." in response.content.decode()


def test_the_answers_live_only_in_the_session_and_never_in_a_url(client):
    walk(client, SELF_CARE)
    state = State.load(client.session)
    assert state.regions == ["lower-back"] and state.age == 35
    assert (
        "lower-back" not in str(client.session.get_expiry_age()) and client.session.get_expiry_age() <= 3600
    )
    client.post("/check/restart/")
    assert SESSION_KEY not in client.session


def test_no_leg_questions_for_a_sore_jaw(client):
    client.post("/check/where/", {"regions": ["jaw-left"]})
    client.post("/check/you/", {"age": "30"})
    html = client.get("/check/safety/").content.decode()
    form = html.split("<h1>")[1].split("</form>")[0].lower()
    assert not re.search(r"\blegs?\b", form)
    assert "between your legs" not in form


def test_every_option_is_a_code_of_the_contract_and_the_interview_stays_short():
    from painpoint.engine.codes import FINDING_CODES

    for group in (
        questions.SAFETY,
        questions.QUALITY,
        questions.SPREAD,
        questions.BEHAVIOUR,
        questions.OTHER,
        questions.HISTORY,
    ):
        assert all(option.code in FINDING_CODES for option in group)
    assert len(STEPS) <= 8
    assert questions.MAX_SAFETY <= 8
