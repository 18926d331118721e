"""Properties of the engine over generated answers (Hypothesis)."""

from __future__ import annotations

from dataclasses import replace

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from painpoint.api.openapi import openapi_document
from painpoint.assessment.knowledge import base_knowledge
from painpoint.engine import assess
from painpoint.engine.codes import FINDING_CODES, REGION_CODES, SEXES
from painpoint.engine.model import Answers
from painpoint.engine.rules import fire, fired_rules

# A module-level object, not a fixture: Hypothesis prints a failing example's arguments, and the whole
# knowledge base would drown the answers that matter.
KNOWLEDGE = base_knowledge()

answers_strategy = st.builds(
    Answers,
    age=st.integers(0, 120),
    sex=st.sampled_from([None, *SEXES]),
    regions=st.frozensets(st.sampled_from(REGION_CODES), min_size=1, max_size=6),
    duration_days=st.floats(0, 5000, allow_nan=False),
    severity=st.integers(0, 10),
    findings=st.frozensets(st.sampled_from(FINDING_CODES), max_size=8),
)


@settings(max_examples=1000, deadline=None)
@given(answers=answers_strategy, extra=st.sampled_from(sorted(KNOWLEDGE.red_flag_findings)))
def test_adding_a_red_flag_finding_never_lowers_the_level(answers, extra):
    knowledge = KNOWLEDGE
    before = assess(answers, knowledge)
    after = assess(replace(answers, findings=answers.findings | {extra}), knowledge)
    assert after.triage >= before.triage, (answers, extra)
    # A flag that fired still fires: adding a warning sign never silences another.
    assert {flag.id for flag in before.red_flags} <= {flag.id for flag in after.red_flags}


@settings(max_examples=200, deadline=None)
@given(answers=answers_strategy)
def test_the_same_answers_always_give_the_same_result(answers):
    knowledge = KNOWLEDGE
    assert assess(answers, knowledge) == assess(answers, knowledge)


@settings(max_examples=300, deadline=None)
@given(answers=answers_strategy)
def test_every_result_validates_against_the_contract_schema(answers):
    knowledge = KNOWLEDGE
    document = openapi_document()
    schema = {**document["components"]["schemas"]["Result"], "components": document["components"]}
    result = assess(answers, knowledge)
    jsonschema.validate(result.to_contract(), schema)
    assert result.triage >= max((flag.level for flag in result.red_flags), default=0)
    assert result.reasons


@settings(max_examples=1000, deadline=None)
@given(answers=answers_strategy)
def test_the_rule_index_skips_only_rules_that_could_not_fire(answers):
    # The index is a shortcut: every rule evaluated one by one must give exactly the same firings.
    every = [firing for rule in KNOWLEDGE.rules if (firing := fire(rule, answers)) is not None]
    assert fired_rules(KNOWLEDGE, answers) == sorted(every, key=lambda firing: -firing.level)
