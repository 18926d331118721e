"""The knowledge base a visitor reads: regions, conditions, treatments and articles.

Rows come from `content/` through `painpoint load_content`. Each remembers a digest of what the loader last
wrote (`loaded_hash`); when a staff member changes an entry in the admin the digest no longer matches, and the
loader leaves that entry alone and says so.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from painpoint.lib.markdown import render_markdown
from painpoint.lib.readability import measure


class Level(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "See a doctor today"
    APPOINTMENT = "appointment", "Book an appointment"
    SELF_CARE = "self-care", "Self-care"


class Region(models.Model):
    class View(models.TextChoices):
        FRONT = "front", "Front"
        BACK = "back", "Back"
        BOTH = "both", "Front and back"

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=80)
    description = models.CharField(max_length=200)
    view = models.CharField(max_length=5, choices=View.choices)
    side = models.CharField(max_length=6)
    area = models.SlugField(max_length=40)
    area_label = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("knowledge:region", args=[self.code])


class EntryQuerySet(models.QuerySet):
    pass


class Entry(models.Model):
    """What conditions, treatments and articles share: a slug, a summary, a Markdown body and its sources."""

    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField()
    body_md = models.TextField("body (Markdown)")
    body_html = models.TextField(editable=False)
    sources = models.JSONField(default=list, help_text="A list of {title, url}.")
    reviewed_by = models.CharField(
        max_length=120, blank=True, help_text="The clinician who reviewed this page: name and role."
    )
    reviewed_on = models.DateField(null=True, blank=True)
    source_path = models.CharField(max_length=300, blank=True, editable=False)
    # Digest of the fields as `load_content` last wrote them; a mismatch means a staff member edited the row.
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)
    reading_grade = models.FloatField(default=0, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    # The fields the loader writes and the digest covers; subclasses extend it.
    CONTENT_FIELDS: tuple[str, ...] = ("slug", "summary", "body_md", "sources", "reviewed_by", "reviewed_on")
    CONTENT_RELATIONS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rendered and sanitised on save, so an edit in the admin is as safe as one from the loader.
        self.body_html = render_markdown(self.body_md)
        readability = measure(self.summary, self.body_md)
        self.reading_grade = readability.grade
        self.word_count = readability.words
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Hold an admin edit of the sources to the loader's rules: {title, url}, https on a trusted site."""
        from painpoint.knowledge.parse import source_problems

        problems = [
            f"Source {path[0] + 1}: {message}." if path and isinstance(path[0], int) else f"{message}."
            for path, message in source_problems(self.sources)
        ]
        if problems:
            raise ValidationError({"sources": problems})

    def section_html(self, title: str) -> str:
        """Return one `## title` section of the body, rendered and sanitised, or "" when there is none."""
        lines = self.body_md.split("\n")
        inside, picked = False, []
        for line in lines:
            if line.startswith("## "):
                inside = line[3:].strip() == title
                continue
            if inside:
                picked.append(line)
        return render_markdown("\n".join(picked)) if picked else ""

    def content_digest(self, relations: dict[str, list[str]] | None = None) -> str:
        """Return a digest of this row's content fields and related slugs, as the loader compares them."""
        values: dict[str, Any] = {name: getattr(self, name) for name in self.CONTENT_FIELDS}
        if relations is None:
            relations = {
                name: sorted(getattr(self, name).values_list(_slug_field(self, name), flat=True))
                for name in self.CONTENT_RELATIONS
            }
        values.update({name: sorted(slugs) for name, slugs in relations.items()})
        encoded = json.dumps(values, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()

    def is_edited(self) -> bool:
        """Return whether a staff member changed this entry since the loader last wrote it."""
        return bool(self.loaded_hash) and self.content_digest() != self.loaded_hash


def _slug_field(entry: Entry, relation: str) -> str:
    model = entry._meta.get_field(relation).related_model
    return "code" if model is Region else "slug"


class ConditionQuerySet(EntryQuerySet):
    def for_region(self, region: Region) -> ConditionQuerySet:
        """Conditions that hurt in `region`, most common first."""
        return self.filter(regions=region).order_by("-commonness", "name")


class Condition(Entry):
    class Category(models.TextChoices):
        MUSCLE = "muscle", "Muscle"
        JOINT = "joint", "Joint"
        NERVE = "nerve", "Nerve"
        SPINE = "spine", "Spine"
        HEADACHE = "headache", "Headache"
        MUST_NOT_MISS = "must-not-miss", "Needs urgent care"

    name = models.CharField(max_length=120)
    medical_name = models.CharField(max_length=160, blank=True)
    aka = models.JSONField("everyday names", default=list, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    icd10 = models.JSONField("ICD-10-CM codes", default=list)
    regions = models.ManyToManyField(Region, related_name="conditions")
    commonness = models.PositiveSmallIntegerField(default=3, help_text="1 rare … 5 very common")
    usual_level = models.CharField(max_length=12, choices=Level.choices)
    escalates = models.JSONField(default=list, blank=True, help_text="A list of {to, when}.")
    treatments = models.ManyToManyField("Treatment", related_name="conditions", blank=True)

    objects = ConditionQuerySet.as_manager()

    CONTENT_FIELDS = (
        *Entry.CONTENT_FIELDS,
        "name",
        "medical_name",
        "aka",
        "category",
        "icd10",
        "commonness",
        "usual_level",
        "escalates",
    )
    CONTENT_RELATIONS = ("regions", "treatments")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:condition", args=[self.slug])

    @property
    def title(self) -> str:
        return self.name

    @property
    def is_serious(self) -> bool:
        return self.category == self.Category.MUST_NOT_MISS


class Treatment(Entry):
    class Kind(models.TextChoices):
        SELF_CARE = "self-care", "Self-care"
        MOVEMENT = "movement", "Movement and exercise"
        HANDS_ON = "hands-on", "Hands-on care"
        MEDICINE = "medicine", "Medicines"
        INJECTION = "injection", "Injections"
        PROCEDURE = "procedure", "Procedures"
        REFERRAL = "referral", "Referral"

    name = models.CharField(max_length=120)
    aka = models.JSONField("everyday names", default=list, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    helps = models.ManyToManyField(Condition, related_name="helped_by", blank=True)

    CONTENT_FIELDS = (*Entry.CONTENT_FIELDS, "name", "aka", "kind")
    CONTENT_RELATIONS = ("helps",)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:treatment", args=[self.slug])

    @property
    def title(self) -> str:
        return self.name


class ArticleQuerySet(EntryQuerySet):
    def published(self) -> ArticleQuerySet:
        return self.order_by("-published_on", "title")


class Article(Entry):
    title = models.CharField(max_length=160)
    conditions = models.ManyToManyField(Condition, related_name="articles", blank=True)
    treatments = models.ManyToManyField(Treatment, related_name="articles", blank=True)
    published_on = models.DateField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    CONTENT_FIELDS = (*Entry.CONTENT_FIELDS, "title", "published_on")
    CONTENT_RELATIONS = ("conditions", "treatments")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", args=[self.slug])
