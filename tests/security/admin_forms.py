"""Fill in a Django admin change form as a browser would send it back."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from django.test import Client


def admin_form(client: Client, url: str) -> dict[str, Any]:
    """The values of the admin's change form at `url`, unchanged."""
    page = BeautifulSoup(client.get(url).content.decode("utf-8"), "html.parser")
    form = page.select_one("form[id$=_form]")
    assert form is not None, f"no change form at {url}"
    data: dict[str, Any] = {}
    for element in form.select("input, select, textarea"):
        name = element.get("name")
        if not name or element.get("type") == "submit":
            continue
        if element.name == "textarea":
            data[name] = element.text.removeprefix("\n")
        elif element.name == "select":
            chosen = [option.get("value") for option in element.select("option[selected]")]
            data[name] = chosen if element.has_attr("multiple") else (chosen[0] if chosen else "")
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                data[name] = element.get("value", "on")
        else:
            data[name] = element.get("value", "")
    return data
