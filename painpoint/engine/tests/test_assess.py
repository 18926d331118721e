"""Whole assessments on the real content: levels, reasons, conditions and treatments as the policy wants."""

from __future__ import annotations

from dataclasses import replace

from painpoint.engine import assess
from painpoint.engine.model import Answers, Level
from painpoint.engine.validate import validate

CONTRACT_EXAMPLE = {
    "age": 42,
    "sex": "female",
    "regions": ["lower-back", "buttock-left", "thigh-back-left", "calf-left"],
    "duration_days": 14,
    "severity": 7,
    "findings": [
        "onset-injury-minor",
        "quality-shooting",
        "spread-below-knee",
        "worse-sitting",
        "worse-cough-sneeze",
    ],
}


def given(raw) -> Answers:
    answers, problems = validate(raw)
    assert problems == []
    return answers


def test_the_contract_example_is_an_appointment_for_sciatica_from_a_disc(knowledge):
    result = assess(given(CONTRACT_EXAMPLE), knowledge)
    assert result.triage == Level.APPOINTMENT
    assert result.red_flags == ()
    first = result.conditions[0]
    assert first.slug == "sciatica-herniated-disc"
    assert "M51.16" in first.icd10
    assert "pain runs below the knee" in first.why
    assert "worse when coughing or sneezing" in first.why
    assert first.url == "/conditions/sciatica-herniated-disc/"
    assert "The pain spreads below the knee or down the arm." in result.reasons


def test_severe_acute_back_strain_stays_self_care(knowledge):
    raw = {
        "age": 35,
        "regions": ["lower-back"],
        "duration_days": 2,
        "severity": 9,
        "findings": ["onset-injury-minor", "quality-aching", "quality-cramping", "worse-any-movement"],
    }
    result = assess(given(raw), knowledge)
    assert result.triage == Level.SELF_CARE
    assert result.conditions[0].slug == "low-back-strain"
    assert "Book a visit if it is not better in" in result.advice


def test_the_same_back_pain_for_ten_weeks_needs_an_appointment(knowledge):
    raw = {
        "age": 35,
        "regions": ["lower-back"],
        "duration_days": 70,
        "severity": 5,
        "findings": ["quality-aching", "worse-bending-forward"],
    }
    result = assess(given(raw), knowledge)
    assert result.triage == Level.APPOINTMENT
    assert "The pain has lasted more than 6 weeks." in result.reasons


def test_a_muscle_knot_is_self_care_and_offers_the_clinics_massage_first(knowledge):
    raw = {
        "age": 38,
        "regions": ["upper-back", "neck-back"],
        "duration_days": 10,
        "severity": 6,
        "findings": ["quality-knot", "worse-pressing-spot", "history-desk-work", "quality-aching"],
    }
    offered = replace(knowledge, offered=frozenset({"massage-therapy"}))
    result = assess(given(raw), offered)
    assert result.triage == Level.SELF_CARE
    assert result.conditions[0].slug == "myofascial-pain"
    assert result.treatments[0].slug == "massage-therapy"
    assert result.to_contract()["treatments"][0]["offered"] is True


def test_an_emergency_offers_only_emergency_care(knowledge):
    raw = {
        "age": 61,
        "sex": "male",
        "regions": ["chest-left", "upper-arm-left", "jaw-left"],
        "duration_days": 0.05,
        "severity": 8,
        "findings": ["quality-pressure", "worse-exertion", "with-sweating-nausea"],
    }
    result = assess(given(raw), knowledge)
    assert result.triage == Level.EMERGENCY
    assert result.conditions[0].slug == "heart-attack"
    assert [t.slug for t in result.treatments] == ["emergency-care"]
    assert result.advice.startswith("Call 911 now")


def test_a_condition_a_red_flag_points_to_is_listed_even_when_little_else_fits(knowledge):
    raw = {
        "age": 50,
        "regions": ["knee-left"],
        "duration_days": 5,
        "severity": 4,
        "findings": ["with-weight-loss"],
    }
    result = assess(given(raw), knowledge)
    listed = {c.slug: c for c in result.conditions}
    assert "spinal-cancer" in listed and listed["spinal-cancer"].likelihood != "low"


def test_a_cold_pale_hand_under_a_new_cast_points_first_to_pressure_in_the_arm(knowledge):
    raw = {
        "age": 11,
        "sex": "male",
        "regions": ["forearm-right", "wrist-hand-right"],
        "duration_days": 1,
        "severity": 8,
        "findings": ["onset-injury-minor", "history-fracture-cast", "with-cold-pale-limb", "quality-numb"],
    }
    result = assess(given(raw), knowledge)
    assert result.triage == Level.EMERGENCY
    assert [c.slug for c in result.conditions[:2]] == ["compartment-syndrome", "acute-limb-ischemia"]
    assert result.conditions[0].red_flag == "limb-ischaemia"


def test_a_condition_a_red_flag_points_to_only_if_it_fits_is_left_out_when_it_does_not(knowledge):
    raw = {
        "age": 78,
        "sex": "female",
        "regions": ["foot-left", "calf-left"],
        "duration_days": 0.2,
        "severity": 8,
        "findings": ["with-cold-pale-limb", "onset-sudden", "with-palpitations"],
    }
    result = assess(given(raw), knowledge)
    assert result.triage == Level.EMERGENCY
    assert result.conditions[0].slug == "acute-limb-ischemia"
    assert "compartment-syndrome" not in {c.slug for c in result.conditions}


def test_at_most_ten_conditions_and_treatments_carry_names_and_links(knowledge):
    raw = {
        "age": 45,
        "regions": ["lower-back", "neck-back", "knee-left", "shoulder-right", "head", "hip-left"],
        "duration_days": 30,
        "severity": 5,
        "findings": ["quality-aching"],
    }
    result = assess(given(raw), knowledge).to_contract()
    assert 1 <= len(result["conditions"]) <= 10
    assert all(c["url"].startswith("/conditions/") and c["why"] for c in result["conditions"])
    assert all(t["url"].startswith("/treatments/") for t in result["treatments"])
    assert result["engine"]["content_version"] == knowledge.content_version
