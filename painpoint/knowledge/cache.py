"""Cache the public knowledge pages per process, keyed by a stamp of the content.

These pages are the same for every visitor, so a rendered page is kept and served again until the content or
the clinic profile changes. The stamp is the latest update time and the row count of each table a page draws
on: an edit in the admin or a content load moves an update time, and a removal changes a count, so no page
outlives the content it shows. Requests from signed-in staff are never cached.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse

from painpoint.clinics.models import Clinic
from painpoint.knowledge.models import Article, Condition, Region, Treatment

PAGE_TTL = 3600
STAMPED = (Clinic, Region, Condition, Treatment, Article)


def content_stamp() -> str:
    """Return a short string that changes whenever a page's content or the clinic profile changes."""
    # One query for all five tables: this runs on every page view, so it is kept to a single round trip.
    selects = " UNION ALL ".join(
        # Table names come from our own models, never from a request.
        f"SELECT MAX(updated_at), COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}"  # noqa: S608
        for model in STAMPED
    )
    with connection.cursor() as cursor:
        cursor.execute(selects)
        return "/".join(f"{latest}:{count}" for latest, count in cursor.fetchall())


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or request.COOKIES:
            return view(request, *args, **kwargs)
        raw = f"{request.get_host()}|{request.get_full_path()}|{content_stamp()}"
        key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            status, content, headers = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
            cache.set(key, (response.status_code, response.content, headers), PAGE_TTL)
        return response

    return wrapper
