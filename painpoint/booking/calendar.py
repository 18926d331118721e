"""Free slots for a visit type: the clinic's calendar read from the database and laid out by `slots.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from painpoint.booking import slots
from painpoint.booking.models import (
    Appointment,
    DateHours,
    Location,
    Provider,
    TimeOff,
    VisitType,
    WeeklyHours,
)
from painpoint.clinics.models import Clinic

# Slots start every half hour at most (every `duration` for shorter visits): finer steps would fill the
# calendar with awkward gaps, and patients choose from a shorter list.
MAX_STEP = timedelta(minutes=30)


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    end: datetime
    provider_id: int
    provider: str
    location_id: int
    location: str

    @property
    def key(self) -> str:
        """How a form names this slot: start, provider and location, safe to put in a form field."""
        return f"{self.start.strftime('%Y%m%dT%H%M')}-{self.provider_id}-{self.location_id}"

    def to_json(self, zone: object) -> dict[str, object]:
        return {
            "start": self.start.isoformat().replace("+00:00", "Z"),
            "end": self.end.isoformat().replace("+00:00", "Z"),
            "local_start": self.start.astimezone(zone).isoformat(),  # type: ignore[arg-type]
            "provider": {"id": self.provider_id, "name": self.provider},
            "location": {"id": self.location_id, "name": self.location},
        }


def parse_slot_key(value: str) -> tuple[datetime, int, int] | None:
    try:
        stamp, provider, location = value.split("-")
        start = datetime.strptime(stamp, "%Y%m%dT%H%M").replace(tzinfo=UTC)
        return start, int(provider), int(location)
    except ValueError:
        return None


@dataclass(frozen=True)
class Window:
    """When a visitor may book: from now plus the minimum notice to the end of the booking window."""

    start: datetime
    end: datetime

    @classmethod
    def for_visitors(cls, clinic: Clinic, now: datetime | None = None, same_day: bool = False) -> Window:
        now = now or timezone.now()
        start = now + timedelta(hours=clinic.minimum_notice_hours)
        if same_day:
            # "See a doctor today": today's slots only, on the clinic's wall clock.
            _, end = slots.local_day_bounds(now.astimezone(clinic.zone).date(), clinic.zone)
        else:
            end = now + timedelta(days=clinic.booking_window_days)
        return cls(start, max(start, end))

    def narrowed(self, start: datetime | None, end: datetime | None) -> Window:
        return Window(max(self.start, start or self.start), min(self.end, end or self.end))


def free_slots(
    visit_type: VisitType,
    window: Window,
    *,
    provider_id: int | None = None,
    location_id: int | None = None,
    ignore: Appointment | None = None,
    clinic: Clinic | None = None,
) -> list[Slot]:
    """Every free slot of `visit_type` in `window`, soonest first, one per provider and location."""
    if window.end <= window.start:
        return []
    clinic = clinic or Clinic.objects.current()
    zone = clinic.zone
    providers = visit_type.providers.filter(active=True)
    if provider_id is not None:
        providers = providers.filter(pk=provider_id)
    providers_by_id = {provider.pk: provider for provider in providers}
    if not providers_by_id:
        return []
    # A day either side of the window: local days and UTC days do not line up.
    first_day = window.start.astimezone(zone).date() - timedelta(days=1)
    last_day = window.end.astimezone(zone).date() + timedelta(days=1)
    hours = WeeklyHours.objects.filter(provider__in=providers_by_id, location__active=True)
    exceptions = DateHours.objects.filter(
        provider__in=providers_by_id, location__active=True, day__range=(first_day, last_day)
    )
    if location_id is not None:
        hours = hours.filter(location_id=location_id)
        exceptions = exceptions.filter(location_id=location_id)
    margin = timedelta(days=1)
    booked = Appointment.objects.filter(
        provider__in=providers_by_id,
        status=Appointment.BOOKED,
        start__lt=window.end + margin,
        end__gt=window.start - margin,
    )
    if ignore is not None:
        booked = booked.exclude(pk=ignore.pk)
    off = TimeOff.objects.filter(
        Q(provider__in=providers_by_id) | Q(provider__isnull=True),
        start__lt=window.end + margin,
        end__gt=window.start - margin,
    )

    weekly_by: dict[tuple[int, int], list[slots.WeeklyHours]] = {}
    for row in hours:
        weekly_by.setdefault((row.provider_id, row.location_id), []).append(
            slots.WeeklyHours(row.weekday, row.start, row.end)
        )
    exceptions_by: dict[tuple[int, int], list[slots.DateHours]] = {}
    for row in exceptions:
        exceptions_by.setdefault((row.provider_id, row.location_id), []).append(
            slots.DateHours(row.day, row.start, row.end)
        )
    busy_by: dict[int, list[tuple[datetime, datetime]]] = {pk: [] for pk in providers_by_id}
    for start, end, provider in booked.values_list("start", "end", "provider_id"):
        busy_by[provider].append((start, end))
    for start, end, provider in off.values_list("start", "end", "provider_id"):
        for pk in [provider] if provider else providers_by_id:
            busy_by[pk].append((start, end))

    locations = {
        location.pk: location
        for location in Location.objects.filter(
            pk__in={key[1] for key in (*weekly_by, *exceptions_by)}, active=True
        )
    }
    duration = visit_type.duration
    step = min(duration, MAX_STEP)
    found: list[Slot] = []
    for provider_pk, location_pk in sorted(set(weekly_by) | set(exceptions_by)):
        exceptions_here = exceptions_by.get((provider_pk, location_pk), [])
        # A date with different hours at another location closes this one that day only if it says so.
        starts = slots.free_slots(
            weekly=weekly_by.get((provider_pk, location_pk), []),
            exceptions=exceptions_here,
            busy=busy_by[provider_pk],
            tz=zone,
            duration=duration,
            step=step,
            window_start=window.start,
            window_end=window.end,
        )
        provider = providers_by_id[provider_pk]
        location = locations[location_pk]
        found.extend(
            Slot(start, start + duration, provider.pk, provider.name, location.pk, location.name)
            for start in starts
        )
    found.sort(key=lambda slot: (slot.start, slot.provider, slot.location))
    return found


def by_local_day(found: list[Slot], zone: object) -> list[tuple[date, list[Slot]]]:
    """Group slots by the clinic's local date, for a page that lists them day by day."""
    days: dict[date, list[Slot]] = {}
    for slot in found:
        days.setdefault(slot.start.astimezone(zone).date(), []).append(slot)  # type: ignore[arg-type]
    return list(days.items())


def provider_and_location(provider_id: int, location_id: int) -> tuple[Provider, Location] | None:
    provider = Provider.objects.filter(pk=provider_id, active=True).first()
    location = Location.objects.filter(pk=location_id, active=True).first()
    return (provider, location) if provider and location else None
