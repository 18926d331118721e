"""Where the engine's knowledge comes from: the content pack on disk, plus the clinic's services.

The rules and profiles are read from `content/` (the same files `load_content` checks), once per process, so
the web site, `painpoint assess` and `painpoint evaluate` all use the same engine and the same content.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from pathlib import Path

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
