from __future__ import annotations

from itertools import groupby
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from painpoint.clinics.models import Clinic
from painpoint.knowledge import structured
from painpoint.knowledge.cache import cached_page
from painpoint.knowledge.models import Article, Condition, Region, Treatment
from painpoint.knowledge.search import search as run_search
from painpoint.lib.ratelimit import limit_posts


def absolute(request: HttpRequest, path: str) -> str:
    """Return the canonical absolute URL of `path`: SITE_URL when configured, else this request's origin."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, path: str | None = None
) -> HttpResponse:
    path = path or request.path
    context.setdefault("canonical_url", absolute(request, path))
    return render(request, template, context)


def regions_by_area() -> list[tuple[str, list[Region]]]:
    regions = list(Region.objects.all())
    order = {region.area: index for index, region in reversed(list(enumerate(regions)))}
    regions.sort(key=lambda region: (order[region.area], region.position))
    return [(label, list(group)) for label, group in groupby(regions, key=lambda region: region.area_label)]


def _offered_first(clinic: Clinic, treatments: list[Treatment]) -> list[tuple[Treatment, bool]]:
    offered = set(clinic.offered_treatments.values_list("pk", flat=True)) if clinic.pk else set()
    pairs = [(treatment, treatment.pk in offered) for treatment in treatments]
    return sorted(pairs, key=lambda pair: (not pair[1], pair[0].name))


@require_safe
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    clinic = Clinic.objects.current()
    context = {
        "areas": regions_by_area(),
        "common_conditions": Condition.objects.exclude(category=Condition.Category.MUST_NOT_MISS).order_by(
            "-commonness", "name"
        )[:8],
        "articles": Article.objects.published()[:4],
        "json_ld": [
            structured.clinic(request, clinic),
            structured.web_page(request, "Where does it hurt?", "/"),
        ],
    }
    return _page(request, "knowledge/home.html", context)


@require_safe
@cached_page
def region(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    conditions = list(Condition.objects.for_region(region))
    common = [c for c in conditions if not c.is_serious]
    serious = [c for c in conditions if c.is_serious]
    context = {
        "region": region,
        "common": common,
        "serious": serious,
        "articles": Article.objects.filter(conditions__in=common).distinct().published()[:4],
        "json_ld": [
            structured.web_page(request, f"Pain in the {region.label.lower()}", region.get_absolute_url())
        ],
    }
    return _page(request, "knowledge/region.html", context)


@require_safe
@cached_page
def condition(request: HttpRequest, slug: str) -> HttpResponse:
    condition = get_object_or_404(Condition.objects.prefetch_related("regions"), slug=slug)
    clinic = Clinic.objects.current()
    context = {
        "condition": condition,
        "treatments": _offered_first(clinic, list(condition.treatments.all())),
        "articles": condition.articles.published(),
        "json_ld": [structured.condition(request, condition)],
    }
    return _page(request, "knowledge/condition.html", context)


@require_safe
@cached_page
def treatment(request: HttpRequest, slug: str) -> HttpResponse:
    treatment = get_object_or_404(Treatment, slug=slug)
    clinic = Clinic.objects.current()
    helps = (treatment.helps.all() | treatment.conditions.all()).distinct().order_by("-commonness", "name")
    context = {
        "treatment": treatment,
        "offered": clinic.offers(treatment),
        "conditions": helps,
        "articles": treatment.articles.published(),
        "json_ld": [structured.treatment(request, treatment)],
    }
    return _page(request, "knowledge/treatment.html", context)


@require_safe
@cached_page
def treatment_list(request: HttpRequest) -> HttpResponse:
    clinic = Clinic.objects.current()
    treatments = _offered_first(clinic, list(Treatment.objects.all()))
    kinds = dict(Treatment.Kind.choices)
    by_kind = []
    for kind in Treatment.Kind.values:
        items = [pair for pair in treatments if pair[0].kind == kind]
        if items:
            by_kind.append((kinds[kind], items))
    context = {
        "by_kind": by_kind,
        "json_ld": [structured.web_page(request, "Treatments", request.path)],
    }
    return _page(request, "knowledge/treatment_list.html", context)


@require_safe
@cached_page
def article(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.prefetch_related(
            Prefetch("conditions", queryset=Condition.objects.order_by("-commonness", "name")), "treatments"
        ),
        slug=slug,
    )
    context = {"article": article, "json_ld": [structured.article(request, article)]}
    return _page(request, "knowledge/article.html", context)


@require_safe
@cached_page
def article_list(request: HttpRequest) -> HttpResponse:
    context = {
        "articles": Article.objects.published(),
        "json_ld": [structured.web_page(request, "Articles", request.path)],
    }
    return _page(request, "knowledge/article_list.html", context)


@require_safe
@cached_page
def a_to_z(request: HttpRequest) -> HttpResponse:
    entries: list[tuple[str, str, str]] = []
    for condition in Condition.objects.all():
        entries.append((condition.name, condition.get_absolute_url(), "Condition"))
        for name in condition.aka[:3]:
            if name.lower() != condition.name.lower():
                entries.append(
                    (name[:1].upper() + name[1:], condition.get_absolute_url(), f"see {condition.name}")
                )
    entries += [(t.name, t.get_absolute_url(), "Treatment") for t in Treatment.objects.all()]
    entries += [(a.title, a.get_absolute_url(), "Article") for a in Article.objects.all()]
    entries.sort(key=lambda entry: entry[0].lower())
    letters = [
        (letter, list(group))
        for letter, group in groupby(
            entries, key=lambda entry: entry[0][:1].upper() if entry[0][:1].isalpha() else "#"
        )
    ]
    context = {"letters": letters, "json_ld": [structured.web_page(request, "A to Z", request.path)]}
    return _page(request, "knowledge/a_to_z.html", context)


@require_safe
@limit_posts("search", "SEARCH_RATE", methods=("GET", "HEAD"))
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    hits, suggestion = run_search(query)
    context = {
        "query": query.strip(),
        "hits": hits,
        "suggestion": suggestion,
        "json_ld": [structured.web_page(request, "Search", request.path)],
    }
    response = _page(request, "knowledge/search.html", context, path=request.path)
    # Search words can describe symptoms: keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {absolute(request, '/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
