"""Render content Markdown to safe HTML.

Links between entries are written `kind:slug` in the files (`[heat](treatment:heat-and-cold)`) and become site
paths here. The HTML is then sanitised with nh3, so no script, event handler or style can reach a page,
whether the text came from a file or from the admin.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# Where each kind of entry lives on the site; painpoint/knowledge/urls.py serves the same paths.
ENTRY_PATHS = {
    "condition": "/conditions/{}/",
    "treatment": "/treatments/{}/",
    "article": "/articles/{}/",
    "region": "/where-does-it-hurt/{}/",
}

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "pre",
    "br",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def resolve_link(target: str) -> str:
    kind, _, slug = target.partition(":")
    if kind in ENTRY_PATHS and slug and "/" not in slug:
        return ENTRY_PATHS[kind].format(slug)
    return target


def _render_link_open(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
    token = tokens[idx]
    href = token.attrGet("href") or ""
    token.attrSet("href", resolve_link(href))
    return self.renderToken(tokens, idx, options, env)


_md.add_render_rule("link_open", _render_link_open)
# markdown-it refuses unknown URL schemes such as "condition:"; ours are rewritten above, so let them through.
_default_validate = _md.validateLink
_md.validateLink = lambda url: url.split(":", 1)[0] in ENTRY_PATHS or _default_validate(url)  # type: ignore[method-assign]


def render_markdown(text: str) -> str:
    """Return sanitised HTML for Markdown `text`; outside links open as ordinary links without a referrer."""
    html = _md.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
