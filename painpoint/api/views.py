"""The JSON API, version 1: `POST /api/v1/assessments` and the OpenAPI document.

No login and no CSRF token (a partner's page posts here), a per-client rate limit, and nothing stored: the
answers are assessed and forgotten. Every failure is a JSON body; none is a 500 or a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from painpoint.api.openapi import openapi_document
from painpoint.assessment.knowledge import clinic_knowledge
from painpoint.engine import assess
from painpoint.engine.model import Answers, Knowledge, Result
from painpoint.engine.validate import validate
from painpoint.lib.ratelimit import Rate, client_address, limiter

MAX_BODY_BYTES = 64 * 1024


def errors(status: int, *problems: tuple[str, str], headers: dict[str, str] | None = None) -> JsonResponse:
    body = {"errors": [{"path": path, "message": message} for path, message in problems]}
    response = JsonResponse(body, status=status, headers=headers)
    response["Cache-Control"] = "no-store"
    return response


def absolute_urls(result: dict[str, Any], origin: str) -> dict[str, Any]:
    """Make the result's page links absolute, so a partner's page can link to them."""
    for item in (*result["conditions"], *result["treatments"]):
        if item["url"].startswith("/"):
            item["url"] = origin + item["url"]
    return result


def limited(request: HttpRequest, scope: str, rate: str) -> JsonResponse | None:
    """A JSON 429 when this client has used up `rate` for `scope`, else None."""
    allowed, retry_after = limiter.allow(scope, client_address(request), Rate.parse(rate))
    if allowed:
        return None
    return errors(
        429,
        ("", f"too many requests; try again in {retry_after} s"),
        headers={"Retry-After": str(retry_after)},
    )


@csrf_exempt
def assessments(request: HttpRequest) -> HttpResponse:
    return answer(request, assess)


def answer(request: HttpRequest, engine: Callable[[Answers, Knowledge], Result]) -> HttpResponse:
    """Everything the endpoint does around `engine`: a benchmark passes a stand-in to measure the rest."""
    if request.method == "OPTIONS":
        return HttpResponse(status=204, headers={"Allow": "POST, OPTIONS"})
    if request.method != "POST":
        return errors(405, ("", "use POST with a JSON body"), headers={"Allow": "POST, OPTIONS"})
    refused = limited(request, "api.assessments", settings.API_RATE)
    if refused:
        return refused
    content_type = request.content_type or ""
    if content_type != "application/json":
        return errors(400, ("", "send the assessment as JSON with the header Content-Type: application/json"))
    if len(request.body) > MAX_BODY_BYTES:
        return errors(400, ("", f"the body is larger than {MAX_BODY_BYTES // 1024} KB"))
    try:
        raw = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = (
            f" at line {error.lineno}, column {error.colno}"
            if isinstance(error, json.JSONDecodeError)
            else ""
        )
        return errors(400, ("", f"the body is not valid JSON{where}"))
    answers, problems = validate(raw)
    if answers is None:
        return errors(400, *problems)
    knowledge = clinic_knowledge()
    result = engine(answers, knowledge).to_contract()
    origin = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    response = JsonResponse(absolute_urls(result, origin), json_dumps_params={"ensure_ascii": False})
    # Symptoms in, advice out: no shared cache may keep either.
    response["Cache-Control"] = "no-store"
    return response


def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document(), json_dumps_params={"indent": 2})
