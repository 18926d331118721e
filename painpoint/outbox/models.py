"""Outgoing email, written in the transaction of the change it reports and sent later by `painpoint worker`.

`docs/outbox.md` tells the algorithm: a worker claims a due message with a lease, sends it, then marks it;
failures wait with exponential backoff, and a message that keeps failing for two days is given up and shown to
staff.

Subjects, bodies and attachments may describe a visit ("Your epidural steroid injection"): they are never
logged, never copied into `last_error`, and the admin does not show them.
"""

from __future__ import annotations

import base64
from datetime import datetime
from email import encoders
from email.mime.base import MIMEBase
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Messages with at least this many failed attempts show up for staff while they are still being retried.
FAILING_ATTEMPTS = 3


class MessageQuerySet(models.QuerySet):
    def pending(self) -> MessageQuerySet:
        """Messages still to be sent: neither sent nor given up."""
        return self.filter(sent_at=None, failed_at=None)

    def due(self, now: datetime) -> MessageQuerySet:
        """Pending messages whose time has come and that no worker holds a live lease on."""
        return (
            self.pending()
            .filter(next_attempt_at__lte=now)
            .filter(Q(claimed_until=None) | Q(claimed_until__lte=now))
        )

    def sent(self) -> MessageQuerySet:
        return self.exclude(sent_at=None)

    def failed(self) -> MessageQuerySet:
        """Messages the worker gave up on; only a retry (admin action) sends them again."""
        return self.exclude(failed_at=None)

    def failing(self) -> MessageQuerySet:
        """Given-up messages, and pending ones that have failed FAILING_ATTEMPTS times or more."""
        return self.filter(Q(failed_at__isnull=False) | Q(sent_at=None, attempts__gte=FAILING_ATTEMPTS))

    def about(self, about_kind: str, about_id: object) -> MessageQuerySet:
        return self.filter(about_kind=about_kind, about_id=str(about_id))


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.SlugField(max_length=40, help_text="e.g. confirmation, staff-notice, reminder.")
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    html = models.TextField(blank=True, help_text="An HTML alternative to the text body, if any.")
    # [{"filename": "appointment.ics", "content_type": "text/calendar; method=REQUEST", "content": base64}]
    attachments = models.JSONField(default=list, blank=True)
    send_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A worker's lease: while it lies in the future, no other worker takes the message (docs/outbox.md).
    claimed_until = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True, help_text="When the first failure was.")
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="When the worker gave up.")
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # What the message is about, e.g. ("appointment", "42"), so that cancelling a visit can drop its reminder.
    about_kind = models.CharField(max_length=60, blank=True)
    about_id = models.CharField(max_length=60, blank=True)
    # NULL rather than "" when absent: a unique column may hold many NULLs, on SQLite and PostgreSQL alike.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The worker's query: pending messages in order of when they are due.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at=None, failed_at=None),
                name="outbox_message_due",
            ),
            models.Index(fields=["about_kind", "about_id"], name="outbox_message_about"),
        ]

    def __str__(self) -> str:
        # No address or subject: this string shows up in admin messages and logs.
        return f"{self.kind} #{self.pk}"

    @property
    def status(self) -> Message.Status:
        if self.sent_at is not None:
            return Message.Status.SENT
        if self.failed_at is not None:
            return Message.Status.FAILED
        return Message.Status.PENDING

    @property
    def message_id(self) -> str:
        """A Message-ID that stays the same on every attempt, so a rare second delivery can be recognised."""
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
        return f"<outbox.{self.pk}.{int(self.created_at.timestamp())}@{domain}>"

    def as_email(self, connection: object = None) -> EmailMultiAlternatives:
        email = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body,
            to=[self.to],
            headers={"Message-ID": self.message_id, "Auto-Submitted": "auto-generated"},
            connection=connection,
        )
        if self.html:
            email.attach_alternative(self.html, "text/html")
        for attachment in self.attachments:
            content = base64.b64decode(attachment["content"])
            email.attach(_attachment_part(attachment["filename"], content, attachment["content_type"]))
        return email


def _attachment_part(filename: str, content: bytes, content_type: str) -> MIMEBase:
    """Build an attachment that keeps its content type's parameters.

    A calendar invitation needs `text/calendar; method=REQUEST`; `EmailMessage.attach()` would take everything
    after the slash for the subtype and then add a second charset.
    """
    mime, _, rest = content_type.partition(";")
    maintype, _, subtype = mime.strip().lower().partition("/")
    params = {}
    for param in rest.split(";"):
        name, sep, value = param.partition("=")
        if sep:
            params[name.strip().lower()] = value.strip().strip('"')
    part: MIMEBase
    if maintype == "text":
        charset = params.pop("charset", "utf-8")
        part = SafeMIMEText(content.decode(charset), subtype, "utf-8")
    else:
        part = MIMEBase(maintype, subtype or "octet-stream")
        part.set_payload(content)
        encoders.encode_base64(part)
    for name, value in params.items():
        part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
