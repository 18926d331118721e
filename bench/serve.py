"""Start `painpoint serve` in production mode on a throwaway database, for benchmark scripts.

Used by the bench/*.py scripts; not a test. DATABASE_URL, when set, is used as it is (point it at a throwaway
PostgreSQL database); otherwise a fresh SQLite file in a temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator

from painpoint.testing import server


@contextlib.contextmanager
def running_site(workers: int = 2) -> Iterator[str]:
    """Set up a throwaway site in production mode, with the bench views, and serve it; yield its base URL."""
    data = tempfile.mkdtemp(prefix="painpoint-bench-")
    env = server.site_env(
        data,
        database_url=os.environ.get("DATABASE_URL"),
        PAINPOINT_ENV="production",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        BEHIND_PROXY="false",
        PAINPOINT_WORKERS=str(workers),
        PAINPOINT_BENCH_VIEWS="true",
    )
    try:
        server.manage(env, "collectstatic", "--no-input", "-v0")
        server.prepare(env)
        with server.serving(env) as base:
            yield base
    finally:
        shutil.rmtree(data, ignore_errors=True)


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
        return shutil.which("wrk") or "wrk"
    sys.exit("wrk is missing: apt-get install wrk")


def wrk(
    url: str, *, seconds: int = 10, connections: int = 16, threads: int = 2, script: str | None = None
) -> dict:
    """Run wrk against `url` and return requests per second and latency percentiles in milliseconds."""
    args = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        args[1:1] = ["-s", script]
    output = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    figures = {"rps": 0.0, "p50": 0.0, "p99": 0.0, "errors": 0}
    for line in output.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            figures["rps"] = float(parts[1])
        elif parts and parts[0] in ("50%", "99%"):
            figures["p" + parts[0][:-1]] = _ms(parts[1])
        elif "Non-2xx or 3xx responses" in line or line.strip().startswith("Socket errors"):
            figures["errors"] += sum(int(p.rstrip(",")) for p in parts if p.rstrip(",").isdigit())
    return figures


def _ms(value: str) -> float:
    for suffix, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if value.endswith(suffix):
            return round(float(value[: -len(suffix)]) * factor, 2)
    return float(value)


def table(rows: list[tuple[str, dict]]) -> str:
    lines = [
        f"| {'what':34} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | errors |",
        f"|{'-' * 36}|{'-' * 10}|{'-' * 9}|{'-' * 9}|--------|",
    ]
    for name, f in rows:
        lines.append(
            f"| {name:34} | {f['rps']:8.0f} | {f['p50']:7.2f} | {f['p99']:7.2f} | {f['errors']:6d} |"
        )
    return "\n".join(lines)
