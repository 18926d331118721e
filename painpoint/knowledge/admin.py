from __future__ import annotations

from django.contrib import admin

from painpoint.knowledge.models import Article, Condition, Region, Treatment


class EntryAdmin(admin.ModelAdmin):
    search_fields = ["slug", "summary"]
    readonly_fields = ["slug", "source_path", "reading_grade", "word_count", "updated_at"]

    @admin.display(boolean=True, description="edited here")
    def edited(self, obj: Condition | Treatment | Article) -> bool:
        return obj.is_edited()

    @admin.display(boolean=True, description="clinician reviewed")
    def reviewed(self, obj: Condition | Treatment | Article) -> bool:
        return bool(obj.reviewed_by and obj.reviewed_on)


@admin.register(Condition)
class ConditionAdmin(EntryAdmin):
    list_display = ["name", "category", "usual_level", "commonness", "reading_grade", "reviewed", "edited"]
    list_filter = ["category", "usual_level", "commonness"]
    search_fields = ["name", "slug", "medical_name", "summary"]
    filter_horizontal = ["regions", "treatments"]


@admin.register(Treatment)
class TreatmentAdmin(EntryAdmin):
    list_display = ["name", "kind", "reading_grade", "reviewed", "edited"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "summary"]
    filter_horizontal = ["helps"]


@admin.register(Article)
class ArticleAdmin(EntryAdmin):
    list_display = ["title", "published_on", "reading_grade", "reviewed", "edited"]
    search_fields = ["title", "slug", "summary"]
    filter_horizontal = ["conditions", "treatments"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "view", "side", "area_label"]
    list_filter = ["view", "area_label"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # the 49 regions are fixed by the assessment contract

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
