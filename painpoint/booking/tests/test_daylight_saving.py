"""The calendar across every daylight-saving change of 2025–2027, read from the database in four zones.

`test_slots.py` proves the slot arithmetic on its own; this proves the clinic's time zone reaches it, and that
a booking in a repeated hour is stored as the instant the visitor saw.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from painpoint.booking.calendar import Window, free_slots
from painpoint.booking.models import Location, Provider, VisitType, WeeklyHours
from painpoint.booking.slots import local_day_bounds
from painpoint.booking.tests.conftest import book
from painpoint.clinics.models import Clinic

pytestmark = pytest.mark.django_db
ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "America/Phoenix"]


def change_days(zone: str) -> list[date]:
    tz = ZoneInfo(zone)
    days = []
    day = date(2025, 1, 1)
    while day <= date(2027, 12, 31):
        start = datetime.combine(day, time(), tzinfo=tz)
        end = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz)
        if start.utcoffset() != end.utcoffset():
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.fixture
def night_clinic(db):
    """A provider open from midnight to 6 am every day, when the clocks change, for 30-minute visits."""
    provider = Provider.objects.create(name="Night Owl")
    location = Location.objects.create(name="Night clinic")
    for weekday in range(7):
        WeeklyHours.objects.create(
            provider=provider, location=location, weekday=weekday, start=time(0), end=time(6)
        )
    visit_type = VisitType.objects.create(name="Night visit", slug="night", duration_minutes=30)
    visit_type.providers.add(provider)
    return visit_type


@pytest.mark.parametrize("zone", ZONES)
def test_every_change_day_offers_each_wall_clock_time_once_and_none_that_does_not_exist(zone, night_clinic):
    clinic = Clinic.objects.current()
    clinic.time_zone = zone
    clinic.save()
    tz = ZoneInfo(zone)
    days = change_days(zone)
    assert len(days) == (0 if zone == "America/Phoenix" else 6)
    for day in days or [date(2026, 3, 8), date(2026, 11, 1)]:
        found = free_slots(night_clinic, Window(*local_day_bounds(day, tz)), clinic=clinic)
        walls = [slot.start.astimezone(tz).replace(tzinfo=None) for slot in found]
        assert len(walls) == len(set(walls)), (zone, day)
        for wall, slot in zip(walls, found, strict=True):
            # The wall time exists, and is its first occurrence.
            assert wall.replace(tzinfo=tz).astimezone(UTC) == slot.start, (zone, day, wall)
        hours = (local_day_bounds(day, tz)[1] - local_day_bounds(day, tz)[0]) / timedelta(hours=1)
        if hours == 23:  # spring forward: the skipped hour's two slots are gone
            assert len(found) == 10, (zone, day)
        elif hours == 25:  # fall back: the repeated hour is offered once, not twice
            assert len(found) == 12, (zone, day)
        else:
            assert len(found) == 12, (zone, day)


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Australia/Sydney"])
def test_a_booking_in_the_repeated_hour_is_the_first_of_the_two(zone, night_clinic):
    clinic = Clinic.objects.current()
    clinic.time_zone = zone
    clinic.minimum_notice_hours = 0
    clinic.booking_window_days = 5000
    clinic.save()
    tz = ZoneInfo(zone)
    autumn = next(
        day
        for day in change_days(zone)
        if day > date.today()
        and (local_day_bounds(day, tz)[1] - local_day_bounds(day, tz)[0]) > timedelta(hours=24)
    )
    found = free_slots(night_clinic, Window(*local_day_bounds(autumn, tz)), clinic=clinic)
    # The last slot before the change ends... find the one whose wall time is repeated later that night.
    repeated = next(
        slot
        for slot in found
        if slot.start.astimezone(tz).replace(tzinfo=None).replace(fold=1).replace(tzinfo=tz).utcoffset()
        != slot.start.astimezone(tz).utcoffset()
    )
    made = book(repeated, night_clinic)
    stored = made.appointments.get()
    assert stored.start == repeated.start
    assert stored.start.astimezone(tz).fold == 0
