from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from painpoint.knowledge.parse import ContentError, parse_pack
from painpoint.knowledge.sync import sync_pack

READING_GRADE_LIMIT = 8.0


class Command(BaseCommand):
    help = "Check the content pack and copy it into the database in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=None, help="content folder (default: content/)")
        parser.add_argument(
            "--overwrite-edits", action="store_true", help="let the files replace entries staff edited"
        )

    def handle(self, *args: Any, path: str | None, overwrite_edits: bool, **options: Any) -> None:
        root = Path(path) if path else settings.CONTENT_DIR
        try:
            pack = parse_pack(root)
        except ContentError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(error.problems)} problem(s) found; nothing was changed.", returncode=1
            ) from None

        report = sync_pack(pack, overwrite_edits=overwrite_edits)
        out = self.stdout
        out.write(
            f"Content {pack.version}: {len(pack.regions)} regions, {len(pack.conditions)} conditions, "
            f"{len(pack.treatments)} treatments, {len(pack.articles)} articles."
        )
        for verb, items in (
            ("created", report.created),
            ("updated", report.updated),
            ("removed", report.removed),
        ):
            out.write(f"{len(items)} {verb}" + (": " + ", ".join(items) if 0 < len(items) <= 12 else ""))
        if report.kept_edits:
            out.write(self.style.WARNING(f"Left alone because staff edited them ({len(report.kept_edits)}):"))
            for item in report.kept_edits:
                out.write(f"  {item}")
            out.write("Run with --overwrite-edits to let the files win.")
        self._warn_about_reading_grade()

    def _warn_about_reading_grade(self) -> None:
        from painpoint.knowledge.models import Article, Condition, Treatment

        for model in (Condition, Treatment, Article):
            for row in model.objects.filter(reading_grade__gt=READING_GRADE_LIMIT).only(
                "slug", "reading_grade"
            ):
                self.stderr.write(
                    self.style.WARNING(
                        f"{row.source_path or row.slug}: reads at grade {row.reading_grade}, above "
                        f"{READING_GRADE_LIMIT:g}; shorten sentences and use plainer words."
                    )
                )
