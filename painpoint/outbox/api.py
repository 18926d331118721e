"""Queue email inside a transaction, and deliver what is due: the outbox's whole public interface.

    with transaction.atomic():
        appointment = ...
        enqueue(kind="confirmation", to=email, subject=..., body=..., about=("appointment", appointment.pk))

`painpoint worker` calls `deliver_due()` every few seconds. `docs/outbox.md` explains the claim, the backoff
and when a message is given up.
"""

from __future__ import annotations

import base64
import logging
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.validators import validate_email, validate_slug
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from painpoint.outbox.models import Message, MessageQuerySet

log = logging.getLogger("painpoint.outbox")

# A worker's hold on a message it is sending. It must outlast one SMTP exchange by far (SEND_TIMEOUT), or a
# second worker could take a message that is still going out; if a worker dies, the message waits this long.
LEASE = timedelta(minutes=10)
SEND_TIMEOUT = 30  # seconds, unless settings.EMAIL_TIMEOUT says otherwise

# Retries wait 1, 2, 4, 8, 16, 32 minutes, then every hour, each stretched by up to 10% at random so that
# messages that failed together do not all come back in the same second.
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=1)
JITTER = 0.1
# A message that has been failing for two days is given up: by then a confirmation or a reminder is stale, and
# staff see it (failing_messages()) and can phone the patient or retry it.
GIVE_UP_AFTER = timedelta(hours=48)

About = models.Model | tuple[str, object] | None


@dataclass(frozen=True)
class Delivery:
    """What one `deliver_due()` run did."""

    sent: int = 0
    retrying: int = 0
    gave_up: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retrying + self.gave_up

    def __add__(self, other: Delivery) -> Delivery:
        return Delivery(self.sent + other.sent, self.retrying + other.retrying, self.gave_up + other.gave_up)


def enqueue(
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    html: str | None = None,
    attachments: Iterable[Sequence[object]] = (),
    send_after: datetime | None = None,
    about: About = None,
    dedupe_key: str | None = None,
) -> Message:
    """Queue an email, to go out with the caller's transaction or not at all.

    Call it inside the `transaction.atomic()` that writes the change the email reports: if that transaction
    rolls back, the email was never queued. `attachments` are `(filename, content, content_type)` triples
    (content as bytes or str). `about` is a model instance or an `(about_kind, about_id)` pair, for
    `cancel_pending()`. A second call with the same `dedupe_key` returns the first message and queues nothing.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "enqueue() must run inside the transaction.atomic() block that writes what the email reports."
        )
    validate_slug(kind)
    validate_email(to)
    if "\n" in subject or "\r" in subject:
        # Django would refuse it at send time (BadHeaderError), on every attempt for two days.
        raise ValidationError("An email subject must be one line.")
    about_kind, about_id = _about(about)
    send_after = send_after or timezone.now()
    fields = {
        "kind": kind,
        "to": to,
        "subject": subject,
        "body": body,
        "html": html or "",
        "attachments": [_stored(*attachment) for attachment in attachments],
        "send_after": send_after,
        "next_attempt_at": send_after,
        "about_kind": about_kind,
        "about_id": about_id,
    }
    if dedupe_key is None:
        return Message.objects.create(**fields)
    # get_or_create() inserts in a savepoint and reads the winner after an IntegrityError, so two requests
    # racing with the same key also end with one row.
    message, _ = Message.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
    return message


def cancel_pending(about_kind: str, about_id: object, kind: str | None = None) -> int:
    """Delete the unsent messages about something (e.g. a cancelled visit's reminder); return how many.

    A message a worker is sending at this moment may still go out.
    """
    messages = Message.objects.about(about_kind, about_id).filter(sent_at=None)
    if kind is not None:
        messages = messages.filter(kind=kind)
    deleted, _ = messages.delete()
    return deleted


def claim(now: datetime, limit: int = 1) -> list[Message]:
    """Take a lease on up to `limit` due messages, in the order they fell due, and return them.

    A claimed message is not due again for any worker until its lease ends, so two workers never take the same
    message. On PostgreSQL, `skip_locked` lets workers pass over rows another worker is claiming instead of
    waiting for it; on SQLite the transaction begins IMMEDIATE (settings.py) and holds the write lock, so
    claims run one after another.
    """
    with transaction.atomic():
        due = Message.objects.due(now).order_by("next_attempt_at", "pk")
        ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        # Each row is claimed by a conditional UPDATE that repeats the due() test, and counts only if it
        # changed the row: whatever the isolation level, a message claimed by another worker since the read
        # above is refused here (on PostgreSQL, UPDATE re-checks its WHERE against the newest row version).
        lease = now + LEASE
        claimed = [pk for pk in ids if Message.objects.filter(pk=pk).due(now).update(claimed_until=lease)]
        return list(Message.objects.filter(pk__in=claimed).order_by("next_attempt_at", "pk"))


def deliver_due(now: datetime | None = None, limit: int = 50) -> Delivery:
    """Send up to `limit` due messages, one claim at a time, and say what happened.

    `now` fixes the clock (tests); otherwise each message is claimed and marked at the current time.
    """
    delivery = Delivery()
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or SEND_TIMEOUT
    for _ in range(limit):
        moment = now or timezone.now()
        claimed = claim(moment)
        if not claimed:
            break
        message = claimed[0]
        try:
            # One connection per message: a connection broken by one failure cannot spoil the next message.
            message.as_email(connection=get_connection(timeout=timeout)).send()
        except Exception as exc:
            delivery += _record_failure(message, exc, now or timezone.now())
        else:
            _record_success(message, now or timezone.now())
            delivery += Delivery(sent=1)
    return delivery


def backoff(attempts: int) -> timedelta:
    """Return the wait after `attempts` failed attempts, before jitter: 1, 2, 4 … minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 16), MAX_RETRY)


def failing_messages() -> MessageQuerySet:
    """Messages staff should know about: given up, or failing again and again."""
    return Message.objects.failing().order_by("-created_at")


def retry(messages: MessageQuerySet, now: datetime | None = None) -> int:
    """Make unsent messages due now with a fresh start (attempts, give-up clock); return how many.

    Messages that a worker holds at this moment are left alone.
    """
    now = now or timezone.now()
    return (
        messages.filter(sent_at=None)
        .filter(Q(claimed_until=None) | Q(claimed_until__lte=now))
        .update(failed_at=None, failing_since=None, attempts=0, next_attempt_at=now, claimed_until=None)
    )


def _record_success(message: Message, now: datetime) -> None:
    # sent_at=None: a message whose lease ran out and that another worker already sent keeps its first mark.
    Message.objects.filter(pk=message.pk, sent_at=None).update(
        sent_at=now, attempts=message.attempts + 1, claimed_until=None
    )


def _record_failure(message: Message, exc: Exception, now: datetime) -> Delivery:
    attempts = message.attempts + 1
    failing_since = message.failing_since or now
    given_up = now - failing_since >= GIVE_UP_AFTER
    changes: dict[str, object] = {
        "attempts": attempts,
        "failing_since": failing_since,
        "last_error": describe(exc, message),
        "claimed_until": None,
    }
    if given_up:
        changes["failed_at"] = now
    else:
        changes["next_attempt_at"] = now + backoff(attempts) * (1 + random.uniform(0, JITTER))
    Message.objects.filter(pk=message.pk, sent_at=None).update(**changes)
    # The error's class and SMTP code only: an SMTP reply can quote the recipient, and the message itself may
    # name the visit.
    code = getattr(exc, "smtp_code", None)
    error = type(exc).__name__ + (f" {code}" if code else "")
    if given_up:
        log.error(
            "Outbox: gave up on %s #%s after %d attempts (%s)", message.kind, message.pk, attempts, error
        )
        return Delivery(gave_up=1)
    log.warning("Outbox: %s #%s failed, attempt %d (%s)", message.kind, message.pk, attempts, error)
    return Delivery(retrying=1)


def describe(exc: Exception, message: Message) -> str:
    """Return the error for staff to read: its class and a short text, without the address or the subject."""
    text = f"{type(exc).__name__}: {exc}"
    for secret in (message.to, message.subject):
        if secret:
            text = re.sub(re.escape(secret), "[…]", text, flags=re.IGNORECASE)
    return text[:300]


def _about(about: About) -> tuple[str, str]:
    if about is None:
        return "", ""
    if isinstance(about, models.Model):
        return about._meta.model_name or "", str(about.pk)
    about_kind, about_id = about
    return about_kind, str(about_id)


def _stored(filename: object, content: object, content_type: object = "application/octet-stream") -> dict:
    data = content.encode() if isinstance(content, str) else bytes(content)  # type: ignore[call-overload]
    return {
        "filename": str(filename),
        "content_type": str(content_type),
        "content": base64.b64encode(data).decode("ascii"),
    }
