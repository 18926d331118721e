"""Turn the files of `content/` into typed objects, collecting every problem as `file:line: message`.

This module imports nothing from Django and writes nothing: `painpoint load_content` syncs what it returns
into the database, and `painpoint assess` builds the engine's knowledge from it without a database.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from painpoint.engine.codes import LEVELS, REGION_CODES
from painpoint.engine.model import Knowledge
from painpoint.knowledge.parse_triage import parse_triage
from painpoint.lib.yamlines import Located, YamlProblem, load

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# ICD-10-CM as written in the code set: a letter, two characters, then optionally a dot and one to four
# more (M54.50, S39.012A, G44.86, M45.A0). A trailing "-" or "x" placeholder is not a code.
ICD10CM = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")
INTERNAL_LINK = re.compile(r"\]\((condition|treatment|article|region):([^)\s]*)\)")
ANY_LINK = re.compile(r"\]\(([^)\s]+)\)")

CATEGORIES = ("muscle", "joint", "nerve", "spine", "headache", "must-not-miss")
TREATMENT_KINDS = ("self-care", "movement", "hands-on", "medicine", "injection", "procedure", "referral")
VIEWS = ("front", "back", "both")
SIDES = ("left", "right", "centre")

CONDITION_SECTIONS = (
    "Symptoms",
    "Causes and risk factors",
    "When to get help now",
    "Self-care",
    "Treatments",
    "Prevention",
)
TREATMENT_SECTIONS = ("What it is", "What it helps", "What the evidence says", "What to expect", "Risks")

# Sources must be authoritative: guideline bodies, government health services and peer-reviewed references.
AUTHORITATIVE_DOMAINS = (
    "nice.org.uk",
    "acponline.org",
    "acpjournals.org",
    "orthoinfo.aaos.org",
    "medlineplus.gov",
    "nih.gov",
    "cdc.gov",
    "heart.org",
    "stroke.org",
    "nhs.uk",
    "jospt.org",
    "bmj.com",
    "aafp.org",
    "spine.org",
    "rheumatology.org",
    "arthritis.org",
    "who.int",
    "mayoclinic.org",
    "clevelandclinic.org",
    "hopkinsmedicine.org",
    "ichd-3.org",
    "asra.com",
    "painmed.org",
    "nccih.nih.gov",
    "ahrq.gov",
    "fda.gov",
)


# --- The typed objects ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Area:
    code: str
    label: str


@dataclass(frozen=True)
class RegionEntry:
    code: str
    label: str
    description: str
    view: str
    side: str
    area: str
    position: int


@dataclass(frozen=True)
class Escalation:
    to: str
    when: str


@dataclass(frozen=True)
class ConditionEntry:
    slug: str
    name: str
    medical_name: str
    aka: tuple[str, ...]
    category: str
    icd10: tuple[str, ...]
    regions: tuple[str, ...]
    commonness: int
    summary: str
    usual_level: str
    escalates: tuple[Escalation, ...]
    treatments: tuple[str, ...]
    sources: tuple[Source, ...]
    reviewed_by: str
    reviewed_on: date | None
    body: str
    path: str


@dataclass(frozen=True)
class TreatmentEntry:
    slug: str
    name: str
    aka: tuple[str, ...]
    kind: str
    summary: str
    helps: tuple[str, ...]
    sources: tuple[Source, ...]
    reviewed_by: str
    reviewed_on: date | None
    body: str
    path: str


@dataclass(frozen=True)
class ArticleEntry:
    slug: str
    title: str
    summary: str
    conditions: tuple[str, ...]
    treatments: tuple[str, ...]
    published_on: date | None
    sources: tuple[Source, ...]
    reviewed_by: str
    reviewed_on: date | None
    body: str
    path: str


@dataclass(frozen=True)
class Pack:
    areas: tuple[Area, ...]
    regions: tuple[RegionEntry, ...]
    conditions: tuple[ConditionEntry, ...]
    treatments: tuple[TreatmentEntry, ...]
    articles: tuple[ArticleEntry, ...]
    knowledge: Knowledge  # the red-flag rules and condition profiles, as the engine reads them
    version: str  # a digest of every file read: changes whenever the content changes


class ContentError(Exception):
    """The pack has problems; `problems` holds every one as `file:line: message`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the content pack")
        self.problems = problems


# --- Parsing ----------------------------------------------------------------------------------------------


@dataclass
class _Doc:
    """One Markdown file: its front matter with line numbers and its body."""

    path: Path
    shown: str
    meta: Located
    body: str
    body_first_line: int


@dataclass
class _Collector:
    problems: list[str] = field(default_factory=list)

    def add(self, shown: str, line: int, message: str) -> None:
        self.problems.append(f"{shown}:{line}: {message}")


def parse_pack(root: Path | str) -> Pack:
    """Read and check the whole content pack under `root`; raise ContentError listing every problem."""
    root = Path(root)
    out = _Collector()
    digest = hashlib.sha256()

    if not root.is_dir():
        raise ContentError([f"{_shown(root)}:1: content folder not found"])

    areas, regions = _parse_regions(root / "regions.yaml", out, digest)
    # A file whose front matter does not parse still counts as existing, so that links to it are not
    # reported as broken on top of its own problem.
    docs: dict[str, list[_Doc]] = {}
    known: dict[str, set[str]] = {"region": {region.code for region in regions}}
    for kind in ("condition", "treatment", "article"):
        docs[kind + "s"], known[kind] = _read_docs(root / (kind + "s"), out, digest)

    conditions = [_condition(doc, known, out) for doc in docs["conditions"]]
    treatments = [_treatment(doc, known, out) for doc in docs["treatments"]]
    articles = [_article(doc, known, out) for doc in docs["articles"]]
    knowledge = parse_triage(
        root,
        [c for c in conditions if c is not None],
        [t for t in treatments if t is not None],
        out,
        digest,
        _shown,
        _read_text,
        _unknown,
    )

    if out.problems or knowledge is None:
        raise ContentError(
            out.problems or [f"{_shown(root / 'triage')}:1: the triage content could not be read"]
        )
    version = digest.hexdigest()[:16]
    return Pack(
        areas=tuple(areas),
        regions=tuple(regions),
        conditions=tuple(c for c in conditions if c is not None),
        treatments=tuple(t for t in treatments if t is not None),
        articles=tuple(a for a in articles if a is not None),
        knowledge=replace(knowledge, content_version=version),
        version=version,
    )


def _shown(path: Path) -> str:
    """Show a path relative to the working folder when it lies below it, as editors and CI logs expect."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_text(path: Path, out: _Collector, digest: Any) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        out.add(_shown(path), 1, f"cannot read file: {exc.strerror}")
        return None
    digest.update(path.name.encode() + b"\0" + raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        out.add(_shown(path), line, "not valid UTF-8 text")
        return None


def _read_docs(folder: Path, out: _Collector, digest: Any) -> tuple[list[_Doc], set[str]]:
    """Return the parsed documents of `folder` and the slugs of every file in it."""
    if not folder.is_dir():
        out.add(_shown(folder), 1, "folder is missing")
        return [], set()
    docs = []
    slugs: set[str] = set()
    seen: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        shown = _shown(path)
        if path.suffix != ".md":
            out.add(shown, 1, "only .md files belong here")
            continue
        slug = path.stem
        if not SLUG.match(slug):
            out.add(
                shown, 1, f"file name {slug!r} is not a valid slug (lowercase letters, digits and hyphens)"
            )
            continue
        folded = slug.casefold()
        if folded in seen:
            out.add(shown, 1, f"duplicate slug {slug!r} (also {_shown(seen[folded])})")
            continue
        seen[folded] = path
        slugs.add(slug)
        text = _read_text(path, out, digest)
        if text is None:
            continue
        doc = _split_front_matter(path, shown, text, out)
        if doc is not None:
            docs.append(doc)
    return docs, slugs


def _split_front_matter(path: Path, shown: str, text: str, out: _Collector) -> _Doc | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        out.add(shown, 1, "missing front matter: the file must start with a line '---'")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        out.add(shown, 1, "front matter is not closed: add a line '---' after it")
        return None
    try:
        meta = load("\n".join(lines[1:end]), line_offset=1)
    except YamlProblem as problem:
        out.add(shown, problem.line, problem.message)
        return None
    for key, line in meta.duplicate_keys:
        out.add(shown, line, f"duplicate key {key!r}")
    if not isinstance(meta.data, dict):
        out.add(shown, 2, "front matter must be a set of 'key: value' lines")
        return None
    return _Doc(path=path, shown=shown, meta=meta, body="\n".join(lines[end + 1 :]), body_first_line=end + 2)


def _parse_regions(path: Path, out: _Collector, digest: Any) -> tuple[list[Area], list[RegionEntry]]:
    shown = _shown(path)
    text = _read_text(path, out, digest)
    if text is None:
        return [], []
    try:
        doc = load(text)
    except YamlProblem as problem:
        out.add(shown, problem.line, problem.message)
        return [], []
    for key, line in doc.duplicate_keys:
        out.add(shown, line, f"duplicate key {key!r}")
    data = doc.data if isinstance(doc.data, dict) else {}
    areas: list[Area] = []
    for index, item in enumerate(data.get("areas") or []):
        if not isinstance(item, dict) or not item.get("code") or not item.get("label"):
            out.add(shown, doc.line("areas", index), "each area needs a code and a label")
            continue
        areas.append(Area(code=str(item["code"]), label=str(item["label"])))
    area_codes = {area.code for area in areas}

    regions: list[RegionEntry] = []
    seen: set[str] = set()
    raw_regions = data.get("regions")
    if not isinstance(raw_regions, list):
        out.add(shown, doc.line("regions"), "missing 'regions:' list")
        raw_regions = []
    for index, item in enumerate(raw_regions):
        line = doc.line("regions", index)
        if not isinstance(item, dict):
            out.add(shown, line, "each region must be a set of 'key: value' lines")
            continue
        missing = [k for k in ("code", "label", "description", "view", "side", "area") if not item.get(k)]
        for key in missing:
            out.add(shown, line, f"region is missing required field {key!r}")
        if missing:
            continue
        code = str(item["code"])
        if code not in REGION_CODES:
            out.add(shown, doc.line("regions", index, "code"), _unknown("region code", code, REGION_CODES))
            continue
        if code in seen:
            out.add(shown, doc.line("regions", index, "code"), f"duplicate region code {code!r}")
            continue
        seen.add(code)
        for key, allowed in (("view", VIEWS), ("side", SIDES), ("area", tuple(area_codes))):
            if item[key] not in allowed:
                out.add(shown, doc.line("regions", index, key), _unknown(key, str(item[key]), allowed))
        regions.append(
            RegionEntry(
                code=code,
                label=str(item["label"]),
                description=str(item["description"]),
                view=str(item["view"]),
                side=str(item["side"]),
                area=str(item["area"]),
                position=index,
            )
        )
    for code in REGION_CODES:
        if code not in seen and raw_regions:
            out.add(shown, doc.line("regions"), f"region {code!r} of the assessment contract is missing")
    return areas, regions


# --- Field checks shared by the three kinds of entry -------------------------------------------------------


class _Fields:
    """Typed access to one document's front matter that records a problem for each bad field."""

    def __init__(self, doc: _Doc, out: _Collector, allowed: Iterable[str]) -> None:
        self.doc = doc
        self.out = out
        self.data: dict[str, Any] = doc.meta.data
        for key in self.data:
            if key not in allowed:
                self.problem((key,), _unknown("field", str(key), tuple(allowed)))

    def problem(self, path: tuple[str | int, ...], message: str) -> None:
        self.out.add(self.doc.shown, self.doc.meta.line(*path), message)

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem((key,), f"missing required field {key!r}")
            return ""
        if not isinstance(value, str):
            self.problem((key,), f"{key!r} must be text")
            return ""
        return value.strip()

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value and value not in allowed:
            self.problem((key,), _unknown(key, value, allowed))
        return value

    def strings(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None or value == []:
            if required:
                self.problem((key,), f"missing required field {key!r}")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem((key,), f"{key!r} must be a list of text items")
            return ()
        seen: set[str] = set()
        for index, item in enumerate(value):
            if item in seen:
                self.problem((key, index), f"{item!r} is listed twice in {key!r}")
            seen.add(item)
        return tuple(item.strip() for item in value)

    def slugs(
        self, key: str, kind: str, known: dict[str, set[str]], *, required: bool = True
    ) -> tuple[str, ...]:
        items = self.strings(key, required=required)
        for index, slug in enumerate(items):
            if slug not in known[kind]:
                self.problem((key, index), _unknown(f"{kind} slug", slug, tuple(sorted(known[kind]))))
        return items

    def optional_date(self, key: str) -> date | None:
        value = self.data.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        self.problem((key,), f"{key!r} must be a date written YYYY-MM-DD, or left empty")
        return None

    def sources(self) -> tuple[Source, ...]:
        value = self.data.get("sources")
        problems = source_problems(value)
        for path, message in problems:
            self.problem(("sources", *path), message)
        if not isinstance(value, list):
            return ()
        wrong = {path[0] for path, _ in problems if path}
        return tuple(
            Source(title=str(item["title"]).strip(), url=str(item["url"]).strip())
            for index, item in enumerate(value)
            if index not in wrong
        )

    def review(self) -> tuple[str, date | None]:
        by = self.data.get("reviewed_by") or ""
        if not isinstance(by, str):
            self.problem(("reviewed_by",), "'reviewed_by' must be text (a name and role), or left empty")
            by = ""
        on = self.optional_date("reviewed_on")
        if on and not by.strip():
            self.problem(("reviewed_by",), "'reviewed_on' is set, so 'reviewed_by' must name the reviewer")
        return by.strip(), on

    def body(self, known: dict[str, set[str]], sections: tuple[str, ...] = ()) -> str:
        doc = self.doc
        lines = doc.body.split("\n")
        headings: list[tuple[str, int]] = []
        fenced = False
        for offset, line in enumerate(lines):
            number = doc.body_first_line + offset
            if line.lstrip().startswith("```"):
                fenced = not fenced
            if fenced:
                continue
            if line.startswith("## "):
                headings.append((line[3:].strip(), number))
            if line.startswith("# "):
                self.out.add(doc.shown, number, "use '##' headings in the body: the page title is the h1")
            for match in INTERNAL_LINK.finditer(line):
                kind, slug = match.groups()
                if slug not in known[kind]:
                    self.out.add(
                        doc.shown, number, f"broken link: {_unknown(kind, slug, tuple(sorted(known[kind])))}"
                    )
            for match in ANY_LINK.finditer(line):
                target = match.group(1)
                if INTERNAL_LINK.match(f"]({target})"):
                    continue
                if not target.startswith("https://") and not target.startswith("#"):
                    self.out.add(
                        doc.shown,
                        number,
                        f"link {target!r}: link to entries as kind:slug (condition:…, treatment:…, "
                        "article:…, region:…) and to other sites with https://",
                    )
            if re.search(r"<\s*[a-zA-Z]", line) and not line.startswith("    "):
                self.out.add(doc.shown, number, "raw HTML is not allowed in content; use Markdown")
        if sections:
            found = [title for title, _ in headings]
            expected = list(sections)
            for title in expected:
                if title not in found:
                    self.out.add(doc.shown, doc.body_first_line, f"missing section '## {title}'")
            present = [title for title in found if title in expected]
            if not [t for t in expected if t not in found] and present != expected:
                self.out.add(
                    doc.shown, doc.body_first_line, "sections are out of order: " + ", ".join(expected)
                )
        if not doc.body.strip():
            self.out.add(doc.shown, doc.body_first_line, "the body is empty")
        return doc.body.strip() + "\n"


def source_problems(value: Any) -> list[tuple[tuple[int | str, ...], str]]:
    """What is wrong with a list of sources, as (path inside the list, message) pairs: the one rule for the
    content pack's files and for an edit in the admin."""
    if not value:
        return [((), "missing required field 'sources': cite at least one authoritative source")]
    if not isinstance(value, list):
        return [((), "'sources' must be a list of title and url pairs")]
    problems: list[tuple[tuple[int | str, ...], str]] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not item.get("title") or not item.get("url"):
            problems.append(((index,), "each source needs a 'title' and a 'url'"))
            continue
        problem = _check_source_url(str(item["url"]).strip())
        if problem:
            problems.append(((index, "url"), problem))
    return problems


def _check_source_url(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        return f"source url {url!r} must start with https://"
    host = parts.hostname or ""
    if not any(host == domain or host.endswith("." + domain) for domain in AUTHORITATIVE_DOMAINS):
        return f"source url {url!r} is not on an authoritative site (see AUTHORITATIVE_DOMAINS)"
    return None


def _unknown(what: str, value: str, allowed: tuple[str, ...]) -> str:
    message = f"unknown {what} {value!r}"
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    return message


# --- The three kinds --------------------------------------------------------------------------------------

_CONDITION_FIELDS = (
    "name",
    "medical_name",
    "aka",
    "category",
    "icd10",
    "regions",
    "commonness",
    "summary",
    "triage",
    "treatments",
    "sources",
    "reviewed_by",
    "reviewed_on",
)


def _condition(doc: _Doc, known: dict[str, set[str]], out: _Collector) -> ConditionEntry | None:
    f = _Fields(doc, out, _CONDITION_FIELDS)
    icd10 = f.strings("icd10")
    for index, code in enumerate(icd10):
        if not ICD10CM.match(code):
            f.problem(
                ("icd10", index), f"{code!r} is not shaped like an ICD-10-CM code (e.g. M54.50, S39.012A)"
            )
    commonness = f.data.get("commonness")
    if not isinstance(commonness, int) or isinstance(commonness, bool) or not 1 <= commonness <= 5:
        f.problem(("commonness",), "'commonness' must be a whole number from 1 (rare) to 5 (very common)")
        commonness = 1
    usual, escalates = _triage(f)
    reviewed_by, reviewed_on = f.review()
    return ConditionEntry(
        slug=doc.path.stem,
        name=f.text("name"),
        medical_name=f.text("medical_name", required=False),
        aka=f.strings("aka", required=False),
        category=f.choice("category", CATEGORIES),
        icd10=icd10,
        regions=f.slugs("regions", "region", known),
        commonness=commonness,
        summary=f.text("summary"),
        usual_level=usual,
        escalates=escalates,
        treatments=f.slugs("treatments", "treatment", known),
        sources=f.sources(),
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
        body=f.body(known, CONDITION_SECTIONS),
        path=doc.shown,
    )


def _triage(f: _Fields) -> tuple[str, tuple[Escalation, ...]]:
    triage = f.data.get("triage")
    if not isinstance(triage, dict):
        f.problem(("triage",), "missing required field 'triage' with 'usual' and 'escalates'")
        return "", ()
    usual = triage.get("usual")
    if usual not in LEVELS:
        f.problem(("triage", "usual"), _unknown("triage level", str(usual), LEVELS))
    escalates = []
    for index, item in enumerate(triage.get("escalates") or []):
        path = ("triage", "escalates", index)
        if not isinstance(item, dict) or not item.get("to") or not item.get("when"):
            f.problem(path, "each escalation needs 'to' (a level) and 'when' (in plain words)")
            continue
        if item["to"] not in LEVELS:
            f.problem((*path, "to"), _unknown("triage level", str(item["to"]), LEVELS))
            continue
        if usual in LEVELS and LEVELS.index(item["to"]) <= LEVELS.index(usual):
            f.problem((*path, "to"), f"an escalation must raise the level above {usual!r}")
        escalates.append(Escalation(to=item["to"], when=str(item["when"]).strip()))
    return str(usual or ""), tuple(escalates)


_TREATMENT_FIELDS = ("name", "aka", "kind", "summary", "helps", "sources", "reviewed_by", "reviewed_on")


def _treatment(doc: _Doc, known: dict[str, set[str]], out: _Collector) -> TreatmentEntry | None:
    f = _Fields(doc, out, _TREATMENT_FIELDS)
    reviewed_by, reviewed_on = f.review()
    return TreatmentEntry(
        slug=doc.path.stem,
        name=f.text("name"),
        aka=f.strings("aka", required=False),
        kind=f.choice("kind", TREATMENT_KINDS),
        summary=f.text("summary"),
        helps=f.slugs("helps", "condition", known, required=False),
        sources=f.sources(),
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
        body=f.body(known, TREATMENT_SECTIONS),
        path=doc.shown,
    )


_ARTICLE_FIELDS = (
    "title",
    "summary",
    "conditions",
    "treatments",
    "published_on",
    "sources",
    "reviewed_by",
    "reviewed_on",
)


def _article(doc: _Doc, known: dict[str, set[str]], out: _Collector) -> ArticleEntry | None:
    f = _Fields(doc, out, _ARTICLE_FIELDS)
    reviewed_by, reviewed_on = f.review()
    return ArticleEntry(
        slug=doc.path.stem,
        title=f.text("title"),
        summary=f.text("summary"),
        conditions=f.slugs("conditions", "condition", known, required=False),
        treatments=f.slugs("treatments", "treatment", known, required=False),
        published_on=f.optional_date("published_on"),
        sources=f.sources(),
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
        body=f.body(known),
        path=doc.shown,
    )
