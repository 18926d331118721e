"""The assessment: answers and knowledge in, a triage level with its reasons and the likely conditions out.

Order of evaluation (docs/triage.md tells it in prose):
1. Every red-flag rule is evaluated; each one that fires gives a level and a plain reason.
2. Every condition is scored and ranked; the conditions fired flags point to are always listed.
3. The clinical level comes from the leading conditions and how the pain behaves (the policy's escalators),
   taken with and without the red-flag findings, the higher of the two.
4. The level is the most urgent of the clinical level and every fired flag: red flags only ever raise it.
"""

from __future__ import annotations

import math
from dataclasses import replace

from painpoint.engine.model import (
    Answers,
    FiredFlag,
    Knowledge,
    Level,
    Profile,
    RankedCondition,
    Result,
    TreatmentInfo,
)
from painpoint.engine.ranking import index_of, leaders, rank, suspicion_scores
from painpoint.engine.rules import fired_rules

LONG_PAIN_DAYS = 42  # "pain for more than 6 weeks" (policy, principle 3)
MAX_TREATMENTS = 8
# A serious condition scoring this much, without a red flag, calls for a doctor today (see docs/triage.md).
SUSPICION_SCORE = 9.0
ARM_REGIONS = ("shoulder-", "upper-arm-", "elbow-", "forearm-", "wrist-hand-")
LEG_REGIONS = ("buttock-", "hip-", "groin-", "thigh-", "knee-", "shin-", "calf-", "ankle-", "foot-", "heel-")
LIMB_SYMPTOMS = ("quality-numb", "quality-tingling", "with-leg-weakness", "with-arm-weakness")

ADVICE = {
    Level.EMERGENCY: "Call 911 now, or go to the nearest emergency room. Do not drive yourself.",
    Level.URGENT: (
        "See a doctor today: call your doctor or this clinic now, or go to an urgent care center. "
        "If it gets much worse, call 911."
    ),
    Level.APPOINTMENT: (
        "Book a visit with a clinician in the coming days or weeks. "
        "Get help sooner if it gets worse or new symptoms start."
    ),
}


def assess(answers: Answers, knowledge: Knowledge) -> Result:
    """Return the triage level, its reasons, the likely conditions and the treatments that fit."""
    firings = fired_rules(knowledge, answers)
    flags = tuple(
        FiredFlag(
            id=firing.rule.id,
            level=firing.level,
            reason=firing.reason,
            findings=tuple(sorted(firing.match.findings)),
            regions=tuple(sorted(firing.match.regions)),
            points_to=firing.rule.points_to,
            points_to_if_fits=firing.rule.points_to_if_fits,
        )
        for firing in firings
    )
    # The first (most urgent) fired flag pointing to each condition: its id, and the level it gives it.
    flagged: dict[str, tuple[str, Level]] = {}
    for flag in flags:
        for slug in flag.points_to:
            flagged.setdefault(slug, (flag.id, flag.level))
    if_fits: dict[str, tuple[str, Level]] = {}
    for flag in flags:
        for slug in flag.points_to_if_fits:
            if slug not in flagged:
                if_fits.setdefault(slug, (flag.id, flag.level))

    conditions = rank(knowledge.profiles, answers, flagged, if_fits)
    # A condition pointed to "if it fits" counts as flagged only where it did fit, which `rank` marks.
    flag_levels = {slug: level for slug, (_, level) in flagged.items()}
    flag_levels.update(
        (row.slug, if_fits[row.slug][1]) for row in conditions if row.red_flag and row.slug in if_fits
    )
    clinical_level, clinical_reasons = clinical(answers, conditions, knowledge, flag_levels)

    level = max([clinical_level, *(flag.level for flag in flags)])
    reasons = [flag.reason for flag in flags] + ([] if flags and level > clinical_level else clinical_reasons)
    return Result(
        triage=level,
        advice=advice(level, conditions, knowledge),
        red_flags=flags,
        conditions=tuple(conditions),
        treatments=treatments(level, conditions, knowledge),
        reasons=tuple(dict.fromkeys(reasons)),
        content_version=knowledge.content_version,
        extra={"offered": knowledge.offered},
    )


def leading(conditions: list[RankedCondition]) -> list[RankedCondition]:
    """The conditions the level is based on: the first, and any other the engine finds highly likely."""
    return [row for index, row in enumerate(conditions) if index == 0 or row.likelihood == "high"]


def clinical(
    answers: Answers, conditions: list[RankedCondition], knowledge: Knowledge, flag_levels: dict[str, Level]
) -> tuple[Level, list[str]]:
    """Return the level the likely conditions and the pain's behaviour call for, with the reasons.

    Built from three parts so that a red-flag finding can only ever raise it:
    - the leading conditions are taken from the answers *without* red-flag findings, which adding one
      cannot change (a warning sign acts through the rules, and through the third part);
    - the policy's escalators read every answer, and more answers can only add escalators;
    - a serious condition that the warning signs point to strongly calls for a doctor today; its score
      counts warning findings only where they point towards it, so more of them can only raise it.
    """
    plain = answers.findings - knowledge.red_flag_findings
    without = replace(answers, findings=plain)
    lead = (
        [row.slug for row in leading(conditions)]
        if plain == answers.findings
        else leaders(knowledge.profiles, without)
    )
    profiles = index_of(knowledge.profiles).profile
    if not lead:
        # Nothing in the knowledge base fits: a clinician should look, rather than the guide guess.
        level, reasons = (
            Level.APPOINTMENT,
            ["Your answers do not match a common pattern, so a clinician should check it."],
        )
        top = None
    else:
        level = max(usual_level(profiles[slug], without, flag_levels) for slug in lead)
        top = profiles[lead[0]]
        verb = (
            "usually gets better with home care"
            if level == Level.SELF_CARE
            else "is best checked by a clinician"
        )
        reasons = [f"The most likely cause, {top.name.lower()}, {verb}."]

    found = escalators(answers, top)
    if found and level < Level.APPOINTMENT:
        level = Level.APPOINTMENT
        reasons = [reasons[0].replace("usually gets better", "often gets better")]
    reasons += found

    suspected = suspected_serious(answers, knowledge, flag_levels)
    if suspected is not None and suspected[1] > level:
        profile, level = suspected
        when = "today" if level == Level.URGENT else "soon"
        reasons.append(f"Your answers fit {profile.name.lower()}, which a doctor should check {when}.")
    return level, reasons


def escalators(answers: Answers, top: Profile | None) -> list[str]:
    """The policy's general escalators to at least `appointment` (principle 3) that these answers meet."""
    found: list[str] = []
    if answers.duration_days > LONG_PAIN_DAYS:
        found.append("The pain has lasted more than 6 weeks.")
    elif top is not None and top.settles_within_days and answers.duration_days > top.settles_within_days:
        found.append("The pain has lasted longer than this problem usually does.")
    if "course-worsening" in answers.findings:
        found.append("The pain keeps getting worse.")
    limb = any(code.startswith(ARM_REGIONS + LEG_REGIONS) for code in answers.regions) or bool(
        answers.findings & {"spread-below-knee", "spread-down-arm"}
    )
    if limb and answers.findings.intersection(LIMB_SYMPTOMS):
        found.append("You have numbness, tingling or weakness in an arm or leg.")
    if answers.findings & {"spread-below-knee", "spread-down-arm"}:
        found.append("The pain spreads below the knee or down the arm.")
    if "course-recurring" in answers.findings:
        found.append("The pain has come back many times.")
    return found


def suspected_serious(
    answers: Answers, knowledge: Knowledge, flag_levels: dict[str, Level]
) -> tuple[Profile, Level] | None:
    """A serious or urgent condition no red flag points to but the answers fit strongly, with its level."""
    scores = suspicion_scores(knowledge.profiles, answers, knowledge.red_flag_findings)
    plain = answers.findings - knowledge.red_flag_findings
    profiles = index_of(knowledge.profiles).profile
    best: tuple[Level, float, str] | None = None
    for slug, value in scores.items():
        if value < SUSPICION_SCORE or slug in flag_levels:
            continue
        # Its level for these answers (nerve pain months after shingles is a visit, not same-day care).
        level = min(profiles[slug].usual_level_for(plain, answers.duration_days), Level.URGENT)
        if best is None or (level, value, slug) > best:
            best = (level, value, slug)
    return (profiles[best[2]], best[0]) if best else None


def usual_level(profile: Profile, answers: Answers, flag_levels: dict[str, Level]) -> Level:
    """The level a leading condition calls for on its own.

    For a serious condition the rules decide (policy, principle 2): it calls for no more than the level of
    the red flag that points to it, and without one for a doctor today, not an emergency.
    """
    level = profile.usual_level_for(answers.findings, answers.duration_days)
    if profile.serious:
        return min(level, flag_levels.get(profile.slug, Level.URGENT))
    return level


def advice(level: Level, conditions: list[RankedCondition], knowledge: Knowledge) -> str:
    if level != Level.SELF_CARE:
        return ADVICE[level]
    profiles = index_of(knowledge.profiles).profile
    days = profiles[conditions[0].slug].settles_within_days if conditions else None
    weeks = max(1, math.ceil((days or 42) / 7))
    span = "1 week" if weeks == 1 else f"{weeks} weeks"
    return (
        "This usually gets better with home care; the steps below help. "
        f"Book a visit if it is not better in {span}, or sooner if it gets worse."
    )


def treatments(
    level: Level, conditions: list[RankedCondition], knowledge: Knowledge
) -> tuple[TreatmentInfo, ...]:
    """Treatments that fit the top conditions, the ones this clinic offers first."""
    if level == Level.EMERGENCY:
        wanted = ["emergency-care"]
    else:
        profiles = index_of(knowledge.profiles).profile
        considered = [row for row in conditions[:3] if row.likelihood != "low"] or conditions[:1]
        counts: dict[str, tuple[int, int]] = {}
        for row in considered:
            for position, slug in enumerate(profiles[row.slug].treatments):
                if slug in ("emergency-care", "urgent-medical-care"):
                    continue
                hits, first = counts.get(slug, (0, position))
                counts[slug] = (hits + 1, min(first, position))
        ranked = sorted(
            counts, key=lambda slug: (slug not in knowledge.offered, -counts[slug][0], counts[slug][1], slug)
        )
        wanted = (["urgent-medical-care"] if level == Level.URGENT else []) + ranked
    return tuple(knowledge.treatments[slug] for slug in wanted if slug in knowledge.treatments)[
        :MAX_TREATMENTS
    ]
