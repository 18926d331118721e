"""Check one assessment against contract v1 and build the engine's `Answers`, naming every problem.

Problems come back as (path, message) pairs: `regions[2]`, `unknown region code 'lower-bak' (did you mean
'lower-back'?)`. The HTTP endpoint turns them into `{"errors": [{"path", "message"}]}`, the command into lines
`[index].path: message`.
"""

from __future__ import annotations

import difflib
import math
from typing import Any

from painpoint.engine.codes import FINDING_CODES, REGION_CODES, SEXES
from painpoint.engine.model import Answers

FIELDS = ("age", "sex", "regions", "duration_days", "severity", "findings")
REQUIRED = ("age", "regions", "duration_days", "severity")
MAX_REGIONS = 30

_REGIONS = frozenset(REGION_CODES)
_FINDINGS = frozenset(FINDING_CODES)

Problem = tuple[str, str]


def nearest(value: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def _codes(
    raw: Any, name: str, known: frozenset[str], choices: tuple[str, ...], what: str, problems: list[Problem]
) -> list[str]:
    if not isinstance(raw, list):
        problems.append((name, f"expected an array of {what} codes"))
        return []
    codes: list[str] = []
    for index, item in enumerate(raw):
        path = f"{name}[{index}]"
        if not isinstance(item, str):
            problems.append((path, f"expected a {what} code as a string"))
        elif item not in known:
            problems.append((path, f"unknown {what} code {item!r}{nearest(item, choices)}"))
        elif item in codes:
            problems.append((path, f"{item!r} is listed twice"))
        else:
            codes.append(item)
    return codes


def validate(raw: Any) -> tuple[Answers | None, list[Problem]]:
    """Return the answers, or None with every problem found."""
    if not isinstance(raw, dict):
        return None, [("", "expected a JSON object with the fields " + ", ".join(FIELDS))]
    problems: list[Problem] = []
    for key in raw:
        if key not in FIELDS:
            problems.append((str(key), f"unknown field{nearest(str(key), FIELDS)}"))
    for key in REQUIRED:
        if key not in raw:
            problems.append((key, "this field is required"))

    age = _integer(raw.get("age")) if "age" in raw else None
    if "age" in raw and (age is None or not 0 <= age <= 120):
        problems.append(("age", "expected an integer from 0 to 120"))

    sex = raw.get("sex")
    if "sex" in raw and sex not in SEXES:
        problems.append(("sex", "expected one of 'female', 'male' or 'other' (or leave the field out)"))

    regions: list[str] = []
    if "regions" in raw:
        regions = _codes(raw["regions"], "regions", _REGIONS, REGION_CODES, "region", problems)
        if isinstance(raw["regions"], list) and not raw["regions"]:
            problems.append(("regions", "choose at least one region"))
        elif isinstance(raw["regions"], list) and len(raw["regions"]) > MAX_REGIONS:
            problems.append(("regions", f"at most {MAX_REGIONS} regions"))

    duration = raw.get("duration_days")
    if "duration_days" in raw and (
        isinstance(duration, bool)
        or not isinstance(duration, int | float)
        or not math.isfinite(duration)
        or duration < 0
    ):
        problems.append(("duration_days", "expected a number of days, 0 or more (0.04 is about an hour)"))

    severity = _integer(raw.get("severity")) if "severity" in raw else None
    if "severity" in raw and (severity is None or not 0 <= severity <= 10):
        problems.append(("severity", "expected an integer from 0 to 10"))

    findings = _codes(raw.get("findings", []), "findings", _FINDINGS, FINDING_CODES, "finding", problems)

    if problems:
        return None, problems
    return (
        Answers(
            age=age,  # type: ignore[arg-type]
            sex=sex,
            regions=frozenset(regions),
            duration_days=float(duration),  # type: ignore[arg-type]
            severity=severity,  # type: ignore[arg-type]
            findings=frozenset(findings),
        ),
        [],
    )
