"""Which questions the interview asks: every warning sign a red-flag rule needs, for every region, and no more
than about 25 questions on the usual path."""

from __future__ import annotations

import re

import pytest

from painpoint.assessment import questions as q
from painpoint.assessment.steps import BY_SLUG, UNSURE, State
from painpoint.engine.codes import FINDING_CODES, REGION_CODES

ALL_OPTIONS = q.SAFETY + q.QUALITY + q.SPREAD + q.BEHAVIOUR + q.OTHER + q.HISTORY
STARTS = tuple(code for code, _ in q.ONSET)


def reachable(regions: frozenset[str], age: int) -> set[str]:
    """Every code a visitor with these regions and age can give, whatever they answer: asked on a step, or in
    the details once its group is ticked (each start, since an injury brings its own questions)."""
    codes: set[str] = set()
    for onset in STARTS:
        ticked = tuple(group.slug for group in q.plan(regions, age, onset).groups)
        plan = q.plan(regions, age, onset, ticked)
        codes |= q.asked_directly(plan)
        codes |= {o.code for _, items in plan.details for o in items}
    return codes


@pytest.mark.parametrize("age", [30, 70])
@pytest.mark.parametrize("region", REGION_CODES)
def test_every_warning_sign_a_rule_needs_can_be_given_for_every_region(region, age):
    regions = frozenset([region])
    needed = {
        option.code
        for option in ALL_OPTIONS
        if option.code in q.rule_findings() and option.applies(regions, age)
    }
    missing = needed - reachable(regions, age)
    assert not missing, f"{region}, age {age}: never asked {sorted(missing)}"


@pytest.mark.parametrize("age", [30, 70])
@pytest.mark.parametrize("region", REGION_CODES)
def test_a_warning_sign_is_in_the_details_only_when_its_group_names_it_or_needs_a_sign_it_names(region, age):
    regions = frozenset([region])
    for group in q.plan(regions, age).groups:
        named = {code for part in group.shown(regions, age) for code in part.codes}
        for option in group.items(regions, age):
            # The signs a statement does not name matter only with one it does (a stiff neck with a fever).
            assert option.code in named or option.code in group.also, (group.slug, option.code)
        assert named, group.slug


@pytest.mark.parametrize("age", [30, 70])
@pytest.mark.parametrize("region", REGION_CODES)
def test_the_only_warning_signs_asked_outside_the_groups_are_the_context_the_starts_and_the_lists(
    region, age
):
    regions = frozenset([region])
    for onset in STARTS:
        plan = q.plan(regions, age, onset)
        outside = {o.code for o in plan.behaves + plan.injury} & q.rule_findings()
        allowed = set(q.CONTEXT) | set(q.INJURY) | {o.code for o in q.BEHAVIOUR}
        assert outside <= allowed, (region, onset, sorted(outside - allowed))


def test_the_rules_need_findings_the_interview_can_ask():
    offered = {option.code for option in ALL_OPTIONS} | {code for code, _ in q.ONSET + q.COURSE}
    # Findings a rule needs but no question offers would make that rule unreachable from the interview.
    assert q.rule_findings() - offered == set()


def test_every_option_and_every_group_sign_is_a_code_of_the_contract():
    assert all(option.code in FINDING_CODES for option in ALL_OPTIONS)
    assert all(code in q.OPTIONS for group in q.GROUPS for code in group.codes)


@pytest.mark.parametrize("onset", STARTS)
@pytest.mark.parametrize("age", [30, 45, 70])
@pytest.mark.parametrize("region", REGION_CODES)
def test_a_single_region_is_never_asked_more_than_about_25_questions(region, age, onset):
    plan = q.plan(frozenset([region]), age, onset)
    # The usual path stays within the budget; an injury adds its few questions, up to one over.
    limit = q.QUESTION_BUDGET + (1 if plan.injury else 0)
    assert plan.questions() <= limit


def test_a_typical_visitor_is_asked_at_most_25_questions_even_with_several_regions():
    for regions in (
        ["lower-back", "buttock-left", "thigh-back-left"],
        ["neck-back", "lower-back", "knee-left"],
    ):
        assert q.plan(frozenset(regions), 60, "onset-gradual").questions() <= q.QUESTION_BUDGET


def test_the_extras_kept_are_those_that_tell_the_regions_conditions_apart():
    heel = q.plan(frozenset(["heel-left"]), 45, "onset-gradual")
    assert "worse-first-steps" in {o.code for o in heel.behaves}  # plantar fasciitis
    head = q.plan(frozenset(["head"]), 45, "onset-gradual")
    assert {"with-light-sensitivity", "with-aura"} <= {o.code for o in head.behaves}  # migraine
    assert "worse-stairs-squatting" not in {o.code for o in head.behaves}


def test_a_headache_asks_about_a_past_clot_or_the_pill_but_a_sore_jaw_does_not():
    # Without it, a clot in a brain vein could not be considered: its profile needs a clot risk.
    for region in ("head", "head-back"):
        asked = q.asked_directly(q.plan(frozenset([region]), 30, "onset-gradual"))
        assert "history-clot" in asked, region
    assert "history-clot" not in q.asked_directly(q.plan(frozenset(["jaw-left"]), 30, "onset-gradual"))


def test_a_statement_names_only_what_applies_to_the_regions():
    jaw = q.plan(frozenset(["jaw-left"]), 30)
    for group in jaw.groups:
        assert not re.search(r"\blegs?\b", group.statement(frozenset(["jaw-left"]), 30).lower()), group.slug
    back = frozenset(["lower-back"])
    assert q.BY_GROUP["heart"].statement(back, 70) == "Fainting or a known aortic aneurysm"
    assert q.BY_GROUP["heart"].statement(back, 40) == "Fainting"
    assert (
        q.BY_GROUP["nerves"].statement(back, 40)
        == "New numbness between your legs, or new trouble with your bladder, bowels or sex life"
    )


def test_the_group_statement_asks_about_sight_at_any_age_and_the_scalp_and_jaw_over_50():
    head = frozenset(["head"])
    assert q.BY_GROUP["arteries"].statement(head, 40) == "New trouble seeing"
    assert q.BY_GROUP["arteries"].statement(head, 70) == (
        "New trouble seeing, a sore scalp or jaw pain when you chew"
    )


def details_for(regions: list[str], age: int, ticked: list[str], answers: dict[str, list[str]]) -> State:
    state = State(regions=regions, age=age, groups=ticked, done=["where", "you", "safety"])
    BY_SLUG["details"].apply(state, answers)
    return state


@pytest.mark.parametrize("group", [g.slug for g in q.plan(frozenset(["lower-back"]), 70).groups])
def test_not_sure_records_every_sign_of_the_ticked_group(group):
    regions = frozenset(["lower-back"])
    state = details_for(["lower-back"], 70, [group], {group: [UNSURE]})
    expected = {o.code for o in q.BY_GROUP[group].items(regions, 70)}
    assert expected and set(state.all_findings()) == expected
    assert state.unsure == [group]


def test_a_ticked_group_with_no_sign_ticked_records_every_sign_of_it():
    state = details_for(["lower-back"], 47, ["nerves"], {"nerves": []})
    assert set(state.all_findings()) == {
        "with-saddle-numbness",
        "with-bladder-change",
        "with-bowel-incontinence",
        "with-sexual-change",
    }


def test_not_sure_wins_over_signs_ticked_beside_it():
    state = details_for(["lower-back"], 47, ["fever"], {"fever": ["with-fever", UNSURE]})
    assert "with-very-unwell" in state.all_findings()


def test_the_signs_ticked_are_recorded_and_no_others():
    state = details_for(
        ["lower-back"],
        47,
        ["nerves", "fever"],
        {"nerves": ["with-saddle-numbness"], "fever": ["with-fever"]},
    )
    assert state.all_findings() == ["with-saddle-numbness", "with-fever"]
    assert state.unsure == []


def test_a_sign_in_two_ticked_groups_is_asked_once():
    plan = q.plan(frozenset(["chest-left", "calf-left"]), 60, "", ("heart", "limb"))
    asked = [o.code for _, items in plan.details for o in items]
    assert asked.count("with-breathless") == 1


def vignettes():
    from painpoint.assessment.evaluate import load_cases
    from painpoint.assessment.tests.test_vignettes import FILES

    return load_cases(FILES)


def test_every_vignette_keeps_its_level_when_told_through_the_interview():
    """The vignettes feed the engine directly; here each visitor can give only what the interview asks them,
    and must still get at least the level expected (the emergencies, exactly)."""
    from painpoint.assessment.knowledge import base_knowledge
    from painpoint.engine import assess
    from painpoint.engine.model import Level
    from painpoint.engine.validate import validate

    cases = vignettes()
    assert len(cases) >= 120
    knowledge, under = base_knowledge(), []
    for case in cases:
        answers, _ = validate(case.raw)
        told = q.through_interview(answers)
        level = assess(told, knowledge).triage
        if level < case.expected_level or (
            case.expected_level == Level.EMERGENCY and level != level.EMERGENCY
        ):
            under.append((case.id, level.code, sorted(answers.findings - told.findings)))
    assert under == []


def test_the_vignettes_told_through_the_interview_still_meet_the_policys_targets():
    """The lists are trimmed to what tells conditions apart; this is the bar the trimming must keep: the
    triage policy's targets (exact level 85%, top three 85%), measured on what the interview can record."""
    from painpoint.assessment.evaluate import evaluate_cases
    from painpoint.assessment.knowledge import base_knowledge

    figures = evaluate_cases(vignettes(), base_knowledge(), through_interview=True).figures()
    assert figures.exact / figures.n >= 0.85
    assert figures.top3 / figures.n >= 0.85


def test_told_through_the_interview_a_visitor_keeps_only_what_the_steps_ask_and_picks_a_span_for_how_long():
    from painpoint.engine.model import Answers

    answers = Answers(
        age=40,
        regions=frozenset({"jaw-left"}),
        duration_days=50,
        severity=4,
        findings=frozenset({"worse-chewing", "spread-below-knee"}),
    )
    told = q.through_interview(answers)
    assert told.findings == {"worse-chewing"}  # no leg questions for a sore jaw
    assert told.duration_days == 70  # "6 weeks to 3 months"


@pytest.mark.parametrize(
    ("days", "choice"),
    [
        (0.2, "0.1"),
        (1, "1.5"),
        (2.5, "1.5"),
        (7, "5"),
        (14, "10"),
        (42, "28"),
        (43, "70"),
        (91, "70"),
        (92, "180"),
    ],
)
def test_each_length_of_time_falls_in_the_span_that_says_it(days, choice):
    assert q.duration_choice(days) == choice


def test_each_span_of_how_long_ago_stands_for_a_day_inside_it():
    assert [q.duration_choice(float(value)) for value, _ in q.DURATIONS] == [v for v, _ in q.DURATIONS]
