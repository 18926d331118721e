"""The OpenAPI document matches the contract: every field, code and level, and no others."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from painpoint.api.openapi import openapi_document

CONTRACT = Path(settings.REPO_DIR).parent / "shared" / "spec" / "assessment-v1.md"


def contract_tables() -> dict[str, list[str]]:
    text = CONTRACT.read_text()
    regions_part = text.split("### Region codes")[1].split("### Finding codes")[0]
    findings_part = text.split("### Finding codes")[1].split("## Output")[0]
    input_part = text.split("## Input: an assessment")[1].split("### Region codes")[0]
    output_part = text.split("## Output: a result")[1].split("## Example")[0]
    first_cells = lambda part: [  # noqa: E731
        code
        for line in part.splitlines()
        if line.startswith("| `")
        for code in re.findall(r"`([a-z0-9_-]+)`", line.split("|")[1])
    ]
    return {
        "regions": first_cells(regions_part),
        "findings": first_cells(findings_part),
        "input": first_cells(input_part),
        "output": first_cells(output_part),
    }


@pytest.fixture(scope="module")
def document():
    return openapi_document()


def test_the_request_schema_has_exactly_the_contracts_fields(document):
    schema = document["components"]["schemas"]["Assessment"]
    assert list(schema["properties"]) == contract_tables()["input"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"age", "regions", "duration_days", "severity"}


def test_every_region_and_finding_code_of_the_contract_is_in_the_schema(document):
    tables = contract_tables()
    assert len(tables["regions"]) == 49
    assert document["components"]["schemas"]["RegionCode"]["enum"] == tables["regions"]
    findings = document["components"]["schemas"]["Assessment"]["properties"]["findings"]["items"]["enum"]
    assert findings == tables["findings"]


def test_the_result_schema_has_every_field_of_the_contract(document):
    result = document["components"]["schemas"]["Result"]
    assert set(contract_tables()["output"]) <= set(result["properties"])
    assert set(result["required"]) == set(contract_tables()["output"])
    assert result["properties"]["triage"]["enum"] == ["emergency", "urgent", "appointment", "self-care"]
    condition = result["properties"]["conditions"]["items"]
    assert set(condition["required"]) == {"slug", "name", "icd10", "likelihood", "why", "url"}
    assert condition["properties"]["likelihood"]["enum"] == ["high", "medium", "low"]


def test_the_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == openapi_document()
