"""Who may see the staff pages: signed in with a password and a one-time code, active lately, with a role.

Every staff page (the inbox under /staff/ and the admin under /admin/) goes through `StaffGate`: a session
that has not passed the one-time code, or has been idle too long, is sent to sign in again. Views then ask
for the permission their role needs with `@staff_permission(...)`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from painpoint.inbox.models import SignInAttempt, StaffDevice

VERIFIED_KEY = "painpoint.staff.verified"  # the session passed the one-time code
PENDING_KEY = "painpoint.staff.pending"  # password right, code still to come: the user's id
SEEN_KEY = "painpoint.staff.seen"  # last activity, seconds since the epoch
# Activity is written to the session at most this often: a write per staff request would save the session
# on every page and every poll. The idle limit is then kept to within this many seconds, never longer.
SEEN_EVERY = 30
PROTECTED = ("/staff/", "/admin/")
OPEN = ("/staff/sign-in/", "/staff/sign-out/", "/admin/login/", "/admin/logout/")


def idle_limit() -> int:
    return int(getattr(settings, "STAFF_IDLE_SECONDS", 15 * 60))


def is_verified(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.session.get(VERIFIED_KEY) == request.user.pk)


class StaffGate:
    """Middleware: staff URLs need a verified, recently active session; all of them are never cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(PROTECTED) and not path.startswith(OPEN):
            refused = self.refuse(request)
            if refused is not None:
                add_never_cache_headers(refused)
                return refused
        response = self.get_response(request)
        if path.startswith(PROTECTED):
            # Pages with patient data must not be kept by a browser or a proxy.
            add_never_cache_headers(response)
        return response

    def refuse(self, request: HttpRequest) -> HttpResponse | None:
        now = time.time()
        if is_verified(request):
            seen = request.session.get(SEEN_KEY, 0)
            if now - seen <= idle_limit():
                if now - seen >= SEEN_EVERY:
                    request.session[SEEN_KEY] = now
                return None
            logout(request)
            target = reverse("inbox:sign-in") + "?expired=1"
        else:
            target = reverse("inbox:sign-in")
        if request.method == "GET":
            # Only the path: a query string could hold a search or a filter.
            target += ("&" if "?" in target else "?") + "next=" + request.path
        return redirect(target)


def staff_permission(*perms: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse with 403 unless the signed-in staff member's role grants every one of `perms`."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_verified(request):
                return redirect(reverse("inbox:sign-in") + "?next=" + request.path)
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


# Throttling: at most this many failed sign-ins in the window, per user name and per address.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


def throttled(username: str, address: str) -> bool:
    since = timezone.now() - FAILURE_WINDOW
    recent = SignInAttempt.objects.filter(at__gte=since)
    return (
        recent.filter(username=username.lower()).count() >= MAX_FAILURES
        or recent.filter(address=address).count() >= MAX_FAILURES * 4
    )


def record_failure(username: str, address: str) -> None:
    SignInAttempt.objects.create(username=username.lower()[:150], address=address[:64])
    SignInAttempt.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def check_code(device: StaffDevice, code: str) -> bool:
    """Accept a 6-digit code from this step or the one either side, once only."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return False
    totp = pyotp.TOTP(device.secret)
    now = int(time.time())
    for drift in (-1, 0, 1):
        step = now // totp.interval + drift
        if step > device.last_step and totp.at(step * totp.interval) == code:
            # Spend this step and every earlier one, atomically: two requests with one code cannot both pass.
            updated = StaffDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
            return updated == 1
    return False
