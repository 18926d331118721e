"""The interview's questions, in plain words, each answer mapped to the contract's codes.

Options carry the body areas they matter for, so a sore jaw is never asked about the legs. Areas are sets of
region codes; an option with no areas is asked whatever the regions.

What a visitor is asked, step by step, comes from `plan()`:

- "Just to be safe" shows a few grouped warning statements (`GROUPS`), each naming, in a few plain words,
  every warning sign of the group that applies to the visitor's regions and age.
- "Tell us a bit more" follows only when a group was ticked: it asks which of the group's signs it was, in the
  options' own words, with "I'm not sure which". Not sure, or no sign ticked, records every sign of the group:
  when unsure, triage up.
- The other lists keep every finding a red-flag rule reads that is not in a group, and then only the options
  that best tell apart the conditions the chosen regions can point to, within a budget of questions.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from painpoint.engine.codes import REGION_CODES
from painpoint.engine.model import Answers


def _regions(*patterns: str) -> frozenset[str]:
    found = set()
    for pattern in patterns:
        if pattern.endswith("*"):
            found |= {code for code in REGION_CODES if code.startswith(pattern[:-1])}
        else:
            found.add(pattern)
    return frozenset(found)


LEG = _regions(
    "buttock-*", "hip-*", "groin-*", "thigh-*", "knee-*", "shin-*", "calf-*", "ankle-*", "foot-*", "heel-*"
)
ARM = _regions("shoulder-*", "upper-arm-*", "elbow-*", "forearm-*", "wrist-hand-*")
BACK = _regions("upper-back", "mid-back", "lower-back", "tailbone", "flank-*")
NECK = _regions("neck-back", "neck-front")
HEAD = _regions("head", "head-back", "face", "jaw-*")
CHEST = _regions("chest-*", "upper-back", "abdomen-upper")
HEART_AREAS = _regions(
    "chest-*", "jaw-*", "neck-*", "shoulder-*", "upper-arm-*", "forearm-*", "upper-back", "abdomen-upper"
)
FLANK = _regions("flank-*", "abdomen-lower", "groin-*")
SPINE_OR_LEG = BACK | NECK | LEG
LIMBS = LEG | ARM
JOINTS = LIMBS


@dataclass(frozen=True)
class Option:
    code: str  # a finding code of the contract
    text: str
    areas: frozenset[str] = frozenset()  # empty: asked for every region
    min_age: int = 0
    max_age: int = 0  # 0: no upper limit

    def applies(self, regions: frozenset[str], age: int | None) -> bool:
        if self.min_age and (age is None or age < self.min_age):
            return False
        if self.max_age and age is not None and age > self.max_age:
            return False
        return not self.areas or bool(self.areas & regions)


# The warning signs, in the words "Tell us a bit more" asks them (each belongs to a group below).
SAFETY = (
    Option(
        "with-saddle-numbness",
        "New numbness or tingling between your legs, or around your genitals or bottom",
        SPINE_OR_LEG,
    ),
    Option(
        "with-bladder-change",
        "New trouble peeing, not feeling your bladder fill, or leaking urine",
        SPINE_OR_LEG,
    ),
    # Bowel and sexual changes come with a squeezed spinal cord in the neck too (myelopathy), and the
    # cauda-equina rule reads them with any spinal pain: asked wherever bladder changes are.
    Option("with-bowel-incontinence", "New loss of control of your bowels", SPINE_OR_LEG),
    Option("with-sexual-change", "New loss of feeling or function in sex", SPINE_OR_LEG),
    Option(
        "worse-exertion", "The pain comes on when you walk fast, climb stairs or make an effort", HEART_AREAS
    ),
    Option(
        "with-sweating-nausea", "A cold sweat, feeling sick or being sick with the pain", HEART_AREAS | FLANK
    ),
    # Breathless with a leg problem can be a clot in the lung (pulmonary-embolism rule): asked for legs too.
    Option("with-breathless", "Short of breath", HEART_AREAS | LEG),
    Option("with-thunderclap", "A headache that reached its worst within about a minute", HEAD | NECK),
    Option("with-stroke-signs", "Your face droops, one side is weak or numb, or you have trouble speaking"),
    Option(
        "with-dizzy-double-vision", "Dizzy, seeing double, slurred speech or trouble swallowing", HEAD | NECK
    ),
    Option("with-fever", "A fever, chills or shaking"),
    Option("with-very-unwell", "Feeling very unwell, confused or drowsy"),
    Option("with-leg-weakness", "A leg feels weak or gives way", BACK | LEG),
    Option("with-calf-swelling", "One calf or leg is swollen, tight or warm", LEG),
    Option("with-cold-pale-limb", "The painful arm or leg is cold, pale or blue", LIMBS),
    Option("with-hot-swollen-joint", "A joint is hot, red and swollen", JOINTS),
    # At any age: raised-pressure-headache reads it (giant-cell-arteritis only over 50).
    Option("with-vision-loss", "New loss or blurring of your sight", HEAD),
)

ONSET = (
    ("onset-injury-minor", "A strain, twist, lift, bump or small fall"),
    ("onset-injury-major", "A big fall, a fast crash, or being thrown"),
    ("onset-sudden", "Suddenly, within minutes, with no injury"),
    ("onset-gradual", "Slowly, over days or weeks"),
)

# How long ago, as days since it began (the middle of each span).
DURATIONS = (
    ("0.1", "A few hours"),
    ("1.5", "1 to 2 days"),
    ("5", "3 to 7 days"),
    ("10", "1 to 2 weeks"),
    ("28", "2 to 6 weeks"),
    ("70", "6 weeks to 3 months"),
    ("180", "More than 3 months"),
)
# Where each span of DURATIONS ends, in days since it began (the span stops short of it), in the same order.
DURATION_ENDS = (1.0, 3.0, 8.0, 15.0, 43.0, 92.0, float("inf"))

COURSE = (
    ("course-worsening", "Getting worse"),
    ("course-improving", "Getting better"),
    ("course-recurring", "On and off; I've had it before"),
    ("pattern-constant", "There all the time"),
)

QUALITY = (
    Option("quality-aching", "Aching or sore"),
    Option("quality-sharp", "Sharp or stabbing"),
    Option("quality-burning", "Burning"),
    Option("quality-shooting", "Shooting or electric"),
    Option("quality-tingling", "Tingling, pins and needles"),
    Option("quality-numb", "Numb"),
    Option("quality-stiff", "Stiff"),
    Option("quality-knot", "A tight, tender knot", BACK | NECK | ARM | LEG | _regions("jaw-*")),
    Option("quality-throbbing", "Throbbing"),
    Option("quality-pressure", "Pressure or squeezing", HEART_AREAS | HEAD),
    Option("quality-cramping", "Cramp or spasm"),
    Option("quality-colicky", "Comes in waves", FLANK | BACK),
    Option("quality-tearing", "Tearing or ripping", CHEST | BACK),
)

SPREAD = (
    Option("spread-below-knee", "From your back or buttock to below the knee", BACK | LEG),
    Option("spread-down-arm", "From your neck or shoulder down your arm", NECK | ARM),
    Option("spread-to-groin", "From your back or side into your groin", FLANK | BACK),
    Option("spread-band-chest", "In a band around one side of your body", CHEST | BACK),
)

BEHAVIOUR = (
    Option("worse-morning-stiffness", "Stiff for over 30 minutes after you wake up", BACK | NECK | LIMBS),
    Option("worse-night", "It wakes you at night, or rest does not ease it"),
    Option("worse-first-steps", "Worst with your first steps in the morning or after sitting", LEG),
    Option("worse-sitting", "Worse when you sit", BACK | LEG),
    Option("worse-standing-walking", "Worse when you stand or walk", BACK | LEG),
    Option("better-sitting-bending-forward", "Eased by sitting down or bending forward", BACK | LEG),
    Option("worse-bending-forward", "Worse bending forward", BACK),
    Option("worse-bending-backward", "Worse leaning back or twisting", BACK | NECK),
    Option("worse-cough-sneeze", "Worse when you cough, sneeze or strain", BACK | NECK | LEG | CHEST),
    Option("worse-lifting", "Worse lifting or carrying", BACK | ARM),
    Option("worse-overhead", "Worse raising your arm or working overhead", ARM | NECK),
    Option("worse-gripping", "Worse gripping or twisting a lid", ARM),
    Option("worse-stairs-squatting", "Worse on stairs, squatting or kneeling", LEG),
    Option("worse-lying-on-side", "Worse lying on that side", ARM | LEG),
    Option("worse-neck-movement", "Worse turning or bending your neck", NECK | HEAD | ARM),
    Option("worse-chewing", "Worse chewing or opening your mouth wide", HEAD),
    Option("worse-lying-flat", "Worse when you lie down", _regions("head", "head-back")),
    Option("worse-deep-breath", "Worse breathing in deeply", CHEST),
    Option("worse-pressing-spot", "Pressing on the spot brings the pain on"),
    Option("worse-light-touch", "Light touch, like clothes or sheets, hurts"),
    Option("better-movement", "Better when you move about, worse after rest"),
    Option("better-rest", "Better with rest"),
)

OTHER = (
    Option("with-arm-weakness", "An arm or hand feels weak", NECK | ARM),
    Option("with-weakness-worsening", "The weakness is getting worse", SPINE_OR_LEG | ARM),
    Option("with-foot-drop", "Your foot slaps or your toes catch when you walk", BACK | LEG),
    Option("with-clumsy-hands", "Your hands are clumsy (buttons, writing, dropping things)", NECK | ARM),
    Option("with-unsteady-walking", "Unsteady walking or poor balance", NECK | BACK | LEG),
    Option("with-weight-loss", "Weight loss without trying"),
    Option("with-night-sweats", "Drenching night sweats"),
    Option("with-rash", "A rash or blisters where it hurts"),
    Option("with-swelling", "Swelling you can see", LIMBS),
    Option("with-cannot-bear-weight", "You cannot put weight on the leg or walk four steps", LEG),
    Option("with-cannot-use-arm", "You cannot lift or use the arm", ARM),
    Option("with-tight-limb", "The arm or leg feels tight and hurts far more than you would expect", LIMBS),
    Option("with-pop-at-injury", "You felt or heard a pop when it started", LIMBS),
    Option("with-locking-giving-way", "The joint locks, catches or gives way", LIMBS | _regions("jaw-*")),
    Option("with-urinary-symptoms", "Burning or needing to pee often", FLANK | BACK),
    Option("with-blood-in-urine", "Blood in your urine", FLANK | BACK),
    Option("with-stiff-neck", "A stiff neck when you bend your head forward", HEAD | NECK),
    Option("with-light-sensitivity", "Light or noise hurts, with a headache", HEAD),
    Option("with-aura", "Zigzags or spots in your sight before a headache", HEAD),
    Option("with-scalp-tenderness", "Your scalp is sore to touch", HEAD, min_age=50),
    Option("with-jaw-pain-chewing", "Your jaw aches when you chew and eases when you stop", HEAD, min_age=50),
    # The aortic rule reads fainting with belly pain too (abdomen-lower is in FLANK).
    Option("with-faint", "Fainting, nearly fainting or light-headed", HEART_AREAS | BACK | FLANK),
    Option("with-widespread-pain", "Pain in many places, above and below the waist, on both sides"),
    Option("with-fatigue-poor-sleep", "Tired, with sleep that does not refresh you"),
)

HISTORY = (
    Option("history-cancer", "You have had cancer", SPINE_OR_LEG),
    Option(
        "history-osteoporosis", "Thin bones (osteoporosis) or a past fracture from a small fall", BACK | LEG
    ),
    Option("history-steroids", "You have taken steroid tablets for months", BACK | NECK),
    # The rules read a weak immune system for spine infections, and the ranking for joint infections.
    Option(
        "history-immunosuppressed",
        "A weak immune system (treatment, HIV, dialysis, transplant)",
        SPINE_OR_LEG | ARM,
    ),
    Option("history-injects-drugs", "You inject drugs", BACK | NECK | JOINTS),
    Option(
        "history-spinal-procedure", "Spine surgery or a spine injection in the last few months", BACK | NECK
    ),
    Option(
        "history-heart-risk",
        "Heart disease, high blood pressure, high cholesterol, or you smoke",
        HEART_AREAS,
    ),
    Option(
        "history-recent-surgery-immobility",
        "Surgery, a cast, bed rest or a long journey in the last 4 weeks",
        LEG | CHEST,
    ),
    # Asked with a headache too: with it, a clot in a brain vein can be considered (its profile needs it).
    Option(
        "history-clot",
        "A past blood clot, or you take the pill or hormone therapy",
        LEG | CHEST | _regions("head", "head-back"),
    ),
    # Pregnancy or a birth in the last year: not asked after 55.
    Option(
        "history-pregnant-postpartum",
        "Pregnant, or gave birth in the last year",
        HEAD | BACK | FLANK | CHEST,
        max_age=55,
    ),
    Option(
        "history-joint-replacement",
        "An artificial joint, or a recent injection into the painful joint",
        JOINTS,
    ),
    Option("history-desk-work", "Long hours sitting at a desk or screen", BACK | NECK | ARM | HEAD),
    Option("history-repetitive-work", "Repetitive or heavy manual work", BACK | ARM | LEG),
    Option(
        "history-new-activity",
        "You recently started or stepped up exercise or a new physical task",
        LIMBS | BACK,
    ),
    Option(
        "history-arthritis",
        "You have been told you have arthritis in the painful joint",
        JOINTS | BACK | NECK,
    ),
    Option("history-diabetes", "Diabetes"),
    Option("history-aneurysm", "A known aortic aneurysm", BACK | FLANK, min_age=50),
    Option("history-kidney-stones", "You have had kidney stones", FLANK | BACK),
    Option(
        "history-recent-infection",
        "An infection in the last few weeks (urine, skin, chest)",
        BACK | NECK | JOINTS,
    ),
    Option("history-frequent-painkillers", "You take painkillers for this on 10 or more days a month", HEAD),
    Option("history-fracture-cast", "A broken bone or a cast on the painful limb now", LIMBS),
)

OPTIONS = {option.code: option for group in (SAFETY, BEHAVIOUR, OTHER, HISTORY) for option in group}


def option_texts() -> dict[str, str]:
    """Each finding code the interview can record, in the words it asks it."""
    texts = {
        option.code: option.text
        for group in (SAFETY, QUALITY, SPREAD, BEHAVIOUR, OTHER, HISTORY)
        for option in group
    }
    texts.update(dict(ONSET))
    texts.update(dict(COURSE))
    return texts


@dataclass(frozen=True)
class Part:
    """A few words of a group's statement, naming some of its warning signs.

    The part is shown when one of its signs applies to the regions and age, or, with `areas`, when the
    regions touch those areas (a sign asked elsewhere for other areas, as breathlessness for the legs)."""

    phrases: tuple[str, ...]
    codes: tuple[str, ...]
    areas: frozenset[str] | None = None

    def applies(self, regions: frozenset[str], age: int | None) -> bool:
        if self.areas is not None and not self.areas & regions:
            return False
        return any(OPTIONS[code].applies(regions, age) for code in self.codes)


@dataclass(frozen=True)
class Group:
    """Warning signs asked together on "Just to be safe", one statement for all of them.

    `also` holds signs that are asked in the details when the group is ticked but not named in the
    statement: each matters only together with a sign the statement names (a stiff neck with a fever).
    """

    slug: str
    parts: tuple[Part, ...]
    also: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        named = tuple(code for part in self.parts for code in part.codes)
        return named + tuple(code for code in self.also if code not in named)

    def shown(self, regions: frozenset[str], age: int | None) -> list[Part]:
        return [part for part in self.parts if part.applies(regions, age)]

    def applies(self, regions: frozenset[str], age: int | None) -> bool:
        return bool(self.shown(regions, age))

    def statement(self, regions: frozenset[str], age: int | None) -> str:
        """The statement for these regions, naming every part that applies: "A, B or C"."""
        phrases = [phrase for part in self.shown(regions, age) for phrase in part.phrases]
        if len(phrases) == 1:
            text = phrases[0]
        else:
            # A comma before the last "or" when a phrase has its own "or" or comma, so each reads whole.
            joiner = ", or " if any(" or " in p or "," in p for p in phrases) else " or "
            text = ", ".join(phrases[:-1]) + joiner + phrases[-1]
        return text[0].upper() + text[1:]

    def items(self, regions: frozenset[str], age: int | None) -> list[Option]:
        """The signs the details ask about: those the statement names, then the others, that apply here."""
        named = {code for part in self.shown(regions, age) for code in part.codes}
        return [
            OPTIONS[code]
            for code in self.codes
            if (code in named or code in self.also) and OPTIONS[code].applies(regions, age)
        ]


GROUPS = (
    Group(
        "nerves",
        (
            Part(("new numbness between your legs",), ("with-saddle-numbness",)),
            Part(
                ("new trouble with your bladder, bowels or sex life",),
                ("with-bladder-change", "with-bowel-incontinence", "with-sexual-change"),
            ),
        ),
    ),
    Group(
        "heart",
        (
            Part(("pain that comes with effort",), ("worse-exertion",)),
            Part(("a cold sweat or feeling sick",), ("with-sweating-nausea",)),
            Part(("shortness of breath",), ("with-breathless",), HEART_AREAS),
            Part(("fainting",), ("with-faint",)),
            Part(("a known aortic aneurysm",), ("history-aneurysm",)),
        ),
    ),
    Group(
        "brain",
        (
            Part(("a sudden, very bad headache",), ("with-thunderclap",)),
            Part(("a drooping face", "one side weak or numb", "trouble speaking"), ("with-stroke-signs",)),
            Part(("dizziness", "double vision", "trouble swallowing"), ("with-dizzy-double-vision",)),
        ),
    ),
    Group(
        "arteries",
        (
            Part(("new trouble seeing",), ("with-vision-loss",)),
            Part(("a sore scalp",), ("with-scalp-tenderness",)),
            Part(("jaw pain when you chew",), ("with-jaw-pain-chewing",)),
        ),
    ),
    Group(
        "fever",
        (
            Part(("fever or chills",), ("with-fever",)),
            Part(("feeling very unwell or confused",), ("with-very-unwell",)),
            Part(("a rash where it hurts",), ("with-rash",)),
            Part(("burning or blood when you pee",), ("with-urinary-symptoms", "with-blood-in-urine")),
        ),
        # A stiff neck raises the level only with a fever (meningitis-signs).
        also=("with-stiff-neck",),
    ),
    Group(
        "weakness",
        (
            Part(("a weak leg",), ("with-leg-weakness",)),
            Part(("a weak or clumsy arm or hand",), ("with-arm-weakness", "with-clumsy-hands")),
            Part(("a dragging foot",), ("with-foot-drop",)),
            Part(("unsteady walking",), ("with-unsteady-walking",)),
        ),
        # Weakness getting worse matters only with weakness (progressive-weakness).
        also=("with-weakness-worsening",),
    ),
    Group(
        "limb",
        (
            Part(("a cold, pale or blue arm or leg",), ("with-cold-pale-limb",)),
            Part(("a swollen calf",), ("with-calf-swelling",)),
            Part(("a hot, red, swollen joint",), ("with-hot-swollen-joint",)),
            Part(("shortness of breath",), ("with-breathless",), LEG),
        ),
        # With a hot, swollen joint: an artificial joint or not bearing weight (septic-joint); a tight,
        # swollen limb (compartment-syndrome), also asked after an injury.
        also=("history-joint-replacement", "with-cannot-bear-weight", "with-tight-limb"),
    ),
    Group(
        "cancer",
        (
            Part(("cancer now or before",), ("history-cancer",)),
            Part(("weight loss without trying",), ("with-weight-loss",)),
            Part(("drenching night sweats",), ("with-night-sweats",)),
        ),
    ),
    Group(
        "risk",
        (
            Part(("a weak immune system",), ("history-immunosuppressed",)),
            Part(("steroid tablets for months",), ("history-steroids",)),
            Part(("thin bones",), ("history-osteoporosis",)),
            Part(("injecting drugs",), ("history-injects-drugs",)),
            Part(("a recent infection",), ("history-recent-infection",)),
            Part(("recent spine surgery or injection",), ("history-spinal-procedure",)),
        ),
    ),
)
BY_GROUP = {group.slug: group for group in GROUPS}
GROUPED = frozenset(code for group in GROUPS for code in group.codes)

# Asked straight out on "A few more things": each raises the level only together with another answer, and
# is common enough (high blood pressure, a long journey) that a group would be ticked for nothing.
CONTEXT = ("history-heart-risk", "history-recent-surgery-immobility", "history-pregnant-postpartum")

# After an injury or a sudden start in an arm or leg, "Since it started" asks these (cannot-bear-weight,
# cannot-use-arm, tendon-rupture, compartment-syndrome). A tendon that snaps during sport can feel like a
# sudden start with no injury, so a sudden start counts too.
INJURY = ("with-cannot-bear-weight", "with-cannot-use-arm", "with-pop-at-injury", "with-tight-limb")
INJURY_ONSETS = ("onset-injury-minor", "onset-injury-major", "onset-sudden")

# "Never asked more than about 25 questions" (the issue), counted as bench/interview.py counts them: the
# region picker, the age box, each choose-one group and each list of describing words (quality, course) are
# one question; every statement in a tick-any list is one. The details step is not counted: it is asked only
# of visitors who ticked a warning sign, and asks about what they ticked.
QUESTION_BUDGET = 25
# At most this many options only to tell conditions apart (never a finding a red-flag rule reads).
MAX_EXTRA = 5
# Questions every visitor is asked besides the lists: regions, age, sex, onset, duration, course, quality,
# severity.
FIXED_QUESTIONS = 8


def applicable(options: tuple[Option, ...], regions: frozenset[str], age: int | None) -> list[Option]:
    """The options that matter for these regions and this age."""
    return [option for option in options if option.applies(regions, age)]


@dataclass(frozen=True)
class Plan:
    """What the interview asks for one set of regions, age, start and ticked groups."""

    groups: tuple[Group, ...]  # on "Just to be safe"
    details: tuple[tuple[Group, tuple[Option, ...]], ...]  # the ticked groups with the signs to ask
    quality: tuple[Option, ...]
    spread: tuple[Option, ...]
    behaves: tuple[Option, ...]  # "A few more things": what changes it, context, and the best extras
    injury: tuple[Option, ...]  # "Since it started", after an injury or a sudden start

    def questions(self) -> int:
        """The questions of the usual path (without the details), counted as the budget counts them."""
        lists = len(self.groups) + len(self.spread) + len(self.behaves) + len(self.injury)
        return FIXED_QUESTIONS + lists


@functools.lru_cache(maxsize=512)
def plan(regions: frozenset[str], age: int | None, onset: str = "", ticked: tuple[str, ...] = ()) -> Plan:
    """Return what to ask for these regions and age, after this start (an onset code) and these ticked groups.

    Every finding a red-flag rule reads that applies here is asked: in a group, in its group's details, or
    straight out. Only the extras are trimmed: the options that tell the possible conditions apart best, as
    many as the question budget leaves room for.
    """
    groups = tuple(group for group in GROUPS if group.applies(regions, age))
    details: list[tuple[Group, tuple[Option, ...]]] = []
    in_details: set[str] = set()
    for group in groups:
        if group.slug in ticked:
            # A sign in two ticked groups is asked once, in the first.
            items = tuple(o for o in group.items(regions, age) if o.code not in in_details)
            in_details.update(o.code for o in items)
            details.append((group, items))
    injury: tuple[Option, ...] = ()
    if onset in INJURY_ONSETS:
        injury = tuple(
            OPTIONS[code] for code in INJURY if OPTIONS[code].applies(regions, age) and code not in in_details
        )
    warning = rule_findings()
    pool = applicable(BEHAVIOUR + OTHER + HISTORY, regions, age)
    required = [
        option
        for option in pool
        if option.code not in GROUPED and option.code not in INJURY and option.code in warning
    ]
    # A rule finding in no group (a rule added since) is asked straight out, never trimmed: the tests name it.
    spread = tuple(applicable(SPREAD, regions, age))
    fixed = FIXED_QUESTIONS + len(groups) + len(spread) + len(required) + len(injury)
    room = max(0, min(MAX_EXTRA, QUESTION_BUDGET - fixed))
    extras = [o for o in pool if o.code not in GROUPED and o.code not in INJURY and o.code not in warning]
    kept = {o.code for o in discriminating(tuple(extras), regions)[:room]}
    behaves = tuple(o for o in pool if o in required or o.code in kept)
    return Plan(
        groups=groups,
        details=tuple(details),
        quality=tuple(applicable(QUALITY, regions, age)),
        spread=spread,
        behaves=behaves,
        injury=injury,
    )


def discriminating(options: tuple[Option, ...], regions: frozenset[str]) -> list[Option]:
    """The options, best first at telling apart the conditions these regions can point to.

    An option's weight is how far its signal weight differs across the conditions of the knowledge base that
    fit the regions (each condition counted by how well it fits them), plus how often a condition needs it
    to be a possibility at all. An option every candidate weighs alike tells nothing; ties keep the order
    the options are written in.
    """
    from painpoint.assessment.knowledge import base_knowledge

    fits = []
    for profile in base_knowledge().profiles:
        weights = dict(profile.regions)
        fit = max((weights[code] for code in regions if code in weights), default=0.0)
        if fit > 0:
            fits.append((fit, {s.code: s.weight for s in profile.signals}, set(profile.needs_any)))
    whole = sum(fit for fit, _, _ in fits) or 1.0

    def weight(option: Option) -> float:
        values = [(fit, signals.get(option.code, 0.0)) for fit, signals, _ in fits]
        mean = sum(fit * value for fit, value in values) / whole
        spread = sum(fit * abs(value - mean) for fit, value in values)
        needed = sum(fit for fit, _, needs in fits if option.code in needs)
        return spread + needed

    ranked = sorted(enumerate(options), key=lambda item: (-weight(item[1]), item[0]))
    return [option for _, option in ranked]


@functools.cache
def rule_findings() -> frozenset[str]:
    """Every finding a red-flag rule looks at, in its trigger or in a step that raises it: as present, or as
    absent (asking lets the visitor say so, rather than the rule assume it)."""
    from painpoint.assessment.knowledge import base_knowledge
    from painpoint.engine.rules import positive_findings

    found: set[str] = set()
    for rule in base_knowledge().rules:
        for expr in (rule.trigger, *(step.when for step in rule.steps if step.when is not None)):
            wanted, unwanted = positive_findings(expr)
            found |= wanted | unwanted
    return frozenset(found)


def duration_choice(days: float) -> str:
    """The answer of "How long ago?" that a visitor whose pain began `days` ago picks."""
    return next(value for (value, _), end in zip(DURATIONS, DURATION_ENDS, strict=True) if days < end)


def asked_directly(plan: Plan) -> set[str]:
    """The codes a visitor can give on a step of their own: the started step's answers and every list."""
    codes = {code for code, _ in ONSET + COURSE}
    return codes | {o.code for o in plan.quality + plan.spread + plan.behaves + plan.injury}


def recordable(regions: frozenset[str], age: int, findings: frozenset[str]) -> set[str]:
    """What the interview lets a visitor with these findings record: every list it shows them, and the details
    of each group holding one of their findings (the groups they would tick)."""
    onset = next((code for code in sorted(findings) if code.startswith("onset-")), "onset-gradual")
    ticked = tuple(g.slug for g in plan(regions, age, onset).groups if set(g.codes) & findings)
    chosen = plan(regions, age, onset, ticked)
    return asked_directly(chosen) | {o.code for _, items in chosen.details for o in items}


def through_interview(answers: Answers) -> Answers:
    """The answers the interview would send for a visitor whose story these answers tell: only the findings
    it asks them about, and how long ago as the middle of the span they would pick."""
    given = answers.findings & recordable(answers.regions, answers.age, answers.findings)
    return replace(
        answers, findings=frozenset(given), duration_days=float(duration_choice(answers.duration_days))
    )
