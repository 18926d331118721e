"""The pain summary of a request: the interview's answers and result (contract v1 JSON) in plain words.

Staff read it on the entry page and print it for the record. It is built from what was stored with the
request, `Request.assessment` (`{"answers", "result", "summary"}`), never by running the engine again: staff
see what the visitor saw, even after the content has changed since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from painpoint.assessment import questions as q
from painpoint.engine.codes import FINDING_GROUPS
from painpoint.knowledge.models import Region

LEVEL_NAMES = {
    "emergency": "Emergency",
    "urgent": "Urgent",
    "appointment": "Appointment",
    "self-care": "Self-care",
}
LIKELIHOOD_NAMES = {"high": "Most likely", "medium": "Possible", "low": "Less likely"}
SEXES = {"female": "Female", "male": "Male", "other": "Other"}


def finding_texts() -> dict[str, str]:
    """Each finding code in the words the interview asked it; the contract's wording for API-only codes."""
    texts = {
        code: text[0].upper() + text[1:] for group in FINDING_GROUPS.values() for code, text in group.items()
    }
    texts.update(q.option_texts())
    return texts


def duration_words(days: float | int | None) -> str:
    """Say how long the pain has lasted: the interview's own span when it is one of them, else rounded."""
    if days is None:
        return ""
    spans = {float(value): label for value, label in q.DURATIONS}
    if float(days) in spans:
        return spans[float(days)]
    days = float(days)
    if days < 1:
        hours = max(1, round(days * 24))
        return f"About {hours} hour{'s' if hours != 1 else ''}"
    if days < 14:
        whole = round(days)
        return f"About {whole} day{'s' if whole != 1 else ''}"
    if days < 60:
        return f"About {round(days / 7)} weeks"
    if days < 730:
        return f"About {round(days / 30.4)} months"
    return f"About {round(days / 365.25)} years"


@dataclass(frozen=True)
class PainSummary:
    regions: list[str]  # contract codes, in the order given
    region_labels: list[str]
    age: int | None
    sex: str
    severity: int | None
    duration_days: float | None
    duration: str  # in words
    findings: list[tuple[str, str]]  # (code, plain words)
    answers: list[dict[str, Any]]  # {"label", "text", "items"} rows: the answers in plain words
    answers_from_visitor: bool  # the rows are the interview's own (True) or rebuilt from the codes (False)
    level: str
    level_name: str
    advice: str
    reasons: list[str]
    red_flags: list[dict[str, Any]]
    conditions: list[dict[str, Any]]
    treatments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def other_reasons(self) -> list[str]:
        """The reasons for the level that the red flags do not already give (the engine repeats them)."""
        flagged = {flag["reason"] for flag in self.red_flags}
        return [reason for reason in self.reasons if reason not in flagged]

    @property
    def selected_codes(self) -> str:
        """The regions as the body map's data-selected attribute wants them."""
        return " ".join(self.regions)


def build(assessment: dict[str, Any] | None) -> PainSummary | None:
    """Return the pain summary of a stored assessment, or None when the request came without one."""
    if not assessment or not isinstance(assessment.get("answers"), dict):
        return None
    answers: dict[str, Any] = assessment["answers"]
    result: dict[str, Any] = assessment.get("result") or {}
    regions = [str(code) for code in answers.get("regions", [])]
    labels = dict(Region.objects.filter(code__in=regions).values_list("code", "label"))
    region_labels = [labels.get(code, code) for code in regions]
    texts = finding_texts()
    findings = [(str(code), texts.get(code, str(code))) for code in answers.get("findings", [])]
    duration_days = answers.get("duration_days")
    duration = duration_words(duration_days)
    severity = answers.get("severity")
    # The interview stores its answers as the visitor read them; the API sends only codes, so rebuild the
    # same rows from the codes then.
    stored_rows = [
        {"label": str(row[0]), "text": str(row[1]), "items": []}
        for row in assessment.get("summary") or []
        if isinstance(row, list | tuple) and len(row) == 2
    ]
    rows = stored_rows or [
        {"label": "Where it hurts", "text": ", ".join(region_labels), "items": []},
        {"label": "Age", "text": str(answers.get("age", "")), "items": []},
        *(
            [{"label": "Sex", "text": SEXES.get(answers["sex"], answers["sex"]), "items": []}]
            if answers.get("sex")
            else []
        ),
        {"label": "Started", "text": f"{duration} ago" if duration else "", "items": []},
        {
            "label": "Worst pain in the last day",
            "text": f"{severity} out of 10" if severity is not None else "",
            "items": [],
        },
        {
            "label": "What they told us",
            "text": "" if findings else "Nothing else",
            "items": [text for _, text in findings],
        },
    ]
    level = str(result.get("triage", ""))
    conditions = [
        {
            "name": row.get("name", ""),
            "slug": row.get("slug", ""),
            "icd10": list(row.get("icd10", [])),
            "likelihood": row.get("likelihood", ""),
            "likelihood_name": LIKELIHOOD_NAMES.get(row.get("likelihood", ""), ""),
            "why": list(row.get("why", [])),
        }
        for row in result.get("conditions", [])
    ]
    return PainSummary(
        regions=regions,
        region_labels=region_labels,
        age=answers.get("age"),
        sex=SEXES.get(answers.get("sex", ""), ""),
        severity=severity,
        duration_days=duration_days,
        duration=duration,
        findings=findings,
        answers=rows,
        answers_from_visitor=bool(stored_rows),
        level=level,
        level_name=LEVEL_NAMES.get(level, level),
        advice=str(result.get("advice", "")),
        reasons=[str(reason) for reason in result.get("reasons", [])],
        red_flags=[
            {
                "id": flag.get("id", ""),
                "level": flag.get("level", ""),
                "level_name": LEVEL_NAMES.get(flag.get("level", ""), flag.get("level", "")),
                "reason": flag.get("reason", ""),
            }
            for flag in result.get("red_flags", [])
        ],
        conditions=conditions,
        treatments=list(result.get("treatments", [])),
    )
