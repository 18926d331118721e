"""Read a rendered page the way the guard tests need: headings, JSON-LD, and every URL it would load."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

# Attributes through which a browser fetches something without the visitor clicking.
_LOADING = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("link", "href"),
    ("form", "action"),
    ("input", "src"),
}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


@dataclass
class Page(HTMLParser):
    h1_count: int = 0
    json_ld: list[Any] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    canonical: str | None = None
    inline_scripts: int = 0
    inline_handlers: list[str] = field(default_factory=list)
    _in_json_ld: bool = False
    _buffer: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "h1":
            self.h1_count += 1
        for name, value in values.items():
            if name.startswith("on"):
                self.inline_handlers.append(f"<{tag} {name}>")
            if (tag, name) in _LOADING:
                if tag == "link" and values.get("rel") in ("canonical", "alternate"):
                    continue
                self.loads.extend(part.strip().split(" ")[0] for part in value.split(",") if part.strip())
            if name == "style":
                self.loads.extend(_CSS_URL.findall(value))
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta[key] = values.get("content", "")
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")
        if tag == "script":
            if values.get("type") == "application/ld+json":
                self._in_json_ld = True
                self._buffer = []
            elif "src" not in values:
                self.inline_scripts += 1

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_json_ld:
            self.json_ld.append(json.loads("".join(self._buffer)))
            self._in_json_ld = False

    def foreign_loads(self, own_host: str) -> list[str]:
        """Return the URLs this page would fetch from any origin but its own."""
        foreign = []
        for url in self.loads:
            parts = urlsplit(url)
            if parts.scheme in ("", "data") and not url.startswith("//"):
                continue
            if parts.hostname != own_host:
                foreign.append(url)
        return foreign


def read(html: str | bytes) -> Page:
    page = Page()
    page.feed(html.decode() if isinstance(html, bytes) else html)
    page.close()
    return page
