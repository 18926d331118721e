"""Measure the engine against case vignettes, as the triage policy measures it.

Figures: exact level, safety (level at or above the correct one), emergency sensitivity, over-triage, and
whether a correct condition (by ICD-10-CM prefix) comes first and in the top three; overall and per level,
with every miss listed.

With `through_interview`, each case is first told through the interview (`questions.through_interview`): only
the findings its steps would ask this visitor about, and how long ago as the span they would pick. That
measures what the interview's trimming costs, next to the engine's own figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from painpoint.assessment import questions
from painpoint.engine import assess
from painpoint.engine.model import Knowledge, Level, Result
from painpoint.engine.validate import validate

LEVEL_ORDER = [level.code for level in sorted(Level, reverse=True)]


@dataclass(frozen=True)
class Case:
    id: str
    story: str
    expected_level: Level
    icd10: tuple[str, ...]
    raw: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    case: Case
    result: Result

    @property
    def level(self) -> Level:
        return self.result.triage

    def rank_of_correct(self) -> int | None:
        for position, condition in enumerate(self.result.conditions, 1):
            if any(code.startswith(prefix) for code in condition.icd10 for prefix in self.case.icd10):
                return position
        return None


@dataclass
class Figures:
    n: int = 0
    exact: int = 0
    safe: int = 0
    over: int = 0
    top1: int = 0
    top3: int = 0

    def add(self, outcome: Outcome) -> None:
        self.n += 1
        self.exact += outcome.level == outcome.case.expected_level
        self.safe += outcome.level >= outcome.case.expected_level
        self.over += outcome.level > outcome.case.expected_level
        rank = outcome.rank_of_correct()
        self.top1 += rank == 1
        self.top3 += rank is not None and rank <= 3

    def row(self, name: str) -> str:
        def pct(value: int) -> str:
            return f"{100 * value / self.n:5.1f}%" if self.n else "    -"

        return (
            f"| {name:12} | {self.n:4d} | {pct(self.exact)} | {pct(self.safe)} | {pct(self.over)} "
            f"| {pct(self.top1)} | {pct(self.top3)} |"
        )


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def figures(self, level: Level | None = None) -> Figures:
        figures = Figures()
        for outcome in self.outcomes:
            if level is None or outcome.case.expected_level == level:
                figures.add(outcome)
        return figures

    @property
    def emergency_sensitivity(self) -> float:
        cases = [o for o in self.outcomes if o.case.expected_level == Level.EMERGENCY]
        return sum(o.level == Level.EMERGENCY for o in cases) / len(cases) if cases else 1.0

    def text(self) -> str:
        overall = self.figures()
        lines = [
            f"{overall.n} vignettes",
            "",
            "| expected     |    n | exact  | safe   | over   | top-1  | top-3  |",
            "|--------------|------|--------|--------|--------|--------|--------|",
            overall.row("all"),
        ]
        for level in sorted(Level, reverse=True):
            lines.append(self.figures(level).row(level.code))
        lines += [
            "",
            f"emergency sensitivity: {100 * self.emergency_sensitivity:.1f}%",
            f"safety (level at or above the correct one): {pct(overall.safe, overall.n)}",
            f"exact level: {pct(overall.exact, overall.n)}",
            f"over-triage: {pct(overall.over, overall.n)}",
            f"correct condition first: {pct(overall.top1, overall.n)}",
            f"correct condition in the top 3: {pct(overall.top3, overall.n)}",
        ]
        level_misses = [o for o in self.outcomes if o.level != o.case.expected_level]
        lines += ["", f"Level misses ({len(level_misses)}):"]
        for o in level_misses:
            kind = "UNDER" if o.level < o.case.expected_level else "over"
            flags = ",".join(f.id for f in o.result.red_flags) or "no flags"
            top = o.result.conditions[0].slug if o.result.conditions else "-"
            expected, got = o.case.expected_level.code, o.level.code
            lines.append(f"  {kind:5} {o.case.id}: expected {expected}, got {got} ({flags}; top: {top})")
        condition_misses = [o for o in self.outcomes if (o.rank_of_correct() or 99) > 3]
        lines += ["", f"Top-3 condition misses ({len(condition_misses)}):"]
        for o in condition_misses:
            got = ", ".join(c.slug for c in o.result.conditions[:3]) or "nothing"
            lines.append(f"  {o.case.id}: expected {'/'.join(o.case.icd10)}, got {got}")
        return "\n".join(lines) + "\n"


def pct(value: int, total: int) -> str:
    return f"{100 * value / total:.1f}%" if total else "-"


def load_cases(paths: list[str]) -> list[Case]:
    cases: list[Case] = []
    problems: list[str] = []
    seen: set[str] = set()
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a list of vignettes")
        for index, item in enumerate(data):
            case_id = str(item.get("id", f"#{index}"))
            if case_id in seen:
                problems.append(f"{path}: {case_id}: duplicate id")
            seen.add(case_id)
            _, input_problems = validate(item.get("input"))
            problems += [f"{path}: {case_id}: input.{p}: {m}" for p, m in input_problems]
            expected = item.get("expected") or {}
            if expected.get("triage") not in LEVEL_ORDER:
                problems.append(f"{path}: {case_id}: expected.triage must be one of {', '.join(LEVEL_ORDER)}")
                continue
            cases.append(
                Case(
                    id=case_id,
                    story=str(item.get("story", "")),
                    expected_level=Level.from_code(expected["triage"]),
                    icd10=tuple(expected.get("icd10") or ()),
                    raw=item["input"],
                )
            )
    if problems:
        raise ValueError("\n".join(problems))
    return cases


def evaluate_cases(cases: list[Case], knowledge: Knowledge, *, through_interview: bool = False) -> Report:
    report = Report()
    for case in cases:
        answers, _ = validate(case.raw)
        assert answers is not None  # validated in load_cases
        if through_interview:
            answers = questions.through_interview(answers)
        report.outcomes.append(Outcome(case, assess(answers, knowledge)))
    return report


def evaluate_files(paths: list[str], knowledge: Knowledge, *, through_interview: bool = False) -> Report:
    return evaluate_cases(load_cases(paths), knowledge, through_interview=through_interview)
