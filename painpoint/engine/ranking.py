"""Rank the conditions of the knowledge base for one set of answers, with plain reasons.

Each condition's profile gives weights to regions and findings; a condition's score is a sum of small,
explainable parts (docs/triage.md, "Ranking"). The scores are turned into likelihood bands so the visitor is
never shown a false precision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
    entry: _Indexed
    score: float
    red_flag: str | None
    fits: bool  # whether the condition scored on its own, not only through a red flag

    @property
    def order(self) -> tuple[float, int, float, str]:
        # Ties go to the more serious condition, then the more common, then the name: deterministic and safe.
        profile = self.entry.profile
        return (-self.score, -int(profile.usual_level), -profile.prior, profile.slug)


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
        self.serious = frozenset(
            number
            for number, entry in enumerate(self.entries)
            if entry.profile.serious or entry.profile.usual_level >= Level.URGENT
        )

    def candidates(self, regions: frozenset[str], serious_only: bool = False) -> list[int]:
        """The numbers of the profiles `regions` touch, in the order the profiles are written."""
        found = {number for code in regions for number in self.by_region.get(code, ())}
        if serious_only:
            found &= self.serious
        return sorted(found)


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


def total(entry: _Indexed, answers: Answers, findings: frozenset[str]) -> float | None:
    """Return the profile's score for `answers` (with `findings` in place of the visitor's), or None when the
    condition is not a possibility. Only the number: the reasons are worded for the conditions shown."""
    weights = entry.regions
    covered = [weights[code] for code in answers.regions if code in weights]
    if not covered:
        return None
    if entry.needs and entry.needs.isdisjoint(findings):
        return None
    profile = entry.profile
    best = max(covered)
    score = profile.prior + best + min(REGION_EXTRA_CAP, REGION_EXTRA_SHARE * (sum(covered) - best))
    score -= min(UNCOVERED_REGION_CAP, UNCOVERED_REGION_PENALTY * (len(answers.regions) - len(covered)))
    signals = entry.signals
    for code in findings:
        signal = signals.get(code)
        if signal is not None:
            score += signal.weight
    if profile.age:
        low, high = profile.age
        if low <= answers.age <= high:
            score += AGE_INSIDE
        elif answers.age < low - AGE_MARGIN or answers.age > high + AGE_MARGIN:
            score += AGE_FAR_OUTSIDE
    if profile.duration:
        low_days, high_days = profile.duration
        score += DURATION_INSIDE if low_days <= answers.duration_days <= high_days else DURATION_OUTSIDE
    for sex, weight in profile.sex_weights:
        if answers.sex == sex:
            score += weight
    return round(score, 3)


def reasons(entry: _Indexed, findings: frozenset[str]) -> tuple[str, ...]:
    """The plain reasons a condition fits: the strongest first (then in the profile's words), at most four."""
    found = [
        (signal.weight, signal.why)
        for code in findings
        if (signal := entry.signals.get(code)) is not None and signal.weight > 0 and signal.why
    ]
    return tuple(text for _, text in sorted(found, key=lambda item: (-item[0], item[1]))[:4])


def suspicion_scores(
    profiles: tuple[Profile, ...], answers: Answers, warning: frozenset[str]
) -> dict[str, float]:
    """Scores of the serious or urgent conditions the answers touch, warning findings counting only towards.

    Used to decide whether a serious condition is suspected without a red flag: counted this way, adding a
    warning finding can only raise a score, which keeps the level monotone in warning signs.
    """
    index = index_of(profiles)
    scores: dict[str, float] = {}
    for number in index.candidates(answers.regions, serious_only=True):
        entry = index.entries[number]
        kept = frozenset(
            code
            for code in answers.findings
            if code not in warning or (code in entry.signals and entry.signals[code].weight > 0)
        )
        value = total(entry, answers, kept)
        if value is not None:
            scores[entry.profile.slug] = value
    return scores


def leaders(profiles: tuple[Profile, ...], answers: Answers) -> list[str]:
    """The slugs of the conditions `rank` would call leading, without wording any reasons: the first, and
    any other whose share is high. Cheaper than `rank` when only the leaders matter."""
    index = index_of(profiles)
    scored = [
        (value, entry.profile)
        for number in index.candidates(answers.regions)
        if (value := total((entry := index.entries[number]), answers, answers.findings)) is not None
    ]
    if not scored:
        return []
    scored.sort(key=lambda item: (-item[0], -int(item[1].usual_level), -item[1].prior, item[1].slug))
    top = scored[0][0]
    weights = [math.exp(value - top) for value, _ in scored]
    whole = sum(weights)
    return [scored[0][1].slug] + [
        profile.slug
        for number, (_, profile) in enumerate(scored[1:MAX_CONDITIONS], start=1)
        if weights[number] / whole >= HIGH_SHARE
    ]


def rank(
    profiles: tuple[Profile, ...],
    answers: Answers,
    flagged: dict[str, tuple[str, Level]],
    if_fits: dict[str, tuple[str, Level]],
) -> list[RankedCondition]:
    """Rank every possible condition, best first, at most ten.

    `flagged` maps the slug of each condition a fired red flag points to onto that flag's id and level: those
    conditions are always listed, and their score is raised so that the explanation a red flag gives ranks
    with the weight it deserves. `if_fits` maps conditions the same way that a flag points to only when they
    fit the answers on their own: they are raised likewise when they do, and left as they are when not.
    """
    index = index_of(profiles)
    numbers = set(index.candidates(answers.regions))
    numbers.update(index.by_slug[slug] for slug in flagged if slug in index.by_slug)
    scored: list[Scored] = []
    for number in sorted(numbers):
        entry = index.entries[number]
        value = total(entry, answers, answers.findings)
        flag = flagged.get(entry.profile.slug)
        if flag is None and value is not None:
            flag = if_fits.get(entry.profile.slug)
        if flag is not None:
            flag_id, flag_level = flag
            base = value if value is not None else entry.profile.prior
            boost = RED_FLAG_BOOST.get(flag_level, RED_FLAG_BOOST[Level.URGENT])
            scored.append(Scored(entry, round(base + boost, 3), flag_id, value is not None))
        elif value is not None:
            scored.append(Scored(entry, value, None, True))
    scored.sort(key=lambda s: s.order)
    if not scored:
        return []
    top = scored[0].score
    weights = [math.exp(s.score - top) for s in scored]
    whole = sum(weights)
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
        profile = item.entry.profile
        share = weights[number] / whole
        likelihood = "high" if share >= HIGH_SHARE else "medium" if share >= MEDIUM_SHARE else "low"
        if item.red_flag and likelihood == "low":
            likelihood = "medium"  # a fired red flag is never shown as unlikely
        # A flagged condition that does not fit on its own has no reasons of its own: the flag is its reason.
        why = reasons(item.entry, answers.findings) if item.fits else ()
        if item.red_flag and not why:
            why = ("a warning sign you reported",)
        ranked.append(
            RankedCondition(
                slug=profile.slug,
                name=profile.name,
                icd10=profile.icd10,
                likelihood=likelihood,
                why=why or ("it fits where it hurts",),
                url=profile.url,
                score=item.score,
                red_flag=item.red_flag,
            )
        )
    return ranked
