"""Where the engine's knowledge comes from: the content pack on disk, plus the clinic's services.

The rules and profiles are read from `content/` (the same files `load_content` checks), once per process, so
the web site, `painpoint assess` and `painpoint evaluate` all use the same engine and the same content.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from painpoint.engine.model import Knowledge
from painpoint.knowledge.parse import parse_pack

_lock = threading.Lock()
_DEFAULT = Path("<configured content folder>")
_cache: dict[Path, Knowledge] = {}


def content_dir() -> Path:
    default = Path(__file__).resolve().parents[2] / "content"
    return Path(os.environ.get("PAINPOINT_CONTENT_DIR", str(default)))


def base_knowledge(root: Path | None = None) -> Knowledge:
    """Return the knowledge parsed from the content pack (raises ContentError when it has problems)."""
    key = root or _DEFAULT
    knowledge = _cache.get(key)  # no lock and no file system on the hot path: a dict read is atomic
    if knowledge is None:
        with _lock:
            if key not in _cache:
                _cache[key] = parse_pack((root or content_dir()).resolve()).knowledge
            knowledge = _cache[key]
    return knowledge


def with_services(knowledge: Knowledge, offered: frozenset[str]) -> Knowledge:
    return knowledge if offered == knowledge.offered else replace(knowledge, offered=offered)


def clinic_knowledge() -> Knowledge:
    """The knowledge the site assesses with: the content pack and the services this clinic offers."""
    return with_services(base_knowledge(), offered_services())


# The clinic's services change a few times a year; an assessment runs on every request. Each process reads
# them at most once per this many seconds, so a change in the admin reaches every assessment within that time.
SERVICES_TTL = 5.0
_services: tuple[float, frozenset[str]] = (-SERVICES_TTL, frozenset())


def offered_services() -> frozenset[str]:
    """The slugs of the treatments this clinic offers, read at most once per SERVICES_TTL seconds."""
    global _services
    read_at, offered = _services
    now = time.monotonic()
    if now - read_at >= SERVICES_TTL:
        offered = read_offered_services()
        _services = (now, offered)
    return offered


def forget_offered_services(**kwargs: Any) -> None:
    """Read the services afresh on the next assessment (connected to changes of the clinic's services)."""
    global _services
    _services = (-SERVICES_TTL, frozenset())


def read_offered_services() -> frozenset[str]:
    """The slugs of the treatments this clinic offers: one plain query."""
    from django.db import connection

    from painpoint.clinics.models import Clinic
    from painpoint.knowledge.models import Treatment

    offered = Clinic.offered_treatments.through._meta.db_table
    treatment = Treatment._meta.db_table
    with connection.cursor() as cursor:
        # Table names come from our own models, never from a request.
        cursor.execute(
            f"SELECT t.slug FROM {offered} o JOIN {treatment} t ON t.id = o.treatment_id"  # noqa: S608
        )
        return frozenset(row[0] for row in cursor.fetchall())
