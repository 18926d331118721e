"""Calendar invitations, read back with icalendar's own parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from painpoint.booking.ics import PRODID, invitation

START = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 in Berlin, just after the clocks went forward


def make_invitation(**overrides):
    overrides.setdefault("uid", "appointment-42@painpoint.example")
    overrides.setdefault("start", START)
    overrides.setdefault("end", START + timedelta(minutes=45))
    overrides.setdefault("summary", "Lower back: first visit")
    overrides.setdefault("description", "Please bring your imaging reports.")
    overrides.setdefault("location", "Painpoint Clinic Mitte")
    overrides.setdefault("organizer_email", "desk@painpoint.example")
    overrides.setdefault("organizer_name", "Painpoint front desk")
    overrides.setdefault("attendee_email", "alice@example.com")
    overrides.setdefault("attendee_name", "Alice Example")
    overrides.setdefault("tz_name", "Europe/Berlin")
    overrides.setdefault("stamp", datetime(2026, 3, 1, 12, tzinfo=UTC))
    return invitation(**overrides)


def read(data):
    calendar = Calendar.from_ical(data)
    (event,) = calendar.events
    return calendar, event


def test_it_is_a_vcalendar_with_one_event_and_the_required_headers():
    data = make_invitation()
    calendar, _ = read(data)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.rstrip().endswith(b"END:VCALENDAR")
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "lines must be folded at 75 octets"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == PRODID
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Berlin"
    assert [c.name for c in calendar.subcomponents] == ["VEVENT"]


def test_every_event_field_matches_what_was_given():
    _, event = read(make_invitation(sequence=3))
    assert event["UID"] == "appointment-42@painpoint.example"
    assert event["SUMMARY"] == "Lower back: first visit"
    assert event["DESCRIPTION"] == "Please bring your imaging reports."
    assert event["LOCATION"] == "Painpoint Clinic Mitte"
    assert event.decoded("SEQUENCE") == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event["TRANSP"] == "OPAQUE"


def test_times_are_the_given_instants_written_in_utc():
    data = make_invitation(stamp=datetime(2026, 3, 1, 13, 5, 7, tzinfo=ZoneInfo("Europe/Berlin")))
    _, event = read(data)
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START + timedelta(minutes=45)
    assert event.decoded("DTSTAMP") == datetime(2026, 3, 1, 12, 5, 7, tzinfo=UTC)
    assert b"DTSTART:20260329T013000Z\r\n" in data
    assert b"TZID" not in data, "a TZID would need a VTIMEZONE"


def test_instants_given_in_another_zone_are_converted_to_utc():
    local_start = START.astimezone(ZoneInfo("America/New_York"))
    _, event = read(make_invitation(start=local_start, end=local_start + timedelta(hours=1)))
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)


def test_organizer_and_attendee_are_mailto_addresses_with_their_parameters():
    _, event = read(make_invitation())
    organizer, attendee = event["ORGANIZER"], event["ATTENDEE"]
    assert organizer == "mailto:desk@painpoint.example"
    assert organizer.params["CN"] == "Painpoint front desk"
    assert attendee == "mailto:alice@example.com"
    assert attendee.params["CN"] == "Alice Example"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["RSVP"] == "FALSE"


def test_a_reminder_goes_off_a_day_before():
    _, event = read(make_invitation())
    (alarm,) = event.subcomponents
    assert alarm.name == "VALARM"
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(days=-1)
    assert alarm["DESCRIPTION"] == "Reminder: Lower back: first visit"


def test_commas_semicolons_backslashes_and_newlines_in_text_round_trip():
    awkward = 'Room 2, floor 3; ring twice\nThen wait \\ sit down, "please"'
    data = make_invitation(summary=awkward, description=awkward + "\n\nThanks", location=awkward)
    _, event = read(data)
    assert event["SUMMARY"] == awkward
    assert event["DESCRIPTION"] == awkward + "\n\nThanks"
    assert event["LOCATION"] == awkward
    assert b"Room 2\\, floor 3\\; ring twice\\nThen wait \\\\ sit down" in data


def test_names_with_commas_and_quotes_round_trip_in_parameters():
    _, event = read(make_invitation(attendee_name="O'Brien, Mary", organizer_name='Clinic "Mitte"; desk'))
    assert event["ATTENDEE"].params["CN"] == "O'Brien, Mary"
    assert event["ORGANIZER"].params["CN"] == 'Clinic "Mitte"; desk'


def test_non_ascii_text_round_trips():
    _, event = read(make_invitation(summary="Rücken – Erstgespräch", attendee_name="Zoë Ångström"))
    assert event["SUMMARY"] == "Rücken – Erstgespräch"
    assert event["ATTENDEE"].params["CN"] == "Zoë Ångström"


def test_a_cancellation_withdraws_the_same_event_with_a_higher_sequence():
    calendar, event = read(make_invitation(sequence=1, method="CANCEL", status="CANCELLED"))
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == "appointment-42@painpoint.example"
    assert event.decoded("SEQUENCE") == 1
    assert event.decoded("DTSTART") == START
    assert event["TRANSP"] == "TRANSPARENT"
    assert event.subcomponents == [], "a cancelled appointment needs no reminder"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": datetime(2026, 3, 29, 1, 30)}, "start must be timezone-aware"),
        ({"stamp": datetime(2026, 3, 1)}, "stamp must be timezone-aware"),
        ({"end": START}, "must be after start"),
        ({"method": "REPLY"}, "method must be one of"),
        ({"status": "DONE"}, "status must be one of"),
        ({"method": "CANCEL"}, "CANCEL goes with status CANCELLED"),
        ({"status": "CANCELLED"}, "CANCEL goes with status CANCELLED"),
        ({"sequence": -1}, "sequence must not be negative"),
        ({"uid": " "}, "uid must not be empty"),
        ({"attendee_email": "alice"}, "not an email address"),
        ({"organizer_email": "desk@x.example\r\nATTENDEE:mailto:eve@x.example"}, "not an email address"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(change, message):
    with pytest.raises(ValueError, match=message):
        make_invitation(**change)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="Nowhere/Special"):
        make_invitation(tz_name="Nowhere/Special")
