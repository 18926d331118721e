"""Walk the interview whatever its steps are: each step's answer is built from the step's own form.

The interview changes as clinicians refine it; these tests only need a visitor who gets through it with a
mild, bookable result, and who types `free_text` into any free-text field a step may grow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from painpoint.assessment.steps import BY_SLUG, State

# Answers that keep the result mild (so booking stays open), where a step offers them.
PREFERRED: dict[str, list[str] | str] = {
    "regions": ["lower-back"],
    "age": "47",
    "sex": "female",
    "onset": "onset-gradual",
    "duration": "10",
    "quality": ["quality-aching"],
    "severity": "5",
}
NONE = ("none", "unsure")


def choice_values(field: forms.Field) -> list[str]:
    return [str(value) for value, _ in getattr(field, "choices", []) if str(value) != ""]


def answer(form_class: type[forms.Form], free_text: str) -> dict[str, Any]:
    """A valid, mild answer to a step's form."""
    data: dict[str, Any] = {}
    for name, field in form_class.base_fields.items():
        preferred = PREFERRED.get(name)
        values = choice_values(field)
        if isinstance(field, forms.MultipleChoiceField):
            if not values:
                continue
            if isinstance(preferred, list) and set(preferred) <= set(values):
                data[name] = preferred
            elif none := [value for value in values if value in NONE]:
                data[name] = none[:1]
            elif field.required:
                data[name] = values[:1]
        elif isinstance(field, forms.ChoiceField):
            if values:
                data[name] = preferred if preferred in values else values[0]
        elif isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
            data[name] = preferred if isinstance(preferred, str) else "5"
        elif isinstance(field, forms.BooleanField):
            data[name] = ""
        elif isinstance(field, forms.CharField):
            data[name] = free_text
    return data


def walk(
    get: Callable[[str], Any],
    post: Callable[[str, dict[str, Any]], Any],
    session: Callable[[], Any],
    free_text: str = "It aches.",
    junk: str | None = None,
) -> list[str]:
    """Answer every step from the start to the results; return the slugs answered.

    With `junk`, each step is first posted with `junk` in every field, which it must refuse.
    """
    response = get("/check/")
    path = response.wsgi_request.path
    answered = []
    for _ in range(20):
        if path == "/check/results/":
            return answered
        slug = path.strip("/").split("/")[-1]
        step = BY_SLUG[slug]
        form_class = step.form_class(State.load(session()))
        if junk is not None:
            refused = post(path, {name: [junk] for name in form_class.base_fields})
            assert refused.status_code == 200, f"{slug} took a junk answer"
        response = post(path, answer(form_class, free_text))
        assert response.wsgi_request.path != path, f"{slug} refused {answer(form_class, free_text)}"
        answered.append(slug)
        path = response.wsgi_request.path
    raise AssertionError(f"the interview did not end: {answered}")
