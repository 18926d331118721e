"""System checks that keep a production site from starting unsafe.

Ids are stable: operators search for them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY and (settings.PRODUCTION or not settings.DEBUG):
        errors.append(
            Error(
                "The development SECRET_KEY is in use outside development.",
                hint="Set SECRET_KEY to a long random value, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
                id="painpoint.E001",
            )
        )
    if settings.PRODUCTION and settings.DEBUG:
        errors.append(
            Error(
                "DEBUG is on in production mode.",
                hint="Remove DEBUG from the environment or set DEBUG=false.",
                id="painpoint.E002",
            )
        )
    if settings.PRODUCTION and not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS is empty in production mode.",
                hint="Set ALLOWED_HOSTS to the site's host names, comma-separated.",
                id="painpoint.E003",
            )
        )
    if settings.PRODUCTION and not settings.BOOKING_GUARD:
        errors.append(
            Error(
                "The guard against double booking is off in production mode.",
                hint="Remove PAINPOINT_TEST_ONLY_NO_BOOKING_GUARD from the environment: it is for one test.",
                id="painpoint.E004",
            )
        )
    return errors


def refuse_unsafe_start() -> None:
    """Stop a production server from starting with the checks above failing (called from wsgi.py)."""
    from django.core.exceptions import ImproperlyConfigured

    errors = check_production_settings()
    if errors:
        lines = [f"{error.id}: {error.msg} {error.hint}" for error in errors]
        raise ImproperlyConfigured("Painpoint refuses to start:\n" + "\n".join(lines))
