"""The interview's questions, in plain words, each answer mapped to the contract's codes.

Options carry the body areas they matter for, so a sore jaw is never asked about the legs. Areas are sets of
region codes; an option with no areas is asked whatever the regions.
"""

from __future__ import annotations

from dataclasses import dataclass

from painpoint.engine.codes import REGION_CODES


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

    def applies(self, regions: frozenset[str], age: int | None) -> bool:
        if self.min_age and (age is None or age < self.min_age):
            return False
        return not self.areas or bool(self.areas & regions)


# "Just to be safe": the warning signs, asked early. At most eight are shown for any set of regions.
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
    Option("with-bowel-incontinence", "New loss of control of your bowels", BACK | LEG),
    Option(
        "worse-exertion", "The pain comes on when you walk fast, climb stairs or make an effort", HEART_AREAS
    ),
    Option(
        "with-sweating-nausea", "A cold sweat, feeling sick or being sick with the pain", HEART_AREAS | FLANK
    ),
    Option("with-breathless", "Short of breath", HEART_AREAS),
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
    Option("with-vision-loss", "New loss or blurring of your sight", HEAD, min_age=50),
)

ONSET = (
    ("onset-injury-minor", "After a strain, twist, lift, bump or minor fall"),
    ("onset-injury-major", "After a big fall, a fast or rollover crash, or being thrown"),
    ("onset-sudden", "Suddenly, within seconds or minutes, without an injury"),
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

COURSE = (
    ("course-worsening", "Getting worse"),
    ("course-improving", "Getting better"),
    ("course-recurring", "It comes and goes; I have had it before"),
    ("pattern-constant", "It is there all the time"),
)

QUALITY = (
    Option("quality-aching", "Aching, dull or sore"),
    Option("quality-sharp", "Sharp or stabbing"),
    Option("quality-burning", "Burning"),
    Option("quality-shooting", "Shooting or electric"),
    Option("quality-tingling", "Pins and needles or tingling"),
    Option("quality-numb", "Numb"),
    Option("quality-stiff", "Stiff"),
    Option("quality-knot", "A tight, tender knot in a muscle", BACK | NECK | ARM | LEG | _regions("jaw-*")),
    Option("quality-throbbing", "Throbbing or pulsing"),
    Option("quality-pressure", "Pressure, squeezing or heaviness", HEART_AREAS | HEAD),
    Option("quality-cramping", "Cramping or spasm"),
    Option("quality-colicky", "It comes in waves", FLANK | BACK),
    Option("quality-tearing", "Tearing or ripping", CHEST | BACK),
)

SPREAD = (
    Option(
        "spread-below-knee",
        "Pain, tingling or numbness runs from your back or buttock to below the knee",
        BACK | LEG,
    ),
    Option(
        "spread-down-arm",
        "Pain, tingling or numbness runs from your neck or shoulder down your arm",
        NECK | ARM,
    ),
    Option("spread-to-groin", "Pain runs from your back or side into your groin", FLANK | BACK),
    Option("spread-band-chest", "Pain runs in a band around one side of your chest or body", CHEST | BACK),
)

BEHAVIOUR = (
    Option("worse-morning-stiffness", "Stiff for more than 30 minutes when you wake up", BACK | NECK | LIMBS),
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
    Option("with-cannot-use-arm", "You cannot lift or use the arm after an injury", ARM),
    Option("with-tight-limb", "The limb feels tight and the pain is far worse than the injury", LIMBS),
    Option("with-pop-at-injury", "You felt or heard a pop at the moment of injury", LIMBS),
    Option("with-locking-giving-way", "The joint locks, catches or gives way", LIMBS | _regions("jaw-*")),
    Option("with-urinary-symptoms", "Burning or needing to pee often", FLANK | BACK),
    Option("with-blood-in-urine", "Blood in your urine", FLANK | BACK),
    Option("with-stiff-neck", "A stiff neck when you bend your head forward", HEAD | NECK),
    Option("with-light-sensitivity", "Light or noise hurts, with a headache", HEAD),
    Option("with-aura", "Zigzags or spots in your sight before a headache", HEAD),
    Option("with-scalp-tenderness", "Your scalp is sore to touch", HEAD, min_age=50),
    Option("with-jaw-pain-chewing", "Your jaw aches when you chew and eases when you stop", HEAD, min_age=50),
    Option("with-faint", "Fainting, nearly fainting or light-headed", HEART_AREAS | BACK),
    Option("with-widespread-pain", "Pain in many places, above and below the waist, on both sides"),
    Option("with-fatigue-poor-sleep", "Tired, with sleep that does not refresh you"),
)

HISTORY = (
    Option("history-cancer", "You have had cancer", SPINE_OR_LEG),
    Option(
        "history-osteoporosis", "Thin bones (osteoporosis) or a past fracture from a small fall", BACK | LEG
    ),
    Option("history-steroids", "You have taken steroid tablets for months", BACK | NECK),
    Option("history-immunosuppressed", "A weak immune system (treatment, HIV, dialysis, transplant)"),
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
    Option("history-clot", "A past blood clot, or you take the pill or hormone therapy", LEG | CHEST),
    Option(
        "history-pregnant-postpartum", "Pregnant, or gave birth in the last year", HEAD | BACK | FLANK | CHEST
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

MAX_SAFETY = 8
MAX_OTHER = 10


def applicable(
    options: tuple[Option, ...], regions: frozenset[str], age: int | None, limit: int = 99
) -> list[Option]:
    return [option for option in options if option.applies(regions, age)][:limit]
