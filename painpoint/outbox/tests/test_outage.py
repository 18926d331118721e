"""A mail server outage: nothing sent, nothing lost, retries back off, then every message goes out once."""

from __future__ import annotations

import logging
from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from painpoint.outbox.api import GIVE_UP_AFTER, JITTER, backoff, deliver_due, failing_messages, retry
from painpoint.outbox.models import Message
from painpoint.outbox.tests.factory import queue

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def run(clock, until, step=MINUTE):
    """Call deliver_due() every `step` from `clock` to `until`; return {pk: [times it was attempted]}."""
    tried = {pk: [] for pk in Message.objects.values_list("pk", flat=True)}
    while clock < until:
        before = dict(Message.objects.values_list("pk", "attempts"))
        deliver_due(now=clock)
        for pk, attempts in Message.objects.values_list("pk", "attempts"):
            if attempts > before[pk]:
                tried[pk].append(clock)
        clock += step
    return tried


def test_backoff_doubles_from_one_minute_up_to_an_hour():
    waits = [backoff(attempts) / MINUTE for attempts in range(1, 10)]

    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert backoff(1000) == timedelta(hours=1)


def test_nothing_is_lost_in_a_day_long_outage_and_each_message_then_goes_out_once(mail_server):
    queued = [queue(to=f"patient{n}@example.com", dedupe_key=f"confirmation:{n}") for n in range(5)]
    reminder = queue(kind="reminder", send_after=timezone.now() + timedelta(hours=6))
    queued.append(reminder)
    start = timezone.now()
    mail_server.down = True

    tried = run(start, start + timedelta(days=1))

    assert mail_server.received == []
    assert Message.objects.pending().count() == len(queued)
    for message in queued:
        times = tried[message.pk]
        message.refresh_from_db()
        assert len(times) == message.attempts
        # Retries wait 1, 2, 4 … minutes and then an hour, plus jitter, rounded up to the next minute's run.
        for attempts, (previous, this) in enumerate(pairwise(times), start=1):
            assert backoff(attempts) <= this - previous <= backoff(attempts) * (1 + JITTER) + MINUTE
        assert message.failing_since == times[0]
    assert tried[reminder.pk][0] >= reminder.send_after
    # About 6 attempts in the first hour and one an hour after that: the server was tried, not hammered.
    assert 20 <= Message.objects.get(pk=queued[0].pk).attempts <= 30
    assert set(failing_messages()) == set(Message.objects.all())

    mail_server.down = False
    clock = start + timedelta(days=1)
    while Message.objects.pending().exists() and clock < start + timedelta(days=1, hours=2):
        deliver_due(now=clock)
        clock += MINUTE

    received = mail_server.received_ids()
    assert sorted(received) == sorted(message.message_id for message in queued)
    assert len(received) == len(set(received)), "no message went out twice"
    assert Message.objects.sent().count() == len(queued)
    # Within the hour-long backoff of the outage's end.
    assert clock <= start + timedelta(days=1, hours=1, minutes=10)
    assert not failing_messages().exists()


def test_a_message_that_keeps_failing_is_given_up_shown_to_staff_and_can_be_retried(mail_server, caplog):
    message = queue()
    start = timezone.now()
    mail_server.down = True

    # Attempts at 0, 2 and 4 or 5 minutes (one minute's wait, then two, each plus jitter), the next after 8.
    run(start, start + timedelta(minutes=7))
    message.refresh_from_db()
    assert message.attempts == 3
    assert message.status == Message.Status.PENDING
    assert list(failing_messages()) == [message], "three failures are enough to show it to staff"

    with caplog.at_level(logging.ERROR, logger="painpoint.outbox"):
        run(start + timedelta(minutes=7), start + GIVE_UP_AFTER + timedelta(hours=2), step=10 * MINUTE)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.failed_at - message.failing_since >= GIVE_UP_AFTER
    assert message.failed_at - message.failing_since < GIVE_UP_AFTER + timedelta(hours=1, minutes=20)
    assert message.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert list(failing_messages()) == [message]
    assert "gave up on confirmation" in caplog.text
    attempts = message.attempts

    # Given up means no more attempts, even when the server is back.
    mail_server.down = False
    later = start + timedelta(days=3)
    assert deliver_due(now=later).total == 0
    assert Message.objects.get(pk=message.pk).attempts == attempts

    assert retry(Message.objects.filter(pk=message.pk), now=later) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.failing_since) == (Message.Status.PENDING, 0, None)
    assert deliver_due(now=later).sent == 1
    assert mail_server.received_ids() == [message.message_id]
    assert not failing_messages().exists()
