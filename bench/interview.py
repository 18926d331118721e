"""Measure how long the interview is: the questions a visitor is asked and the time it takes, from the pages
the site really renders.

    .venv/bin/python bench/interview.py [--age 60] [--wpm 150] [--seconds-per-answer 3] [--seconds-per-page 2]

Starts `painpoint serve` in production mode on a throwaway database, then for every single region and for some
typical combinations goes through the interview over HTTP as a visitor with an unremarkable story (no warning
sign, a gradual start, aching, 5 out of 10, nothing else), reading each step's rendered form and following
the site's redirects, so a step is counted only when the site asks it. The typical combinations are gone
through a second time by a visitor who ticks one warning group ("Fever or chills, ...") on "Just to be safe"
and then the fever itself in "Tell us a bit more", the step that follows only a ticked group.

Counting rule, per question block (a fieldset with its legend) on each step:

- a choose-one group (radio buttons), the age box and the region picker are one question each;
- a "tick any" list of words to describe the pain (what it feels like, how it is going) is one question: the
  visitor picks the words that fit, as from a multiple choice;
- every other "tick any" list (the warning groups, which signs of a ticked group, spread, what else fits,
  since it started) is a list of statements about the visitor, each a yes-or-no the visitor has to consider:
  one question per statement ("None of these" and "I'm not sure which" are answers, not questions).

The "groups" column counts every block as one, for comparison.

A guard for shortening: the script lists the findings that a warning-sign rule (in
content/triage/red_flags.yaml) uses and whose question applies to the visitor's regions, but that the visitor
could not have given: neither offered on a step nor among the signs of a warning group shown (asked in the
details once the group is ticked). Signs asked only after an injury or a sudden start (`q.INJURY`) are left
out, since this visitor's pain came on slowly.

Time: the words on the step's form (heading, lead, legends, options, buttons; not the site's header, footer
or progress bar, and on the first step not the body map's labels or the 49-region list, since the visitor taps
the figure) at `--wpm`; `--seconds-per-answer` for each answer given (each region tapped, the age typed, one
choice or tick per block, "None of these" included); `--seconds-per-page` for each Continue and the next
page's load.

The floor: for the typical visitors, the estimate again without the words of every option shown only to tell
conditions apart (a finding in a list that no warning rule reads, bar "Aching or sore"): how far trimming the
lists could go before it has to take something triage reads.
"""

from __future__ import annotations

import argparse
import http.client
import platform
import re
import sys
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import running_site

sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
from painpoint.assessment import questions as q
from painpoint.engine.codes import FINDING_CODES

RED_FLAGS = Path(__file__).resolve().parents[1] / "content" / "triage" / "red_flags.yaml"

# Every step the site may ask, in order; a visitor is asked only those that apply.
STEPS = ["where", "you", "safety", "details", "started", "injury", "feels", "behaves"]
WORD_LISTS = {"quality", "course"}  # "tick any" lists of describing words: one question each
NOT_QUESTIONS = {"none", "unsure"}  # "None of these" and "I'm not sure which" are answers
# The answers of a visitor with an unremarkable story, per step (the regions are added for the first).
ANSWERS: dict[str, list[tuple[str, str]]] = {
    "you": [("sex", "")],
    "safety": [("codes", "none")],
    "started": [("onset", "onset-gradual"), ("duration", "10")],
    "injury": [("codes", "none")],
    "feels": [("quality", "quality-aching")],
    "behaves": [("severity", "5")],
}
# The one warning group the second visitor ticks, and the sign they then tick in the details.
WARNING_GROUP, WARNING_SIGN = "fever", "with-fever"
TYPICAL = [
    ("lower back", ["lower-back"]),
    ("lower back + left buttock + back of left thigh", ["lower-back", "buttock-left", "thigh-back-left"]),
    ("neck + right shoulder", ["neck-back", "shoulder-right"]),
    ("left knee", ["knee-left"]),
    ("jaw (left)", ["jaw-left"]),
    ("head", ["head"]),
    ("right wrist and hand", ["wrist-hand-right"]),
    ("left heel", ["heel-left"]),
    ("left chest + left upper arm", ["chest-left", "upper-arm-left"]),
    ("neck + lower back + both knees", ["neck-back", "lower-back", "knee-left", "knee-right"]),
]


@dataclass
class Block:
    """One fieldset: its legend and its inputs."""

    legend: str = ""
    kind: str = ""  # the input type: radio, checkbox, number
    name: str = ""
    options: list[str] = field(default_factory=list)  # the values, "none" included
    option_words: dict[str, int] = field(default_factory=dict)  # the words of each option's label

    def questions(self) -> int:
        if self.kind == "checkbox" and self.name not in WORD_LISTS | {"regions"}:
            return len([value for value in self.options if value not in NOT_QUESTIONS])
        return 1


class StepPage(HTMLParser):
    """The form of one interview step: its question blocks and the words a visitor reads."""

    SKIP_CLASSES = ("bodymap", "region-checklist")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.words = 0
        self.csrf = ""
        self.regions: list[str] = []
        self._in_form = 0  # element depth inside the step's form, 0 outside it
        self._skip = 0  # element depth inside a part not read (body map, region list, svg)
        self._in_legend = False
        self._block: Block | None = None
        self._label_value: str | None = None  # in an option's label: its input's value ("" until seen)
        self._label_words = 0

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "path"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = values.get("class", "").split()
        if tag == "form" and "check-form" in classes:
            self._in_form = 1
            return
        if not self._in_form:
            return
        if tag not in self.VOID:
            self._in_form += 1
            if self._skip or tag == "svg" or any(c.startswith(self.SKIP_CLASSES) for c in classes):
                self._skip += 1
        if tag == "fieldset":
            self._block = Block()
            self.blocks.append(self._block)
        elif tag == "legend":
            self._in_legend = True
        elif tag == "label":
            self._label_value, self._label_words = "", 0
        elif tag == "input":
            kind, name = values.get("type", "text"), values.get("name", "")
            if name == "csrfmiddlewaretoken":
                self.csrf = values.get("value", "")
            elif name == "regions":
                self.regions.append(values.get("value", ""))
            if self._block is not None and kind in ("radio", "checkbox", "number"):
                self._block.kind, self._block.name = kind, name
                self._block.options.append(values.get("value", ""))
                if self._label_value is not None:
                    self._label_value = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if not self._in_form or tag in self.VOID:
            return
        self._in_form -= 1
        if self._skip:
            self._skip -= 1
        if tag == "legend":
            self._in_legend = False
        elif tag == "label" and self._label_value is not None:
            if self._block is not None and self._label_value:
                self._block.option_words[self._label_value] = self._label_words
            self._label_value = None
        elif tag == "fieldset":
            self._block = None

    def handle_data(self, data: str) -> None:
        if self._in_legend and self._block is not None:
            self._block.legend += data
        if self._in_form and not self._skip:
            # Words, not numbers: the 0-10 scale and "1 to 2 days" are taken in at a glance.
            words = len([w for w in re.findall(r"[\w'’]+", data) if not w.isdigit()])
            self.words += words
            if self._label_value is not None:
                self._label_words += words


class Visitor:
    """A browser without a browser: one session over plain HTTP, following no redirect by itself.

    The session and CSRF cookies are Secure in production, which Python's cookie jar will not send over
    plain HTTP to 127.0.0.1, so the cookies are kept by hand."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        self.cookies: dict[str, str] = {}
        self.location = ""  # the path the last response redirected to

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        self.location = urlsplit(response.headers.get("Location", "")).path
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, text

    def close(self) -> None:
        self.connection.close()


@dataclass
class Case:
    name: str
    steps: int = 0
    questions: int = 0
    groups: int = 0
    words: int = 0
    answers: int = 0
    per_step: dict[str, int] = field(default_factory=dict)  # questions on each step asked
    shown: set[str] = field(default_factory=set)  # every option value the steps showed
    # The words of the options in the lists of findings (not the regions, the warning groups or how it is
    # going), by finding code: what the floor below may take away.
    finding_words: dict[str, int] = field(default_factory=dict)

    def reading(self, options: argparse.Namespace) -> float:
        return self.words / options.wpm * 60

    def seconds(self, options: argparse.Namespace) -> float:
        return (
            self.reading(options)
            + self.answers * options.seconds_per_answer
            + self.steps * options.seconds_per_page
        )

    def extra_words(self, warnings: set[str]) -> int:
        """The words of the options shown only to tell conditions apart: findings that no warning rule reads,
        bar "Aching or sore", the word any visitor can pick."""
        return sum(
            words
            for code, words in self.finding_words.items()
            if code not in warnings and code != "quality-aching"
        )

    def floor(self, options: argparse.Namespace, warnings: set[str]) -> float:
        """The estimate if every one of those options were cut, and nothing else."""
        return self.seconds(options) - self.extra_words(warnings) / options.wpm * 60


def go_through(base: str, name: str, regions: list[str], age: str, *, warning: bool = False) -> Case:
    """Answer every step the site asks for `regions` and count what each step asks. With `warning`, tick
    one warning group and then its first sign in the details."""
    visitor = Visitor(base)
    case = Case(name)
    path = "/check/where/"
    try:
        while path != "/check/results/":
            slug = path.strip("/").split("/")[-1]
            if slug not in STEPS or slug in case.per_step:
                raise RuntimeError(f"unexpected step {path} for {name}")
            status, html = visitor.request("GET", path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} for {name}")
            page = StepPage()
            page.feed(html)
            asked = sum(block.questions() for block in page.blocks)
            case.steps += 1
            case.questions += asked
            case.groups += len(page.blocks)
            case.words += page.words
            case.per_step[slug] = asked
            case.shown.update(value for block in page.blocks for value in block.options)
            for block in page.blocks:
                if block.kind == "checkbox" and block.name not in ("regions", "course"):
                    case.finding_words.update(
                        (code, words) for code, words in block.option_words.items() if code in FINDING_CODES
                    )
            case.answers += len(page.blocks) + (len(regions) - 1 if slug == "where" else 0)
            form = [("csrfmiddlewaretoken", page.csrf)]
            if slug == "where":
                form += [("regions", code) for code in regions]
            elif slug == "you":
                form.append(("age", age))
            if warning and slug == "safety":
                form.append(("codes", WARNING_GROUP))
            elif slug == "details":
                form.append((WARNING_GROUP, WARNING_SIGN))
            else:
                form += ANSWERS.get(slug, [])
            status, _ = visitor.request("POST", path, form)
            location = visitor.location
            if status != 302 or not location:
                raise RuntimeError(f"posting {path} answered {status} for {name}")
            path = location
        status, html = visitor.request("GET", "/check/results/")
        if status != 200 or "data-triage" not in html:
            raise RuntimeError(f"no results page for {name}")
    finally:
        visitor.close()
    return case


def warning_findings() -> set[str]:
    """The finding codes that the warning-sign rules name.

    Read from the YAML itself, not from `q.rule_findings()`, which the interview uses to decide what to ask:
    the guard must not share the code it checks. A code in a comment is counted too, which only errs strict.
    """
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", RED_FLAGS.read_text()))
    return words & set(FINDING_CODES)


def cut_warnings(case: Case, regions: list[str], age: str, warnings: set[str]) -> list[str]:
    """Warning-sign findings whose question applies to these regions but that the visitor could not give:
    neither offered on a step nor a sign of a warning group the safety step showed."""
    region_set, years = frozenset(regions), int(age)
    groups = (q.SAFETY, q.QUALITY, q.SPREAD, q.BEHAVIOUR, q.OTHER, q.HISTORY)
    applicable = [o.code for g in groups for o in q.applicable(g, region_set, years)]
    reachable = set(case.shown)
    for slug in case.shown & set(q.BY_GROUP):
        reachable |= {o.code for o in q.BY_GROUP[slug].items(region_set, years)}
    after_injury = set(q.INJURY) - q.GROUPED  # asked only after an injury or a sudden start
    return [
        code for code in applicable if code in warnings and code not in reachable and code not in after_injury
    ]


def all_regions(base: str) -> list[str]:
    visitor = Visitor(base)
    try:
        _, html = visitor.request("GET", "/check/where/")
    finally:
        visitor.close()
    page = StepPage()
    page.feed(html)
    return page.regions


def table(cases: list[Case], options: argparse.Namespace) -> str:
    header = " | ".join(f"{slug:>7}" for slug in STEPS)
    lines = [
        f"| {'case':48} | steps | questions | groups | words | answers | read s | est. s | {header} |",
        f"|{'-' * 50}|-------|-----------|--------|-------|---------|--------|--------|"
        + "|".join("-" * 9 for _ in STEPS)
        + "|",
    ]
    for case in cases:
        per_step = " | ".join(
            f"{case.per_step[slug]:7d}" if slug in case.per_step else f"{'-':>7}" for slug in STEPS
        )
        reading, seconds = case.reading(options), case.seconds(options)
        lines.append(
            f"| {case.name:48} | {case.steps:5d} | {case.questions:9d} | {case.groups:6d} | "
            f"{case.words:5d} | {case.answers:7d} | {reading:6.0f} | {seconds:6.0f} | "
            f"{per_step} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--age",
        default="60",
        help="the visitor's age; 50 or over also brings the questions kept for over-50s",
    )
    parser.add_argument("--wpm", type=float, default=150, help="reading speed in words a minute")
    parser.add_argument("--seconds-per-answer", type=float, default=3)
    parser.add_argument("--seconds-per-page", type=float, default=2)
    parser.add_argument("--max-questions", type=int, default=25, help="goal: never more questions than this")
    parser.add_argument(
        "--max-seconds", type=float, default=120, help="goal: a typical visitor finishes within"
    )
    parser.add_argument("--all", action="store_true", help="print the row of every single region too")
    options = parser.parse_args()

    with running_site() as base:
        typical = [go_through(base, name, regions, options.age) for name, regions in TYPICAL]
        warned = [go_through(base, name, regions, options.age, warning=True) for name, regions in TYPICAL]
        codes = all_regions(base)
        singles = [go_through(base, code, [code], options.age) for code in codes]
        warnings = warning_findings()
        cut = {
            case.name: cut_warnings(case, regions, options.age, warnings)
            for case, (_, regions) in zip(
                typical + singles, TYPICAL + [(code, [code]) for code in codes], strict=True
            )
        }
        # The engine takes at most 30 regions; the left side and the middle (30) touch every body area.
        most = [code for code in codes if not code.endswith("-right")]
        everything = go_through(
            base, f"all left + middle regions ({len(most)}, upper bound)", most, options.age
        )

    print(
        f"painpoint serve in production mode, Python {platform.python_version()}; age {options.age}; "
        f"{options.wpm:.0f} words a minute, {options.seconds_per_answer:g} s an answer, "
        f"{options.seconds_per_page:g} s a page"
    )
    print("\nTypical visitors, no warning sign (the last columns: questions on each step, - not asked):\n")
    print(table(typical, options))
    print(
        f"\nThe same visitors ticking one warning group ({WARNING_GROUP}) and then {WARNING_SIGN} in the "
        "details:\n"
    )
    print(table(warned, options))
    longest = max(singles, key=lambda c: (c.questions, c.seconds(options)))
    slowest = max(singles, key=lambda c: c.seconds(options))
    fewest = min(singles, key=lambda c: c.questions)
    print(f"\nEvery single region ({len(singles)}), no warning sign:\n")
    print(
        table(
            [
                *(singles if options.all else []),
                _renamed(fewest, f"fewest questions: {fewest.name}"),
                _renamed(longest, f"most questions: {longest.name}"),
                _renamed(slowest, f"slowest: {slowest.name}"),
                everything,
            ],
            options,
        )
    )
    median = sorted(c.seconds(options) for c in typical)[len(typical) // 2]
    slowest_typical = max(c.seconds(options) for c in typical)
    most_typical = max(c.questions for c in typical)
    limit = f"{options.max_seconds:g} s"
    goals = [
        (
            f"a typical visitor (the median typical case) finishes in {median:.0f} s <= {limit}",
            median <= options.max_seconds,
        ),
        (
            f"the slowest typical case finishes in {slowest_typical:.0f} s <= {limit}",
            all(c.seconds(options) <= options.max_seconds for c in typical),
        ),
        (
            f"most questions for a typical case {most_typical} <= {options.max_questions}",
            most_typical <= options.max_questions,
        ),
        (
            f"most questions for a single region {longest.questions} <= {options.max_questions}",
            longest.questions <= options.max_questions,
        ),
    ]
    cut = {name: codes for name, codes in cut.items() if codes}
    print(f"\nWarning-sign findings whose question applies but that no step offers ({len(cut)} cases):\n")
    alike: dict[str, list[str]] = {}  # cases with the same cut findings on one line
    for name, found in cut.items():
        alike.setdefault(", ".join(found), []).append(name)
    for found, names in alike.items():
        print(f"- {'; '.join(names)}: {found}")
    goals.append((f"no warning-sign question left out: {len(cut)} cases with one", not cut))
    print(
        "\nThe floor: typical visitors again, if every option shown only to tell conditions apart (a finding "
        "no warning rule reads, bar 'Aching or sore') were cut and nothing else:\n"
    )
    print(f"| {'case':48} | words | of which only to tell apart | est. s | floor s |")
    print(f"|{'-' * 50}|-------|-----------------------------|--------|---------|")
    for case in typical:
        print(
            f"| {case.name:48} | {case.words:5d} | {case.extra_words(warnings):27d} "
            f"| {case.seconds(options):6.0f} | {case.floor(options, warnings):7.0f} |"
        )
    floor_median = sorted(c.floor(options, warnings) for c in typical)[len(typical) // 2]
    print()
    for text, ok in goals:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    # Thirty regions is no visitor's story: shown as the upper bound, not held to the goal.
    print(f"info  questions for the upper bound (30 regions): {everything.questions}")
    print(f"info  the median typical case at the floor: {floor_median:.0f} s")
    if not all(ok for _, ok in goals):
        sys.exit("\ngoal(s) missed")


def _renamed(case: Case, name: str) -> Case:
    return replace(case, name=name)


if __name__ == "__main__":
    main()
