"""Per-client rate limits for public endpoints, kept in each server process's memory.

A sliding window of timestamps per (scope, client): cheap enough for the assessment endpoint's hot path (a
database write per request would cost more than the assessment itself). Each worker process counts on its
own, so with N workers a client can make at most N times the limit: set the limit with that in mind.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

View = Callable[..., HttpResponse]

MAX_CLIENTS = 50_000  # forget the oldest clients beyond this, so memory stays bounded


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Parse '60/m', '10/s', '1000/h' or '0' (no limit)."""
        if text.strip() in ("", "0"):
            return cls(0, 1)
        count, _, unit = text.partition("/")
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit.strip() or "m"]
        return cls(int(count), seconds)


class Limiter:
    def __init__(self) -> None:
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, scope: str, client: str, rate: Rate, now: float | None = None) -> tuple[bool, int]:
        """Record a request; return whether it is allowed and, if not, the seconds until it would be."""
        if rate.count <= 0:
            return True, 0
        now = time.monotonic() if now is None else now
        key = (scope, client)
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= MAX_CLIENTS:
                    self._hits.pop(next(iter(self._hits)))
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - rate.seconds:
                hits.popleft()
            if len(hits) >= rate.count:
                return False, max(1, int(hits[0] + rate.seconds - now) + 1)
            hits.append(now)
            return True, 0

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


limiter = Limiter()


def client_address(request: HttpRequest) -> str:
    """The client's address: the proxy's X-Forwarded-For entry when behind a trusted proxy."""
    if settings.SECURE_PROXY_SSL_HEADER and "HTTP_X_FORWARDED_FOR" in request.META:
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def limit_posts(scope: str, setting: str, methods: tuple[str, ...] = ("POST",)) -> Callable[[View], View]:
    """Refuse a client's submissions of a form (POSTs, or the GETs of a search form) beyond the rate in
    `settings.<setting>`, with a plain 429 page."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                rate = Rate.parse(getattr(settings, setting))
                allowed, retry_after = limiter.allow(scope, client_address(request), rate)
                if not allowed:
                    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
