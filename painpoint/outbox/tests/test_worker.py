"""`painpoint worker`: one round with --once, a loop that stops on SIGTERM or Ctrl-C, and counts only."""

from __future__ import annotations

import io
import os
import signal

import pytest
from django.core import mail
from django.core.management import call_command

from painpoint.outbox import api
from painpoint.outbox.management.commands import worker
from painpoint.outbox.models import Message
from painpoint.outbox.tests.factory import queue

pytestmark = pytest.mark.django_db


def run_worker(*args):
    stdout = io.StringIO()
    call_command("worker", *args, stdout=stdout)
    return stdout.getvalue()


def test_worker_once_sends_everything_due_and_exits():
    # More than one batch, so the worker must go round again before it stops.
    for _ in range(worker.BATCH + 3):
        queue()

    output = run_worker("--once")

    assert len(mail.outbox) == worker.BATCH + 3
    assert output == f"Outbox: {worker.BATCH + 3} sent, 0 to retry, 0 given up\n"


def test_worker_once_with_nothing_due_says_nothing():
    assert run_worker("--once") == ""


def test_worker_output_names_no_recipient_and_no_subject(mail_server, caplog):
    mail_server.down = True
    queue()

    output = run_worker("--once")

    assert output == "Outbox: 0 sent, 1 to retry, 0 given up\n"
    for text in (output, caplog.text):
        assert "pat.patient@example.com" not in text
        assert "back pain" not in text


def test_worker_stops_after_sigterm_and_restores_the_signal_handlers(monkeypatch):
    queue()
    calls = []

    def deliver_then_terminate(**kwargs):
        calls.append(kwargs)
        delivery = api.deliver_due(**kwargs)
        os.kill(os.getpid(), signal.SIGTERM)
        return delivery

    monkeypatch.setattr(worker, "deliver_due", deliver_then_terminate)
    before = signal.getsignal(signal.SIGTERM)

    output = run_worker("--interval", "0.01")

    assert len(calls) == 1
    assert Message.objects.sent().count() == 1
    assert output.splitlines() == [
        "Outbox worker started, polling every 0.01 s",
        "Outbox: 1 sent, 0 to retry, 0 given up",
        "Outbox worker stopped",
    ]
    assert signal.getsignal(signal.SIGTERM) is before


def test_worker_polls_again_after_the_interval(monkeypatch):
    calls = []

    def count_then_stop(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGTERM)
        return api.Delivery()

    monkeypatch.setattr(worker, "deliver_due", count_then_stop)

    run_worker("--interval", "0.01")

    assert len(calls) == 3


def test_worker_exits_cleanly_on_keyboard_interrupt(monkeypatch):
    def interrupted(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(worker, "deliver_due", interrupted)
    before = signal.getsignal(signal.SIGINT)

    output = run_worker()

    assert output.splitlines()[-1] == "Outbox worker stopped"
    assert signal.getsignal(signal.SIGINT) is before


def test_worker_deletes_expired_sessions_and_keeps_live_ones():
    from datetime import timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    expired, live = SessionStore(), SessionStore()
    expired["painpoint.check"] = {"regions": ["knee-left"]}
    live["painpoint.check"] = {"regions": ["neck-back"]}
    expired.create()
    live.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(1))

    run_worker("--once")

    assert set(Session.objects.values_list("session_key", flat=True)) == {live.session_key}
