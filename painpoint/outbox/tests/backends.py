"""A mail server that tests can switch off: while `server.down` is set, every send fails to connect."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


@dataclass
class Server:
    down: bool = False
    # Makes what a refused send raises: a connection refusal unless a test wants, say, an SMTP error.
    error: Callable[[], Exception] = lambda: ConnectionRefusedError(111, "Connection refused")
    # Every message that got through, in order; a message delivered twice appears twice.
    received: list[EmailMessage] = field(default_factory=list)
    refused: int = 0

    def reset(self) -> None:
        self.down = False
        self.error = Server.error
        self.received.clear()
        self.refused = 0

    def received_ids(self) -> list[str]:
        return [email.extra_headers["Message-ID"] for email in self.received]


server = Server()


class OutageBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)

    def send_messages(self, email_messages: list[EmailMessage]) -> int:
        if server.down:
            server.refused += 1
            raise server.error()
        for email in email_messages:
            email.message()  # renders headers and attachments, as a real backend would
            server.received.append(email)
        return len(email_messages)
