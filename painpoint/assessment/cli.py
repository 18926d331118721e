"""`painpoint assess` and `painpoint evaluate`: the engine from the command line, with no server of any kind.

painpoint assess < answers.json          one object or an array of objects in, results out (JSON)
painpoint evaluate tests/vignettes/*.yaml  accuracy, safety and ranking figures over case vignettes
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from painpoint.assessment.knowledge import base_knowledge, with_services
from painpoint.engine import assess
from painpoint.engine.model import Knowledge
from painpoint.engine.validate import validate
from painpoint.knowledge.parse import ContentError


def clinic_services() -> frozenset[str]:
    """Return the slugs of the treatments this clinic offers, when its database can be read; else nothing.

    The command needs no database: without one, results are the same except that offered treatments are not
    put first.
    """
    try:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painpoint.settings")
        django.setup()
        from painpoint.clinics.models import Clinic

        clinic = Clinic.objects.order_by("pk").first()
        return frozenset(clinic.offered_treatments.values_list("slug", flat=True)) if clinic else frozenset()
    except Exception:  # no database, no table yet, no server: all mean "no services known"
        return frozenset()


def run_assess(stdin: IO[str], stdout: IO[str], stderr: IO[str], knowledge: Knowledge | None = None) -> int:
    try:
        raw = json.load(stdin)
    except json.JSONDecodeError as error:
        stderr.write(f"[0]: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}\n")
        return 2
    items = raw if isinstance(raw, list) else [raw]
    answers, lines = [], []
    for index, item in enumerate(items):
        parsed, problems = validate(item)
        for path, message in problems:
            lines.append(f"[{index}]{'.' + path if path else ''}: {message}")
        answers.append(parsed)
    if lines:
        stderr.write("\n".join(lines) + "\n")
        return 2
    if knowledge is None:
        try:
            knowledge = with_services(base_knowledge(), clinic_services())
        except ContentError as error:
            stderr.write(
                "\n".join(error.problems) + "\nThe content pack has problems; nothing was assessed.\n"
            )
            return 1
    results = [assess(item, knowledge).to_contract() for item in answers]
    json.dump(results if isinstance(raw, list) else results[0], stdout, indent=2, ensure_ascii=False)
    stdout.write("\n")
    return 0


def main_assess(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write(__doc__ or "")
        return 0
    return run_assess(sys.stdin, sys.stdout, sys.stderr)


def main_evaluate(argv: list[str]) -> int:
    from painpoint.assessment.evaluate import evaluate_files

    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(
            "usage: painpoint evaluate [--through-interview] FILE [FILE ...]\n\n"
            "--through-interview  give each case only what the interview's steps would ask that visitor\n"
        )
        return 0 if argv else 2
    through_interview = "--through-interview" in argv
    paths = [arg for arg in argv if arg != "--through-interview"]
    if not paths:
        sys.stderr.write("painpoint evaluate: name at least one vignette file\n")
        return 2
    try:
        report = evaluate_files(paths, base_knowledge(), through_interview=through_interview)
    except (ContentError, ValueError, OSError) as error:
        problems: Any = getattr(error, "problems", [str(error)])
        sys.stderr.write("\n".join(problems) + "\n")
        return 2
    if through_interview:
        sys.stdout.write("Told through the interview: only what its steps would ask each visitor.\n")
    sys.stdout.write(report.text())
    return 0
