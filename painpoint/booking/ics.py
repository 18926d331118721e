"""iCalendar (RFC 5545) invitations for appointments, built with the ``icalendar`` library.

Pure Python: no Django, no I/O. Times are written in UTC (``DTSTART:20260112T080000Z``), which every calendar
client reads and which needs no VTIMEZONE. We do not write ``TZID`` times: the VTIMEZONE that icalendar
generates from zoneinfo puts a spring-forward onset at the new wall time (03:00 with ``TZOFFSETFROM:-0500``
for New York), an hour later than RFC 5545 means, so an appointment in that hour would move. The clinic's zone
still goes in as ``X-WR-TIMEZONE``, a widely read hint for which zone to show the event in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event, vCalAddress

__all__ = ["PRODID", "invitation"]

PRODID = "-//Painpoint//Appointments//EN"
METHODS = {"REQUEST", "CANCEL", "PUBLISH"}
STATUSES = {"TENTATIVE", "CONFIRMED", "CANCELLED"}
REMINDER_BEFORE = timedelta(days=1)


def invitation(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    location: str,
    organizer_email: str,
    organizer_name: str,
    attendee_email: str,
    attendee_name: str,
    tz_name: str,
    sequence: int = 0,
    method: str = "REQUEST",
    status: str = "CONFIRMED",
    stamp: datetime,
) -> bytes:
    """Return a VCALENDAR with one VEVENT for the appointment, as bytes ready to attach to an email.

    ``sequence`` must go up with every change to the same ``uid``, or clients ignore the update. To withdraw
    an appointment, send the same ``uid`` with a higher ``sequence``, ``method="CANCEL"`` and
    ``status="CANCELLED"``.
    """
    start, end, stamp = _utc(start, "start"), _utc(end, "end"), _utc(stamp, "stamp")
    if end <= start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, not {method!r}")
    if status not in STATUSES:
        raise ValueError(f"status must be one of {sorted(STATUSES)}, not {status!r}")
    if (method == "CANCEL") != (status == "CANCELLED"):
        raise ValueError(f"method CANCEL goes with status CANCELLED, not {method} with {status}")
    if sequence < 0:
        raise ValueError(f"sequence must not be negative, not {sequence}")
    if not uid.strip():
        raise ValueError("uid must not be empty")
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"not an IANA time zone: {tz_name!r}") from None

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", location)
    event.add("organizer", _address(organizer_email, CN=organizer_name))
    event.add(
        "attendee",
        _address(
            attendee_email,
            CN=attendee_name,
            CUTYPE="INDIVIDUAL",
            ROLE="REQ-PARTICIPANT",
            # The patient booked on our site already, so their calendar should not ask them to accept.
            RSVP="FALSE",
        ),
    )
    event.add("sequence", sequence)
    event.add("status", status)
    event.add("transp", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
    if status != "CANCELLED":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Reminder: {summary}")
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-timezone", tz_name)
    calendar.add_component(event)
    return calendar.to_ical()


def _address(email: str, **params: str) -> vCalAddress:
    if not email or "@" not in email or any(c in email for c in "\r\n:;, "):
        raise ValueError(f"not an email address: {email!r}")
    address = vCalAddress(f"mailto:{email}")
    for name, value in params.items():
        address.params[name] = value
    return address


def _utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not naive ({value})")
    return value.astimezone(UTC)
