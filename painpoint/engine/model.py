"""The engine's typed inputs and outputs: frozen dataclasses, no Django, no I/O."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

ENGINE_VERSION = "1.0.0"


class Level(enum.IntEnum):
    """Triage levels, ordered so that max() picks the most urgent."""

    SELF_CARE = 0
    APPOINTMENT = 1
    URGENT = 2
    EMERGENCY = 3

    @property
    def code(self) -> str:
        return _CODES[self]

    @classmethod
    def from_code(cls, code: str) -> Level:
        return _LEVELS[code]


_CODES = {
    Level.SELF_CARE: "self-care",
    Level.APPOINTMENT: "appointment",
    Level.URGENT: "urgent",
    Level.EMERGENCY: "emergency",
}
_LEVELS = {code: level for level, code in _CODES.items()}


@dataclass(frozen=True)
class Answers:
    """One assessment, as the contract defines it, already validated."""

    age: int
    regions: frozenset[str]
    duration_days: float
    severity: int
    findings: frozenset[str] = frozenset()
    sex: str | None = None

    def to_contract(self) -> dict[str, Any]:
        """The request body the contract defines for these answers (sets as sorted lists, no empty sex)."""
        body: dict[str, Any] = {
            "age": self.age,
            "regions": sorted(self.regions),
            "duration_days": self.duration_days,
            "severity": self.severity,
            "findings": sorted(self.findings),
        }
        if self.sex:
            body["sex"] = self.sex
        return body


# --- Rules ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expr:
    """A node of a rule's trigger: an operator and its operands (see painpoint/engine/rules.py)."""

    op: str
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class RuleStep:
    """A level a rule requires when its `when` holds, with the reason shown to the visitor."""

    level: Level
    reason: str
    when: Expr | None = None  # None: the rule's own trigger


@dataclass(frozen=True)
class Rule:
    id: str
    trigger: Expr
    steps: tuple[RuleStep, ...]  # the base step first, then escalations; the highest that holds applies
    points_to: tuple[str, ...]  # condition slugs, always listed when the rule fires
    source: str
    # Condition slugs the rule points to only when the condition also fits the answers on its own (its regions
    # and its `needs_any`): a cold, pale hand under a new cast is pressure in the arm more than a clot.
    points_to_if_fits: tuple[str, ...] = ()


# --- Condition profiles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    """A finding that points towards (weight > 0) or away from (weight < 0) a condition."""

    code: str
    weight: float
    why: str  # plain words shown when it counts towards the condition


@dataclass(frozen=True)
class LevelWhen:
    """Another usual level for a condition, when a finding is present or the pain has lasted long enough."""

    level: Level
    finding: str | None = None
    after_days: float | None = None


@dataclass(frozen=True)
class Profile:
    slug: str
    name: str
    icd10: tuple[str, ...]
    url: str
    usual_level: Level
    serious: bool
    prior: float
    regions: tuple[tuple[str, float], ...]  # region pattern, weight
    signals: tuple[Signal, ...]
    age: tuple[int, int] | None
    sex_weights: tuple[tuple[str, float], ...]
    duration: tuple[float, float] | None
    settles_within_days: int | None
    needs_any: tuple[str, ...]  # findings, at least one of which must be present (else not considered)
    treatments: tuple[str, ...]
    source: str
    level_when: tuple[LevelWhen, ...] = ()

    def usual_level_for(self, findings: frozenset[str], duration_days: float) -> Level:
        """Return the usual level for these answers: the first `level_when` that holds, else the usual."""
        for case in self.level_when:
            if (case.finding is None or case.finding in findings) and (
                case.after_days is None or duration_days > case.after_days
            ):
                return case.level
        return self.usual_level


@dataclass(frozen=True)
class TreatmentInfo:
    slug: str
    name: str
    url: str


@dataclass(frozen=True)
class Knowledge:
    """Everything the engine reads: rules, profiles, treatments, region groups and the clinic's services."""

    rules: tuple[Rule, ...]
    profiles: tuple[Profile, ...]
    treatments: dict[str, TreatmentInfo]
    region_groups: dict[str, tuple[str, ...]]
    terms: dict[str, Expr]
    offered: frozenset[str] = frozenset()
    content_version: str = ""
    # Findings a red-flag trigger asks for (never under a `not`): adding one may only raise the level.
    red_flag_findings: frozenset[str] = frozenset()


# --- Result -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FiredFlag:
    id: str
    level: Level
    reason: str
    findings: tuple[str, ...]
    regions: tuple[str, ...]
    points_to: tuple[str, ...]
    points_to_if_fits: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankedCondition:
    slug: str
    name: str
    icd10: tuple[str, ...]
    likelihood: str
    why: tuple[str, ...]
    url: str
    score: float
    red_flag: str | None = None


@dataclass(frozen=True)
class Result:
    triage: Level
    advice: str
    red_flags: tuple[FiredFlag, ...]
    conditions: tuple[RankedCondition, ...]
    treatments: tuple[TreatmentInfo, ...]
    reasons: tuple[str, ...]  # why this level, in plain words
    content_version: str
    engine_version: str = ENGINE_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_contract(self) -> dict[str, Any]:
        """Return the result as assessment contract v1 defines it (plus the documented extra fields)."""
        return {
            "triage": self.triage.code,
            "advice": self.advice,
            "red_flags": [
                {
                    "id": flag.id,
                    "level": flag.level.code,
                    "reason": flag.reason,
                    "findings": list(flag.findings),
                    "regions": list(flag.regions),
                }
                for flag in self.red_flags
            ],
            "conditions": [
                {
                    "slug": condition.slug,
                    "name": condition.name,
                    "icd10": list(condition.icd10),
                    "likelihood": condition.likelihood,
                    "why": list(condition.why),
                    "url": condition.url,
                }
                for condition in self.conditions
            ],
            "treatments": [
                {
                    "slug": t.slug,
                    "name": t.name,
                    "url": t.url,
                    "offered": t.slug in self.extra.get("offered", ()),
                }
                for t in self.treatments
            ],
            "reasons": list(self.reasons),
            "engine": {"version": self.engine_version, "content_version": self.content_version},
        }
