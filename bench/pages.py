"""Weigh the interview's pages in a real browser, check that nothing comes from another origin, score with
Lighthouse.

    .venv/bin/python bench/pages.py [--regions lower-back buttock-left] [--runs 3] [--no-lighthouse]

Starts `painpoint serve` in production mode (WhiteNoise serves the static files compressed) on a throwaway
database, then with Playwright and Debian's Chromium:

1. loads the body-map page (`/check/`) as a first-time visitor, then answers every step as a visitor would
   (the options below choose the answers) and loads each step again and the results page, each in a new
   browser context with the visitor's session cookie and an empty cache, so every figure is a first visit's;
2. records every request: any to another origin is printed and makes the script fail;
3. prints per page the requests, the bytes transferred (response headers plus the body as sent, compressed
   where the server compressed it) and the JavaScript among them, against the budget for the body-map page
   (100 KB in all, 20 KB of JavaScript; 1 KB = 1,000 bytes);
4. runs Lighthouse 12 (bench/package.json, installed with npm when missing) in its default mobile mode with
   simulated throttling on `/check/` and on the results page, `--runs` times each, and prints the median run's
   four category scores and its metrics (target: 95 or more for performance and accessibility).

Exits non-zero when a goal is missed: a request to another origin, the budget, or a Lighthouse target.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Request, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import running_site

sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
from painpoint.testing.chromium import CHROMIUM, CHROMIUM_ARGS

HERE = Path(__file__).resolve().parent

LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CONTINUE = ".check-actions button[type=submit]"

BUDGET_TOTAL = 100_000  # bytes transferred for the body-map page
BUDGET_JS = 20_000  # bytes of JavaScript transferred (compressed) for the body-map page
TARGET_SCORE = 95  # Lighthouse performance and accessibility

# The pages after the body map, in a visitor's order; each needs the session of a visitor who got there.
LATER_PAGES = [
    ("2 about you", "/check/you/"),
    ("3 just to be safe", "/check/safety/"),
    ("4 when it started", "/check/started/"),
    ("5 how it feels", "/check/feels/"),
    ("6 what changes it", "/check/behaves/"),
    ("results", "/check/results/"),
]
METRICS = [
    ("FCP", "first-contentful-paint"),
    ("LCP", "largest-contentful-paint"),
    ("TBT", "total-blocking-time"),
    ("CLS", "cumulative-layout-shift"),
    ("SI", "speed-index"),
]


@dataclass
class Weight:
    name: str
    path: str
    requests: int = 0
    total: int = 0
    javascript: int = 0
    html_compressed: bool = True
    html_gzip: int = 0  # the page's HTML body as gzip would send it (level 6), for comparison
    urls: list[str] = field(default_factory=list)


class Recorder:
    """Every request any page of the run makes, and the ones that went to another origin."""

    def __init__(self, base: str) -> None:
        self.origin = _origin(base)
        self.foreign: list[str] = []

    def watch(self, context: BrowserContext) -> None:
        context.on("request", self._seen)

    def _seen(self, request: Request) -> None:
        if request.url.startswith(("data:", "blob:")):
            return
        if _origin(request.url) != self.origin and request.url not in self.foreign:
            self.foreign.append(request.url)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def weigh(
    browser: Browser, recorder: Recorder, base: str, name: str, path: str, state: dict | None
) -> Weight:
    """Load `path` in a new context (empty cache) and add up what came over the wire."""
    context = browser.new_context(base_url=base, storage_state=state)
    recorder.watch(context)
    finished: list[Request] = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    page.goto(path, wait_until="networkidle")
    weight = Weight(name, path)
    for request in finished:
        sizes = request.sizes()
        size = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        response = request.response()
        content_type = response.headers.get("content-type", "") if response else ""
        weight.requests += 1
        weight.total += size
        weight.urls.append(f"{size:7d}  {request.url}")
        if request.resource_type == "script" or "javascript" in content_type:
            weight.javascript += size
        if request.resource_type == "document" and response and response.status == 200:
            weight.html_compressed = bool(response.headers.get("content-encoding"))
            weight.html_gzip = len(gzip.compress(response.body(), compresslevel=6))
    context.close()
    return weight


def answer_every_step(page: Page, regions: list[str], age: str) -> None:
    """Go through the interview as a visitor with a common, unremarkable story."""
    page.goto("/check/")
    for code in regions:
        page.check(f'input[name=regions][value="{code}"]')
    page.click(CONTINUE)
    page.fill("input[name=age]", age)
    page.click(CONTINUE)
    page.check('input[name=codes][value="none"]')
    page.click(CONTINUE)
    page.check('input[name=onset][value="onset-gradual"]')
    page.check('input[name=duration][value="10"]')
    page.click(CONTINUE)
    page.check('input[name=quality][value="quality-aching"]')
    page.click(CONTINUE)
    page.check('input[name=severity][value="5"]')
    page.click(CONTINUE)
    page.wait_for_url("**/check/results/")


def weight_table(rows: list[Weight]) -> str:
    lines = [
        f"| {'page':22} | {'requests':>8} | {'transferred':>11} | {'of which JS':>11} | HTML compressed | "
        "HTML body gzipped |",
        f"|{'-' * 24}|{'-' * 10}|{'-' * 13}|{'-' * 13}|-----------------|-------------------|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name:22} | {row.requests:8d} | {_kb(row.total):>11} | {_kb(row.javascript):>11} | "
            f"{'yes' if row.html_compressed else 'no':15} | {_kb(row.html_gzip):>17} |"
        )
    return "\n".join(lines)


def _kb(size: int) -> str:
    return f"{size / 1000:.1f} KB"


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE.exists():
        print("Installing Lighthouse with npm (bench/package.json)...", flush=True)
        # Not `npm ci`: a Lighthouse dependency asks for another package at "latest", which `npm ci` checks
        # against the registry, so it fails whenever that package has a new release.
        subprocess.run(
            ["npm", "install", "--no-save", "--prefix", str(HERE), "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
        )
    return LIGHTHOUSE


def lighthouse(url: str, folder: Path, *, cookie: str | None = None) -> dict:
    """One Lighthouse run (mobile, simulated throttling); returns the parsed JSON report."""
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.json"
    args = [
        str(ensure_lighthouse()),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--quiet",
    ]
    if cookie:
        args.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    for attempt in (1, 2):  # Chromium now and then fails to start under Lighthouse; one retry covers it
        run = subprocess.run(args, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True)
        if run.returncode == 0:
            return json.loads(report.read_text())
        print(f"Lighthouse failed on {url} (attempt {attempt}):\n{run.stderr[-2000:]}", file=sys.stderr)
    sys.exit("Lighthouse failed twice; see above")


@dataclass
class Score:
    name: str
    categories: dict[str, int]
    metrics: dict[str, str]
    runs: list[int]
    shortfalls: list[str]
    origins: set[str]
    final_url: str


def score(name: str, reports: list[dict]) -> Score:
    """The run with the median performance score, and every run's performance score."""
    performance = [round(100 * r["categories"]["performance"]["score"]) for r in reports]
    median = sorted(range(len(reports)), key=lambda i: performance[i])[len(reports) // 2]
    report = reports[median]
    categories = {key: round(100 * c["score"]) for key, c in report["categories"].items()}
    metrics = {label: report["audits"][key]["displayValue"] for label, key in METRICS}
    shortfalls = []
    for key in ("performance", "accessibility", "best-practices", "seo"):
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 0.9:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                shortfalls.append(f"{key}: {audit['title']}{value} [{ref['id']}]")
    network = report["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    origins = {_origin(item["url"]) for item in network if not item["url"].startswith("data:")}
    final = report.get("finalDisplayedUrl") or report.get("finalUrl", "")
    return Score(name, categories, metrics, performance, shortfalls, origins, final)


def score_table(rows: list[Score]) -> str:
    lines = [
        f"| {'page':10} | perf | a11y | best practices | SEO | runs (perf)   | "
        + " | ".join(f"{label:>7}" for label, _ in METRICS)
        + " |",
        f"|{'-' * 12}|------|------|----------------|-----|---------------|"
        + "|".join("-" * 9 for _ in METRICS)
        + "|",
    ]
    for row in rows:
        c = row.categories
        runs = ", ".join(str(n) for n in row.runs)
        lines.append(
            f"| {row.name:10} | {c['performance']:4d} | {c['accessibility']:4d} | "
            f"{c['best-practices']:14d} | {c['seo']:3d} | {runs:13} | "
            + " | ".join(f"{row.metrics[label]:>7}" for label, _ in METRICS)
            + " |"
        )
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--regions",
        nargs="+",
        default=["lower-back", "buttock-left", "thigh-back-left"],
        help="where the visitor's pain is (region codes)",
    )
    parser.add_argument("--age", default="45")
    parser.add_argument(
        "--runs", type=int, default=3, help="Lighthouse runs per page; the median is reported"
    )
    parser.add_argument("--no-lighthouse", action="store_true", help="only weigh the pages")
    parser.add_argument("--verbose", action="store_true", help="list every request with its size")
    parser.add_argument(
        "--reports",
        type=Path,
        help="keep the Lighthouse JSON reports in this folder (default: a temporary one)",
    )
    options = parser.parse_args()
    failures: list[str] = []

    with running_site() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        recorder = Recorder(base)
        weights = [weigh(browser, recorder, base, "1 body map (/check/)", "/check/", None)]

        visitor = browser.new_context(base_url=base)
        recorder.watch(visitor)
        answer_every_step(visitor.new_page(), options.regions, options.age)
        state = visitor.storage_state()
        session = next(c["value"] for c in state["cookies"] if c["name"] == "sessionid")
        visitor.close()
        weights += [weigh(browser, recorder, base, name, path, state) for name, path in LATER_PAGES]
        browser.close()

        scores: list[Score] = []
        if not options.no_lighthouse:
            scratch = tempfile.TemporaryDirectory(prefix="painpoint-lighthouse-")
            folder = options.reports or Path(scratch.name)
            for name, path, cookie in (
                ("/check/", "/check/", None),
                ("results", "/check/results/", f"sessionid={session}"),
            ):
                reports = [
                    lighthouse(
                        base + path, folder / f"{name.strip('/').replace('/', '-')}-{run}", cookie=cookie
                    )
                    for run in range(1, options.runs + 1)
                ]
                scores.append(score(name, reports))
                # Without the visitor's session the results page would send Lighthouse back to the first step.
                if not scores[-1].final_url.endswith(LATER_PAGES[-1][1] if cookie else "/check/where/"):
                    sys.exit(f"Lighthouse ended on {scores[-1].final_url} for {name}")
            scratch.cleanup()

    print(
        f"painpoint serve in production mode, SQLite; {CHROMIUM}, Python {platform.python_version()}; "
        f"visitor: {', '.join(options.regions)}, age {options.age}; every page loaded with an empty cache"
    )
    print()
    print(weight_table(weights))
    if options.verbose:
        for row in weights:
            print(f"\n{row.name}:\n" + "\n".join(row.urls))
    print()

    body_map = weights[0]
    foreign = set(recorder.foreign)
    for row in scores:
        foreign |= {origin for origin in row.origins if origin != recorder.origin}
    print(f"Requests to another origin: {len(foreign)} ({verdict(not foreign)})")
    for url in sorted(foreign):
        print(f"  {url}")
    if foreign:
        failures.append("requests to another origin")
    goals = [
        (
            f"body-map page transferred {_kb(body_map.total)} <= {_kb(BUDGET_TOTAL)}",
            body_map.total <= BUDGET_TOTAL,
        ),
        (
            f"body-map page JavaScript {_kb(body_map.javascript)} <= {_kb(BUDGET_JS)}",
            body_map.javascript <= BUDGET_JS,
        ),
    ]
    heaviest = max(weights, key=lambda w: w.total)
    print(f"Heaviest page: {heaviest.name}, {_kb(heaviest.total)}")

    if scores:
        print()
        print(
            f"Lighthouse {_lighthouse_version()} (mobile, simulated throttling), "
            f"the median of {options.runs} runs:"
        )
        print()
        print(score_table(scores))
        for row in scores:
            for key in ("performance", "accessibility"):
                goals.append(
                    (
                        f"Lighthouse {key} for {row.name}: {row.categories[key]} >= {TARGET_SCORE}",
                        row.categories[key] >= TARGET_SCORE,
                    )
                )
            if row.shortfalls:
                print(f"\nAudits under 0.9 on {row.name}:")
                for line in row.shortfalls:
                    print(f"  {line}")
    print()
    for text, ok in goals:
        print(f"{verdict(ok)}  {text}")
        if not ok:
            failures.append(text)
    if failures:
        sys.exit(f"\n{len(failures)} goal(s) missed")


def _lighthouse_version() -> str:
    package = HERE / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"] if package.exists() else "?"


if __name__ == "__main__":
    main()
