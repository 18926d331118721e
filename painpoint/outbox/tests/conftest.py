from __future__ import annotations

import pytest

from painpoint.outbox.tests.backends import server


@pytest.fixture
def mail_server(settings):
    """The outage backend, up at first; `mail_server.down = True` takes it down."""
    settings.EMAIL_BACKEND = "painpoint.outbox.tests.backends.OutageBackend"
    server.reset()
    yield server
    server.reset()
