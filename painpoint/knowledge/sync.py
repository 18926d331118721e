"""Copy a parsed content pack into the database in one transaction.

New entries are created, changed ones updated and vanished ones removed; an entry whose fields already match
is not written at all, so a second run changes nothing. Entries a staff member edited in the admin (their
content no longer matches what the loader last wrote) are left alone and reported.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction

from painpoint.knowledge.models import Article, Condition, Entry, Region, Treatment
from painpoint.knowledge.parse import ArticleEntry, ConditionEntry, Pack, TreatmentEntry


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)


def sync_pack(pack: Pack, *, overwrite_edits: bool = False) -> SyncReport:
    """Apply `pack` to the database atomically and return what changed."""
    report = SyncReport()
    with transaction.atomic():
        regions = _sync_regions(pack, report)
        kinds: list[tuple[type[Entry], list[Any], Any]] = [
            (Treatment, list(pack.treatments), _treatment_fields),
            (Condition, list(pack.conditions), _condition_fields),
            (Article, list(pack.articles), _article_fields),
        ]
        # Staff edits are found before anything is written: removing a vanished treatment changes the links
        # of the conditions that named it, which must not make them look edited.
        edited = {
            model: set() if overwrite_edits else {row.slug for row in model.objects.all() if row.is_edited()}
            for model, _, _ in kinds
        }
        # Phase 1 writes each entry's own fields; phase 2 its links, once every row they point at exists
        # (conditions point at treatments and treatments back at conditions).
        written = {
            model: _sync_fields(model, entries, fields, report, edited[model])
            for model, entries, fields in kinds
        }
        targets = {
            "regions": regions,
            "treatments": {row.slug: row for row in Treatment.objects.all()},
            "conditions": {row.slug: row for row in Condition.objects.all()},
        }
        targets["helps"] = targets["conditions"]
        for model, rows in written.items():
            for row, entry in rows:
                relations = _relations_of(entry)
                for name, slugs in relations.items():
                    getattr(row, name).set([targets[name][slug] for slug in slugs])
                model.objects.filter(pk=row.pk).update(loaded_hash=row.content_digest(relations))
    return report


def _sync_regions(pack: Pack, report: SyncReport) -> dict[str, Region]:
    area_labels = {area.code: area.label for area in pack.areas}
    existing = {region.code: region for region in Region.objects.all()}
    result = {}
    for entry in pack.regions:
        values = {
            "label": entry.label,
            "description": entry.description,
            "view": entry.view,
            "side": entry.side,
            "area": entry.area,
            "area_label": area_labels.get(entry.area, entry.area),
            "position": entry.position,
        }
        region = existing.pop(entry.code, None)
        if region is None:
            region = Region.objects.create(code=entry.code, **values)
            report.created.append(f"region {entry.code}")
        elif any(getattr(region, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(region, key, value)
            region.save()
            report.updated.append(f"region {entry.code}")
        result[entry.code] = region
    for code, region in existing.items():
        region.delete()
        report.removed.append(f"region {code}")
    return result


def _common_fields(entry: ConditionEntry | TreatmentEntry | ArticleEntry) -> dict[str, Any]:
    return {
        "summary": entry.summary,
        "body_md": entry.body,
        "sources": [asdict(source) for source in entry.sources],
        "reviewed_by": entry.reviewed_by,
        "reviewed_on": entry.reviewed_on,
        "source_path": entry.path,
    }


def _condition_fields(entry: ConditionEntry) -> dict[str, Any]:
    return {
        **_common_fields(entry),
        "name": entry.name,
        "medical_name": entry.medical_name,
        "aka": list(entry.aka),
        "category": entry.category,
        "icd10": list(entry.icd10),
        "commonness": entry.commonness,
        "usual_level": entry.usual_level,
        "escalates": [asdict(escalation) for escalation in entry.escalates],
    }


def _treatment_fields(entry: TreatmentEntry) -> dict[str, Any]:
    return {**_common_fields(entry), "name": entry.name, "aka": list(entry.aka), "kind": entry.kind}


def _article_fields(entry: ArticleEntry) -> dict[str, Any]:
    return {**_common_fields(entry), "title": entry.title, "published_on": entry.published_on}


def _relations_of(entry: ConditionEntry | TreatmentEntry | ArticleEntry) -> dict[str, list[str]]:
    if isinstance(entry, ConditionEntry):
        return {"regions": list(entry.regions), "treatments": list(entry.treatments)}
    if isinstance(entry, TreatmentEntry):
        return {"helps": list(entry.helps)}
    return {"conditions": list(entry.conditions), "treatments": list(entry.treatments)}


def _sync_fields(
    model: type[Entry], entries: list[Any], fields: Any, report: SyncReport, edited: set[str]
) -> list[tuple[Entry, Any]]:
    """Create, update or remove rows of `model`; return the written rows whose links must be set."""
    label = model._meta.verbose_name
    existing = {row.slug: row for row in model.objects.all()}
    written = []
    for entry in entries:
        values = fields(entry)
        row = existing.pop(entry.slug, None)
        if row is not None and entry.slug in edited:
            report.kept_edits.append(f"{label} {entry.slug}")
            continue
        wanted = model(slug=entry.slug, **values).content_digest(_relations_of(entry))
        if row is None:
            row = model(slug=entry.slug, **values)
            report.created.append(f"{label} {entry.slug}")
        elif wanted != row.loaded_hash or row.content_digest() != row.loaded_hash:
            for key, value in values.items():
                setattr(row, key, value)
            report.updated.append(f"{label} {entry.slug}")
        else:
            continue
        row.save()
        written.append((row, entry))
    for slug, row in existing.items():
        if slug in edited:
            report.kept_edits.append(f"{label} {slug} (gone from the files; kept because staff edited it)")
            continue
        row.delete()
        report.removed.append(f"{label} {slug}")
    return written
