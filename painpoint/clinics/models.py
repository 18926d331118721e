"""The clinic that runs this site: its details, colours and the services it offers.

One site serves one clinic; a host running many clinics runs one site (and database) per clinic.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give the colour as # and six hex digits, e.g. #1f5f8b.")
PHONE = RegexValidator(
    r"^\+?[0-9 ()\-.]{3,25}$", "Give a phone number with digits, spaces, dashes, dots or brackets only."
)


def valid_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"'{value}' is not a time zone name; use one like America/Chicago.") from None


class ClinicQuerySet(models.QuerySet):
    def current(self) -> Clinic:
        """Return the clinic profile, or an unsaved placeholder before one is set up."""
        clinic = self.order_by("pk").first()
        return clinic or Clinic(name="Your clinic", phone="", emergency_number="911")


class Clinic(models.Model):
    name = models.CharField(max_length=120)
    tagline = models.CharField(max_length=200, blank=True)
    phone = models.CharField(
        max_length=30, validators=[PHONE], help_text="Shown as tap-to-call on every page."
    )
    emergency_number = models.CharField(max_length=10, default="911", validators=[PHONE])
    email = models.EmailField(blank=True)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=60, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="Two-letter country code.")
    hours = models.TextField(blank=True, help_text="One line per day or range, e.g. 'Mon–Fri 8am–6pm'.")
    website = models.URLField(blank=True)
    primary_colour = models.CharField(max_length=7, default="#1f5f8b", validators=[HEX_COLOUR])
    accent_colour = models.CharField(max_length=7, default="#2e7d6b", validators=[HEX_COLOUR])
    logo = models.BinaryField(blank=True, null=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    offered_treatments = models.ManyToManyField(
        "knowledge.Treatment",
        blank=True,
        related_name="offered_by",
        help_text="Services this clinic offers; pages and results put these first.",
    )
    time_zone = models.CharField(
        max_length=60,
        default="America/New_York",
        validators=[valid_time_zone],
        help_text="The clinic's IANA time zone, e.g. America/Chicago. Opening hours are in this zone.",
    )
    booking_window_days = models.PositiveSmallIntegerField(
        default=60, help_text="How many days ahead visitors may book."
    )
    minimum_notice_hours = models.PositiveSmallIntegerField(
        default=2, help_text="The soonest a visitor may book a slot, in hours from now."
    )
    cancel_notice_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Visitors may cancel or move a visit online up to this many hours before it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicQuerySet.as_manager()

    class Meta:
        verbose_name = "clinic profile"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.pk is None and Clinic.objects.exists():
            raise ValidationError("This site already has a clinic profile; edit that one.")

    def offers(self, treatment: object) -> bool:
        if self.pk is None:
            return False
        return self.offered_treatments.filter(pk=getattr(treatment, "pk", None)).exists()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def phone_href(self) -> str:
        return "tel:" + re.sub(r"[^0-9+]", "", self.phone)

    @property
    def emergency_href(self) -> str:
        return "tel:" + re.sub(r"[^0-9+]", "", self.emergency_number)

    @property
    def hours_lines(self) -> list[str]:
        return [line.strip() for line in self.hours.splitlines() if line.strip()]

    @property
    def address_lines(self) -> list[str]:
        locality = " ".join(
            part for part in (f"{self.city}," if self.city else "", self.state, self.postal_code) if part
        )
        return [line for line in (self.street, locality.strip(" ,")) if line]

    @property
    def logo_url(self) -> str:
        return reverse("clinics:logo") + f"?v={int(self.updated_at.timestamp())}" if self.logo else ""
