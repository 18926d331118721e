from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from painpoint.clinics.models import Clinic


def clinic(request: HttpRequest) -> dict[str, Any]:
    """Give every page the clinic (header phone, footer details, colours)."""
    return {"clinic": Clinic.objects.current()}
