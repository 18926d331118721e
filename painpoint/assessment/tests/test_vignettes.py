"""The engine against the vignette suite (tests/vignettes/): the triage policy's bar, and full coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from painpoint.assessment.evaluate import evaluate_files, load_cases
from painpoint.assessment.knowledge import base_knowledge
from painpoint.engine.codes import REGION_CODES
from painpoint.engine.model import Level
from painpoint.knowledge.parse_triage import POLICY_RULE_IDS

FILES = sorted(str(path) for path in (Path(settings.REPO_DIR) / "tests" / "vignettes").glob("*.yaml"))


@pytest.fixture(scope="module")
def report():
    return evaluate_files(FILES, base_knowledge())


def test_there_are_at_least_120_vignettes(report):
    assert len(report.outcomes) >= 120


def test_every_emergency_vignette_is_sent_to_the_emergency_room(report):
    missed = [
        o.case.id
        for o in report.outcomes
        if o.case.expected_level == Level.EMERGENCY and o.level != Level.EMERGENCY
    ]
    assert missed == []


def test_the_policy_targets_are_met(report):
    figures = report.figures()
    assert figures.safe / figures.n >= 0.97
    assert figures.exact / figures.n >= 0.85
    assert figures.top3 / figures.n >= 0.85


def test_the_vignettes_cover_every_region_every_rule_and_every_condition(report):
    cases = load_cases(FILES)
    regions = {code for case in cases for code in case.raw["regions"]}
    assert regions == set(REGION_CODES)
    fired = {flag.id for outcome in report.outcomes for flag in outcome.result.red_flags}
    assert set(POLICY_RULE_IDS) <= fired
    knowledge = base_knowledge()
    covered = set()
    for case in cases:
        for profile in knowledge.profiles:
            if any(code.startswith(prefix) for code in profile.icd10 for prefix in case.icd10):
                covered.add(profile.slug)
    assert covered == {profile.slug for profile in knowledge.profiles}
