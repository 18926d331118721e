"""The demo clinic's calendar: a location, five providers, their visit types and weekly hours.

Used by `painpoint load_demo`, so a fresh site has bookable slots in the coming weeks. Safe to run again: it
updates what it made before, found by name and slug, and leaves everything else alone.
"""

from __future__ import annotations

from datetime import time

from painpoint.booking.models import Location, Provider, VisitType, WeeklyHours
from painpoint.knowledge.models import Treatment

LOCATION = {
    "name": "Riverside Spine & Pain Center",
    "street": "120 Harbor Street, Suite 300",
    "city": "Springfield, OR",
}

PROVIDERS = {
    "Dr. Maria Lopez": "Physical medicine and rehabilitation, MD",
    "Dr. Ben Holt": "Chiropractor, DC",
    "James Carter": "Physical therapist, DPT",
    "Aiko Tanaka": "Acupuncturist, LAc",
    "Sam Patel": "Massage therapist, LMT",
}

# slug: (name, minutes, mode, treatment slug, providers, description)
VISIT_TYPES = {
    "new-patient": (
        "New-patient consultation",
        45,
        VisitType.INSTANT,
        None,
        ["Dr. Maria Lopez", "Dr. Ben Holt"],
        "A first visit: we listen, examine you and plan your care.",
    ),
    "follow-up": ("Follow-up visit", 30, VisitType.INSTANT, None, ["Dr. Maria Lopez", "Dr. Ben Holt"], ""),
    "physical-therapy": (
        "Physical therapy",
        45,
        VisitType.INSTANT,
        "physical-therapy",
        ["James Carter"],
        "Exercises and hands-on treatment to move better.",
    ),
    "massage-therapy": (
        "Massage therapy",
        60,
        VisitType.INSTANT,
        "massage-therapy",
        ["Sam Patel"],
        "Therapeutic massage for tight, sore muscles.",
    ),
    "acupuncture": ("Acupuncture", 45, VisitType.INSTANT, "acupuncture", ["Aiko Tanaka"], ""),
    "chiropractic-care": (
        "Chiropractic care",
        30,
        VisitType.INSTANT,
        "chiropractic-care",
        ["Dr. Ben Holt"],
        "",
    ),
    "injection-consultation": (
        "Injection consultation",
        30,
        VisitType.REQUEST,
        "epidural-steroid-injections",
        ["Dr. Maria Lopez"],
        "To talk about whether an injection could help. The front desk confirms the time.",
    ),
}

WEEKDAYS_MORNING_AFTERNOON = [(day, time(8), time(12)) for day in range(5)] + [
    (day, time(13), time(17, 30)) for day in range(5)
]
SATURDAY = [(5, time(9), time(13))]
HOURS = {
    "Dr. Maria Lopez": WEEKDAYS_MORNING_AFTERNOON,
    "Dr. Ben Holt": WEEKDAYS_MORNING_AFTERNOON + SATURDAY,
    "James Carter": WEEKDAYS_MORNING_AFTERNOON + SATURDAY,
    "Aiko Tanaka": [(day, time(10), time(18)) for day in (1, 3, 4)],
    "Sam Patel": [(day, time(9), time(17)) for day in range(1, 6)],
}


def load_demo_calendar() -> str:
    location, _ = Location.objects.update_or_create(name=LOCATION["name"], defaults=LOCATION)
    providers = {}
    for name, title in PROVIDERS.items():
        providers[name], _ = Provider.objects.update_or_create(
            name=name, defaults={"title": title, "active": True}
        )
    treatments = {t.slug: t for t in Treatment.objects.all()}
    for order, (slug, (name, minutes, mode, treatment, who, description)) in enumerate(VISIT_TYPES.items()):
        visit_type, _ = VisitType.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "duration_minutes": minutes,
                "mode": mode,
                "treatment": treatments.get(treatment) if treatment else None,
                "description": description,
                "order": order,
                "active": True,
            },
        )
        visit_type.providers.set([providers[name] for name in who])
    for name, rows in HOURS.items():
        provider = providers[name]
        WeeklyHours.objects.filter(provider=provider, location=location).delete()
        WeeklyHours.objects.bulk_create(
            WeeklyHours(provider=provider, location=location, weekday=day, start=start, end=end)
            for day, start, end in rows
        )
    return f"Demo calendar: {len(PROVIDERS)} providers, {len(VISIT_TYPES)} visit types at {location.name}"
