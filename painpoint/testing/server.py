"""Run the real site, `painpoint serve`, in a subprocess on a throwaway database: for race tests, browser
tests and benchmarks.

    with throwaway_postgres(os.environ["DATABASE_URL"]) as url:
        env = site_env(data_dir, database_url=url)
        prepare(env)                        # migrate, load_content, load_demo
        with serving(env) as base:          # http://127.0.0.1:PORT
            ...

A PostgreSQL database is made on the server that a `postgres://` URL names (its database name is ignored:
pytest-django's `test_<name>` database is never touched) and dropped afterwards. Without a database URL the
site uses its own SQLite file in `PAINPOINT_DATA_DIR`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PAINPOINT = [sys.executable, "-m", "painpoint"]
SECRET_KEY = "server-" + "Vq3Lx8Rt2Wn6Kb9Pz4Hm7Jc1Fd5Gs0Ya" * 2


def is_postgres(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgres://", "postgresql://", "pgsql://"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def with_database(url: str, name: str) -> str:
    """The same server URL with another database name (the host, user and query string are kept)."""
    parts = urlsplit(url)
    scheme = "postgresql" if parts.scheme in ("postgres", "pgsql") else parts.scheme
    return urlunsplit((scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _admin(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def create_database(url: str, name: str, template: str | None = None) -> str:
    """Create database `name` on `url`'s server (a copy of `template` if given); return its URL."""
    from psycopg import sql

    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
    with _admin(url) as connection:
        connection.execute(statement)
    return with_database(url, name)


def drop_database(url: str, name: str) -> None:
    from psycopg import sql

    with _admin(url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def throwaway_postgres(url: str, prefix: str = "painpoint_tmp", template: str | None = None) -> Iterator[str]:
    """A new database on `url`'s server, named `prefix_<random>`, dropped on leaving; yields its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    database_url = create_database(url, name, template)
    try:
        yield database_url
    finally:
        drop_database(url, name)


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def site_env(data_dir: Path | str, *, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a site in `data_dir`: development mode with DEBUG off and no rate limits.

    The test runner's own DATABASE_URL and DJANGO_SETTINGS_MODULE are left out; `extra` overrides anything.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not key.startswith("GRANIAN_")
    }
    env.update(
        PAINPOINT_ENV="development",
        PAINPOINT_DATA_DIR=str(data_dir),
        SECRET_KEY=SECRET_KEY,
        DEBUG="false",
        PAINPOINT_WORKERS="2",
        PAINPOINT_API_RATE="0",
        PAINPOINT_BOOKING_RATE="0",
        PAINPOINT_TEST_ONLY_NO_BOOKING_GUARD="false",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    """Run `python -m painpoint ARGS` with `env`; return its output, or raise with it on failure."""
    done = subprocess.run(
        [*PAINPOINT, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"painpoint {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(env: dict[str, str]) -> None:
    """Set the site up as a clinic would: migrations, the content pack, the demo clinic and calendar."""
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_content")
    manage(env, "load_demo")


@contextlib.contextmanager
def serving(env: dict[str, str], *, startup_seconds: float = 30) -> Iterator[str]:
    """Run `painpoint serve` on a free port with `env`; yield its base URL. The log is `server.log` in the
    data folder (`server_log(env)`)."""
    port = free_port()
    log_path = server_log(env)
    with log_path.open("a") as log:
        server = subprocess.Popen(
            [*PAINPOINT, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + startup_seconds
            while True:
                try:
                    with urllib.request.urlopen(base + "/robots.txt", timeout=2):  # noqa: S310
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the site did not start:\n" + log_path.read_text()) from None
                    time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def server_log(env: dict[str, str]) -> Path:
    return Path(env["PAINPOINT_DATA_DIR"]) / "server.log"


def log_tail(env: dict[str, str], lines: int = 60) -> str:
    path = server_log(env)
    return "\n".join(path.read_text().splitlines()[-lines:]) if path.exists() else "(no server log)"
