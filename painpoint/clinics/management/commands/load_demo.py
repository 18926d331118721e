from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from painpoint.clinics.models import Clinic
from painpoint.knowledge.models import Treatment

DEMO_CLINIC = {
    "name": "Riverside Spine & Pain Center",
    "tagline": "Spine care, pain relief and rehabilitation under one roof",
    "phone": "(555) 010-2040",
    "emergency_number": "911",
    "email": "frontdesk@riverside-spine.example",
    "street": "120 Harbor Street, Suite 300",
    "city": "Springfield",
    "state": "OR",
    "postal_code": "97477",
    "country": "US",
    "hours": "Monday to Friday: 8 am to 6 pm\nSaturday: 9 am to 1 pm\nSunday: closed",
    "website": "",
    "primary_colour": "#1f5f8b",
    "accent_colour": "#2e7d6b",
    "time_zone": "America/Los_Angeles",
}

DEMO_SERVICES = [
    "physical-therapy",
    "exercise-therapy",
    "massage-therapy",
    "acupuncture",
    "dry-needling",
    "chiropractic-care",
    "trigger-point-injections",
    "epidural-steroid-injections",
    "facet-and-medial-branch-blocks",
    "radiofrequency-ablation",
    "nerve-blocks",
    "spinal-cord-stimulation",
]


class Command(BaseCommand):
    help = "Set up the demo clinic profile (safe to run again: it updates the one profile in place)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        clinic = Clinic.objects.order_by("pk").first()
        if clinic is None:
            clinic = Clinic.objects.create(**DEMO_CLINIC)
            self.stdout.write(f"Created the demo clinic profile: {clinic.name}")
        else:
            for key, value in DEMO_CLINIC.items():
                setattr(clinic, key, value)
            clinic.save()
            self.stdout.write(f"Updated the clinic profile to the demo values: {clinic.name}")
        services = list(Treatment.objects.filter(slug__in=DEMO_SERVICES))
        clinic.offered_treatments.set(services)
        from painpoint.booking.demo import load_demo_calendar

        self.stdout.write(load_demo_calendar())
        if len(services) < len(DEMO_SERVICES):
            self.stdout.write(
                f"{len(services)} of {len(DEMO_SERVICES)} demo services found: "
                "run `painpoint load_content` first."
            )
