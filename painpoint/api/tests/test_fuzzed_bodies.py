"""Fuzzed bodies (Hypothesis): an invalid assessment always gets a 400 naming its problems, never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painpoint.engine.codes import FINDING_CODES, REGION_CODES
from painpoint.engine.validate import validate

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
# Near misses are the interesting ones: the right field names with wrong or half-right values.
near_assessments = st.fixed_dictionaries(
    {},
    optional={
        "age": json_values | st.integers(-5, 130),
        "sex": json_values | st.sampled_from(["female", "male", "other", "Female", ""]),
        "regions": json_values | st.lists(st.sampled_from([*REGION_CODES, "lower-bak", "knee"]), max_size=4),
        "duration_days": json_values | st.floats(-10, 100, allow_nan=False),
        "severity": json_values | st.integers(-2, 12),
        "findings": json_values | st.lists(st.sampled_from([*FINDING_CODES, "fever"]), max_size=4),
        "extra": json_values,
    },
)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.one_of(json_values, near_assessments))
def test_an_invalid_body_always_gets_a_400_naming_its_problems(client, body):
    response = client.post("/api/v1/assessments", data=json.dumps(body), content_type="application/json")
    answers, problems = validate(body)
    if answers is not None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors and all(set(error) == {"path", "message"} and error["message"] for error in errors)
    assert {error["path"] for error in errors} == {path for path, _ in problems}
