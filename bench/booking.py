"""Bookings per second and latency under concurrent load, on PostgreSQL, through the real server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/booking.py \\
        [--seconds 10] [--clients 16]

DATABASE_URL names the PostgreSQL server (its database name is not used): the script creates a throwaway
database there, migrates it, loads the content pack and the demo clinic, and adds a big calendar: 40
providers open around the clock for a 5-minute visit type made for the benchmark, with a 365-day booking
window and no minimum notice, so tens of thousands of distinct slots exist. It starts `painpoint serve` in
production mode (granian, 2 workers, rate limits off) and, with `--clients` threads on keep-alive connections,
for `--seconds` each:

1. books distinct slots: free slots pre-fetched from `GET /api/v1/slots`, shuffled and dealt out, so no two
   clients ever ask for the same slot (they do meet on the same provider's lock);
2. books colliding slots: every client walks the same list of slots, so each slot is fought over and one
   client wins it, the others get 409 "taken";
3. lists slots, `GET /api/v1/slots`: the demo's new-patient visit (2 providers, 7 days), and one bench
   provider's 5-minute slots for a day (287 slots).

It prints a table (requests/s, bookings/s, p50 and p99 latency, 409s, errors), then checks the database: as
many booked appointments as 201 answers, and no two of one provider overlapping. The clients run on the same
machine as the server and the database, so the figures are a floor, not a ceiling. The database is dropped
at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from painpoint.testing import server

PROVIDERS = 40
VISIT_TYPE = "bench-5min"
SLOTS_PER_PROVIDER_DAY = 287  # 00:00 to 23:55 every 5 minutes (a TimeField cannot say 24:00)

BIG_CALENDAR = f"""
from datetime import time
from painpoint.booking.models import Location, Provider, VisitType, WeeklyHours
from painpoint.clinics.models import Clinic

clinic = Clinic.objects.current()
clinic.booking_window_days = 365
clinic.minimum_notice_hours = 0
clinic.save()
location = Location.objects.order_by("pk").first()
visit, _ = VisitType.objects.update_or_create(
    slug="{VISIT_TYPE}",
    defaults=dict(
        name="Bench 5-minute visit", duration_minutes=5, mode=VisitType.INSTANT, order=99, active=True
    ),
)
providers = [Provider.objects.create(name=f"Bench provider {{i:02d}}") for i in range({PROVIDERS})]
visit.providers.set(providers)
WeeklyHours.objects.bulk_create(
    WeeklyHours(provider=p, location=location, weekday=day, start=time(0), end=time(23, 59))
    for p in providers
    for day in range(7)
)
print(
    f"{{len(providers)}} bench providers open 24/7 for {{visit.slug}}, "
    f"booking window {{clinic.booking_window_days}} days, minimum notice 0"
)
"""

OVERLAPS = """
    SELECT count(*) FROM booking_appointment a
    JOIN booking_appointment b
      ON a.provider_id = b.provider_id AND a.id < b.id AND a.start < b."end" AND b.start < a."end"
    WHERE a.status = 'booked' AND b.status = 'booked'
"""


# --- HTTP -------------------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection; a failed request closes it and the next one opens a new one."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.connection: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, data

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def get_json(base: str, path: str) -> dict[str, Any]:
    client = Client(base)
    try:
        status, data = client.send("GET", path)
    finally:
        client.close()
    if status != 200:
        raise RuntimeError(f"GET {path}: {status} {data[:300]!r}")
    return json.loads(data)


# --- load -------------------------------------------------------------------------------------------------

# A request to make: (method, path, body), or None when the client has nothing more to do.
Work = Callable[[int, int], tuple[str, str, bytes | None] | None]


@dataclass
class Figures:
    name: str
    booking: bool = False
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    ran_out: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000 if ordered else 0.0


def load(name: str, base: str, clients: int, seconds: float, work: Work, ok: set[int]) -> Figures:
    """Run `clients` threads for `seconds`, each asking `work(client, n)` for its n-th request."""
    figures = Figures(name, booking=201 in ok)
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def run(index: int) -> None:
        client = Client(base)
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        errors = ran_out = 0
        barrier.wait()
        n = 0
        while time.perf_counter() < deadline[0]:
            request = work(index, n)
            n += 1
            if request is None:
                ran_out = 1
                break
            method, path, body = request
            began = time.perf_counter()
            try:
                status, _ = client.send(method, path, body)
            except (http.client.HTTPException, OSError):
                status = 0
            latencies.append(time.perf_counter() - began)
            statuses[status] = statuses.get(status, 0) + 1
            if status not in ok:
                errors += 1
        client.close()
        with lock:
            figures.latencies.extend(latencies)
            for status, count in statuses.items():
                figures.statuses[status] = figures.statuses.get(status, 0) + count
            figures.errors += errors
            figures.ran_out += ran_out

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    figures.seconds = time.perf_counter() - began
    return figures


def booking_body(slot: dict[str, Any], who: str) -> bytes:
    return json.dumps(
        {
            "visit_type": VISIT_TYPE,
            "start": slot["start"],
            "provider": slot["provider"]["id"],
            "location": slot["location"]["id"],
            "patient": {
                "name": f"Bench patient {who}",
                "phone": "(555) 010-0000",
                "email": f"bench-{who}@example.org",
                "date_of_birth": "1980-01-01",
            },
            "consent": True,
        }
    ).encode()


def fetch_slots(base: str, first: date, days: int) -> list[dict[str, Any]]:
    """Every free bench slot from `first` for `days` days, one request per provider."""
    listing = get_json(base, f"/api/v1/slots?visit_type={VISIT_TYPE}&from={first}&to={first + timedelta(1)}")
    providers = sorted({slot["provider"]["id"] for slot in listing["slots"]})
    found: list[dict[str, Any]] = []
    for provider in providers:
        path = f"/api/v1/slots?visit_type={VISIT_TYPE}&provider={provider}&from={first}"
        found += get_json(base, f"{path}&to={first + timedelta(days)}")["slots"]
    return found


def table(rows: list[Figures]) -> str:
    lines = [
        f"| {'what':44} | {'requests':>8} | {'req/s':>7} | {'booked/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} "
        f"| {'409s':>6} | {'errors':>6} |",
        f"|{'-' * 46}|{'-' * 10}|{'-' * 9}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 8}|",
    ]
    for f in rows:
        booked = f.statuses.get(201, 0) / f.seconds if f.seconds else 0.0
        booked_text = f"{booked:8.0f}" if f.booking else f"{'-':>8}"
        lines.append(
            f"| {f.name:44} | {f.requests:8d} | {f.requests / f.seconds:7.0f} | {booked_text} "
            f"| {f.percentile(0.5):7.1f} | {f.percentile(0.99):7.1f} | {f.statuses.get(409, 0):6d} "
            f"| {f.errors:6d} |"
        )
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10, help="seconds of load per run (default 10)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not server.is_postgres(url):
        sys.exit(
            "bench/booking.py measures booking on PostgreSQL: set DATABASE_URL to a PostgreSQL server, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (a throwaway database is made there)"
        )

    import psycopg

    with (
        tempfile.TemporaryDirectory(prefix="painpoint-bench-") as data,
        server.throwaway_postgres(url, "painpoint_bench") as database,
    ):
        env = server.site_env(
            data,
            database_url=database,
            PAINPOINT_ENV="production",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            BEHIND_PROXY="false",
            PAINPOINT_WORKERS=str(options.workers),
        )
        setup_began = time.perf_counter()
        server.prepare(env)
        server.manage(env, "collectstatic", "--no-input", "-v0")
        calendar = server.manage(env, "shell", "-c", BIG_CALENDAR).strip().splitlines()[-1]
        with psycopg.connect(database) as connection:
            version = connection.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        print(
            f"machine: {os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}, "
            f"PostgreSQL {version}, load average before {os.getloadavg()[0]:.2f}"
        )
        print(f"calendar: {calendar} (set up in {time.perf_counter() - setup_began:.0f} s)")

        with server.serving(env) as base:
            rows = run_all(base, options.clients, options.seconds)
            log = server.log_tail(env, 20)

        with psycopg.connect(database) as connection:
            booked = connection.execute(
                "SELECT count(*) FROM booking_appointment WHERE status = 'booked'"
            ).fetchone()[0]  # type: ignore[index]
            overlaps = connection.execute(OVERLAPS).fetchone()[0]  # type: ignore[index]

    print()
    print(
        f"painpoint serve: {options.workers} workers, production mode; {options.clients} client threads, "
        f"{options.seconds:g} s a run, keep-alive"
    )
    print(table(rows))
    won = sum(f.statuses.get(201, 0) for f in rows)
    print()
    print(f"database: {booked} booked appointments for {won} answers 201; {overlaps} overlapping pairs")
    for f in rows:
        if f.ran_out:
            print(f"note: {f.ran_out} clients ran out of pre-fetched slots in '{f.name}'")
        other = {status: count for status, count in f.statuses.items() if status not in (200, 201, 409)}
        if other:
            print(f"unexpected answers in '{f.name}': {other}")
    failed = booked != won or overlaps or any(f.errors for f in rows)
    if failed:
        print("FAILED: errors, or the database disagrees with the answers; server log:\n" + log)
    return 1 if failed else 0


def run_all(base: str, clients: int, seconds: float) -> list[Figures]:
    zone = ZoneInfo(get_json(base, "/api/v1/slots?visit_type=new-patient")["time_zone"])
    # Enough slots for about 1,000 bookings a second; a client that runs out stops (and is reported).
    days = max(1, math.ceil(seconds * 1000 / (PROVIDERS * SLOTS_PER_PROVIDER_DAY)))
    first = datetime.now(zone).date() + timedelta(days=2)
    distinct = fetch_slots(base, first, days)
    random.Random(1).shuffle(distinct)
    dealt = [distinct[i::clients] for i in range(clients)]
    shared = fetch_slots(base, first + timedelta(days=days), days)
    shared.sort(key=lambda slot: (slot["start"], slot["provider"]["id"]))

    def book_distinct(client: int, n: int) -> tuple[str, str, bytes | None] | None:
        mine = dealt[client]
        return (
            ("POST", "/api/v1/appointments", booking_body(mine[n], f"{client}-{n}"))
            if n < len(mine)
            else None
        )

    def book_shared(client: int, n: int) -> tuple[str, str, bytes | None] | None:
        if n >= len(shared):
            return None
        return "POST", "/api/v1/appointments", booking_body(shared[n], f"shared-{client}-{n}")

    demo_slots = "/api/v1/slots?visit_type=new-patient"
    one_day = f"/api/v1/slots?visit_type={VISIT_TYPE}&provider={distinct[0]['provider']['id']}&from={first}"
    one_day += f"&to={first + timedelta(1)}"

    def get(path: str) -> Work:
        return lambda client, n: ("GET", path, None)

    load("warm-up", base, clients, 1, get(demo_slots), {200})
    return [
        load("book: distinct slots", base, clients, seconds, book_distinct, {201}),
        load("book: all clients on the same slots", base, clients, seconds, book_shared, {201, 409}),
        load("GET slots: new-patient, 2 providers, 7 days", base, clients, seconds, get(demo_slots), {200}),
        load("GET slots: bench-5min, 1 provider, 1 day", base, clients, seconds, get(one_day), {200}),
    ]


if __name__ == "__main__":
    sys.exit(main())
