"""Delivery: the email as sent, its timing, claims that never overlap, and logs without health details."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from painpoint.outbox.api import LEASE, claim, deliver_due
from painpoint.outbox.models import Message
from painpoint.outbox.tests.factory import BODY, SUBJECT, queue

pytestmark = pytest.mark.django_db

ICS = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        "UID:a-1",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


def test_it_sends_a_due_message_with_its_calendar_invitation():
    message = queue(
        to="pat@example.com",
        html="<p>Hello Pat</p>",
        attachments=[("appointment.ics", ICS.encode(), "text/calendar; charset=utf-8; method=REQUEST")],
    )

    delivery = deliver_due()

    assert (delivery.sent, delivery.retrying, delivery.gave_up) == (1, 0, 0)
    [email] = mail.outbox
    assert email.to == ["pat@example.com"]
    assert email.subject == SUBJECT
    assert email.body == BODY
    assert email.alternatives[0][1] == "text/html"
    mime = email.message()
    assert mime["Message-ID"] == message.message_id
    [invitation] = [part for part in mime.walk() if part.get_content_type() == "text/calendar"]
    assert invitation.get_param("method") == "REQUEST"
    assert invitation.get_content_charset() == "utf-8"
    assert invitation.get_filename() == "appointment.ics"
    assert invitation.get_payload(decode=True).decode() == ICS
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
    assert message.claimed_until is None


def test_a_binary_attachment_arrives_intact():
    data = bytes(range(256))
    queue(attachments=[("scan.bin", data, "application/octet-stream")])

    deliver_due()

    [part] = [p for p in mail.outbox[0].message().walk() if p.get_filename() == "scan.bin"]
    assert part.get_payload(decode=True) == data


def test_a_sent_message_is_not_sent_again():
    queue()

    deliver_due()
    deliver_due(now=timezone.now() + timedelta(days=3))

    assert len(mail.outbox) == 1


def test_a_reminder_waits_until_its_time():
    now = timezone.now()
    reminder = queue(kind="reminder", send_after=now + timedelta(hours=23))

    assert deliver_due(now=now).total == 0
    assert deliver_due(now=now + timedelta(hours=22, minutes=59)).total == 0
    assert mail.outbox == []

    assert deliver_due(now=now + timedelta(hours=23)).sent == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == reminder.message_id


def test_two_overlapping_claims_never_take_the_same_message():
    queued = {queue().pk for _ in range(5)}
    now = timezone.now()

    first = claim(now, limit=3)
    second = claim(now, limit=3)
    third = claim(now, limit=3)

    assert len(first) == 3
    assert len(second) == 2
    assert third == []
    assert {m.pk for m in first} | {m.pk for m in second} == queued
    assert not {m.pk for m in first} & {m.pk for m in second}


def test_a_lease_that_runs_out_lets_another_worker_send_the_message():
    # A worker claimed the message and died before sending it.
    queue()
    now = timezone.now()
    [message] = claim(now)

    assert deliver_due(now=now + LEASE - timedelta(seconds=1)).total == 0
    assert deliver_due(now=now + LEASE).sent == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id


def test_a_failed_delivery_logs_and_stores_neither_address_nor_subject_nor_body(mail_server, caplog):
    # A refused recipient's error repeats the address back, the way smtplib reports it.
    mail_server.down = True
    mail_server.error = lambda: smtplib.SMTPRecipientsRefused(
        {"pat.patient@example.com": (550, b"5.1.1 <pat.patient@example.com>: mailbox unavailable")}
    )
    message = queue()

    with caplog.at_level(logging.DEBUG):
        delivery = deliver_due()

    assert delivery.retrying == 1
    assert caplog.records, "the failure is logged"
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    message.refresh_from_db()
    for text in (logged, message.last_error):
        assert "SMTPRecipientsRefused" in text
        assert "pat.patient@example.com" not in text
        assert "lower back" not in text
        assert "epidural" not in text


def test_a_worker_survives_a_message_that_cannot_be_built(caplog):
    broken = queue()
    Message.objects.filter(pk=broken.pk).update(attachments=[{"filename": "x", "content_type": "text/plain"}])
    fine = queue()

    delivery = deliver_due()

    assert (delivery.sent, delivery.retrying) == (1, 1)
    assert mail.outbox[0].extra_headers["Message-ID"] == fine.message_id
    broken.refresh_from_db()
    assert broken.last_error.startswith("KeyError")
