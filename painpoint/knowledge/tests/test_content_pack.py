"""The content pack a clinic ships with: complete, linked, cited, coded, and easy to read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from painpoint.engine.codes import REGION_CODES
from painpoint.knowledge.parse import AUTHORITATIVE_DOMAINS, ICD10CM, parse_pack
from painpoint.lib.readability import measure

PACK = parse_pack(settings.CONTENT_DIR)
CATALOGUE = Path(settings.REPO_DIR).parent / "shared" / "research" / "clinical-reference.md"

# Every condition of the clinical catalogue (C01–C55) and the slug that covers it.
CATALOGUE_SLUGS = [
    "myofascial-pain",
    "low-back-strain",
    "sciatica-herniated-disc",
    "lumbar-spinal-stenosis",
    "degenerative-disc-disease",
    "facet-joint-pain",
    "sacroiliac-joint-pain",
    "piriformis-syndrome",
    "spondylolisthesis",
    "vertebral-fracture",
    "cervical-radiculopathy",
    "cervical-myelopathy",
    "whiplash",
    "tension-headache",
    "migraine",
    "cervicogenic-headache",
    "occipital-neuralgia",
    "tmj-disorder",
    "rotator-cuff",
    "frozen-shoulder",
    "tennis-elbow",
    "carpal-tunnel-syndrome",
    "knee-osteoarthritis",
    "patellofemoral-pain",
    "meniscus-tear",
    "hip-osteoarthritis",
    "hip-bursitis",
    "meralgia-paresthetica",
    "plantar-fasciitis",
    "achilles-tendinopathy",
    "peripheral-neuropathy",
    "complex-regional-pain-syndrome",
    "fibromyalgia",
    "shingles",
    "ankylosing-spondylitis",
    "costochondritis",
    "cauda-equina-syndrome",
    "spinal-infection",
    "spinal-cancer",
    "heart-attack",
    "aortic-dissection",
    "kidney-stone",
    "kidney-infection",
    "deep-vein-thrombosis",
    "septic-arthritis",
    "giant-cell-arteritis",
    "brain-bleed",
    "compartment-syndrome",
    "stroke",
    "cervical-artery-dissection",
    "pulmonary-embolism",
    "abdominal-aortic-aneurysm",
    "calf-strain",
    "ankle-sprain",
    "neck-strain",
]

REQUIRED_TREATMENTS = [
    "rest-and-activity",
    "heat-and-cold",
    "stretching",
    "exercise-therapy",
    "physical-therapy",
    "massage-therapy",
    "self-massage",
    "acupuncture",
    "dry-needling",
    "chiropractic-care",
    "ergonomic-changes",
    "pain-medicines",
    "trigger-point-injections",
    "epidural-steroid-injections",
    "facet-and-medial-branch-blocks",
    "radiofrequency-ablation",
    "nerve-blocks",
    "spinal-cord-stimulation",
    "platelet-rich-plasma",
    "surgical-referral",
]


def entries():
    return [*PACK.conditions, *PACK.treatments, *PACK.articles]


def test_it_has_every_region_of_the_contract():
    assert [region.code for region in PACK.regions] == list(REGION_CODES)


def test_it_has_every_catalogue_condition_and_at_least_fifty():
    slugs = {condition.slug for condition in PACK.conditions}
    assert len(slugs) >= 50
    assert set(CATALOGUE_SLUGS) <= slugs


@pytest.mark.parametrize(
    "slug",
    [
        "cauda-equina-syndrome",
        "spinal-infection",
        "spinal-cancer",
        "heart-attack",
        "aortic-dissection",
        "kidney-stone",
        "kidney-infection",
        "deep-vein-thrombosis",
        "pulmonary-embolism",
        "septic-arthritis",
        "giant-cell-arteritis",
        "brain-bleed",
        "stroke",
        "compartment-syndrome",
        "shingles",
    ],
)
def test_each_must_not_miss_look_alike_is_marked_urgent_or_emergency(slug):
    condition = next(c for c in PACK.conditions if c.slug == slug)
    assert condition.usual_level in ("urgent", "emergency")


def test_usual_levels_match_the_catalogue():
    """The catalogue's summary index gives each condition's usual level; the content must not be lower."""
    order = ["self-care", "appointment", "urgent", "emergency"]
    rows = re.findall(r"^\| C(\d\d) \| [^|]+ \| [^|]+ \| ([^|]+) \|$", CATALOGUE.read_text(), flags=re.M)
    assert len(rows) == 55
    levels = {c.slug: c.usual_level for c in PACK.conditions}
    for number, cell in rows:
        # "appointment or self-care" allows either; "urgent (traumatic: emergency)" means at least urgent.
        named = re.findall(r"self-care|appointment|urgent|emergency", re.sub(r"\(.*?\)", "", cell))
        level = min(named, key=order.index)
        slug = CATALOGUE_SLUGS[int(number) - 1]
        assert order.index(levels[slug]) >= order.index(level), (slug, levels[slug], level)


def test_it_has_the_treatments_from_self_care_to_referral():
    slugs = {treatment.slug for treatment in PACK.treatments}
    assert len(slugs) >= 20
    assert set(REQUIRED_TREATMENTS) <= slugs


def test_every_condition_has_codes_regions_everyday_names_and_treatments():
    for condition in PACK.conditions:
        assert condition.icd10 and all(ICD10CM.match(code) for code in condition.icd10), condition.slug
        assert condition.regions, condition.slug
        assert condition.aka, condition.slug
        assert condition.treatments, condition.slug


def test_every_entry_cites_an_authoritative_https_source():
    for entry in entries():
        assert entry.sources, entry.slug
        for source in entry.sources:
            assert source.url.startswith("https://"), (entry.slug, source.url)
            host = source.url.split("/")[2]
            assert any(host == d or host.endswith("." + d) for d in AUTHORITATIVE_DOMAINS), (entry.slug, host)


def test_every_page_reads_at_grade_eight_or_below():
    grades = {entry.slug: measure(entry.summary, entry.body).grade for entry in entries()}
    too_hard = {slug: grade for slug, grade in grades.items() if grade > 8.0}
    assert too_hard == {}
    assert len(grades) == len(entries())


def test_there_are_at_least_eight_articles():
    assert len(PACK.articles) >= 8


def test_the_muscle_knots_article_covers_causes_relief_prevention_and_when_to_see_someone():
    article = next(a for a in PACK.articles if a.slug == "muscle-knots-in-your-back")
    assert article.title == "What's causing muscle knots in your back?"
    text = article.body.lower()
    topics = {
        "causes": [
            "overuse",
            "repetitive",
            "posture",
            "dehydrat",
            "fatigue",
            "sleep",
            "stress",
            "desk",
            "fibromyalgia",
            "age",
        ],
        "relief": [
            "stretch",
            "exercise",
            "massage",
            "foam roller",
            "tennis ball",
            "acupuncture",
            "chiropract",
        ],
        "prevention": ["posture", "stress", "chair"],
        "when to get help": ["see a professional", "911"],
    }
    missing = {topic: [w for w in words if w not in text] for topic, words in topics.items()}
    assert missing == {topic: [] for topic in topics}
