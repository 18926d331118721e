"""Views for benchmarks, mounted only when PAINPOINT_BENCH_VIEWS is on.

- `bare` and `bare_json`: the same server and middleware as every page, and no work of their own, so benchmark
  scripts can compare a real page with the cheapest response the stack can give.
- `without_engine`: the assessment endpoint with the engine's cost taken out. It reads, limits, parses and
  validates the body and encodes a full result as the endpoint does, but the result is one worked out once per
  process. It shows how much of the endpoint's cost is not the engine's: the most any engine could reach.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from painpoint.api.views import answer
from painpoint.engine import assess
from painpoint.engine.model import Answers, Knowledge, Result


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt  # posted to, like the assessment endpoint it is compared with
def bare_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


_first: list[Result] = []


def _first_result(answers: Answers, knowledge: Knowledge) -> Result:
    """The result of the first answers this process assessed, given again for every later request."""
    if not _first:
        _first.append(assess(answers, knowledge))
    return _first[0]


@csrf_exempt
def without_engine(request: HttpRequest) -> HttpResponse:
    return answer(request, _first_result)
