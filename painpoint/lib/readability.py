"""Measure how easy patient-facing text is to read (US grade, Flesch-Kincaid).

The measure is taken over what a visitor reads: the summary and the body's paragraphs, list items and table
cells. Headings are left out, and each block counts as a sentence of its own even when it ends without a full
stop, so a short list item does not merge with the next one into one long "sentence".

Run ``python -m painpoint.lib.readability FILE...`` on content files to see their grades while writing.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import textstat
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark").enable("table")

# Links are written [text](target); only their text is read.
_TERMINAL = re.compile(r"[.!?:;]\s*$")


@dataclass(frozen=True)
class Readability:
    grade: float
    words: int


def plain_blocks(markdown: str) -> list[str]:
    """Return the readable text blocks of a Markdown document, headings left out."""
    blocks: list[str] = []
    in_heading = False
    for token in _md.parse(markdown):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and not in_heading:
            text = "".join(
                child.content for child in token.children or [] if child.type in ("text", "code_inline")
            )
            text = " ".join(text.split())
            if text:
                blocks.append(text)
    return blocks


def as_sentences(blocks: list[str]) -> str:
    return " ".join(block if _TERMINAL.search(block) else block + "." for block in blocks)


def measure(*texts: str) -> Readability:
    """Return the reading grade and word count of Markdown texts read one after the other."""
    blocks: list[str] = []
    for text in texts:
        blocks.extend(plain_blocks(text))
    prose = as_sentences(blocks)
    if not prose.strip():
        return Readability(grade=0.0, words=0)
    return Readability(
        grade=round(textstat.flesch_kincaid_grade(prose), 1), words=textstat.lexicon_count(prose)
    )


def _main(paths: list[str]) -> int:
    import yaml

    worst = 0.0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            raw = f.read()
        summary, body = "", raw
        if raw.startswith("---"):
            _, front, body = raw.split("---", 2)
            summary = (yaml.safe_load(front) or {}).get("summary", "") or ""
        result = measure(summary, body)
        worst = max(worst, result.grade)
        flag = "" if result.grade <= 8 else "  <-- above grade 8"
        print(f"{result.grade:5.1f}  {result.words:5d} words  {path}{flag}")
    return 0 if worst <= 8 else 1


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
