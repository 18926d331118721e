"""Slot computation: opening hours, exceptions, busy time, booking window and daylight saving."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painpoint.booking.slots import DateHours, WeeklyHours, free_slots, local_day_bounds, overlaps

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
PHOENIX = ZoneInfo("America/Phoenix")
ZONES = [NEW_YORK, BERLIN, SYDNEY, PHOENIX]
YEARS = [2025, 2026, 2027]
MINUTES = timedelta(minutes=1)

# Monday to Friday, with a lunch break.
WORKWEEK = [WeeklyHours(d, time(9), time(12)) for d in range(5)] + [
    WeeklyHours(d, time(13), time(17)) for d in range(5)
]


def at(tz, *args):
    """Return the UTC instant of a local wall time's first occurrence."""
    return datetime(*args, tzinfo=tz).astimezone(UTC)


def slots_on(day, tz, start, end, minutes=30, step=None, **kwargs):
    """Return one opening range's slots on ``day``, with the whole local day as the window."""
    window_start, window_end = local_day_bounds(day, tz)
    kwargs.setdefault("window_start", window_start)
    kwargs.setdefault("window_end", window_end)
    return free_slots(
        weekly=[WeeklyHours(day.weekday(), start, end)],
        tz=tz,
        duration=timedelta(minutes=minutes),
        step=None if step is None else timedelta(minutes=step),
        **kwargs,
    )


def local(slots, tz):
    return [s.astimezone(tz).strftime("%H:%M") for s in slots]


# -- an oracle that only ever converts UTC to local time, the direction that has no gaps and no folds --


def clock_first_reads(wall, tz):
    """Scan minute by minute for the first UTC instant whose local clock shows ``wall`` or later."""
    instant = wall.replace(tzinfo=UTC) - timedelta(hours=15)
    while instant.astimezone(tz).replace(tzinfo=None) < wall:
        instant += MINUTES
    return instant


def expected_slots(day, tz, start, end, duration, step):
    start_wall, end_wall = datetime.combine(day, start), datetime.combine(day, end)
    closes = clock_first_reads(end_wall, tz)
    expected, seen = [], set()
    instant = clock_first_reads(start_wall, tz)
    while instant < closes:
        wall = instant.astimezone(tz).replace(tzinfo=None)
        on_the_grid = (wall - start_wall) % step == timedelta(0)
        if (
            start_wall <= wall < end_wall
            and on_the_grid
            and wall not in seen
            and instant + duration <= closes
        ):
            expected.append(instant)
        seen.add(wall)
        instant += MINUTES
    return expected


def transition_days(tz, year):
    days, day = [], date(year, 1, 1)
    while day.year == year:
        midnight = datetime.combine(day, time(), tzinfo=tz)
        if midnight.utcoffset() != (midnight + timedelta(days=1)).utcoffset():
            days.append(day)
        day += timedelta(days=1)
    return days


DST_ZONES = [NEW_YORK, BERLIN, SYDNEY]
TRANSITIONS = [(tz, day) for tz in DST_ZONES for year in YEARS for day in transition_days(tz, year)]
OPENINGS = {
    "night, 30-minute slots": (time(0), time(6), 30, 30),
    "office hours, hour-long slots every half hour": (time(8), time(18), 60, 30),
    "across the change, 45-minute slots every 15 minutes": (time(1), time(4), 45, 15),
    "nearly all day, 90-minute slots": (time(0), time(23, 59), 90, 90),
}


# -- an ordinary week --


def test_a_workweek_offers_mornings_and_afternoons_but_not_lunch_or_the_weekend():
    slots = free_slots(
        weekly=WORKWEEK,
        tz=BERLIN,
        duration=timedelta(minutes=30),
        window_start=at(BERLIN, 2026, 1, 12),
        window_end=at(BERLIN, 2026, 1, 19),
    )
    assert len(slots) == 5 * (6 + 8)
    assert all(s.tzinfo is UTC for s in slots)
    walls = [s.astimezone(BERLIN) for s in slots]
    assert {w.weekday() for w in walls} == {0, 1, 2, 3, 4}
    assert not [w for w in walls if time(11, 31) <= w.time() < time(13)]
    assert local(slots[:7], BERLIN) == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "13:00"]
    assert slots[0] == datetime(2026, 1, 12, 8, tzinfo=UTC)


def test_the_last_slot_before_lunch_ends_when_the_morning_ends():
    slots = slots_on(date(2026, 1, 12), BERLIN, time(9), time(12), minutes=45, step=15)
    assert local(slots, BERLIN)[-1] == "11:15"
    assert len(slots) == 10


def test_step_defaults_to_the_duration():
    assert local(slots_on(date(2026, 1, 12), BERLIN, time(9), time(11), minutes=40), BERLIN) == [
        "09:00",
        "09:40",
        "10:20",
    ]


def test_overlapping_weekly_ranges_offer_each_instant_once():
    slots = free_slots(
        weekly=[WeeklyHours(0, time(9), time(11)), WeeklyHours(0, time(10), time(12))],
        tz=BERLIN,
        duration=timedelta(hours=1),
        window_start=at(BERLIN, 2026, 1, 12),
        window_end=at(BERLIN, 2026, 1, 13),
    )
    assert local(slots, BERLIN) == ["09:00", "10:00", "11:00"]


# -- date exceptions --


def test_a_closing_exception_removes_the_whole_day():
    slots = free_slots(
        weekly=WORKWEEK,
        exceptions=[DateHours(date(2026, 1, 13))],
        tz=BERLIN,
        duration=timedelta(minutes=30),
        window_start=at(BERLIN, 2026, 1, 12),
        window_end=at(BERLIN, 2026, 1, 15),
    )
    assert {s.astimezone(BERLIN).date() for s in slots} == {date(2026, 1, 12), date(2026, 1, 14)}


def test_an_exception_opens_a_day_the_week_has_closed():
    saturday = date(2026, 1, 17)
    slots = free_slots(
        weekly=WORKWEEK,
        exceptions=[DateHours(saturday, time(10), time(11))],
        tz=BERLIN,
        duration=timedelta(minutes=30),
        window_start=at(BERLIN, 2026, 1, 17),
        window_end=at(BERLIN, 2026, 1, 18),
    )
    assert local(slots, BERLIN) == ["10:00", "10:30"]


def test_several_exceptions_for_one_date_replace_its_weekly_hours():
    slots = free_slots(
        weekly=WORKWEEK,
        exceptions=[
            DateHours(date(2026, 1, 12), time(8), time(9)),
            DateHours(date(2026, 1, 12), time(18), time(19)),
        ],
        tz=BERLIN,
        duration=timedelta(minutes=30),
        window_start=at(BERLIN, 2026, 1, 12),
        window_end=at(BERLIN, 2026, 1, 13),
    )
    assert local(slots, BERLIN) == ["08:00", "08:30", "18:00", "18:30"]


# -- busy time --


def test_a_busy_interval_that_only_touches_a_slot_does_not_block_it():
    day = date(2026, 1, 12)
    slots = slots_on(
        day, BERLIN, time(9), time(12), busy=[(at(BERLIN, 2026, 1, 12, 10), at(BERLIN, 2026, 1, 12, 10, 30))]
    )
    assert local(slots, BERLIN) == ["09:00", "09:30", "10:30", "11:00", "11:30"]


def test_a_busy_interval_straddling_two_slots_blocks_both():
    day = date(2026, 1, 12)
    busy = [(at(BERLIN, 2026, 1, 12, 10, 15), at(BERLIN, 2026, 1, 12, 10, 45))]
    assert local(slots_on(day, BERLIN, time(9), time(12), busy=busy), BERLIN) == [
        "09:00",
        "09:30",
        "11:00",
        "11:30",
    ]


def test_busy_time_may_be_given_in_any_zone_and_in_any_order():
    day = date(2026, 1, 12)
    busy = [
        (
            datetime(2026, 1, 12, 5, 30, tzinfo=NEW_YORK),
            datetime(2026, 1, 12, 6, tzinfo=NEW_YORK),
        ),  # 11:30 Berlin
        (datetime(2026, 1, 12, 8, tzinfo=UTC), datetime(2026, 1, 12, 8, 1, tzinfo=UTC)),  # 09:00 Berlin
    ]
    assert local(slots_on(day, BERLIN, time(9), time(12), busy=busy), BERLIN) == [
        "09:30",
        "10:00",
        "10:30",
        "11:00",
    ]


def test_time_off_covering_the_day_leaves_nothing():
    day = date(2026, 1, 12)
    busy = [local_day_bounds(day, BERLIN)]
    assert slots_on(day, BERLIN, time(9), time(17), busy=busy) == []


@pytest.mark.parametrize(
    ("b_start", "b_end", "expected"),
    [(0, 10, False), (10, 20, True), (9, 11, True), (20, 30, False), (15, 16, True), (5, 25, True)],
)
def test_overlaps_treats_intervals_as_half_open(b_start, b_end, expected):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    a = (base + 10 * MINUTES, base + 20 * MINUTES)
    assert overlaps(*a, base + b_start * MINUTES, base + b_end * MINUTES) is expected
    assert overlaps(base + b_start * MINUTES, base + b_end * MINUTES, *a) is expected


# -- the booking window --


def test_minimum_notice_moves_the_first_offered_slot():
    now = at(BERLIN, 2026, 1, 12, 9, 10)
    slots = slots_on(date(2026, 1, 12), BERLIN, time(9), time(17), window_start=now + timedelta(hours=2))
    assert local(slots, BERLIN)[0] == "11:30"


def test_a_slot_starting_exactly_at_the_window_start_is_offered_and_one_at_the_window_end_is_not():
    slots = slots_on(
        date(2026, 1, 12),
        BERLIN,
        time(9),
        time(17),
        window_start=at(BERLIN, 2026, 1, 12, 10),
        window_end=at(BERLIN, 2026, 1, 12, 11),
    )
    assert local(slots, BERLIN) == ["10:00", "10:30"]


def test_the_window_spans_local_days_whatever_the_utc_date():
    # Sydney mornings are the previous UTC day, so a window given in UTC still needs the next local day.
    slots = free_slots(
        weekly=[WeeklyHours(0, time(8), time(9))],
        tz=SYDNEY,
        duration=timedelta(hours=1),
        window_start=datetime(2026, 7, 12, 21, tzinfo=UTC),
        window_end=datetime(2026, 7, 12, 23, tzinfo=UTC),
    )
    assert slots == [datetime(2026, 7, 12, 22, tzinfo=UTC)]


# -- bad input --


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"window_start": datetime(2026, 1, 12)}, "window_start must be timezone-aware"),
        ({"window_end": datetime(2026, 1, 13)}, "window_end must be timezone-aware"),
        ({"window_end": datetime(2026, 1, 11, tzinfo=UTC)}, "must be after window_start"),
        ({"duration": timedelta(0)}, "duration must be positive"),
        ({"step": timedelta(minutes=-5)}, "step must be positive"),
        (
            {"busy": [(datetime(2026, 1, 12, 9), datetime(2026, 1, 12, 10))]},
            "busy start must be timezone-aware",
        ),
        (
            {"busy": [(datetime(2026, 1, 12, 10, tzinfo=UTC), datetime(2026, 1, 12, 10, tzinfo=UTC))]},
            "at or before it starts",
        ),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(change, message):
    arguments = {
        "weekly": WORKWEEK,
        "tz": BERLIN,
        "duration": timedelta(minutes=30),
        "window_start": datetime(2026, 1, 12, tzinfo=UTC),
        "window_end": datetime(2026, 1, 13, tzinfo=UTC),
    } | change
    with pytest.raises(ValueError, match=message):
        free_slots(**arguments)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: WeeklyHours(7, time(9), time(10)), "weekday must be 0"),
        (lambda: WeeklyHours(0, time(10), time(9)), "at or before it starts"),
        (lambda: WeeklyHours(0, time(9), time(9)), "at or before it starts"),
        (lambda: WeeklyHours(0, time(9, tzinfo=UTC), time(10, tzinfo=UTC)), "without tzinfo"),
        (lambda: DateHours(date(2026, 1, 1), time(9), None), "both start and end"),
        (lambda: DateHours(date(2026, 1, 1), time(12), time(9)), "at or before it starts"),
    ],
)
def test_bad_opening_hours_are_refused_with_a_clear_message(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# -- daylight saving, by hand --


def test_no_slot_starts_in_the_skipped_spring_forward_hour():
    slots = slots_on(date(2025, 3, 9), NEW_YORK, time(1), time(4))
    assert local(slots, NEW_YORK) == ["01:00", "01:30", "03:00", "03:30"]
    assert slots == [datetime(2025, 3, 9, h, m, tzinfo=UTC) for h, m in [(6, 0), (6, 30), (7, 0), (7, 30)]]


def test_the_repeated_fall_back_hour_is_offered_once_at_its_first_occurrence():
    slots = slots_on(date(2025, 11, 2), NEW_YORK, time(0), time(3))
    assert local(slots, NEW_YORK) == ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"]
    assert [s.astimezone(NEW_YORK).fold for s in slots] == [0] * 6
    hours = [(4, 0), (4, 30), (5, 0), (5, 30), (7, 0), (7, 30)]
    assert slots == [datetime(2025, 11, 2, h, m, tzinfo=UTC) for h, m in hours]


def test_sydney_spring_forward_skips_two_oclock_on_the_previous_utc_day():
    slots = slots_on(date(2025, 10, 5), SYDNEY, time(1), time(4))
    assert local(slots, SYDNEY) == ["01:00", "01:30", "03:00", "03:30"]
    assert slots == [
        datetime(2025, 10, 4, h, m, tzinfo=UTC) for h, m in [(15, 0), (15, 30), (16, 0), (16, 30)]
    ]


def test_an_opening_that_ends_inside_the_gap_closes_at_the_jump():
    slots = slots_on(date(2025, 3, 9), NEW_YORK, time(0), time(2, 30), minutes=60)
    assert local(slots, NEW_YORK) == ["00:00", "01:00"]
    assert slots[-1] + timedelta(hours=1) == datetime(2025, 3, 9, 7, tzinfo=UTC)
    assert local(slots_on(date(2025, 3, 9), NEW_YORK, time(0), time(2, 30), minutes=90), NEW_YORK) == [
        "00:00"
    ]


def test_an_opening_that_starts_inside_the_gap_begins_after_the_jump():
    slots = slots_on(date(2025, 3, 9), NEW_YORK, time(2), time(5))
    assert local(slots, NEW_YORK) == ["03:00", "03:30", "04:00", "04:30"]


def test_an_opening_that_ends_in_the_repeated_hour_closes_at_its_first_occurrence():
    slots = slots_on(date(2025, 11, 2), NEW_YORK, time(0), time(1, 30))
    assert local(slots, NEW_YORK) == ["00:00", "00:30", "01:00"]


def test_a_slot_lasts_real_elapsed_time_across_the_repeated_hour():
    # 00:00 EDT plus two hours is 01:00 EST and 01:00 EDT plus two hours is 02:00 EST, both before 03:00 EST;
    # 02:00 EST plus two hours would pass it.
    slots = slots_on(date(2025, 11, 2), NEW_YORK, time(0), time(3), minutes=120, step=60)
    assert slots == [datetime(2025, 11, 2, 4, tzinfo=UTC), datetime(2025, 11, 2, 5, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        (NEW_YORK, date(2025, 3, 9), 23),
        (NEW_YORK, date(2025, 11, 2), 25),
        (NEW_YORK, date(2025, 11, 3), 24),
        (SYDNEY, date(2026, 4, 5), 25),
        (PHOENIX, date(2025, 3, 9), 24),
        # Chile springs forward at midnight, so this day starts at 01:00.
        (ZoneInfo("America/Santiago"), date(2025, 9, 7), 23),
    ],
)
def test_local_day_bounds_span_the_day_length_on_the_clock(tz, day, hours):
    start, end = local_day_bounds(day, tz)
    assert end - start == timedelta(hours=hours)
    assert start.tzinfo is UTC
    assert start == clock_first_reads(datetime.combine(day, time()), tz)


# -- daylight saving, every transition of 2025 to 2027 --


@pytest.mark.parametrize("tz", DST_ZONES, ids=str)
@pytest.mark.parametrize("year", YEARS)
def test_each_zone_with_daylight_saving_changes_twice_a_year(tz, year):
    assert len(transition_days(tz, year)) == 2


@pytest.mark.parametrize("year", YEARS)
def test_phoenix_never_changes(year):
    assert transition_days(PHOENIX, year) == []


@pytest.mark.parametrize("opening", OPENINGS.values(), ids=OPENINGS.keys())
@pytest.mark.parametrize(("tz", "day"), TRANSITIONS, ids=[f"{tz}-{day}" for tz, day in TRANSITIONS])
def test_slots_on_a_transition_day_are_offered_once_and_only_where_the_clock_shows_them(tz, day, opening):
    start, end, minutes, step = opening
    duration = timedelta(minutes=minutes)
    slots = slots_on(day, tz, start, end, minutes=minutes, step=step)

    assert slots == expected_slots(day, tz, start, end, duration, timedelta(minutes=step))
    assert slots == sorted(set(slots))
    walls = [s.astimezone(tz).replace(tzinfo=None) for s in slots]
    assert len(set(walls)) == len(walls), "a wall-clock time is offered twice"
    for slot, wall in zip(slots, walls, strict=True):
        assert wall.replace(tzinfo=tz).astimezone(UTC) == slot, "the wall time does not round-trip"
        assert slot.astimezone(tz).fold == 0
        assert datetime.combine(day, start) <= wall < datetime.combine(day, end)
        assert slot + duration <= clock_first_reads(datetime.combine(day, end), tz)


@pytest.mark.parametrize(("tz", "day"), TRANSITIONS, ids=[f"{tz}-{day}" for tz, day in TRANSITIONS])
def test_the_night_loses_the_skipped_hour_and_offers_the_repeated_hour_once(tz, day):
    start, end = local_day_bounds(day, tz)
    springs_forward = end - start == timedelta(hours=23)
    assert end - start == timedelta(hours=23 if springs_forward else 25)
    slots = slots_on(day, tz, time(0), time(6))
    assert len(slots) == (10 if springs_forward else 12)
    if springs_forward:
        assert not {"02:00", "02:30"} & set(local(slots, tz))


@pytest.mark.parametrize("day", sorted({day for _, day in TRANSITIONS}))
def test_phoenix_is_an_ordinary_day_when_other_zones_change(day):
    start, end = local_day_bounds(day, PHOENIX)
    assert end - start == timedelta(days=1)
    slots = slots_on(day, PHOENIX, time(0), time(6))
    assert local(slots, PHOENIX) == [f"{h:02}:{m:02}" for h in range(6) for m in (0, 30)]
    assert slots[0] == datetime.combine(day, time(7), tzinfo=UTC)
    assert all(b - a == timedelta(minutes=30) for a, b in itertools.pairwise(slots))


# -- properties --

TRANSITION_DAYS = sorted({day for _, day in TRANSITIONS})


@st.composite
def scenarios(draw):
    tz = draw(st.sampled_from(ZONES))
    day = draw(st.one_of(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.sampled_from(TRANSITION_DAYS)))
    ranges = []
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, 23 * 12 - 1)) * 5
        end = draw(st.integers(start // 5 + 1, min(start // 5 + 120, 24 * 12 - 1))) * 5
        ranges.append((time(*divmod(start, 60)), time(*divmod(end, 60))))
    midnight = datetime.combine(day, time(), tzinfo=UTC)
    busy = []
    for _ in range(draw(st.integers(0, 6))):
        begins = midnight + draw(st.integers(-24 * 60, 48 * 60)) * MINUTES
        busy.append((begins, begins + draw(st.integers(1, 240)) * MINUTES))
    window_start = midnight + draw(st.integers(-24 * 60, 36 * 60)) * MINUTES
    window_end = window_start + draw(st.integers(1, 48 * 60)) * MINUTES
    duration = timedelta(minutes=draw(st.sampled_from([10, 15, 20, 30, 45, 60, 90])))
    step = draw(st.sampled_from([None, 5, 15, 30, 60]))
    return tz, day, ranges, busy, window_start, window_end, duration, step and timedelta(minutes=step)


@settings(max_examples=200, deadline=None)
@given(scenario=scenarios())
def test_every_slot_is_free_inside_the_window_and_an_opening_and_offered_once(scenario):
    tz, day, ranges, busy, window_start, window_end, duration, step = scenario
    slots = free_slots(
        weekly=[WeeklyHours(day.weekday(), start, end) for start, end in ranges],
        busy=busy,
        tz=tz,
        duration=duration,
        step=step,
        window_start=window_start,
        window_end=window_end,
    )
    assert all(a < b for a, b in itertools.pairwise(slots)), "not sorted, or not unique"
    walls = [s.astimezone(tz).replace(tzinfo=None) for s in slots]
    assert len(set(walls)) == len(walls)
    for slot, wall in zip(slots, walls, strict=True):
        assert slot.tzinfo is UTC
        assert window_start <= slot < window_end
        assert not any(overlaps(slot, slot + duration, *interval) for interval in busy)
        assert wall.date() == day
        assert any(
            start <= wall.time() < end
            and slot + duration <= clock_first_reads(datetime.combine(day, end), tz)
            for start, end in ranges
        )
