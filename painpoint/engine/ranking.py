"""Rank the conditions of the knowledge base for one set of answers, with plain reasons.

Each condition's profile gives weights to regions and findings; a condition's score is a sum of small,
explainable parts (docs/triage.md, "Ranking"). The scores are turned into likelihood bands so the visitor is
never shown a false precision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from painpoint.engine.model import Answers, Profile, RankedCondition

REGION_EXTRA_SHARE = 0.3
REGION_EXTRA_CAP = 2.0
UNCOVERED_REGION_PENALTY = 0.4
UNCOVERED_REGION_CAP = 2.0
AGE_INSIDE, AGE_FAR_OUTSIDE, AGE_MARGIN = 0.5, -1.5, 10
DURATION_INSIDE, DURATION_OUTSIDE = 0.5, -1.0
RED_FLAG_BOOST = 6.0
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


def score(profile: Profile, answers: Answers) -> Scored | None:
    """Return the profile's score with its reasons, or None when the condition is not a possibility."""
    weights = dict(profile.regions)
    covered = sorted((weights[code] for code in answers.regions if code in weights), reverse=True)
    if not covered:
        return None
    if profile.needs_any and not answers.findings.intersection(profile.needs_any):
        return None
    total = profile.prior + covered[0] + min(REGION_EXTRA_CAP, REGION_EXTRA_SHARE * sum(covered[1:]))
    uncovered = sum(1 for code in answers.regions if code not in weights)
    total -= min(UNCOVERED_REGION_CAP, UNCOVERED_REGION_PENALTY * uncovered)

    reasons: list[tuple[float, str]] = []
    for signal in profile.signals:
        if signal.code in answers.findings:
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
    # The strongest reasons first; at most four, so the list stays readable.
    why = tuple(text for _, text in sorted(reasons, key=lambda item: -item[0])[:4])
    return Scored(profile, round(total, 3), why, None)


def rank(profiles: tuple[Profile, ...], answers: Answers, flagged: dict[str, str]) -> list[RankedCondition]:
    """Rank every possible condition, best first, at most ten.

    `flagged` maps the slug of each condition a fired red flag points to onto that flag's id: those
    conditions are always listed, and their score is raised so that the explanation a red flag gives ranks
    with the weight it deserves.
    """
    scored: list[Scored] = []
    for profile in profiles:
        result = score(profile, answers)
        flag = flagged.get(profile.slug)
        if flag is not None:
            if result is None:
                result = Scored(profile, profile.prior, (), flag)
            result = Scored(profile, round(result.score + RED_FLAG_BOOST, 3), result.why, flag)
        if result is not None:
            scored.append(result)
    # Ties go to the more serious condition, then the more common, then the name: deterministic and safe.
    scored.sort(key=lambda s: (-s.score, -int(s.profile.usual_level), -s.profile.prior, s.profile.slug))
    if not scored:
        return []
    top = scored[0].score
    weights = [math.exp(s.score - top) for s in scored]
    total = sum(weights)
    ranked = []
    for item, weight in zip(scored, weights, strict=True):
        share = weight / total
        if share >= HIGH_SHARE:
            likelihood = "high"
        elif share >= MEDIUM_SHARE:
            likelihood = "medium"
        else:
            likelihood = "low"
        if item.red_flag and likelihood == "low":
            likelihood = "medium"  # a fired red flag is never shown as unlikely
        ranked.append(
            RankedCondition(
                slug=item.profile.slug,
                name=item.profile.name,
                icd10=item.profile.icd10,
                likelihood=likelihood,
                why=item.why
                or (("it fits where it hurts",) if not item.red_flag else ("a warning sign you reported",)),
                url=item.profile.url,
                score=item.score,
                red_flag=item.red_flag,
            )
        )
    flagged_rows = [row for row in ranked if row.red_flag]
    others = [row for row in ranked if not row.red_flag]
    # Keep every condition a red flag points to within the ten, in rank order.
    keep = ranked[:MAX_CONDITIONS]
    missing = [row for row in flagged_rows if row not in keep]
    if missing:
        keep = sorted(
            flagged_rows + others[: MAX_CONDITIONS - len(flagged_rows)], key=lambda row: ranked.index(row)
        )[:MAX_CONDITIONS]
    return keep
