"""Benchmark the knowledge pages under `painpoint serve`, next to a bare Django view on the same server.

    .venv/bin/python bench/knowledge_pages.py [--seconds 10] [--connections 16]

Prints requests per second and p50/p99 latency for a condition page, a region page and a search, and for
the bare view as the baseline. wrk (Debian's package) is the load generator; it shares the machine's cores
with the server, so compare rows with each other rather than with other machines.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import running_site, table, wrk

TARGETS = [
    ("bare Django view (baseline)", "/_bench/bare"),
    ("condition page", "/conditions/sciatica-herniated-disc/"),
    ("region page", "/where-does-it-hurt/lower-back/"),
    ("search ('slipped disk')", "/search/?q=slipped+disk"),
    ("home page", "/"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    with running_site(workers=options.workers) as base:
        for _, path in TARGETS:  # warm each worker's caches and search index
            wrk(base + path, seconds=1, connections=4)
        rows = [
            (name, wrk(base + path, seconds=options.seconds, connections=options.connections))
            for name, path in TARGETS
        ]
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    server = f"painpoint serve (granian WSGI, {options.workers} workers)"
    print(
        f"{server}, {database}, Python {platform.python_version()}, "
        f"wrk {options.connections} connections x {options.seconds}s"
    )
    print(table(rows))
    baseline = rows[0][1]["rps"]
    for name, figures in rows[1:]:
        print(f"{name}: {100 * figures['rps'] / baseline:.0f}% of the bare view's throughput")


if __name__ == "__main__":
    main()
