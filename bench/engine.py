"""Benchmark the assessment engine: in process with the shipped content and with generated knowledge bases of
growing size, and the HTTP endpoint under `painpoint serve` next to a bare Django JSON view and to the same
endpoint with the engine's cost taken out.

    .venv/bin/python bench/engine.py [--assessments 20000] [--seconds 10] [--skip-http]

Prints assessments per second and p50/p99 latency. The generated knowledge bases copy the shipped profiles and
rules with new names and shuffled codes, up to 2,000 conditions and 500 rules, to show how the cost grows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from painpoint.assessment.knowledge import base_knowledge
from painpoint.engine import assess
from painpoint.engine.codes import FINDING_CODES, REGION_CODES, SEXES
from painpoint.engine.model import Answers, Expr, Knowledge, Profile, Rule, Signal


def random_answers(rng: random.Random, count: int) -> list[Answers]:
    answers = []
    for _ in range(count):
        answers.append(
            Answers(
                age=rng.randint(16, 95),
                sex=rng.choice([None, *SEXES]),
                regions=frozenset(rng.sample(REGION_CODES, rng.randint(1, 4))),
                duration_days=rng.choice([0.1, 2, 10, 30, 90, 400]),
                severity=rng.randint(0, 10),
                findings=frozenset(rng.sample(FINDING_CODES, rng.randint(0, 8))),
            )
        )
    return answers


def shuffle_expr(expr: Expr, rng: random.Random) -> Expr:
    if expr.op in ("all", "any", "not"):
        return Expr(expr.op, tuple(shuffle_expr(child, rng) for child in expr.args))
    if expr.op in ("finding", "findings_any", "findings_all"):
        return Expr(expr.op, tuple(rng.sample(FINDING_CODES, len(expr.args))))
    if expr.op in ("regions_any", "both_sides"):
        return Expr(expr.op, tuple(rng.sample(REGION_CODES, min(len(expr.args), 20))))
    return expr


def generated(base: Knowledge, conditions: int, rules: int, seed: int = 7) -> Knowledge:
    rng = random.Random(seed)
    profiles: list[Profile] = []
    while len(profiles) < conditions:
        source = base.profiles[len(profiles) % len(base.profiles)]
        profiles.append(
            replace(
                source,
                slug=f"{source.slug}-{len(profiles)}",
                regions=tuple(
                    (code, weight)
                    for (_, weight), code in zip(
                        source.regions, rng.sample(REGION_CODES, len(source.regions)), strict=False
                    )
                ),
                signals=tuple(
                    Signal(code, s.weight, s.why)
                    for s, code in zip(
                        source.signals, rng.sample(FINDING_CODES, len(source.signals)), strict=False
                    )
                ),
            )
        )
    generated_rules: list[Rule] = []
    while len(generated_rules) < rules:
        source = base.rules[len(generated_rules) % len(base.rules)]
        generated_rules.append(
            replace(
                source,
                id=f"{source.id}-{len(generated_rules)}",
                trigger=shuffle_expr(source.trigger, rng),
                points_to=(),
            )
        )
    return replace(base, profiles=tuple(profiles), rules=tuple(generated_rules))


def measure(knowledge: Knowledge, answers: list[Answers]) -> dict[str, float]:
    for item in answers[:200]:
        assess(item, knowledge)  # warm up
    timings = []
    start = time.perf_counter()
    for item in answers:
        t0 = time.perf_counter_ns()
        assess(item, knowledge)
        timings.append((time.perf_counter_ns() - t0) / 1e6)
    elapsed = time.perf_counter() - start
    timings.sort()
    return {
        "per_second": len(answers) / elapsed,
        "p50": statistics.median(timings),
        "p99": timings[int(len(timings) * 0.99)],
        "mean": sum(timings) / len(timings),
    }


def in_process(count: int) -> None:
    base = base_knowledge()
    answers = random_answers(random.Random(1), count)
    print(f"In process, {count} random valid assessments each (Python {sys.version.split()[0]}):\n")
    print("| knowledge base                             | assessments/s | mean ms | p50 ms | p99 ms |")
    print("|--------------------------------------------|---------------|---------|--------|--------|")
    sizes = [(len(base.profiles), len(base.rules), base, "shipped content")]
    for conditions, rules in ((250, 62), (500, 125), (1000, 250), (2000, 500)):
        sizes.append((conditions, rules, generated(base, conditions, rules), "generated"))
    for conditions, rules, knowledge, label in sizes:
        figures = measure(
            knowledge, answers if label == "shipped content" else answers[: max(2000, count // 5)]
        )
        name = f"{label}: {conditions} conditions, {rules} rules"
        print(
            f"| {name:42} | {figures['per_second']:13.0f} | {figures['mean']:7.3f} | {figures['p50']:6.3f} "
            f"| {figures['p99']:6.3f} |"
        )


# The bare view is the baseline. The last row is the endpoint with a result worked out once per process in
# place of the engine (painpoint/lib/bench.py): the same parsing, validation and encoding, no engine cost.
PATHS = {
    "bare Django JSON view (baseline)": "/_bench/bare.json",
    "POST /api/v1/assessments": "/api/v1/assessments",
    "the same without the engine's cost": "/_bench/without-engine.json",
}


def http(seconds: int, connections: int) -> None:
    from serve import running_site, table, wrk

    # 200 different valid assessments, picked at random per request: no cache or branch predictor sees the
    # same body twice in a row, as with real visitors.
    bodies = []
    for answers in random_answers(random.Random(3), 200):
        bodies.append(json.dumps(answers.to_contract()))
    script = Path(tempfile.mkdtemp()) / "post.lua"
    script.write_text(
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nbodies = {'
        + ",".join("[[" + body + "]]" for body in bodies)
        + "}\nrequest = function()\n  return wrk.format(nil, nil, nil, bodies[math.random(#bodies)])\nend\n"
    )
    os.environ["PAINPOINT_API_RATE"] = (
        "0"  # one load generator is one client: measure the work, not the limit
    )
    with running_site() as base:
        for path in PATHS.values():
            wrk(base + path, seconds=1, connections=4, script=str(script))
        rows = [
            (name, wrk(base + path, seconds=seconds, connections=connections, script=str(script)))
            for name, path in PATHS.items()
        ]
    print(
        f"\nHTTP, painpoint serve (granian WSGI, 2 workers), SQLite, wrk {connections} connections x "
        f"{seconds}s, POSTs of 200 random valid assessments:\n"
    )
    print(table(rows))
    bare, endpoint, ceiling = (figures["rps"] for _, figures in rows)
    print(f"\nthe endpoint reaches {100 * endpoint / bare:.0f}% of the bare view's throughput")
    print(
        f"without the engine's cost it would reach {100 * ceiling / bare:.0f}%: "
        "the most any engine could give with this parsing, validation and encoding"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assessments", type=int, default=20000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--skip-http", action="store_true")
    options = parser.parse_args()
    in_process(options.assessments)
    if not options.skip_http:
        http(options.seconds, options.connections)


if __name__ == "__main__":
    main()
