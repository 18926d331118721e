"""Several front-desk staff giving overlapping times to different requests at the same moment, on PostgreSQL:
one gets the time, the others are told it is taken, and no two visits of one provider overlap.

The HTTP race in test_race.py covers visitors booking; this one covers `service.confirm`, which staff use from
the inbox and which takes the same provider lock. SQLite is left out for the reason given in
painpoint/outbox/tests/test_concurrency.py (its in-memory test database is shared between threads).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from painpoint.booking import service
from painpoint.booking.models import Appointment, Request, VisitType
from painpoint.booking.tests.conftest import ANN, free
from painpoint.outbox.models import Message

STAFF = 6

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: several connections at once"
)


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Commit for real, so every thread's connection sees the requests; remove what the test made."""
    with django_db_blocker.unblock():
        requests = set(Request.objects.values_list("pk", flat=True))
        messages = set(Message.objects.values_list("pk", flat=True))
        yield
        Message.objects.exclude(pk__in=messages).delete()
        made = Request.objects.exclude(pk__in=requests)
        Appointment.objects.filter(request__in=made).delete()
        made.delete()


def overlapping_pair(visit_type: VisitType) -> list:
    """Two free slots of one provider that overlap (a 45-minute visit offered every 30 minutes)."""
    slots = free(visit_type)
    for a in slots:
        for b in slots:
            if (b.provider_id, b.location_id) == (a.provider_id, a.location_id) and a.start < b.start < a.end:
                return [a, b]
    raise AssertionError("no two overlapping free slots of one provider")


def race(visit_type: VisitType, pair: list) -> tuple[list[str], list[Appointment]]:
    """STAFF threads, released together, each give its own request one of two overlapping times of the same
    provider: at most one of them may be booked."""
    requests = [
        service.ask(kind=Request.APPOINTMENT_REQUEST, patient=ANN, preferred_times=f"any {n}")[0]
        for n in range(STAFF)
    ]
    barrier = threading.Barrier(STAFF)
    outcomes: list[str] = [""] * STAFF

    def staff(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            service.confirm(
                requests[index],
                visit_type=visit_type,
                start=pair[index % 2].start,
                provider_id=pair[0].provider_id,
                location_id=pair[0].location_id,
            )
            outcomes[index] = "booked"
        except service.BookingError as problem:
            outcomes[index] = "refused: " + problem.message
        except Exception as exc:  # reported by the test, not lost in a thread
            outcomes[index] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=staff, args=(i,)) for i in range(STAFF)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    booked = list(Appointment.objects.filter(request__in=requests, status=Appointment.BOOKED))
    return outcomes, booked


def test_staff_confirming_overlapping_times_at_once_book_only_one(committed):
    visit_type = VisitType.objects.get(slug="new-patient")  # 45 minutes, every 30: neighbours overlap
    outcomes, booked = race(visit_type, overlapping_pair(visit_type))
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("booked") == 1 and len(booked) == 1, outcomes
    assert all(o == "booked" or "taken" in o for o in outcomes), outcomes


def test_without_the_guard_staff_confirming_at_once_double_book(committed, settings):
    """The control: the same race with the guard off books overlapping visits, so the test above can fail."""
    settings.BOOKING_GUARD = False
    visit_type = VisitType.objects.get(slug="new-patient")
    for _ in range(10):
        outcomes, booked = race(visit_type, overlapping_pair(visit_type))
        if len(booked) > 1:
            return
    pytest.fail(f"10 rounds without the guard never double-booked; last: {outcomes}")
