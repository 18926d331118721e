from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from painpoint.clinics.models import Clinic


@require_safe
def clinic_css(request: HttpRequest) -> HttpResponse:
    """Serve the clinic's colours as CSS variables, so no inline style is needed under the CSP."""
    clinic = Clinic.objects.current()
    css = f":root {{ --brand: {clinic.primary_colour}; --accent: {clinic.accent_colour}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def logo(request: HttpRequest) -> HttpResponse:
    clinic = Clinic.objects.current()
    if not clinic.logo:
        raise Http404("No logo")
    response = HttpResponse(bytes(clinic.logo), content_type=clinic.logo_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
