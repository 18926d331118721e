"""The interview without JavaScript: steps in the session, every answer mapped to the contract, results."""

from __future__ import annotations

import re

import pytest

from painpoint.assessment import questions
from painpoint.assessment.steps import NONE_AND_SYMPTOM, ORDER, SESSION_KEY, STEPS, State

pytestmark = pytest.mark.django_db


def walk(client, answers: dict[str, dict]) -> str:
    """Answer each step the site asks, as its redirects lead, and return the results page's HTML."""
    path, asked = "/check/where/", []
    while path != "/check/results/":
        slug = path.strip("/").split("/")[-1]
        assert slug not in asked, f"{slug} asked twice"
        asked.append(slug)
        response = client.post(path, answers.get(slug, {"codes": ["none"]}))
        assert response.status_code == 302, response.content.decode()[:3000]
        path = response["Location"]
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def triage_of(html: str) -> str:
    return re.search(r'data-triage="([^"]+)"', html).group(1)


def progress(html: str) -> str:
    return re.search(r'class="check-count">([^<]+)<', html).group(1)


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
    "behaves": {"codes": [], "severity": "7"},
}
EMERGENCY = {
    "where": {"regions": ["chest-left", "upper-arm-left"]},
    "you": {"age": "61", "sex": "male"},
    "safety": {"codes": ["heart"]},
    "details": {"heart": ["worse-exertion", "with-sweating-nausea"]},
    "started": {"onset": "onset-sudden", "duration": "0.1"},
    "feels": {"quality": ["quality-pressure"]},
    "behaves": {"codes": [], "severity": "8"},
}


def answer(client, *slugs: str, answers: dict[str, dict]) -> None:
    for slug in slugs:
        response = client.post(f"/check/{slug}/", answers.get(slug, {"codes": ["none"]}))
        assert response.status_code == 302, (slug, response.content.decode()[:2000])


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
    main = html.split("<main")[1].split("</main>")[0]
    assert "What it might be" not in main and "Book" not in main
    # Not in the site's header or footer either: nothing on the page may offer a visit instead of 911.
    assert "/appointments/" not in html and "Book" not in html


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


def test_the_safety_step_shows_grouped_statements_and_one_heading(client):
    answer(client, "where", "you", answers={"where": {"regions": ["lower-back"]}, "you": {"age": "60"}})
    html = client.get("/check/safety/").content.decode()
    assert html.count("<h1") == 1
    assert "<legend><h1>Just to be safe: do you have any of these now?</h1></legend>" in html
    assert html.count("Tick any that apply.") == 1
    assert "New numbness between your legs, or new trouble with your bladder, bowels or sex life" in html
    assert 'value="nerves"' in html and re.search(r'value="none"[^>]*data-none-of-these', html)


def test_none_of_these_with_a_symptom_is_refused_and_keeps_the_symptom(client):
    answer(client, "where", "you", answers={"where": {"regions": ["lower-back"]}, "you": {"age": "58"}})
    response = client.post("/check/safety/", {"codes": ["fever", "none"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert NONE_AND_SYMPTOM.replace("'", "&#x27;") in html
    # Nothing is dropped: both stay ticked, and the visitor decides which one to untick.
    assert re.search(r'value="fever"[^>]*checked', html)
    assert re.search(r'value="none"[^>]*checked', html)
    assert State.load(client.session).groups == []
    response = client.post("/check/safety/", {"codes": ["fever"]})
    assert response["Location"] == "/check/details/"


def test_with_no_group_ticked_the_details_step_is_skipped_and_not_counted(client):
    answer(client, "where", "you", answers={"where": {"regions": ["lower-back"]}, "you": {"age": "60"}})
    assert progress(client.get("/check/safety/").content.decode()) == "Step 3 of 6"
    response = client.post("/check/safety/", {"codes": ["none"]})
    assert response["Location"] == "/check/started/"
    html = client.get("/check/started/").content.decode()
    assert progress(html) == "Step 4 of 6"
    assert "Tell us more" not in html
    # The details page itself sends the visitor on.
    response = client.get("/check/details/")
    assert response.status_code == 302 and response["Location"] == "/check/started/"


def test_a_ticked_group_brings_the_details_step_and_the_progress_counts_it(client):
    answer(client, "where", "you", answers={"where": {"regions": ["lower-back"]}, "you": {"age": "47"}})
    client.post("/check/safety/", {"codes": ["nerves"]})
    html = client.get("/check/details/").content.decode()
    assert progress(html) == "Step 4 of 7"
    assert html.count("<h1") == 1 and "Tell us a bit more" in html
    # The signs of the group, in the options' own words, and "I'm not sure which".
    for code in (
        "with-saddle-numbness",
        "with-bladder-change",
        "with-bowel-incontinence",
        "with-sexual-change",
    ):
        assert f'name="nerves" value="{code}"' in html
    assert 'name="nerves" value="unsure"' in html
    # Back goes to the safety step, which is linked as done.
    assert 'class="button-secondary" href="/check/safety/"' in html


def test_not_sure_records_every_sign_of_the_group_and_the_summary_says_so(client):
    answers = {
        "where": {"regions": ["lower-back"]},
        "you": {"age": "47"},
        "safety": {"codes": ["nerves"]},
        "details": {"nerves": ["unsure"]},
        "started": {"onset": "onset-gradual", "duration": "5"},
        "feels": {"quality": ["quality-aching"]},
        "behaves": {"codes": [], "severity": "5"},
    }
    html = walk(client, answers)
    state = State.load(client.session)
    assert {
        "with-saddle-numbness",
        "with-bladder-change",
        "with-bowel-incontinence",
        "with-sexual-change",
    } <= set(state.all_findings())
    assert triage_of(html) == "emergency"
    assert "Not sure which (counted as yes, to be safe)" in html


def test_changing_the_safety_answers_asks_the_details_again(client):
    answers = {
        "where": {"regions": ["lower-back"]},
        "you": {"age": "58"},
        "safety": {"codes": ["fever"]},
        "details": {"fever": ["with-fever"]},
        "started": {"onset": "onset-gradual", "duration": "5"},
    }
    answer(client, "where", "you", "safety", "details", "started", answers=answers)
    # Another group ticked: its signs must be asked, so the details come next again, with the fever kept.
    response = client.post("/check/safety/", {"codes": ["fever", "nerves"]})
    assert response["Location"] == "/check/details/"
    html = client.get("/check/details/").content.decode()
    assert 'name="nerves"' in html
    assert re.search(r'value="with-fever"[^>]*checked', html)
    # No group at all: the details are skipped and what they recorded no longer counts.
    response = client.post("/check/safety/", {"codes": ["none"]})
    assert response["Location"] == "/check/feels/"
    assert "with-fever" not in State.load(client.session).all_findings()


def test_the_same_safety_answers_do_not_ask_the_details_again(client):
    answers = {
        "where": {"regions": ["lower-back"]},
        "you": {"age": "58"},
        "safety": {"codes": ["fever"]},
        "details": {"fever": ["with-fever"]},
        "started": {"onset": "onset-gradual", "duration": "5"},
    }
    answer(client, "where", "you", "safety", "details", "started", answers=answers)
    response = client.post("/check/safety/", {"codes": ["fever"]})
    assert response["Location"] == "/check/feels/"


def test_other_regions_ask_the_warning_groups_again(client):
    answer(
        client, "where", "you", "safety", answers={"where": {"regions": ["knee-left"]}, "you": {"age": "60"}}
    )
    response = client.post("/check/where/", {"regions": ["chest-left"]})
    assert response["Location"] == "/check/safety/"
    assert "Pain that comes with effort" in client.get("/check/safety/").content.decode()


def test_an_injury_to_a_leg_asks_about_bearing_weight_and_none_is_an_answer(client):
    answers = {
        "where": {"regions": ["ankle-left"]},
        "you": {"age": "30"},
        "started": {"onset": "onset-injury-minor", "duration": "0.1"},
    }
    answer(client, "where", "you", "safety", "started", answers=answers)
    html = client.get("/check/injury/").content.decode()
    assert "<legend><h1>Since it started, do you have any of these?</h1></legend>" in html
    assert 'value="with-cannot-bear-weight"' in html and 'value="with-pop-at-injury"' in html
    response = client.post("/check/injury/", {})
    assert response.status_code == 200  # an answer is needed: a sign, or "None of these"
    response = client.post("/check/injury/", {"codes": ["with-cannot-bear-weight"]})
    assert response["Location"] == "/check/feels/"


def test_a_slow_start_asks_nothing_about_an_injury(client):
    answers = {
        "where": {"regions": ["ankle-left"]},
        "you": {"age": "30"},
        "started": {"onset": "onset-gradual", "duration": "10"},
    }
    answer(client, "where", "you", "safety", "started", answers=answers)
    assert client.get("/check/injury/")["Location"] == "/check/feels/"


def test_every_step_has_one_heading_and_says_tick_any_at_most_once(client):
    answers = {
        "where": {"regions": ["lower-back", "knee-left"]},
        "you": {"age": "60"},
        "safety": {"codes": ["fever"]},
        "details": {"fever": ["unsure"]},
        "started": {"onset": "onset-injury-minor", "duration": "1.5"},
        "feels": {"quality": ["quality-aching"]},
        "behaves": {"severity": "5"},
    }
    for step in ORDER:
        html = client.get(f"/check/{step.slug}/").content.decode()
        form = html.split('class="check-form"')[1].split("</form>")[0]
        assert form.count("<h1") == 1, step.slug
        assert len(re.findall(r"[Tt]ick any", form)) <= 1, step.slug
        client.post(f"/check/{step.slug}/", answers.get(step.slug, {"codes": ["none"]}))
    assert client.get("/check/results/").status_code == 200


def test_the_usual_steps_are_the_ones_every_visitor_answers():
    assert [step.slug for step in STEPS] == ["where", "you", "safety", "started", "feels", "behaves"]
    assert len(ORDER) <= 8
    assert questions.QUESTION_BUDGET == 25


def test_the_steps_are_rate_limited_per_client_and_the_answers_so_far_are_kept(client, settings):
    from painpoint.lib.ratelimit import limiter

    settings.INTERVIEW_RATE = "2/h"
    limiter.reset()
    try:
        assert client.post("/check/where/", {"regions": ["knee-left"]}).status_code == 302
        assert client.post("/check/you/", {"age": "50"}).status_code == 302
        refused = client.post("/check/safety/", {"codes": ["none"]})
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        # Reading a step is never refused, and what was answered is still there.
        assert client.get("/check/safety/").status_code == 200
        state = State.load(client.session)
        assert state.regions == ["knee-left"] and state.age == 50
    finally:
        limiter.reset()


def test_choosing_more_places_than_the_contract_takes_is_explained_on_the_map_step(client):
    from painpoint.engine.codes import REGION_CODES

    response = client.post("/check/where/", {"regions": sorted(REGION_CODES)})
    assert response.status_code == 200
    assert "You chose 49 places. Choose at most 30: the ones that hurt most." in response.content.decode()
    assert State.load(client.session).regions == []


def test_the_steps_between_the_body_map_and_the_results_are_marked_for_instant_steps(client):
    """steps.js swaps only what carries data-instant: never the body map (its own script) or the last step's
    form, whose answer leads to the results page."""
    where = client.get("/check/where/").content.decode()
    assert "data-instant" not in where and "steps.js" not in where
    answer(client, "where", "you", answers=SELF_CARE)
    safety = client.get("/check/safety/").content.decode()
    assert '<div class="check" data-instant>' in safety
    assert re.search(r'<form [^>]*class="check-form"[^>]*data-instant>', safety)
    assert re.search(r'href="/check/you/" data-instant>Back<', safety)
    # The progress link back to the body map leads to a full page load.
    assert re.search(r'href="/check/where/">Where<', safety)
    assert "steps.js" in safety and "none_of_these.js" in safety
    answer(client, "safety", "started", "feels", answers=SELF_CARE)
    behaves = client.get("/check/behaves/").content.decode()
    assert '<div class="check" data-instant>' in behaves
    assert not re.search(r"<form [^>]*data-instant", behaves)


def test_the_home_page_the_main_menu_and_each_region_page_lead_into_the_interview(client):
    home = client.get("/").content.decode()
    assert re.search(r'<a class="button button-large" href="/check/">Check your pain</a>', home)
    menu = home.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert 'href="/check/"' in menu
    region = client.get("/where-does-it-hurt/lower-back/").content.decode()
    assert 'href="/check/where/?region=lower-back">Check your pain</a>' in region


def chosen_on_the_map(html: str) -> list[str]:
    return re.findall(r'data-region-checkbox="([^"]+)" checked', html)


def test_from_a_region_page_the_body_map_starts_with_that_region_chosen_and_nothing_is_kept(client):
    html = client.get("/check/where/?region=lower-back").content.decode()
    assert chosen_on_the_map(html) == ["lower-back"]
    assert "Chosen: Lower back" in html
    assert State.load(client.session).regions == []
    assert chosen_on_the_map(client.get("/check/where/?region=nowhere").content.decode()) == []
    # Places already chosen are kept as they are.
    client.post("/check/where/", {"regions": ["knee-left"]})
    assert chosen_on_the_map(client.get("/check/where/?region=lower-back").content.decode()) == ["knee-left"]
