"""The content parser: every problem reported as `file:line: message`, all of them in one run."""

from __future__ import annotations

import pytest

from painpoint.knowledge.parse import ContentError, parse_pack
from painpoint.testing.factories import edit, write, write_pack


def problems_of(pack) -> list[str]:
    with pytest.raises(ContentError) as error:
        parse_pack(pack)
    return error.value.problems


def only_problem(pack) -> str:
    problems = problems_of(pack)
    assert len(problems) == 1, problems
    return problems[0]


def test_it_parses_a_valid_pack(tmp_path):
    pack = parse_pack(write_pack(tmp_path))
    assert len(pack.regions) == 49
    assert [c.slug for c in pack.conditions] == ["knots", "stiff-neck"]
    assert pack.conditions[0].treatments == ("heat",)
    assert pack.treatments[1].helps == ("knots", "stiff-neck")
    assert pack.articles[0].conditions == ("knots",)


def test_the_version_changes_when_any_file_changes(tmp_path):
    pack = write_pack(tmp_path)
    before = parse_pack(pack).version
    edit(pack, "treatments/heat.md", "Warmth on the sore spot.", "Gentle warmth on the sore spot.")
    assert parse_pack(pack).version != before


def test_it_names_the_file_and_line_of_an_unknown_region(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "conditions/knots.md", "regions: [lower-back]", "regions: [lower-bak]")
    problem = only_problem(pack)
    assert problem.endswith(
        "conditions/knots.md:6: unknown region slug 'lower-bak' (did you mean 'lower-back'?)"
    )


def test_it_names_an_unknown_treatment_slug(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "conditions/stiff-neck.md", "treatments: [heat, stretching]", "treatments: [heat, streching]")
    assert only_problem(pack).endswith(
        "conditions/stiff-neck.md:14: unknown treatment slug 'streching' (did you mean 'stretching'?)"
    )


def test_it_names_a_missing_required_field(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "conditions/knots.md", "summary: A short summary of Knots.\n", "")
    assert only_problem(pack).endswith("conditions/knots.md:2: missing required field 'summary'")


def test_it_reports_malformed_yaml_at_its_line(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "treatments/heat.md", "kind: self-care", "kind: [self-care")
    problem = only_problem(pack)
    assert "treatments/heat.md:" in problem and "malformed YAML" in problem


def test_it_rejects_a_code_not_shaped_like_icd10cm(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "conditions/knots.md", "icd10: [M79.18]", "icd10: [M79.18, M54.4-]")
    assert only_problem(pack).endswith(
        "conditions/knots.md:5: 'M54.4-' is not shaped like an ICD-10-CM code (e.g. M54.50, S39.012A)"
    )


def test_it_reports_a_broken_internal_link_at_its_line(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "conditions/knots.md", "[heat](treatment:heat)", "[heat](treatment:hot-packs)")
    assert only_problem(pack).endswith("conditions/knots.md:23: broken link: unknown treatment 'hot-packs'")


def test_it_reports_a_duplicate_region_code(tmp_path):
    pack = write_pack(tmp_path)
    regions = pack / "regions.yaml"
    regions.write_text(
        regions.read_text() + "  - code: head\n    label: Head again\n    description: x\n"
        "    view: front\n    side: centre\n    area: head-neck\n"
    )
    problem = only_problem(pack)
    assert "regions.yaml:" in problem and problem.endswith("duplicate region code 'head'")


def test_it_reports_a_duplicate_key(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "treatments/heat.md", "kind: self-care\n", "kind: self-care\nkind: movement\n")
    assert only_problem(pack).endswith("treatments/heat.md:5: duplicate key 'kind'")


def test_it_reports_a_slug_listed_twice(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "conditions/stiff-neck.md", "treatments: [heat, stretching]", "treatments: [heat, heat]")
    assert only_problem(pack).endswith("conditions/stiff-neck.md:14: 'heat' is listed twice in 'treatments'")


def test_it_rejects_a_file_name_that_is_not_a_slug(tmp_path):
    pack = write_pack(tmp_path)
    (pack / "treatments" / "heat.md").rename(pack / "treatments" / "Heat_Packs.md")
    problems = problems_of(pack)
    assert any(
        p.endswith(
            "treatments/Heat_Packs.md:1: file name 'Heat_Packs' is not a valid slug "
            "(lowercase letters, digits and hyphens)"
        )
        for p in problems
    )


def test_it_rejects_a_source_that_is_not_authoritative(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "treatments/heat.md", "https://medlineplus.gov/backpain.html", "https://example.com/blog")
    assert only_problem(pack).endswith(
        "treatments/heat.md:9: source url 'https://example.com/blog' is not on an authoritative site "
        "(see AUTHORITATIVE_DOMAINS)"
    )


def test_it_requires_every_condition_section(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "conditions/knots.md", "## Prevention\n\nTake breaks.\n", "")
    assert only_problem(pack).endswith("conditions/knots.md:21: missing section '## Prevention'")


def test_it_rejects_raw_html_in_a_body(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "treatments/heat.md", "Sore muscles.", 'Sore muscles. <img src=x onerror="alert(1)">')
    assert only_problem(pack).endswith(
        "treatments/heat.md:17: raw HTML is not allowed in content; use Markdown"
    )


def test_it_rejects_an_escalation_that_does_not_raise_the_level(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "conditions/knots.md", "    - to: appointment", "    - to: self-care")
    assert only_problem(pack).endswith(
        "conditions/knots.md:12: an escalation must raise the level above 'self-care'"
    )


def test_it_names_a_rule_pointing_if_it_fits_to_an_unknown_condition(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "triage/red_flags.yaml", "points_to_if_fits: []", "points_to_if_fits: [knot]")
    problem = only_problem(pack)
    assert "triage/red_flags.yaml:" in problem
    assert problem.endswith("unknown condition slug 'knot' (did you mean 'knots'?)")


def test_it_collects_every_problem_in_one_run(tmp_path):
    pack = write_pack(tmp_path)
    edit(pack, "conditions/knots.md", "regions: [lower-back]", "regions: [lower-bak]")
    edit(pack, "treatments/heat.md", "kind: self-care", "kind: sorcery")
    write(pack, "articles/broken.md", "no front matter here\n")
    problems = problems_of(pack)
    assert len(problems) == 3
    assert {p.split(":")[0].rsplit("/", 2)[-2] for p in problems} == {"conditions", "treatments", "articles"}
