"""The trigger language: each operator, and the codes a match reports. No Django, no content files."""

from __future__ import annotations

from painpoint.engine.model import Answers, Expr
from painpoint.engine.rules import evaluate


def answers(**overrides) -> Answers:
    values = {"age": 40, "regions": frozenset({"lower-back"}), "duration_days": 3.0, "severity": 5}
    values.update(overrides)
    values["regions"] = frozenset(values["regions"])
    values["findings"] = frozenset(values.get("findings", ()))
    return Answers(**values)


def test_all_holds_only_when_every_part_holds_and_reports_every_code():
    expr = Expr("all", (Expr("finding", ("with-fever",)), Expr("regions_any", ("lower-back", "mid-back"))))
    match = evaluate(expr, answers(findings={"with-fever"}))
    assert match.holds and match.findings == {"with-fever"} and match.regions == {"lower-back"}
    assert not evaluate(expr, answers(findings=set())).holds


def test_any_reports_the_codes_of_every_branch_that_holds():
    expr = Expr("any", (Expr("finding", ("with-fever",)), Expr("finding", ("with-night-sweats",))))
    match = evaluate(expr, answers(findings={"with-fever", "with-night-sweats"}))
    assert match.findings == {"with-fever", "with-night-sweats"}


def test_not_inverts_and_reports_nothing():
    match = evaluate(Expr("not", (Expr("finding", ("worse-pressing-spot",)),)), answers())
    assert match.holds and not match.findings


def test_findings_any_and_all():
    some = Expr("findings_any", ("with-saddle-numbness", "with-bladder-change"))
    both = Expr("findings_all", ("with-clumsy-hands", "with-unsteady-walking"))
    assert evaluate(some, answers(findings={"with-bladder-change"})).findings == {"with-bladder-change"}
    assert not evaluate(both, answers(findings={"with-clumsy-hands"})).holds
    assert evaluate(both, answers(findings={"with-clumsy-hands", "with-unsteady-walking"})).holds


def test_both_sides_needs_a_left_and_a_right_region():
    legs = Expr("both_sides", ("calf-left", "calf-right", "thigh-back-left", "thigh-back-right"))
    assert not evaluate(legs, answers(regions={"lower-back", "calf-left", "thigh-back-left"})).holds
    match = evaluate(legs, answers(regions={"calf-left", "thigh-back-right"}))
    assert match.holds and match.regions == {"calf-left", "thigh-back-right"}


def test_one_side_is_false_when_regions_are_on_both_sides():
    assert evaluate(Expr("one_side"), answers(regions={"chest-left", "upper-back"})).holds
    assert not evaluate(Expr("one_side"), answers(regions={"chest-left", "chest-right"})).holds


def test_numeric_comparisons_include_or_exclude_their_bound_as_named():
    assert evaluate(Expr("age_at_least", (65,)), answers(age=65)).holds
    assert not evaluate(Expr("age_over", (50,)), answers(age=50)).holds
    assert evaluate(Expr("age_under", (40,)), answers(age=39)).holds
    assert evaluate(Expr("severity_at_least", (7,)), answers(severity=7)).holds
    assert evaluate(Expr("duration_at_most", (28,)), answers(duration_days=28)).holds
    assert not evaluate(Expr("duration_at_least", (42,)), answers(duration_days=41.9)).holds
    assert evaluate(Expr("sex", ("female",)), answers(sex="female")).holds
