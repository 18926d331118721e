"""A small ranked full-text index for the knowledge base, with everyday names and typo tolerance.

A clinic's knowledge base holds about a hundred pages, so the index lives in memory and is rebuilt when the
content changes. That keeps search identical on SQLite and PostgreSQL, and lets it do what visitors need:
match everyday names ("slipped disc", "knot"), forgive typos ("sciatia", "plantar fascitis"), and rank a page
whose name or everyday name matches above one that only mentions the words.

Scoring is BM25 per field, with field weights: the name and everyday names count most, then the summary,
then the body. A query that matches a whole name or everyday name as a phrase gets a strong bonus.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

_WORD = re.compile(r"[a-z0-9]+")

# Words too common to carry meaning in a query.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "my",
        "of",
        "on",
        "or",
        "the",
        "this",
        "to",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "you",
        "your",
        "me",
        "am",
        "was",
        "were",
        "will",
        "not",
        "no",
    ]
)

# Spelling variants and everyday words, mapped to the words the content uses.
VARIANTS = {
    "disk": "disc",
    "disks": "discs",
    "tummy": "belly",
    "stomach": "belly",
    "abdomen": "belly",
    "bum": "buttock",
    "butt": "buttock",
    "haemorrhage": "hemorrhage",
    "oesophagus": "esophagus",
    "sciatic": "sciatica",
    "jointpain": "joint pain",
    "backache": "back pain",
    "headaches": "headache",
    "tendonitis": "tendinopathy",
    "tendinitis": "tendinopathy",
    "physio": "physical therapy",
    "physiotherapy": "physical therapy",
    "chiropractor": "chiropractic",
    "acupuncturist": "acupuncture",
}

FIELD_WEIGHTS = {"name": 6.0, "aka": 5.0, "summary": 2.0, "body": 1.0}
PHRASE_BONUS = 12.0
K1, B = 1.2, 0.75


def stem(word: str) -> str:
    """Reduce a word to a crude stem so that "knots", "knotted" and "knot" meet."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Return the meaningful words of `text`, lowercased, with spelling variants replaced."""
    result = []
    for word in _WORD.findall(text.lower().replace("'", "")):
        for part in VARIANTS.get(word, word).split():
            if part not in STOPWORDS:
                result.append(part)
    return result


def tokens(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Return the optimal-string-alignment distance of `a` and `b` (a swap of neighbours costs 1), or
    `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def normalise(text: str) -> str:
    return " ".join(tokens(text))


@dataclass(frozen=True)
class Document:
    key: str  # e.g. "condition:tennis-elbow"
    kind: str
    title: str
    url: str
    summary: str
    names: tuple[str, ...]  # the title and everyday names, matched as phrases
    aka: str
    body: str
    boost: float = 1.0  # a gentle prior, e.g. more common conditions first


@dataclass(frozen=True)
class Hit:
    document: Document
    score: float
    matched: tuple[str, ...]


@dataclass
class Index:
    documents: list[Document]
    postings: dict[str, dict[str, dict[int, int]]] = field(default_factory=dict)  # field -> term -> doc -> tf
    lengths: dict[str, list[int]] = field(default_factory=dict)
    vocabulary: set[str] = field(default_factory=set)
    phrases: list[set[str]] = field(default_factory=list)
    frequency: Counter[str] = field(default_factory=Counter)
    surface: dict[str, str] = field(default_factory=dict)  # stem -> the commonest word behind it

    @classmethod
    def build(cls, documents: Iterable[Document]) -> Index:
        index = cls(documents=list(documents))
        surfaces: Counter[tuple[str, str]] = Counter()
        for name in FIELD_WEIGHTS:
            index.postings[name] = defaultdict(dict)
            index.lengths[name] = []
        for number, document in enumerate(index.documents):
            fields = {
                "name": document.title,
                "aka": document.aka,
                "summary": document.summary,
                "body": document.body,
            }
            for name, text in fields.items():
                plain = words(text)
                terms = [stem(word) for word in plain]
                index.lengths[name].append(len(terms))
                for term, count in Counter(terms).items():
                    index.postings[name][term][number] = count
                    index.vocabulary.add(term)
                index.frequency.update(terms)
                surfaces.update(zip(terms, plain, strict=True))
            index.phrases.append({normalise(phrase) for phrase in document.names if phrase.strip()})
        for (term, word), _ in surfaces.most_common():
            index.surface.setdefault(term, word)
        return index

    def correct(self, term: str) -> str | None:
        """Return `term` if the index knows it, else the closest known term, else None.

        One slip is forgiven in words of four or five letters, two in longer ones; among equally close
        words the one used most in the knowledge base wins.
        """
        if term in self.vocabulary:
            return term
        if len(term) < 4 or term.isdigit():
            return None
        limit = 1 if len(term) <= 5 else 2
        best: tuple[int, int, str] | None = None
        for word in self.vocabulary:
            if abs(len(word) - len(term)) > limit or (word[0] != term[0] and word[-1] != term[-1]):
                continue
            distance = edit_distance(term, word, limit)
            if distance <= limit:
                candidate = (distance, -self.frequency.get(word, 0), word)
                if best is None or candidate < best:
                    best = candidate
        return best[2] if best else None

    def search(self, query: str, *, limit: int = 20) -> tuple[list[Hit], str | None]:
        """Return the best hits, and the corrected query when typos were fixed (else None)."""
        typed = words(query)
        corrected = []
        shown = []
        changed = False
        for word in typed:
            fixed = self.correct(stem(word))
            if fixed is None:
                changed = True
                continue
            corrected.append(fixed)
            if fixed == stem(word):
                shown.append(word)
            else:
                changed = True
                shown.append(self.surface.get(fixed, fixed))
        if not corrected:
            return [], None
        suggestion = " ".join(shown) if changed else None
        total = len(self.documents)
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, set[str]] = defaultdict(set)
        for name, weight in FIELD_WEIGHTS.items():
            lengths = self.lengths[name]
            average = (sum(lengths) / total) or 1.0
            for term in set(corrected):
                posting = self.postings[name].get(term, {})
                if not posting:
                    continue
                idf = math.log(1 + (total - len(posting) + 0.5) / (len(posting) + 0.5))
                for number, tf in posting.items():
                    norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[number] / average))
                    scores[number] += weight * idf * norm
                    matched[number].add(term)
        phrase = " ".join(corrected)
        for number, phrases in enumerate(self.phrases):
            if phrase in phrases:
                scores[number] += PHRASE_BONUS * 2
            elif any(
                phrase in candidate or candidate in phrase for candidate in phrases if len(candidate) > 3
            ):
                scores[number] += PHRASE_BONUS
        wanted = set(corrected)
        hits = []
        for number, score in scores.items():
            # Pages that match every query word rank above pages that match only some of them.
            coverage = len(matched[number] & wanted) / len(wanted)
            final = score * (0.5 + coverage) * self.documents[number].boost
            hits.append(Hit(self.documents[number], round(final, 3), tuple(sorted(matched[number]))))
        hits.sort(key=lambda hit: (-hit.score, hit.document.title))
        return hits[:limit], suggestion
