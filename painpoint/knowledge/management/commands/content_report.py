from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from painpoint.knowledge.models import Article, Condition, Treatment


class Command(BaseCommand):
    help = "Print each page's reading grade (Flesch-Kincaid, US) and word count, and the worst grade."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = []
        for model in (Condition, Treatment, Article):
            for entry in model.objects.all():
                rows.append((entry.reading_grade, entry.word_count, entry.get_absolute_url()))
        if not rows:
            self.stdout.write("No content loaded yet: run `painpoint load_content` first.")
            return
        self.stdout.write(f"{'grade':>5}  {'words':>5}  page")
        for grade, words, url in sorted(rows, key=lambda row: (-row[0], row[2])):
            self.stdout.write(f"{grade:5.1f}  {words:5d}  {url}")
        worst = max(rows)
        average = sum(row[0] for row in rows) / len(rows)
        self.stdout.write(
            f"{len(rows)} pages, average grade {average:.1f}, worst grade {worst[0]:.1f} ({worst[2]})"
        )
