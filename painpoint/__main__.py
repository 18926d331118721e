"""The `painpoint` command: every management command, plus `serve` for production.

painpoint migrate | load_content | load_demo | content-report | check --deploy | ...
painpoint serve [--host HOST] [--port PORT]   # granian WSGI, workers from PAINPOINT_WORKERS
"""

from __future__ import annotations

import os
import sys

# Hyphenated aliases read better on a command line; Django's command names use underscores.
ALIASES = {"content-report": "content_report", "load-content": "load_content", "load-demo": "load_demo"}


def serve(args: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="painpoint serve", description="Run the production WSGI server.")
    parser.add_argument("--host", default=os.environ.get("PAINPOINT_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PAINPOINT_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=None, help="default: PAINPOINT_WORKERS, else 2")
    options = parser.parse_args(args)

    import django
    from django.conf import settings

    django.setup()
    workers = options.workers or settings.SERVE_WORKERS
    granian_args = [
        "granian",
        "--interface",
        "wsgi",
        "--host",
        options.host,
        "--port",
        str(options.port),
        "--workers",
        str(workers),
        "--no-ws",
        "painpoint.wsgi:application",
    ]
    sys.stdout.write(f"Serving Painpoint at http://{options.host}:{options.port}/ with {workers} workers\n")
    sys.stdout.flush()
    granian = os.path.join(os.path.dirname(sys.executable), "granian")
    if os.path.exists(granian):
        os.execv(granian, [granian, *granian_args[1:]])
    os.execv(sys.executable, [sys.executable, "-m", "granian", *granian_args[1:]])
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painpoint.settings")
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    if len(argv) > 1 and argv[1] == "serve":
        return serve(argv[2:])
    # These two need neither Django's database nor a server: they read the content pack directly.
    if len(argv) > 1 and argv[1] == "assess":
        from painpoint.assessment.cli import main_assess

        return main_assess(argv[2:])
    if len(argv) > 1 and argv[1] == "evaluate":
        from painpoint.assessment.cli import main_evaluate

        return main_evaluate(argv[2:])

    from django.core.management import execute_from_command_line

    argv[0] = "painpoint"
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
