"""Many visitors race for the same few slots on the real server: each slot is booked once, the rest are told
it was taken, and nothing breaks.

Each test starts `painpoint serve` (granian, 4 worker processes) on a database of its own, loaded as a clinic
would load it, gets a few free new-patient slots of one provider from `GET /api/v1/slots` (two of them
overlapping: 45 minutes long, 30 minutes apart), and releases 48 client threads at once, each posting an
appointment for one of them. Afterwards the answers and the database itself are checked.

The control run switches the guard off (`PAINPOINT_TEST_ONLY_NO_BOOKING_GUARD=true`: no provider lock, no
calendar units) and requires the race to double-book, which proves the race is real and this test can fail.

The PostgreSQL tests need `DATABASE_URL=postgres://...`: they make their own `painpoint_race_*` databases
on that server and drop them afterwards (pytest-django's `test_*` database is not touched). The SQLite test
always runs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from painpoint.testing import server

CLIENTS = 48
WORKERS = "4"
VISIT_TYPE = "new-patient"  # 45 minutes, offered every 30 minutes: neighbouring slots overlap
GUARDED_ROUNDS = 3
CONTROL_ROUNDS = 10  # the control run gives up (and fails) if the race never shows in this many rounds
DATABASE_URL = os.environ.get("DATABASE_URL", "")
TAKEN = "taken"  # "Sorry, that time was just taken. Please choose another."

# Two booked appointments of one provider that share a moment.
OVERLAPS = """
    SELECT count(*) FROM booking_appointment a
    JOIN booking_appointment b
      ON a.provider_id = b.provider_id AND a.id < b.id AND a.start < b."end" AND b.start < a."end"
    WHERE a.status = 'booked' AND b.status = 'booked'
"""
BOOKED = """
    SELECT id, provider_id, start, "end" FROM booking_appointment
    WHERE status = 'booked' AND provider_id = {p}
"""


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    provider: int
    location: int

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Slot:
        return cls(_instant(raw["start"]), _instant(raw["end"]), raw["provider"]["id"], raw["location"]["id"])

    def overlaps(self, other: Slot | tuple[datetime, datetime]) -> bool:
        start, end = (other.start, other.end) if isinstance(other, Slot) else other
        return self.start < end and start < self.end

    @property
    def iso(self) -> str:
        return self.start.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Answer:
    slot: Slot
    status: int
    body: dict[str, Any]


@dataclass
class Site:
    base: str
    env: dict[str, str]
    booked: Any  # () -> [(id, provider_id, start, end)] of every booked appointment of the raced provider
    overlaps: Any  # () -> number of overlapping pairs of booked appointments in the whole database
    provider: int | None = None


def _instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:  # ISO 8601 from the API ("...Z") or SQLite's text ("2026-11-24 21:00:00")
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- the sites --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres_template(tmp_path_factory) -> Iterator[str]:
    """A PostgreSQL database migrated and loaded once; each test copies it (CREATE DATABASE ... TEMPLATE)."""
    if not server.is_postgres(DATABASE_URL):
        pytest.skip(
            "the race test on PostgreSQL needs DATABASE_URL=postgres://... (a server where it may create "
            "and drop painpoint_race_* databases)"
        )
    with server.throwaway_postgres(DATABASE_URL, "painpoint_race_template") as url:
        server.prepare(server.site_env(tmp_path_factory.mktemp("template"), database_url=url))
        yield server.database_name(url)


@contextmanager
def postgres_site(template: str, data_dir: Path, guard: bool) -> Iterator[Site]:
    import psycopg

    with server.throwaway_postgres(DATABASE_URL, "painpoint_race", template=template) as url:
        env = server.site_env(data_dir, database_url=url, **_race_settings(guard))

        def query(sql: str) -> list[tuple[Any, ...]]:
            with psycopg.connect(url) as connection:
                return connection.execute(sql).fetchall()

        with server.serving(env) as base:
            site = Site(base, env, booked=None, overlaps=lambda: query(OVERLAPS)[0][0])
            site.booked = lambda: query(BOOKED.format(p=int(site.provider or 0)))
            yield site


@contextmanager
def sqlite_site(data_dir: Path, guard: bool) -> Iterator[Site]:
    env = server.site_env(data_dir, **_race_settings(guard))
    server.prepare(env)
    database = data_dir / "painpoint.sqlite3"

    def query(sql: str) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(database, timeout=20)) as connection:
            return connection.execute(sql).fetchall()

    with server.serving(env) as base:
        site = Site(base, env, booked=None, overlaps=lambda: query(OVERLAPS)[0][0])
        site.booked = lambda: query(BOOKED.format(p=int(site.provider or 0)))
        yield site


def _race_settings(guard: bool) -> dict[str, str]:
    return {
        "PAINPOINT_WORKERS": WORKERS,
        "PAINPOINT_TEST_ONLY_NO_BOOKING_GUARD": "false" if guard else "true",
    }


# --- the race ---------------------------------------------------------------------------------------------


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def pick_slots(site: Site) -> list[list[Slot]]:
    """Free slots of one provider in groups: two overlapping slots (t and t + 30 min), then two more, each
    clear of everything else. Exactly one slot per group can be held, whoever wins."""
    listed = [
        Slot.from_json(raw) for raw in _get(f"{site.base}/api/v1/slots?visit_type={VISIT_TYPE}")["slots"]
    ]
    by_provider: dict[int, list[Slot]] = {}
    for slot in listed:
        by_provider.setdefault(slot.provider, []).append(slot)
    providers = [site.provider] if site.provider else sorted(by_provider)
    for provider in providers:
        free = sorted(by_provider.get(provider, []), key=lambda slot: slot.start)
        starts = {slot.start: slot for slot in free}
        for first in free:
            second = starts.get(first.start + timedelta(minutes=30))
            if second is None or second.location != first.location:
                continue
            groups = [[first, second]]
            for slot in free:
                if len(groups) == 3:
                    break
                if slot.start >= groups[-1][-1].end:  # after the last group, so clear of all of them
                    groups.append([slot])
            if len(groups) == 3:
                site.provider = provider
                return groups
    raise AssertionError(f"no two overlapping free {VISIT_TYPE} slots of one provider were listed")


def race(site: Site, slots: list[Slot], round_: int) -> list[Answer]:
    """CLIENTS threads, released together, each post one booking for slots[i % len(slots)]."""
    barrier = threading.Barrier(CLIENTS)
    answers: list[Answer | None] = [None] * CLIENTS

    def client(i: int) -> None:
        slot = slots[i % len(slots)]
        body = {
            "visit_type": VISIT_TYPE,
            "start": slot.iso,
            "provider": slot.provider,
            "location": slot.location,
            "patient": {
                "name": f"Racer {round_}-{i}",
                "phone": f"(555) 010-{i:04d}",
                "email": f"racer-{round_}-{i}@example.org",
                "date_of_birth": "1980-01-01",
            },
            "consent": True,
        }
        request = urllib.request.Request(
            f"{site.base}/api/v1/appointments",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answers[i] = Answer(slot, response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            with error:
                text = error.read().decode(errors="replace")
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = {"text": text[:500]}
            answers[i] = Answer(slot, error.code, parsed)
        except OSError as error:  # no answer at all: a reset or refused connection
            answers[i] = Answer(slot, 0, {"error": repr(error)})

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(answer is not None for answer in answers), "a client thread did not finish"
    return [answer for answer in answers if answer is not None]


def booked_for(site: Site, slots: list[Slot]) -> list[tuple[int, datetime, datetime]]:
    """The booked appointments of the raced provider that overlap any raced slot."""
    found = []
    for pk, provider, start, end in site.booked():
        span = (_instant(start), _instant(end))
        if provider == site.provider and any(slot.overlaps(span) for slot in slots):
            found.append((pk, *span))
    return found


def check_guarded_round(site: Site, round_: int) -> None:
    groups = pick_slots(site)
    slots = [slot for group in groups for slot in group]
    answers = race(site, slots, round_)
    statuses = Counter(answer.status for answer in answers)
    log = f"\nstatuses: {dict(statuses)}\nserver log:\n{server.log_tail(site.env)}"

    assert set(statuses) <= {201, 409}, "only 201 and 409 may come back" + log
    for answer in answers:
        if answer.status == 409:
            messages = [problem["message"] for problem in answer.body["errors"]]
            assert any(TAKEN in message.lower() for message in messages), answer.body
            assert answer.body["errors"][0]["path"] == "start"

    won = [answer for answer in answers if answer.status == 201]
    assert len(won) == len(groups), f"one booking per group of overlapping slots: {groups}" + log
    for group in groups:
        winners = [answer for answer in won if answer.slot in group]
        assert len(winners) == 1, f"exactly one of {group} was booked, not {len(winners)}"
        assert winners[0].body["start"] == winners[0].slot.iso
        assert winners[0].body["provider"]["id"] == site.provider

    in_database = booked_for(site, slots)
    assert sorted(pk for pk, _, _ in in_database) == sorted(answer.body["id"] for answer in won)
    assert site.overlaps() == 0, "two booked appointments of one provider overlap"
    print(
        f"guarded round {round_}: {dict(statuses)}, {len(in_database)} appointments for {len(groups)} groups"
    )


def check_control_round(site: Site, round_: int) -> bool:
    """Race once without the guard; return whether it double-booked."""
    groups = pick_slots(site)
    slots = [slot for group in groups for slot in group]
    answers = race(site, slots, round_)
    statuses = Counter(answer.status for answer in answers)
    assert not any(status >= 500 or status == 0 for status in statuses), (
        f"{dict(statuses)}\n{server.log_tail(site.env)}"
    )
    in_database = booked_for(site, slots)
    won = [answer for answer in answers if answer.status == 201]
    doubled = len(in_database) > len(groups) or site.overlaps() > 0
    print(
        f"control round {round_}: {dict(statuses)}, {len(in_database)} appointments for {len(groups)} "
        f"bookable groups{' (double-booked)' if doubled else ''}"
    )
    assert len(in_database) == len(won)
    return doubled


# --- the tests --------------------------------------------------------------------------------------------


def test_many_clients_racing_for_a_few_slots_book_each_slot_once(postgres_template, tmp_path):
    started = time.monotonic()
    with postgres_site(postgres_template, tmp_path, guard=True) as site:
        for round_ in range(1, GUARDED_ROUNDS + 1):
            check_guarded_round(site, round_)
    seconds = time.monotonic() - started
    print(f"PostgreSQL, guarded: {GUARDED_ROUNDS} rounds of {CLIENTS} clients in {seconds:.1f} s")


def test_without_the_guard_the_race_double_books(postgres_template, tmp_path):
    with postgres_site(postgres_template, tmp_path, guard=False) as site:
        for round_ in range(1, CONTROL_ROUNDS + 1):
            if check_control_round(site, round_):
                print(f"PostgreSQL, no guard: the race double-booked in round {round_} of {CONTROL_ROUNDS}")
                return
    pytest.fail(
        f"without the guard, {CONTROL_ROUNDS} rounds of {CLIENTS} racing clients never double-booked: "
        "the race test cannot tell a broken guard from a working one"
    )


def test_on_sqlite_too_racing_clients_book_each_slot_once(tmp_path):
    started = time.monotonic()
    with sqlite_site(tmp_path, guard=True) as site:
        for round_ in range(1, GUARDED_ROUNDS + 1):
            check_guarded_round(site, round_)
    print(
        f"SQLite, guarded: {GUARDED_ROUNDS} rounds of {CLIENTS} clients in {time.monotonic() - started:.1f} s"
    )
