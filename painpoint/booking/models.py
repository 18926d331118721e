"""The clinic's calendar and the visitors' appointments and requests.

Times of day (opening hours) are wall-clock times in the clinic's time zone; instants (appointments, time off)
are stored in UTC. `docs/locking.md` explains how double booking is made impossible.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from painpoint.clinics.models import PHONE

# Appointments occupy the calendar in units of this many minutes: every start, and every length, is a whole
# number of units. One row per unit with a unique (provider, unit) pair lets the database itself refuse an
# overlap (docs/locking.md). All time zones in use are offset from UTC by multiples of 15 minutes, so a grid
# in UTC is the same grid on every clinic's wall clock.
UNIT_MINUTES = 5

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class Location(models.Model):
    name = models.CharField(max_length=120)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[PHONE])
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.name, self.street, self.city) if part)


class Provider(models.Model):
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=120, blank=True, help_text="e.g. 'Physical therapist, DPT'.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VisitType(models.Model):
    INSTANT = "instant"
    REQUEST = "request"
    MODES = [
        (INSTANT, "Visitors book a free slot themselves"),
        (REQUEST, "Visitors ask for a time; the front desk confirms"),
    ]

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    description = models.CharField(max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(UNIT_MINUTES), MaxValueValidator(8 * 60)]
    )
    mode = models.CharField(max_length=10, choices=MODES, default=INSTANT)
    treatment = models.ForeignKey(
        "knowledge.Treatment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_types",
        help_text="The service this visit is for, if it is one (e.g. massage therapy).",
    )
    providers = models.ManyToManyField(Provider, related_name="visit_types")
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.duration_minutes and self.duration_minutes % UNIT_MINUTES:
            raise ValidationError(
                {"duration_minutes": f"Give the length in steps of {UNIT_MINUTES} minutes, e.g. 30 or 45."}
            )

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def instant(self) -> bool:
        return self.mode == self.INSTANT


class WeeklyHours(models.Model):
    """A provider's regular hours at one location on one weekday (several per day for a lunch break)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="weekly_hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["provider", "weekday", "start"]
        verbose_name_plural = "weekly hours"

    def __str__(self) -> str:
        return f"{self.provider}: {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The end must be after the start."})


class DateHours(models.Model):
    """Different hours on one date, replacing the provider's weekly hours there; no times means closed."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="date_hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="date_hours")
    day = models.DateField()
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "start"]
        verbose_name = "hours on a date"
        verbose_name_plural = "hours on a date"

    def __str__(self) -> str:
        if self.start is None:
            return f"{self.provider}: closed on {self.day}"
        return f"{self.provider}: {self.day} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if (self.start is None) != (self.end is None):
            raise ValidationError("Give both a start and an end, or neither for a day off.")
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The end must be after the start."})


class TimeOff(models.Model):
    """Time nobody can book: one provider's leave, or the whole clinic's holiday when no provider is given."""

    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.CASCADE, related_name="time_off"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "time off"

    def __str__(self) -> str:
        return f"{self.provider or 'Whole clinic'}: {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The end must be after the start."})


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class Request(models.Model):
    """What a visitor sent: a booked appointment, a request for one, or a request for a call.

    It holds health information (the pain summary) and contact details: only staff with a role see it.
    """

    BOOKING = "booking"
    APPOINTMENT_REQUEST = "appointment-request"
    CALL_REQUEST = "call-request"
    MESSAGE = "message"
    KINDS = [
        (BOOKING, "Booked appointment"),
        (APPOINTMENT_REQUEST, "Appointment request"),
        (CALL_REQUEST, "Call request"),
        (MESSAGE, "Message"),
    ]
    NEW, CONTACTED, BOOKED, ATTENDED, CANCELLED, NO_SHOW = (
        "new",
        "contacted",
        "booked",
        "attended",
        "cancelled",
        "no-show",
    )
    STATUSES = [
        (NEW, "New"),
        (CONTACTED, "Contacted"),
        (BOOKED, "Booked"),
        (ATTENDED, "Attended"),
        (CANCELLED, "Cancelled"),
        (NO_SHOW, "No-show"),
    ]

    kind = models.CharField(max_length=20, choices=KINDS)
    status = models.CharField(max_length=12, choices=STATUSES, default=NEW)
    visit_type = models.ForeignKey(VisitType, null=True, blank=True, on_delete=models.PROTECT)
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=30, blank=True, validators=[PHONE])
    email = models.EmailField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, max_length=2000)
    preferred_times = models.TextField(blank=True, max_length=500)
    consent_at = models.DateTimeField()
    # The interview's answers and the result shown, as the contract's JSON, so staff see what the visitor saw.
    assessment = models.JSONField(null=True, blank=True)
    triage = models.CharField(max_length=12, blank=True)
    secret = models.CharField(max_length=40, default=new_secret, editable=False)
    purged = models.BooleanField(default=False, help_text="Anonymised past the retention period.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("export_request", "Can export a request (FHIR) and print its summary")]

    def __str__(self) -> str:
        # No name: this string shows up in admin messages and logs.
        return f"{self.get_kind_display()} #{self.pk}"


class Appointment(models.Model):
    """A slot in a provider's calendar, held by a request. Cancelled appointments stay, without units."""

    BOOKED, CANCELLED = "booked", "cancelled"

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="appointments")
    visit_type = models.ForeignKey(VisitType, on_delete=models.PROTECT)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="appointments")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    status = models.CharField(
        max_length=10, default=BOOKED, choices=[(BOOKED, "Booked"), (CANCELLED, "Cancelled")]
    )
    sequence = models.PositiveIntegerField(default=0, help_text="Calendar invitation revision.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="appointment_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"Appointment #{self.pk}"


class CalendarUnit(models.Model):
    """One UNIT_MINUTES stretch of a provider's time held by a booked appointment.

    The unique constraint is the guard against double booking: two appointments that overlap would need the
    same (provider, unit) row, and the database refuses the second, whatever the application did before.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE)
    unit = models.DateTimeField()
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="units")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "unit"], name="one_appointment_per_unit")]

    def __str__(self) -> str:
        return f"{self.provider_id} at {self.unit:%Y-%m-%d %H:%M}"


class IdempotencyKey(models.Model):
    """A submission's key, so a replayed request returns the first answer instead of booking twice."""

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the submitted body.")
    request = models.ForeignKey(Request, null=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.key


def units(start: datetime, end: datetime) -> list[datetime]:
    """The calendar units from `start` up to `end` (both on the unit grid)."""
    step = timedelta(minutes=UNIT_MINUTES)
    found = []
    moment = start
    while moment < end:
        found.append(moment)
        moment += step
    return found


def on_grid(moment: datetime) -> bool:
    return moment.second == 0 and moment.microsecond == 0 and moment.minute % UNIT_MINUTES == 0
