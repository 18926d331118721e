"""Queueing: with the caller's transaction or not at all, once per dedupe key, and cancellable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone

from painpoint.clinics.models import Clinic
from painpoint.outbox.api import cancel_pending, enqueue
from painpoint.outbox.models import Message
from painpoint.outbox.tests.factory import queue

pytestmark = pytest.mark.django_db


class BookingFailed(Exception):
    pass


def test_it_queues_nothing_when_the_transaction_rolls_back():
    with pytest.raises(BookingFailed), transaction.atomic():
        queue(dedupe_key="confirmation:1")
        raise BookingFailed

    assert not Message.objects.exists()


def test_it_queues_a_pending_message_due_at_once():
    message = queue(attachments=[("appointment.ics", "BEGIN:VCALENDAR", "text/calendar; method=REQUEST")])

    assert message.status == Message.Status.PENDING
    assert message.attempts == 0
    assert message.next_attempt_at == message.send_after <= timezone.now()
    assert message.attachments == [
        {
            "filename": "appointment.ics",
            "content_type": "text/calendar; method=REQUEST",
            "content": "QkVHSU46VkNBTEVOREFS",
        }
    ]


def test_a_repeated_dedupe_key_queues_one_message():
    first = queue(dedupe_key="confirmation:42:0")
    second = queue(dedupe_key="confirmation:42:0", subject="Something else")

    assert second.pk == first.pk
    assert Message.objects.count() == 1
    assert Message.objects.get().subject == first.subject


def test_messages_without_a_dedupe_key_never_collide():
    queue()
    queue()

    assert Message.objects.count() == 2


def test_it_refuses_to_queue_outside_a_transaction(monkeypatch):
    # The test itself runs in a transaction; pretend it does not.
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)

    with pytest.raises(RuntimeError, match="inside the transaction"):
        enqueue(kind="confirmation", to="pat@example.com", subject="Hi", body="Hello")


@pytest.mark.parametrize(
    "overrides",
    [{"to": "not an address"}, {"kind": "Not a slug"}, {"subject": "Two\nlines"}],
    ids=["address", "kind", "subject"],
)
def test_it_refuses_a_message_that_could_never_be_sent(overrides):
    with pytest.raises(ValidationError):
        queue(**overrides)


def test_cancel_pending_drops_the_unsent_messages_about_a_visit_and_keeps_the_rest():
    reminder = queue(kind="reminder", about=("appointment", 7), send_after=timezone.now())
    confirmation = queue(kind="confirmation", about=("appointment", "7"))
    Message.objects.filter(pk=confirmation.pk).update(sent_at=timezone.now())
    other = queue(kind="reminder", about=("appointment", 8))

    assert cancel_pending("appointment", "7") == 1

    assert not Message.objects.filter(pk=reminder.pk).exists()
    assert Message.objects.filter(pk__in=[confirmation.pk, other.pk]).count() == 2


def test_cancel_pending_can_drop_one_kind_only():
    queue(kind="reminder", about=("appointment", 7))
    queue(kind="confirmation", about=("appointment", 7))

    assert cancel_pending("appointment", 7, kind="reminder") == 1

    assert list(Message.objects.values_list("kind", flat=True)) == ["confirmation"]


def test_a_model_instance_is_about_its_model_name_and_primary_key():
    clinic = Clinic.objects.current()

    message = queue(about=clinic)

    assert (message.about_kind, message.about_id) == ("clinic", str(clinic.pk))
