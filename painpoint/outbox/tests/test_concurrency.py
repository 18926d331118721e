"""Several workers at once on PostgreSQL: every message goes out exactly once.

A control run with a claim that skips the guard (reads due messages, then takes them unconditionally) shows
the race the real claim prevents. SQLite is left out: its in-memory test database is shared between threads
with table locks that ignore the busy timeout; there, BEGIN IMMEDIATE serialises the claims anyway.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from painpoint.outbox import api
from painpoint.outbox.models import Message
from painpoint.outbox.tests.factory import queue

WORKERS = 4
MESSAGES = 60

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: several connections at once"
)


@pytest.fixture(autouse=True)
def committed(django_db_setup, django_db_blocker):
    """Let the test commit, so that every thread's connection sees its messages, and clear them afterwards.

    Not pytest-django's transactional_db: its flush would empty every table, the content loaded once for the
    whole session included.
    """
    with django_db_blocker.unblock():
        Message.objects.all().delete()
        yield
        Message.objects.all().delete()


def run_workers(target):
    errors = []

    def work():
        try:
            target()
        except Exception as exc:  # reported by the test, not lost in a thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_several_workers_send_each_message_exactly_once(mail_server):
    queued = {queue(dedupe_key=f"confirmation:{n}").message_id for n in range(MESSAGES)}

    def drain():
        while api.deliver_due(limit=5).total:
            pass

    run_workers(drain)

    received = mail_server.received_ids()
    assert sorted(received) == sorted(queued)
    assert Message.objects.sent().count() == MESSAGES


def test_control_without_the_guard_workers_send_the_same_message_twice(mail_server, monkeypatch):
    queue()
    everyone_has_read = threading.Barrier(WORKERS, timeout=10)

    def unguarded_claim(now, limit=1):
        with transaction.atomic():
            ids = list(Message.objects.due(now).values_list("pk", flat=True)[:limit])
            everyone_has_read.wait()
            Message.objects.filter(pk__in=ids).update(claimed_until=now + api.LEASE)
            return list(Message.objects.filter(pk__in=ids))

    def one_round():
        api.deliver_due(now=timezone.now(), limit=1)

    monkeypatch.setattr(api, "claim", unguarded_claim)
    run_workers(one_round)

    assert len(mail_server.received) == WORKERS


def test_overlapping_claims_pass_over_each_others_messages(mail_server):
    queued = {queue().pk for _ in range(MESSAGES)}
    now = timezone.now()
    claimed = []
    start_together = threading.Barrier(WORKERS, timeout=10)

    def claim_a_share():
        start_together.wait()
        claimed.append([message.pk for message in api.claim(now, limit=MESSAGES // WORKERS)])

    run_workers(claim_a_share)

    flat = [pk for share in claimed for pk in share]
    assert len(flat) == len(set(flat)), "no message claimed twice"
    assert set(flat) == queued
