"""`painpoint worker`: send the outbox's due messages, every few seconds, until stopped.

Several workers may run at once (each claims its own messages). Output and logs carry counts and message ids
only, never an address, a subject or a body.

It also deletes expired sessions every few minutes. A visitor's interview answers live in their session for
an hour after the last step; without a sweep, Django leaves expired rows in the table until someone runs
`clearsessions`, and the promise on every step (deleted about an hour after the last step) would not hold.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connection

from painpoint.outbox.api import Delivery, deliver_due

log = logging.getLogger("painpoint.outbox")

# Messages per deliver_due() call: small enough that a stop request waits for a few sends at most.
BATCH = 10
# Seconds between sweeps of expired sessions.
SESSION_SWEEP = 300


class Command(BaseCommand):
    help = "Send due outbox messages, retrying failures with backoff; runs until SIGTERM or Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Send what is due now, then exit.")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds to wait when nothing is due (default 5)."
        )

    def handle(self, *args: Any, once: bool = False, interval: float = 5.0, **options: Any) -> None:
        if once:
            self.report(self.drain(threading.Event()))
            sweep_sessions()
            return
        stop = threading.Event()
        # SIGTERM (systemd, docker stop) and Ctrl-C finish the message being sent, then leave the loop.
        previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"Outbox worker started, polling every {interval:g} s")
        swept = 0.0
        try:
            while not stop.is_set():
                self.report(self.drain(stop))
                if time.monotonic() - swept >= SESSION_SWEEP:
                    sweep_sessions()
                    swept = time.monotonic()
                stop.wait(interval)
        except KeyboardInterrupt:
            pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Outbox worker stopped")

    def drain(self, stop: threading.Event) -> Delivery:
        """Deliver batches until nothing is due (or a stop is asked for); survive a database outage."""
        total = Delivery()
        while not stop.is_set():
            # A long-running process must drop connections the server closed meanwhile (CONN_MAX_AGE). Not
            # inside a transaction (a test's), where closing would break it.
            if not connection.in_atomic_block:
                close_old_connections()
            try:
                delivery = deliver_due(limit=BATCH)
            except DatabaseError as exc:
                log.warning("Outbox worker: database error (%s), trying again later", type(exc).__name__)
                connection.close()
                break
            total += delivery
            if delivery.total < BATCH:
                break
        return total

    def report(self, delivery: Delivery) -> None:
        if delivery.total:
            self.stdout.write(
                f"Outbox: {delivery.sent} sent, {delivery.retrying} to retry, {delivery.gave_up} given up"
            )


def sweep_sessions() -> None:
    """Delete expired sessions (what `clearsessions` does); a database outage only postpones it."""
    try:
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    except DatabaseError as exc:
        log.warning("Worker: could not delete expired sessions (%s), trying again later", type(exc).__name__)
