"""Parse `content/triage/`: the red-flag rules and the condition profiles the assessment engine reads.

Like painpoint.knowledge.parse it imports nothing from Django, collects every problem as `file:line: message`
and returns typed objects: here the engine's own `Rule`, `Profile` and `Knowledge`.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any

from painpoint.engine.codes import FINDING_CODES, REGION_CODES, SEXES
from painpoint.engine.model import (
    Expr,
    Knowledge,
    Level,
    LevelWhen,
    Profile,
    Rule,
    RuleStep,
    Signal,
    TreatmentInfo,
)
from painpoint.engine.rules import OPERATORS, red_flag_findings
from painpoint.lib.markdown import ENTRY_PATHS
from painpoint.lib.yamlines import Located, YamlProblem, load

if TYPE_CHECKING:
    from painpoint.knowledge.parse import ConditionEntry, TreatmentEntry, _Collector

# The policy's rule ids (shared/spec/triage-policy.md): every one must exist, spelled exactly so.
POLICY_RULE_IDS = (
    "cauda-equina",
    "cauda-equina-bilateral",
    "progressive-weakness",
    "myelopathy",
    "spinal-infection",
    "cancer-history",
    "systemic-illness",
    "fragility-fracture",
    "major-trauma",
    "neck-trauma-high-risk",
    "cervical-artery",
    "stroke",
    "thunderclap-headache",
    "meningitis-signs",
    "giant-cell-arteritis",
    "cardiac",
    "aortic",
    "pulmonary-embolism",
    "deep-vein-thrombosis",
    "kidney",
    "septic-joint",
    "compartment-syndrome",
    "shingles",
    "tendon-rupture",
    "cannot-bear-weight",
    "limb-ischaemia",
    "cannot-use-arm",
    "sepsis",
    "pregnancy-warning",
)

LEVEL_CODES = {level.code: level for level in Level}
RULE_FIELDS = ("id", "level", "reason", "when", "escalate", "points_to", "points_to_if_fits", "source")


class _File:
    """One YAML file being read: its located data and a way to report problems at a path inside it."""

    def __init__(self, path: Path, shown: str, located: Located, out: _Collector) -> None:
        self.path, self.shown, self.located, self.out = path, shown, located, out

    def problem(self, where: tuple[str | int, ...], message: str) -> None:
        self.out.add(self.shown, self.located.line(*where), message)


def parse_triage(
    root: Path,
    conditions: list[ConditionEntry],
    treatments: list[TreatmentEntry],
    out: _Collector,
    digest: Any,
    shown: Any,
    read_text: Any,
    unknown: Any,
) -> Knowledge | None:
    folder = root / "triage"
    if not folder.is_dir():
        out.add(shown(folder), 1, "folder is missing")
        return None
    rules_file = _open(folder / "red_flags.yaml", out, digest, shown, read_text)
    groups: dict[str, tuple[str, ...]] = {}
    terms: dict[str, Expr] = {}
    rules: list[Rule] = []
    condition_slugs = {condition.slug for condition in conditions}
    if rules_file is not None:
        data = rules_file.located.data if isinstance(rules_file.located.data, dict) else {}
        groups = _groups(rules_file, data.get("groups") or {}, unknown)
        context = _Context(rules_file, groups, {}, unknown)
        for name, raw in (data.get("terms") or {}).items():
            expr = context.expr(raw, ("terms", name))
            if expr is not None:
                terms[name] = expr
        context.terms = terms
        rules = _rules(rules_file, data.get("rules"), context, condition_slugs, unknown)

    profiles = _profiles(folder / "profiles", conditions, groups, out, digest, shown, read_text, unknown)
    if profiles is None or rules_file is None:
        return None
    treatment_info = {
        t.slug: TreatmentInfo(slug=t.slug, name=t.name, url=ENTRY_PATHS["treatment"].format(t.slug))
        for t in treatments
    }
    return Knowledge(
        red_flag_findings=red_flag_findings(tuple(rules)),
        rules=tuple(rules),
        profiles=tuple(profiles),
        treatments=treatment_info,
        region_groups=groups,
        terms=terms,
    )


def _open(path: Path, out: _Collector, digest: Any, shown: Any, read_text: Any) -> _File | None:
    text = read_text(path, out, digest)
    if text is None:
        return None
    try:
        located = load(text)
    except YamlProblem as problem:
        out.add(shown(path), problem.line, problem.message)
        return None
    for key, line in located.duplicate_keys:
        out.add(shown(path), line, f"duplicate key {key!r}")
    return _File(path, shown(path), located, out)


def _groups(file: _File, raw: Any, unknown: Any) -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    if not isinstance(raw, dict):
        file.problem(("groups",), "'groups' must map a name to a list of region patterns")
        return groups
    for name, patterns in raw.items():
        if not isinstance(patterns, list):
            file.problem(("groups", name), f"group {name!r} must be a list of region patterns")
            continue
        codes: list[str] = []
        for index, pattern in enumerate(patterns):
            matched = _expand(str(pattern))
            if not matched:
                file.problem(("groups", name, index), unknown("region pattern", str(pattern), REGION_CODES))
            codes.extend(code for code in matched if code not in codes)
        groups[name] = tuple(codes)
    return groups


def _expand(pattern: str) -> list[str]:
    return [code for code in REGION_CODES if fnmatch.fnmatchcase(code, pattern)]


class _Context:
    """Turns the YAML form of a trigger into `Expr` nodes, reporting problems at their lines."""

    def __init__(self, file: _File, groups: dict[str, tuple[str, ...]], terms: dict[str, Expr], unknown: Any):
        self.file, self.groups, self.terms, self.unknown = file, groups, terms, unknown

    def regions(self, raw: Any, where: tuple[str | int, ...]) -> tuple[str, ...] | None:
        if not isinstance(raw, list) or not raw:
            self.file.problem(where, "expected a list of regions, region patterns (chest-*) or groups (@leg)")
            return None
        codes: list[str] = []
        for index, item in enumerate(raw):
            item = str(item)
            if item.startswith("@"):
                if item[1:] not in self.groups:
                    self.file.problem(
                        (*where, index), self.unknown("region group", item[1:], tuple(self.groups))
                    )
                    continue
                matched = list(self.groups[item[1:]])
            else:
                matched = _expand(item)
                if not matched:
                    self.file.problem((*where, index), self.unknown("region", item, REGION_CODES))
            codes.extend(code for code in matched if code not in codes)
        return tuple(codes)

    def findings(self, raw: Any, where: tuple[str | int, ...]) -> tuple[str, ...] | None:
        items = raw if isinstance(raw, list) else [raw]
        ok = True
        for index, item in enumerate(items):
            if item not in FINDING_CODES:
                path = (*where, index) if isinstance(raw, list) else where
                self.file.problem(path, self.unknown("finding", str(item), FINDING_CODES))
                ok = False
        return tuple(items) if ok and items else None

    def expr(self, raw: Any, where: tuple[str | int, ...]) -> Expr | None:
        if not isinstance(raw, dict) or len(raw) != 1:
            self.file.problem(
                where, "each condition is one 'operator: value' pair, e.g. 'finding: with-fever'"
            )
            return None
        ((op, value),) = raw.items()
        here = (*where, op)
        kind = OPERATORS.get(op)
        if kind is None:
            self.file.problem(here, self.unknown("operator", str(op), tuple(OPERATORS)))
            return None
        if kind == "expressions":
            if not isinstance(value, list) or not value:
                self.file.problem(here, f"'{op}' takes a list of conditions")
                return None
            children = [self.expr(item, (*here, index)) for index, item in enumerate(value)]
            return None if any(c is None for c in children) else Expr(op, tuple(children))  # type: ignore[arg-type]
        if kind == "expression":
            child = self.expr(value, here)
            return None if child is None else Expr(op, (child,))
        if kind == "term":
            if value not in self.terms:
                self.file.problem(here, self.unknown("term", str(value), tuple(self.terms)))
                return None
            return self.terms[value]
        if kind in ("finding", "findings"):
            codes = self.findings(value, here)
            return None if codes is None else Expr(op, codes)
        if kind == "regions":
            codes = self.regions(value, here)
            return None if codes is None else Expr(op, codes)
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                self.file.problem(here, f"'{op}' takes a number of 0 or more")
                return None
            return Expr(op, (value,))
        if kind == "sex":
            if value not in SEXES:
                self.file.problem(here, self.unknown("sex", str(value), SEXES))
                return None
            return Expr(op, (value,))
        if value is not True:
            self.file.problem(here, f"write '{op}: true'")
            return None
        return Expr(op)


def _rules(file: _File, raw: Any, context: _Context, condition_slugs: set[str], unknown: Any) -> list[Rule]:
    if not isinstance(raw, list):
        file.problem(("rules",), "missing 'rules:' list")
        return []
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where: tuple[str | int, ...] = ("rules", index)
        if not isinstance(item, dict):
            file.problem(where, "each rule is a set of 'key: value' lines")
            continue
        for key in item:
            if key not in RULE_FIELDS:
                file.problem((*where, key), unknown("rule field", str(key), RULE_FIELDS))
        rule_id = str(item.get("id") or "")
        if not rule_id:
            file.problem(where, "rule is missing its 'id'")
            continue
        if rule_id in seen:
            file.problem((*where, "id"), f"duplicate rule id {rule_id!r}")
            continue
        seen.add(rule_id)
        missing = [key for key in ("level", "reason", "when", "source") if not item.get(key)]
        for key in missing:
            file.problem(where, f"rule {rule_id!r} is missing required field {key!r}")
        if missing:
            continue
        level = LEVEL_CODES.get(item["level"])
        if level is None:
            file.problem((*where, "level"), unknown("level", str(item["level"]), tuple(LEVEL_CODES)))
            continue
        trigger = context.expr(item["when"], (*where, "when"))
        steps = [RuleStep(level=level, reason=" ".join(str(item["reason"]).split()))]
        for step_index, step in enumerate(item.get("escalate") or []):
            step_where = (*where, "escalate", step_index)
            if not isinstance(step, dict) or not all(step.get(k) for k in ("level", "reason", "when")):
                file.problem(step_where, "each escalation needs 'level', 'reason' and 'when'")
                continue
            step_level = LEVEL_CODES.get(step["level"])
            if step_level is None or step_level <= level:
                file.problem(
                    (*step_where, "level"), f"an escalation must require a level above {level.code!r}"
                )
                continue
            when = context.expr(step["when"], (*step_where, "when"))
            if when is not None:
                steps.append(
                    RuleStep(level=step_level, reason=" ".join(str(step["reason"]).split()), when=when)
                )
        pointed: dict[str, list[str]] = {}
        for key in ("points_to", "points_to_if_fits"):
            pointed[key] = [str(slug) for slug in item.get(key) or []]
            for point_index, slug in enumerate(pointed[key]):
                if slug not in condition_slugs:
                    file.problem(
                        (*where, key, point_index),
                        unknown("condition slug", slug, tuple(sorted(condition_slugs))),
                    )
        if trigger is not None:
            rules.append(
                Rule(
                    rule_id,
                    trigger,
                    tuple(steps),
                    tuple(pointed["points_to"]),
                    str(item["source"]).strip(),
                    points_to_if_fits=tuple(pointed["points_to_if_fits"]),
                )
            )
    for rule_id in POLICY_RULE_IDS:
        if rule_id not in seen and raw:
            file.problem(("rules",), f"rule {rule_id!r} of the triage policy is missing")
    return rules


_PROFILE_FIELDS = (
    "prior",
    "regions",
    "findings",
    "needs_any",
    "age",
    "sex",
    "duration",
    "settles_within_days",
    "level_when",
    "source",
)


def _profiles(
    folder: Path,
    conditions: list[ConditionEntry],
    groups: dict[str, tuple[str, ...]],
    out: _Collector,
    digest: Any,
    shown: Any,
    read_text: Any,
    unknown: Any,
) -> list[Profile] | None:
    if not folder.is_dir():
        out.add(shown(folder), 1, "folder is missing")
        return None
    by_slug = {condition.slug: condition for condition in conditions}
    profiles: list[Profile] = []
    found: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix != ".yaml":
            out.add(shown(path), 1, "only .yaml files belong here")
            continue
        slug = path.stem
        found.add(slug)
        file = _open(path, out, digest, shown, read_text)
        if file is None:
            continue
        condition = by_slug.get(slug)
        if condition is None:
            file.problem((), unknown("condition slug (the file name)", slug, tuple(sorted(by_slug))))
            continue
        data = file.located.data
        if not isinstance(data, dict):
            file.problem((), "a profile is a set of 'key: value' lines")
            continue
        profile = _profile(file, data, condition, groups, unknown)
        if profile is not None:
            profiles.append(profile)
    for slug in sorted(set(by_slug) - found):
        out.add(shown(folder / f"{slug}.yaml"), 1, f"condition {slug!r} has no profile: add this file")
    return profiles


def _profile(
    file: _File,
    data: dict[str, Any],
    condition: ConditionEntry,
    groups: dict[str, tuple[str, ...]],
    unknown: Any,
) -> Profile | None:
    context = _Context(file, groups, {}, unknown)
    for key in data:
        if key not in _PROFILE_FIELDS:
            file.problem((key,), unknown("profile field", str(key), _PROFILE_FIELDS))
    ok = True

    def number(key: str, low: float, high: float, default: float | None) -> float | None:
        nonlocal ok
        value = data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            file.problem((key,), f"'{key}' must be a number from {low:g} to {high:g}")
            ok = False
            return default
        return float(value)

    prior = number("prior", 0, 5, None)
    if prior is None:
        file.problem(("prior",), "missing required field 'prior' (0 rare … 3 very common)")
        ok = False

    regions: list[tuple[str, float]] = []
    raw_regions = data.get("regions")
    if not isinstance(raw_regions, dict) or not raw_regions:
        file.problem(("regions",), "missing 'regions': map each region, pattern or @group to a weight")
        ok = False
    else:
        for pattern, weight in raw_regions.items():
            codes = context.regions([pattern], ("regions", pattern))
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 5:
                file.problem(("regions", pattern), "a region weight is a number above 0 and at most 5")
                ok = False
                continue
            for code in codes or ():
                regions.append((code, float(weight)))

    signals: list[Signal] = []
    for code, value in (data.get("findings") or {}).items():
        where = ("findings", code)
        if code not in FINDING_CODES:
            file.problem(where, unknown("finding", str(code), FINDING_CODES))
            ok = False
            continue
        items = value if isinstance(value, list) else [value]
        weight = items[0] if items else None
        # `[3, a tight, tender knot]`: YAML splits an unquoted reason at its commas; put it back together.
        why = ", ".join(str(item).strip() for item in items[1:])
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not -6 <= weight <= 6
            or weight == 0
        ):
            file.problem(where, "write a finding as [weight, reason]: a weight from -6 to 6 (not 0)")
            ok = False
            continue
        if weight > 0 and not why:
            file.problem(
                where, "a finding that points towards the condition needs the reason the visitor reads"
            )
            ok = False
            continue
        signals.append(Signal(code=code, weight=float(weight), why=why))

    needs_any = data.get("needs_any") or []
    if needs_any and context.findings(needs_any, ("needs_any",)) is None:
        ok = False

    def pair(key: str, high: float) -> tuple[float, float] | None:
        nonlocal ok
        value = data.get(key)
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int | float) for v in value)
            or not 0 <= value[0] <= value[1] <= high
        ):
            file.problem((key,), f"'{key}' is [from, to] with 0 <= from <= to <= {high:g}")
            ok = False
            return None
        return (value[0], value[1])

    age = pair("age", 120)
    duration = pair("duration", 36500)
    sex_weights: list[tuple[str, float]] = []
    for sex, weight in (data.get("sex") or {}).items():
        if sex not in SEXES or isinstance(weight, bool) or not isinstance(weight, int | float):
            file.problem(("sex", sex), "write sex weights as 'female: 0.5' (female, male or other)")
            ok = False
            continue
        sex_weights.append((sex, float(weight)))
    settles = data.get("settles_within_days")
    if settles is not None and (isinstance(settles, bool) or not isinstance(settles, int) or settles <= 0):
        file.problem(("settles_within_days",), "'settles_within_days' is a whole number of days")
        ok = False
        settles = None
    level_when: list[LevelWhen] = []
    for index, item in enumerate(data.get("level_when") or []):
        where = ("level_when", index)
        if (
            not isinstance(item, dict)
            or item.get("level") not in LEVEL_CODES
            or not ("finding" in item or "after_days" in item)
        ):
            file.problem(where, "each 'level_when' has a level and a 'finding' and/or 'after_days'")
            ok = False
            continue
        finding = item.get("finding")
        if finding is not None and finding not in FINDING_CODES:
            file.problem((*where, "finding"), unknown("finding", str(finding), FINDING_CODES))
            ok = False
            continue
        after = item.get("after_days")
        if after is not None and (isinstance(after, bool) or not isinstance(after, int | float) or after < 0):
            file.problem((*where, "after_days"), "'after_days' is a number of days")
            ok = False
            continue
        level_when.append(LevelWhen(level=LEVEL_CODES[item["level"]], finding=finding, after_days=after))
    source = str(data.get("source") or "").strip()
    if not source:
        file.problem(("source",), "missing required field 'source'")
        ok = False
    if not ok or prior is None:
        return None
    return Profile(
        slug=condition.slug,
        name=condition.name,
        icd10=condition.icd10,
        url=ENTRY_PATHS["condition"].format(condition.slug),
        usual_level=LEVEL_CODES.get(condition.usual_level, Level.APPOINTMENT),
        serious=condition.category == "must-not-miss",
        prior=prior,
        regions=tuple(regions),
        signals=tuple(signals),
        age=(int(age[0]), int(age[1])) if age else None,
        sex_weights=tuple(sex_weights),
        duration=duration,
        settles_within_days=settles,
        needs_any=tuple(needs_any),
        treatments=condition.treatments,
        source=source,
        level_when=tuple(level_when),
    )
