"""Rank the conditions of the knowledge base for one set of answers, with plain reasons.

Each condition's profile gives weights to regions and findings; a condition's score is a sum of small,
explainable parts (docs/triage.md, "Ranking"). The scores are turned into likelihood bands so the visitor is
never shown a false precision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from painpoint.engine.model import Answers, Level, Profile, RankedCondition, Signal

REGION_EXTRA_SHARE = 0.3
REGION_EXTRA_CAP = 2.0
UNCOVERED_REGION_PENALTY = 0.4
UNCOVERED_REGION_CAP = 2.0
AGE_INSIDE, AGE_FAR_OUTSIDE, AGE_MARGIN = 0.5, -1.5, 10
DURATION_INSIDE, DURATION_OUTSIDE = 0.5, -1.0
# A fired red flag raises the conditions it points to, more for an emergency flag than an urgent one.
RED_FLAG_BOOST = {Level.EMERGENCY: 9.0, Level.URGENT: 6.0}
MAX_CONDITIONS = 10

# Likelihood bands, from each condition's share of the softmax over all scores (see docs/triage.md).
HIGH_SHARE = 0.30
MEDIUM_SHARE = 0.08


@dataclass(frozen=True)
class Scored:
    profile: Profile
    score: float
    why: tuple[str, ...]
    red_flag: str | None


@dataclass(frozen=True)
class _Indexed:
    """A profile with its weights as lookups, built once per knowledge base instead of once per call."""

    profile: Profile
    regions: dict[str, float]
    signals: dict[str, Signal]
    needs: frozenset[str]


class Index:
    """Which profiles each region touches, so a visitor's few regions select the few profiles to score."""

    def __init__(self, profiles: tuple[Profile, ...]) -> None:
        self.profiles = profiles
        self.entries = [
            _Indexed(p, dict(p.regions), {s.code: s for s in p.signals}, frozenset(p.needs_any))
            for p in profiles
        ]
        by_region: dict[str, list[int]] = {}
        for number, entry in enumerate(self.entries):
            for code in entry.regions:
                by_region.setdefault(code, []).append(number)
        self.by_region = by_region
        self.by_slug = {entry.profile.slug: number for number, entry in enumerate(self.entries)}
        self.profile = {entry.profile.slug: entry.profile for entry in self.entries}


_indexes: dict[int, Index] = {}


def index_of(profiles: tuple[Profile, ...]) -> Index:
    """Return the index of `profiles`, building it the first time this tuple is seen."""
    index = _indexes.get(id(profiles))
    if index is None or index.profiles is not profiles:
        index = Index(profiles)
        if len(_indexes) > 32:  # knowledge is replaced rarely; keep the cache small all the same
            _indexes.clear()
        _indexes[id(profiles)] = index
    return index


def score(entry: _Indexed, answers: Answers) -> Scored | None:
    """Return the profile's score with its reasons, or None when the condition is not a possibility."""
    profile = entry.profile
    weights = entry.regions
    covered = sorted((weights[code] for code in answers.regions if code in weights), reverse=True)
    if not covered:
        return None
    if entry.needs and entry.needs.isdisjoint(answers.findings):
        return None
    total = profile.prior + covered[0] + min(REGION_EXTRA_CAP, REGION_EXTRA_SHARE * sum(covered[1:]))
    uncovered = len(answers.regions) - len(covered)
    total -= min(UNCOVERED_REGION_CAP, UNCOVERED_REGION_PENALTY * uncovered)

    reasons: list[tuple[float, str]] = []
    signals = entry.signals
    for code in answers.findings:
        signal = signals.get(code)
        if signal is not None:
            total += signal.weight
            if signal.weight > 0 and signal.why:
                reasons.append((signal.weight, signal.why))
    if profile.age:
        low, high = profile.age
        if low <= answers.age <= high:
            total += AGE_INSIDE
        elif answers.age < low - AGE_MARGIN or answers.age > high + AGE_MARGIN:
            total += AGE_FAR_OUTSIDE
    if profile.duration:
        low_days, high_days = profile.duration
        total += DURATION_INSIDE if low_days <= answers.duration_days <= high_days else DURATION_OUTSIDE
    for sex, weight in profile.sex_weights:
        if answers.sex == sex:
            total += weight
    # The strongest reasons first (then in the profile's own words, for a stable order); at most four.
    why = tuple(text for _, text in sorted(reasons, key=lambda item: (-item[0], item[1]))[:4])
    return Scored(profile, round(total, 3), why, None)


def suspicion_scores(
    profiles: tuple[Profile, ...], answers: Answers, warning: frozenset[str]
) -> dict[str, float]:
    """Scores of the serious or urgent conditions the answers touch, warning findings counting only towards.

    Used to decide whether a serious condition is suspected without a red flag: counted this way, adding a
    warning finding can only raise a score, which keeps the level monotone in warning signs.
    """
    index = index_of(profiles)
    candidates = {number for code in answers.regions for number in index.by_region.get(code, ())}
    scores: dict[str, float] = {}
    for number in sorted(candidates):
        entry = index.entries[number]
        if not entry.profile.serious and entry.profile.usual_level < Level.URGENT:
            continue
        kept = frozenset(
            code
            for code in answers.findings
            if code not in warning or (code in entry.signals and entry.signals[code].weight > 0)
        )
        result = score(entry, answers if kept == answers.findings else replace(answers, findings=kept))
        if result is not None:
            scores[entry.profile.slug] = result.score
    return scores


def rank(
    profiles: tuple[Profile, ...], answers: Answers, flagged: dict[str, tuple[str, Level]]
) -> list[RankedCondition]:
    """Rank every possible condition, best first, at most ten.

    `flagged` maps the slug of each condition a fired red flag points to onto that flag's id and level: those
    conditions are always listed, and their score is raised so that the explanation a red flag gives ranks
    with the weight it deserves.
    """
    index = index_of(profiles)
    candidates = {number for code in answers.regions for number in index.by_region.get(code, ())}
    candidates.update(index.by_slug[slug] for slug in flagged if slug in index.by_slug)
    scored: list[Scored] = []
    for number in sorted(candidates):
        entry = index.entries[number]
        result = score(entry, answers)
        flag = flagged.get(entry.profile.slug)
        if flag is not None:
            flag_id, flag_level = flag
            base = result.score if result is not None else entry.profile.prior
            why = result.why if result is not None else ()
            boost = RED_FLAG_BOOST.get(flag_level, RED_FLAG_BOOST[Level.URGENT])
            result = Scored(entry.profile, round(base + boost, 3), why, flag_id)
        if result is not None:
            scored.append(result)
    # Ties go to the more serious condition, then the more common, then the name: deterministic and safe.
    scored.sort(key=lambda s: (-s.score, -int(s.profile.usual_level), -s.profile.prior, s.profile.slug))
    if not scored:
        return []
    top = scored[0].score
    weights = [math.exp(s.score - top) for s in scored]
    total = sum(weights)
    # Only the first ten and every flagged condition are shown; the rest count only towards the shares.
    shown = [number for number, item in enumerate(scored) if number < MAX_CONDITIONS or item.red_flag]
    if len(shown) > MAX_CONDITIONS:
        flagged_numbers = [number for number in shown if scored[number].red_flag]
        others = [number for number in shown if not scored[number].red_flag]
        shown = sorted(flagged_numbers + others[: max(0, MAX_CONDITIONS - len(flagged_numbers))])[
            :MAX_CONDITIONS
        ]
    ranked = []
    for number in shown:
        item = scored[number]
        share = weights[number] / total
        likelihood = "high" if share >= HIGH_SHARE else "medium" if share >= MEDIUM_SHARE else "low"
        if item.red_flag and likelihood == "low":
            likelihood = "medium"  # a fired red flag is never shown as unlikely
        ranked.append(
            RankedCondition(
                slug=item.profile.slug,
                name=item.profile.name,
                icd10=item.profile.icd10,
                likelihood=likelihood,
                why=item.why
                or (("a warning sign you reported",) if item.red_flag else ("it fits where it hurts",)),
                url=item.profile.url,
                score=item.score,
                red_flag=item.red_flag,
            )
        )
    return ranked
