"""schema.org JSON-LD for each page: MedicalCondition, MedicalTherapy, MedicalWebPage and MedicalClinic."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from painpoint.clinics.models import Clinic
from painpoint.knowledge.models import Article, Condition, Treatment


def _url(request: HttpRequest, path: str) -> str:
    return (settings.SITE_URL + path) if settings.SITE_URL else request.build_absolute_uri(path)


def _review(entry: Any) -> dict[str, Any]:
    if entry.reviewed_by and entry.reviewed_on:
        return {
            "lastReviewed": entry.reviewed_on.isoformat(),
            "reviewedBy": {"@type": "Person", "name": entry.reviewed_by},
        }
    return {}


def _citations(entry: Any) -> list[dict[str, str]]:
    return [
        {"@type": "CreativeWork", "name": source["title"], "url": source["url"]} for source in entry.sources
    ]


def web_page(request: HttpRequest, name: str, path: str, **extra: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": name,
        "url": _url(request, path),
        "inLanguage": "en-US",
        **extra,
    }


def condition(request: HttpRequest, entry: Condition) -> dict[str, Any]:
    about: dict[str, Any] = {
        "@type": "MedicalCondition",
        "name": entry.name,
        "alternateName": [name for name in [entry.medical_name, *entry.aka] if name],
        "description": entry.summary,
        "code": [
            {"@type": "MedicalCode", "codeValue": code, "codingSystem": "ICD-10-CM"} for code in entry.icd10
        ],
        "possibleTreatment": [
            {
                "@type": "MedicalTherapy",
                "name": treatment.name,
                "url": _url(request, treatment.get_absolute_url()),
            }
            for treatment in entry.treatments.all()
        ],
        "url": _url(request, entry.get_absolute_url()),
    }
    return web_page(
        request,
        entry.name,
        entry.get_absolute_url(),
        description=entry.summary,
        about=about,
        citation=_citations(entry),
        audience={"@type": "PeopleAudience", "audienceType": "Patient"},
        **_review(entry),
    )


def treatment(request: HttpRequest, entry: Treatment) -> dict[str, Any]:
    about = {
        "@type": "MedicalTherapy",
        "name": entry.name,
        "alternateName": list(entry.aka),
        "description": entry.summary,
        "url": _url(request, entry.get_absolute_url()),
    }
    return web_page(
        request,
        entry.name,
        entry.get_absolute_url(),
        description=entry.summary,
        about=about,
        citation=_citations(entry),
        **_review(entry),
    )


def article(request: HttpRequest, entry: Article) -> dict[str, Any]:
    return web_page(
        request,
        entry.title,
        entry.get_absolute_url(),
        headline=entry.title,
        description=entry.summary,
        datePublished=entry.published_on.isoformat() if entry.published_on else None,
        about=[{"@type": "MedicalCondition", "name": c.name} for c in entry.conditions.all()],
        citation=_citations(entry),
        **_review(entry),
    )


def clinic(request: HttpRequest, clinic: Clinic) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": clinic.name,
        "url": _url(request, "/"),
        "telephone": clinic.phone,
        "medicalSpecialty": ["PainMedicine", "Musculoskeletal"],
    }
    if clinic.street or clinic.city:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": clinic.street,
            "addressLocality": clinic.city,
            "addressRegion": clinic.state,
            "postalCode": clinic.postal_code,
            "addressCountry": clinic.country,
        }
    if clinic.email:
        data["email"] = clinic.email
    if clinic.pk:
        data["availableService"] = [
            {"@type": "MedicalTherapy", "name": t.name, "url": _url(request, t.get_absolute_url())}
            for t in clinic.offered_treatments.all()
        ]
    return data


def script_tag(data: dict[str, Any]) -> SafeString:
    """Return a JSON-LD <script> element; "<" is escaped so no text can close the element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
