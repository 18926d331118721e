"""Bookable slot start instants from opening hours, date exceptions and busy time.

Pure Python: no Django, no I/O. Opening hours are wall-clock times in the clinic's IANA zone; every instant
going in or out is an aware datetime, and every instant coming out is in UTC.

How daylight saving is handled:

- Slots are laid out on the local wall clock, from each opening range's start in ``step`` increments, so a
  clinic that opens at 08:00 offers 08:00, 08:30, ... on every day of the year.
- A wall time that does not exist (the spring-forward gap) gives no slot.
- A wall time that occurs twice (the fall-back repeated hour) gives one slot, at its first occurrence
  (``fold=0``). Offering the second occurrence too would show a patient the same clock time twice.
- A slot lasts ``duration`` of real elapsed time from its UTC start, and must end by the range's end instant.
- A range's end (and a day's midnight) is resolved to the first instant at which the local clock reads that
  wall time or later. For an ordinary time that is the time itself; for a repeated time it is the first
  occurrence; for a time inside a gap it is the instant of the jump, because the clock never shows, say,
  02:30 and is already past it at 03:00. So "open until 02:30" on a spring-forward day closes at the jump,
  never later than the clock says.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

__all__ = [
    "DateHours",
    "WeeklyHours",
    "free_slots",
    "local_day_bounds",
    "overlaps",
]


@dataclass(frozen=True)
class WeeklyHours:
    """A regular opening on one weekday (0 is Monday), from ``start`` to ``end`` local time."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        _check_range(self.start, self.end)


@dataclass(frozen=True)
class DateHours:
    """An exception for one date that replaces that date's weekly hours.

    ``start`` and ``end`` both None close the whole day; several entries for one date give several ranges.
    """

    day: date
    start: time | None = None
    end: time | None = None

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise ValueError(f"{self.day}: give both start and end, or neither to close the day")
        if self.start is not None and self.end is not None:
            _check_range(self.start, self.end)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Return whether half-open intervals [a_start, a_end) and [b_start, b_end) share an instant."""
    return a_start < b_end and b_start < a_end


def local_day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Return the UTC instants of ``day``'s local midnight and the next day's local midnight."""
    return _first_instant_at(datetime.combine(day, time()), tz), _first_instant_at(
        datetime.combine(day + timedelta(days=1), time()), tz
    )


def free_slots(
    *,
    weekly: Iterable[WeeklyHours],
    exceptions: Iterable[DateHours] = (),
    busy: Iterable[tuple[datetime, datetime]] = (),
    tz: tzinfo,
    duration: timedelta,
    step: timedelta | None = None,
    window_start: datetime,
    window_end: datetime,
) -> list[datetime]:
    """Return the sorted UTC start instants of free slots that start in [window_start, window_end).

    ``window_start`` is where "now plus minimum notice" goes and ``window_end`` the end of the booking window.
    ``step`` defaults to ``duration``.
    """
    step = duration if step is None else step
    if duration <= timedelta(0):
        raise ValueError(f"duration must be positive, not {duration}")
    if step <= timedelta(0):
        raise ValueError(f"step must be positive, not {step}")
    window_start = _as_utc(window_start, "window_start")
    window_end = _as_utc(window_end, "window_end")
    if window_end <= window_start:
        raise ValueError(f"window_end ({window_end}) must be after window_start ({window_start})")

    by_weekday: dict[int, list[tuple[time, time]]] = {}
    for hours in weekly:
        by_weekday.setdefault(hours.weekday, []).append((hours.start, hours.end))
    by_date: dict[date, list[tuple[time, time]]] = {}
    for exception in exceptions:
        ranges = by_date.setdefault(exception.day, [])
        if exception.start is not None and exception.end is not None:
            ranges.append((exception.start, exception.end))
    taken = _merge(busy)
    taken_starts = [start for start, _ in taken]

    found: set[datetime] = set()
    # A day either side, because a local date and the UTC date of the same instant can differ.
    day = window_start.astimezone(tz).date() - timedelta(days=1)
    last_day = window_end.astimezone(tz).date() + timedelta(days=1)
    while day <= last_day:
        ranges = by_date[day] if day in by_date else by_weekday.get(day.weekday(), [])
        for start, end in ranges:
            for slot in _range_slots(day, start, end, tz, duration, step):
                if not window_start <= slot < window_end:
                    continue
                # Busy intervals are merged and disjoint, so only the last one starting before the slot ends
                # can overlap it.
                i = bisect.bisect_left(taken_starts, slot + duration)
                if i and taken[i - 1][1] > slot:
                    continue
                found.add(slot)
        day += timedelta(days=1)
    return sorted(found)


def _range_slots(
    day: date, start: time, end: time, tz: tzinfo, duration: timedelta, step: timedelta
) -> list[datetime]:
    """Return the UTC starts of every slot laid out in one opening range, ignoring busy time."""
    wall = datetime.combine(day, start)
    end_wall = datetime.combine(day, end)
    closes = _first_instant_at(end_wall, tz)
    slots = []
    while wall < end_wall:
        instant = _existing_instant(wall, tz)
        if instant is not None and instant + duration <= closes:
            slots.append(instant)
        wall += step
    return slots


def _existing_instant(wall: datetime, tz: tzinfo) -> datetime | None:
    """Return the UTC instant of the first occurrence of naive local ``wall``, or None if it is skipped."""
    instant = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    # zoneinfo maps a skipped wall time to some instant anyway; only a round trip shows it does not exist.
    if instant.astimezone(tz).replace(tzinfo=None) != wall:
        return None
    return instant


def _first_instant_at(wall: datetime, tz: tzinfo) -> datetime:
    """Return the first UTC instant at which the local clock reads naive ``wall`` or later."""
    instant = _existing_instant(wall, tz)
    if instant is not None:
        return instant
    # ``wall`` is in a gap. With fold=1 it maps to an instant before the jump and with fold=0 to one after it
    # (PEP 495), so bisect between them for the jump itself, to the microsecond.
    before = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    after = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if before > after:
        before, after = after, before
    low, high = 0, (after - before) // timedelta(microseconds=1)
    while high - low > 1:
        middle = (low + high) // 2
        if (before + timedelta(microseconds=middle)).astimezone(tz).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return before + timedelta(microseconds=high)


def _merge(busy: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Return busy intervals in UTC, sorted, with overlapping or touching ones joined."""
    intervals = sorted((_as_utc(start, "busy start"), _as_utc(end, "busy end")) for start, end in busy)
    merged: list[tuple[datetime, datetime]] = []
    for start, end in intervals:
        if end <= start:
            raise ValueError(f"busy interval ends ({end}) at or before it starts ({start})")
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _as_utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not naive ({value})")
    return value.astimezone(UTC)


def _check_range(start: time, end: time) -> None:
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError("opening hours are local wall-clock times: give them without tzinfo")
    if end <= start:
        raise ValueError(f"opening ends ({end}) at or before it starts ({start})")
