"""Response headers that Django's SecurityMiddleware does not set, and compression for the public pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from painpoint.inbox.access import PROTECTED

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def security_headers(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Add a strict Content-Security-Policy: every asset comes from this origin, and no inline script runs."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

    return middleware


class CompressPublicPages(GZipMiddleware):
    """Gzip the public HTML pages (the body-map page: 38 KB, under 8 KB gzipped), never a staff page.

    Visitors are often on a phone with a weak signal, and `painpoint serve` does not compress. A staff page
    can show a search the user typed beside health information, the pattern the BREACH attack reads through
    compressed sizes; Django pads its gzip output against that, and the staff pages, read at a few desks,
    gain little from compression, so they are not compressed at all. The JSON API's answers are a few KB, read
    by partners' servers and scripts: compressing them would cost each assessment more than it saves. Static
    files are compressed ahead of time by WhiteNoise, which answers before this middleware is reached.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.path.startswith(PROTECTED) or not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
