"""A bare view for benchmarks: the same server and middleware as every page, and no work of its own.

Mounted only when PAINPOINT_BENCH_VIEWS is on, so benchmark scripts can compare a real page with the
cheapest response the stack can give.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt  # posted to, like the assessment endpoint it is compared with
def bare_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})
