"""Fixtures shared by every app's tests.

The real content pack is loaded once per test database, right after migrations, so every test sees the
knowledge base a clinic ships with; each test still runs in its own transaction and leaves it as it was.
"""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_content", str(settings.CONTENT_DIR), stdout=io.StringIO())
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _clear_caches():
    """Each test starts with empty caches: a page cached by one test must not answer another."""
    from django.core.cache import cache

    from painpoint.assessment.knowledge import forget_offered_services

    cache.clear()
    forget_offered_services()
