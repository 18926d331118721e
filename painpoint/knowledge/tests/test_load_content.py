"""`painpoint load_content`: all-or-nothing, idempotent, and respectful of staff edits."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from painpoint.knowledge.models import Article, Condition, Region, Treatment
from painpoint.testing.factories import edit, write_pack

pytestmark = pytest.mark.django_db


def load(pack, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_content", str(pack), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> dict[str, list]:
    """Everything the loader can touch, as plain values."""
    return {
        "regions": list(Region.objects.order_by("code").values()),
        "conditions": list(Condition.objects.order_by("slug").values()),
        "treatments": list(Treatment.objects.order_by("slug").values()),
        "articles": list(Article.objects.order_by("slug").values()),
        "links": [
            sorted(Condition.regions.through.objects.values_list("condition_id", "region_id")),
            sorted(Condition.treatments.through.objects.values_list("condition_id", "treatment_id")),
            sorted(Treatment.helps.through.objects.values_list("treatment_id", "condition_id")),
            sorted(Article.conditions.through.objects.values_list("article_id", "condition_id")),
        ],
    }


def test_it_loads_a_pack_with_its_links(tmp_path):
    out, _ = load(write_pack(tmp_path))
    assert "2 conditions, 2 treatments, 1 articles" in out
    knots = Condition.objects.get(slug="knots")
    assert [r.code for r in knots.regions.all()] == ["lower-back"]
    assert [t.slug for t in knots.treatments.all()] == ["heat"]
    assert sorted(c.slug for c in Treatment.objects.get(slug="stretching").helps.all()) == [
        "knots",
        "stiff-neck",
    ]
    assert knots.body_html.count("<h2>") == 6
    assert '<a href="/treatments/heat/"' in knots.body_html


def test_loading_the_same_pack_twice_changes_nothing(tmp_path):
    pack = write_pack(tmp_path)
    load(pack)
    before = snapshot()
    out, _ = load(pack)
    assert "0 created" in out and "0 updated" in out and "0 removed" in out
    after = snapshot()
    for rows in (
        after["conditions"],
        after["treatments"],
        after["articles"],
        before["conditions"],
        before["treatments"],
        before["articles"],
    ):
        for row in rows:
            row.pop("updated_at")
    assert after == before


def test_it_updates_changed_entries_and_removes_vanished_ones(tmp_path):
    pack = write_pack(tmp_path)
    load(pack)
    edit(pack, "treatments/heat.md", "Warmth on the sore spot.", "A warm pack on the sore spot.")
    edit(pack, "conditions/stiff-neck.md", "treatments: [heat, stretching]", "treatments: [heat]")
    out, _ = load(pack)
    assert "updated: " in out and "treatment heat" in out and "condition stiff-neck" in out
    assert "A warm pack" in Treatment.objects.get(slug="heat").body_html
    assert [t.slug for t in Condition.objects.get(slug="stiff-neck").treatments.all()] == ["heat"]

    (pack / "articles" / "about-knots.md").unlink()
    out, _ = load(pack)
    assert "1 removed: article about-knots" in out
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "conditions/knots.md",
            "regions: [lower-back]",
            "regions: [lower-bak]",
            ":6: unknown region slug 'lower-bak'",
        ),
        (
            "conditions/knots.md",
            "icd10: [M79.18]",
            "icd10: [M7918]",
            ":5: 'M7918' is not shaped like an ICD-10-CM",
        ),
        (
            "conditions/knots.md",
            "summary: A short summary of Knots.\n",
            "",
            ":2: missing required field 'summary'",
        ),
        ("treatments/heat.md", "kind: self-care", "kind: [self-care", "malformed YAML"),
        (
            "conditions/knots.md",
            "(treatment:heat)",
            "(treatment:hot)",
            ":23: broken link: unknown treatment 'hot'",
        ),
        (
            "conditions/stiff-neck.md",
            "[heat, stretching]",
            "[heat, streching]",
            ":14: unknown treatment slug",
        ),
    ],
)
def test_a_bad_pack_reports_file_and_line_and_leaves_the_database_as_it_was(
    tmp_path, file, old, new, message
):
    pack = write_pack(tmp_path)
    load(pack)
    before = snapshot()
    # A valid change elsewhere in the same run must not be applied either.
    edit(pack, "treatments/stretching.md", "Warmth on the sore spot.", "Slow, gentle stretches.")
    edit(pack, file, old, new)
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"problem\(s\) found; nothing was changed"):
        call_command("load_content", str(pack), stdout=io.StringIO(), stderr=err)
    assert f"{file}" in err.getvalue() and message in err.getvalue()
    assert snapshot() == before


def test_it_keeps_and_lists_an_entry_a_staff_member_edited(tmp_path):
    pack = write_pack(tmp_path)
    load(pack)
    heat = Treatment.objects.get(slug="heat")
    heat.summary = "Our own words about heat."
    heat.save()
    edit(pack, "treatments/heat.md", "Warmth on the sore spot.", "A warm pack on the sore spot.")
    out, _ = load(pack)
    assert "Left alone because staff edited them (1):" in out and "treatment heat" in out
    heat.refresh_from_db()
    assert heat.summary == "Our own words about heat."
    assert "A warm pack" not in heat.body_md

    out, _ = load(pack, "--overwrite-edits")
    heat.refresh_from_db()
    assert heat.summary == "A short summary of Heat." and "A warm pack" in heat.body_md
    assert "Left alone" not in load(pack)[0]


def test_a_staff_edit_to_links_counts_as_an_edit(tmp_path):
    pack = write_pack(tmp_path)
    load(pack)
    knots = Condition.objects.get(slug="knots")
    knots.treatments.add(Treatment.objects.get(slug="stretching"))
    out, _ = load(pack)
    assert "condition knots" in out.split("Left alone")[1]
    assert knots.treatments.count() == 2


def test_markdown_is_sanitised_when_saved_from_the_admin(tmp_path):
    load(write_pack(tmp_path))
    heat = Treatment.objects.get(slug="heat")
    heat.body_md = "Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    heat.save()
    assert "<script" not in heat.body_html
    assert "onerror" not in heat.body_html.replace("onerror=alert(1)&gt;", "")
    assert "javascript:" not in heat.body_html.replace("(javascript:alert(1))", "")
    assert 'href="javascript' not in heat.body_html


def test_it_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError):
        call_command("load_content", str(tmp_path / "nowhere"), stdout=io.StringIO(), stderr=io.StringIO())
