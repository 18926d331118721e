from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from painpoint.knowledge.structured import script_tag

register = template.Library()

LEVEL_TEXT = {
    "emergency": "Emergency: call 911",
    "urgent": "See a doctor today",
    "appointment": "Book a visit",
    "self-care": "Often eased with self-care",
}


@register.filter
def jsonld(data: dict[str, Any]) -> SafeString:
    return script_tag(data)


@register.filter
def level_text(level: str) -> str:
    return LEVEL_TEXT.get(level, level)
