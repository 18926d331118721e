"""Every public page: it renders, has one h1, valid JSON-LD, canonical and Open Graph tags, the clinic's
tap-to-call number and the notice, and loads nothing from another origin."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from painpoint.clinics.models import Clinic
from painpoint.knowledge.models import Article, Condition, Region, Treatment
from painpoint.testing.html import read

pytestmark = pytest.mark.django_db

EXPECTED_TYPES = {"condition": "MedicalCondition", "treatment": "MedicalTherapy"}


def every_page_url() -> list[str]:
    urls = [
        reverse("knowledge:home"),
        reverse("knowledge:a-to-z"),
        reverse("knowledge:treatments"),
        reverse("knowledge:articles"),
        reverse("knowledge:search") + "?q=knot",
        reverse("knowledge:search") + "?q=",
        reverse("knowledge:search") + "?q=zzzzzz",
    ]
    for model in (Region, Condition, Treatment, Article):
        urls += [row.get_absolute_url() for row in model.objects.all()]
    return urls


def test_every_page_renders_with_one_h1_valid_json_ld_and_no_foreign_origin(client):
    urls = every_page_url()
    assert len(urls) > 49 + 55 + 24 + 10
    clinic = Clinic.objects.current()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = read(response.content)
        assert page.h1_count == 1, url
        assert page.json_ld, f"{url} has no JSON-LD"
        for data in page.json_ld:
            assert data["@context"] == "https://schema.org", url
        assert page.foreign_loads("testserver") == [], url
        assert page.inline_scripts == 0 and page.inline_handlers == [], url
        assert page.canonical == "http://testserver" + url.split("?")[0], url
        assert page.meta["og:title"] and page.meta["og:url"] and page.meta["og:type"], url
        assert clinic.phone_href in page.links, url
        assert "It does not diagnose" in response.content.decode(), url
        assert "default-src 'self'" in response["Content-Security-Policy"], url


def test_a_condition_page_describes_a_medical_condition_with_its_codes(client):
    condition = Condition.objects.get(slug="sciatica-herniated-disc")
    page = read(client.get(condition.get_absolute_url()).content)
    (data,) = page.json_ld
    assert data["@type"] == "MedicalWebPage"
    about = data["about"]
    assert about["@type"] == "MedicalCondition"
    assert {code["codeValue"] for code in about["code"]} == set(condition.icd10)
    assert all(code["codingSystem"] == "ICD-10-CM" for code in about["code"])
    assert about["possibleTreatment"] and all(
        t["@type"] == "MedicalTherapy" for t in about["possibleTreatment"]
    )
    assert data["citation"]


def test_a_treatment_page_describes_a_medical_therapy_and_says_whether_the_clinic_offers_it(client):
    offered = Clinic.objects.current().offered_treatments.first()
    not_offered = Treatment.objects.exclude(pk__in=Clinic.objects.current().offered_treatments.all()).first()
    response = client.get(offered.get_absolute_url())
    assert read(response.content).json_ld[0]["about"]["@type"] == "MedicalTherapy"
    assert "Riverside Spine &amp; Pain Center offers this" in response.content.decode()
    assert "does not offer this at present" in client.get(not_offered.get_absolute_url()).content.decode()


def test_the_home_page_describes_the_clinic(client):
    page = read(client.get("/").content)
    clinic = next(item for item in page.json_ld if item["@type"] == "MedicalClinic")
    assert clinic["name"] == "Riverside Spine & Pain Center"
    assert clinic["telephone"] == "(555) 010-2040"
    assert clinic["address"]["addressLocality"] == "Springfield"
    assert len(clinic["availableService"]) == 12


def test_a_region_page_lists_common_conditions_first_and_serious_ones_apart(client):
    region = Region.objects.get(code="lower-back")
    response = client.get(region.get_absolute_url())
    html = response.content.decode()
    common = response.context["common"]
    assert [c.commonness for c in common] == sorted((c.commonness for c in common), reverse=True)
    assert all(not c.is_serious for c in common)
    assert {c.slug for c in response.context["serious"]} >= {"cauda-equina-syndrome", "spinal-infection"}
    assert html.index("Common causes") < html.index("Rare but serious causes")


def test_the_page_says_plainly_when_no_clinician_has_reviewed_it_yet(client):
    condition = Condition.objects.get(slug="tennis-elbow")
    assert "has not yet reviewed this page" in client.get(condition.get_absolute_url()).content.decode()
    condition.reviewed_by, condition.reviewed_on = "Dr. Ada Park, MD", date(2026, 11, 20)
    condition.save()
    html = client.get(condition.get_absolute_url()).content.decode()
    assert "Reviewed by Dr. Ada Park, MD on November 20, 2026." in html
    assert "has not yet reviewed" not in html


def test_pages_cross_link_conditions_treatments_and_articles(client):
    article = Article.objects.get(slug="muscle-knots-in-your-back")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "/conditions/myofascial-pain/" in html
    condition_html = client.get("/conditions/myofascial-pain/").content.decode()
    assert "/articles/muscle-knots-in-your-back/" in condition_html
    assert "/treatments/massage-therapy/" in condition_html


def test_every_internal_link_on_every_page_resolves(client):
    seen: set[str] = set()
    for url in every_page_url():
        for link in read(client.get(url).content).links:
            if link.startswith("/") and not link.startswith("/admin") and link.split("#")[0] not in seen:
                target = link.split("#")[0]
                seen.add(target)
                # The interview's entry, /check/, redirects to the step the visitor is at.
                assert client.get(target, follow=True).status_code == 200, f"{url} links to {link}"
    assert len(seen) > 140


def test_the_sitemap_lists_every_page_and_robots_points_to_it(client):
    xml = client.get("/sitemap.xml").content.decode()
    for model in (Region, Condition, Treatment, Article):
        for row in model.objects.all():
            assert f"http://testserver{row.get_absolute_url()}</loc>" in xml
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_an_unknown_page_gets_a_friendly_404(client):
    response = client.get("/conditions/no-such-thing/")
    assert response.status_code == 404
    assert read(response.content).h1_count == 1


def test_the_clinic_colours_reach_the_stylesheet(client):
    clinic = Clinic.objects.current()
    clinic.primary_colour = "#123456"
    clinic.save()
    css = client.get("/clinic.css").content.decode()
    assert "--brand: #123456" in css


def test_a_cached_page_follows_an_edit_and_a_removal(client):
    region_url = Region.objects.get(code="elbow-left").get_absolute_url()
    condition = Condition.objects.get(slug="tennis-elbow")
    assert "Tennis elbow" in client.get(region_url).content.decode()
    condition.name = "Tennis elbow (outer elbow pain)"
    condition.save()
    assert "Tennis elbow (outer elbow pain)" in client.get(region_url).content.decode()
    condition.delete()
    assert "Tennis elbow" not in client.get(region_url).content.decode()


def test_a_clinic_change_reaches_a_cached_page(client):
    client.get("/")
    clinic = Clinic.objects.current()
    clinic.phone = "(555) 999-0000"
    clinic.save()
    assert "(555) 999-0000" in client.get("/").content.decode()
