from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from painpoint.knowledge.models import Article, Condition, Region, Treatment


class StaticSitemap(Sitemap):
    priority = 0.8

    def items(self) -> list[str]:
        return ["knowledge:home", "knowledge:a-to-z", "knowledge:treatments", "knowledge:articles"]

    def location(self, item: str) -> str:
        return reverse(item)


class EntrySitemap(Sitemap):
    def __init__(self, model: Any) -> None:
        self.model = model

    def items(self) -> Any:
        return self.model.objects.order_by("slug" if self.model is not Region else "position")

    def lastmod(self, item: Any) -> Any:
        return getattr(item, "updated_at", None)


SITEMAPS = {
    "pages": StaticSitemap(),
    "regions": EntrySitemap(Region),
    "conditions": EntrySitemap(Condition),
    "treatments": EntrySitemap(Treatment),
    "articles": EntrySitemap(Article),
}
