"""Evaluate red-flag triggers: small boolean expressions over the contract's codes.

A trigger is a tree of `Expr` nodes, written in `content/triage/red_flags.yaml` as one-key mappings such as
`{all: [{term: spinal-pain}, {findings_any: [with-saddle-numbness, with-bladder-change]}]}`. Region patterns
and named terms are resolved when the content is parsed, so evaluation only compares sets.

Evaluating a node returns whether it holds and which codes made it hold, so a fired flag can say exactly
which of the visitor's answers triggered it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from painpoint.engine.codes import FINDING_GROUPS
from painpoint.engine.model import Answers, Expr, Knowledge, Level, Rule


@dataclass(frozen=True)
class Match:
    holds: bool
    findings: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()

    def __or__(self, other: Match) -> Match:
        return Match(self.holds, self.findings | other.findings, self.regions | other.regions)


NO = Match(False)
YES = Match(True)

# Every operator a trigger may use, with the kind of operand it takes (checked when content is parsed).
OPERATORS = {
    "all": "expressions",
    "any": "expressions",
    "not": "expression",
    "finding": "finding",
    "findings_any": "findings",
    "findings_all": "findings",
    "regions_any": "regions",
    "both_sides": "regions",
    "one_side": "nothing",
    "age_at_least": "number",
    "age_over": "number",
    "age_under": "number",
    "severity_at_least": "number",
    "duration_at_most": "number",
    "duration_at_least": "number",
    "sex": "sex",
    "term": "term",
}


def evaluate(expr: Expr, answers: Answers) -> Match:
    """Return whether `expr` holds for `answers`, with the codes that made it hold."""
    return _EVALUATORS[expr.op](expr.args, answers)


def _all(args: tuple[Any, ...], answers: Answers) -> Match:
    result = YES
    for child in args:
        match = evaluate(child, answers)
        if not match.holds:
            return NO
        result = result | match
    return result


def _any(args: tuple[Any, ...], answers: Answers) -> Match:
    # Every branch that holds contributes its codes, so the report names all the reasons, not the first.
    result = NO
    for child in args:
        match = evaluate(child, answers)
        if match.holds:
            result = Match(True, result.findings | match.findings, result.regions | match.regions)
    return result


def _both_sides(args: tuple[Any, ...], answers: Answers) -> Match:
    chosen = answers.regions.intersection(args)
    left = {code for code in chosen if code.endswith("-left")}
    right = {code for code in chosen if code.endswith("-right")}
    return Match(True, regions=frozenset(left | right)) if left and right else NO


def _one_side(args: tuple[Any, ...], answers: Answers) -> Match:
    on_left = any(code.endswith("-left") for code in answers.regions)
    on_right = any(code.endswith("-right") for code in answers.regions)
    return NO if on_left and on_right else YES


def _findings_any(args: tuple[Any, ...], answers: Answers) -> Match:
    present = answers.findings.intersection(args)
    return Match(True, frozenset(present)) if present else NO


def _regions_any(args: tuple[Any, ...], answers: Answers) -> Match:
    chosen = answers.regions.intersection(args)
    return Match(True, regions=frozenset(chosen)) if chosen else NO


def _test(holds: bool) -> Match:
    return YES if holds else NO


_EVALUATORS: dict[str, Callable[[tuple[Any, ...], Answers], Match]] = {
    "all": _all,
    "any": _any,
    "not": lambda args, answers: NO if evaluate(args[0], answers).holds else YES,
    "finding": lambda args, answers: Match(True, frozenset(args)) if args[0] in answers.findings else NO,
    "findings_any": _findings_any,
    "findings_all": lambda args, answers: (
        Match(True, frozenset(args)) if answers.findings.issuperset(args) else NO
    ),
    "regions_any": _regions_any,
    "both_sides": _both_sides,
    "one_side": _one_side,
    "age_at_least": lambda args, answers: _test(answers.age >= args[0]),
    "age_over": lambda args, answers: _test(answers.age > args[0]),
    "age_under": lambda args, answers: _test(answers.age < args[0]),
    "severity_at_least": lambda args, answers: _test(answers.severity >= args[0]),
    "duration_at_most": lambda args, answers: _test(answers.duration_days <= args[0]),
    "duration_at_least": lambda args, answers: _test(answers.duration_days >= args[0]),
    "sex": lambda args, answers: _test(answers.sex == args[0]),
}
assert set(_EVALUATORS) == set(OPERATORS) - {"term"}, "every operator needs an evaluator (terms are inlined)"


@dataclass(frozen=True)
class Firing:
    rule: Rule
    level: Level
    reason: str
    match: Match


def fire(rule: Rule, answers: Answers) -> Firing | None:
    """Return the highest step of `rule` that holds for `answers`, or None when the rule does not fire."""
    trigger = evaluate(rule.trigger, answers)
    if not trigger.holds:
        return None
    best = Firing(rule, rule.steps[0].level, rule.steps[0].reason, trigger)
    for step in rule.steps[1:]:
        if step.when is None:
            continue
        match = evaluate(step.when, answers)
        if match.holds and step.level > best.level:
            best = Firing(rule, step.level, step.reason, trigger | match)
    return best


def fired_rules(knowledge: Knowledge, answers: Answers) -> list[Firing]:
    """Return every rule that fires, most urgent first (ties in the order the rules are written)."""
    firings = [
        firing
        for rule in RuleIndex.of(knowledge.rules).candidates(answers)
        if (firing := fire(rule, answers)) is not None
    ]
    return sorted(firings, key=lambda firing: -firing.level)


Need = tuple[frozenset[str], frozenset[str]]


def necessary(expr: Expr) -> Need | None:
    """Findings and regions at least one of which any answers that satisfy `expr` must have, or None when
    `expr` can hold without any particular code (an age test, a `not`)."""
    if expr.op in ("finding", "findings_any", "findings_all"):
        return frozenset(expr.args), frozenset()
    if expr.op in ("regions_any", "both_sides"):
        return frozenset(), frozenset(expr.args)
    if expr.op == "all":
        # Any one child's need is the whole conjunction's; the one with fewest findings filters best.
        needs = [need for child in expr.args if (need := necessary(child)) is not None]
        return min(needs, key=lambda need: (not need[0], len(need[0]) + len(need[1])), default=None)
    if expr.op == "any":
        found = [necessary(child) for child in expr.args]
        needs = [need for need in found if need is not None]
        if not needs or len(needs) < len(found):
            return None  # a branch that needs no particular code lets the whole `any` hold without one
        return (
            frozenset().union(*(need[0] for need in needs)),
            frozenset().union(*(need[1] for need in needs)),
        )
    return None


class RuleIndex:
    """Which rules each finding or region can set off, so only those are evaluated.

    A trigger that cannot hold without one of a few codes is looked at only when the visitor gave one of
    them; the rest are always evaluated. Skipping is exact: a skipped rule could not have fired.
    """

    _cache: dict[int, RuleIndex] = {}

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self.always: list[int] = []
        self.by_code: dict[str, list[int]] = {}
        for number, rule in enumerate(rules):
            need = necessary(rule.trigger)
            if need is None:
                self.always.append(number)
                continue
            for code in need[0] | need[1]:
                self.by_code.setdefault(code, []).append(number)

    @classmethod
    def of(cls, rules: tuple[Rule, ...]) -> RuleIndex:
        index = cls._cache.get(id(rules))
        if index is None or index.rules is not rules:
            if len(cls._cache) > 32:  # knowledge is replaced rarely; keep the cache small all the same
                cls._cache.clear()
            index = cls._cache[id(rules)] = cls(rules)
        return index

    def candidates(self, answers: Answers) -> list[Rule]:
        numbers = set(self.always)
        for code in (*answers.findings, *answers.regions):
            numbers.update(self.by_code.get(code, ()))
        return [self.rules[number] for number in sorted(numbers)]


def positive_findings(expr: Expr, negated: bool = False) -> tuple[set[str], set[str]]:
    """Return the findings `expr` asks for as present, and those it asks for as absent (under a `not`)."""
    wanted: set[str] = set()
    unwanted: set[str] = set()
    if expr.op in ("all", "any"):
        for child in expr.args:
            more, less = positive_findings(child, negated)
            wanted |= more
            unwanted |= less
    elif expr.op == "not":
        more, less = positive_findings(expr.args[0], not negated)
        wanted |= more
        unwanted |= less
    elif expr.op in ("finding", "findings_any", "findings_all"):
        (unwanted if negated else wanted).update(expr.args)
    return wanted, unwanted


# Red-flag findings are the other symptoms and the history a rule looks for, not how the pain itself feels or
# started: "shooting" or "sudden" describe ordinary pain too, and must stay free to steer the ranking.
_WARNING_GROUPS = ("Other symptoms at the same time", "History and context")
WARNING_FINDINGS = frozenset(code for group in _WARNING_GROUPS for code in FINDING_GROUPS[group])


def red_flag_findings(rules: tuple[Rule, ...]) -> frozenset[str]:
    """Return the warning findings that rules ask for as present (and never as absent)."""
    wanted: set[str] = set()
    unwanted: set[str] = set()
    for rule in rules:
        for expr in (rule.trigger, *(step.when for step in rule.steps if step.when is not None)):
            more, less = positive_findings(expr)
            wanted |= more
            unwanted |= less
    return frozenset((wanted - unwanted) & WARNING_FINDINGS)
