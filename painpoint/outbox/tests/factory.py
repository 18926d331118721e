"""Queue test messages the way a booking does, with a subject and body that name the visit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from painpoint.outbox.api import enqueue
from painpoint.outbox.models import Message

SUBJECT = "Your appointment for lower back pain"
BODY = "Hello Pat, your epidural steroid injection for sciatica is booked."


def queue(**kwargs: Any) -> Message:
    kwargs.setdefault("kind", "confirmation")
    kwargs.setdefault("to", "pat.patient@example.com")
    kwargs.setdefault("subject", SUBJECT)
    kwargs.setdefault("body", BODY)
    with transaction.atomic():
        return enqueue(**kwargs)
