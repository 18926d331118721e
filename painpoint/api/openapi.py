"""The OpenAPI 3.1 document of the API, built from the contract's codes so the two cannot drift apart."""

from __future__ import annotations

from functools import cache
from typing import Any

from painpoint.engine.codes import FINDING_GROUPS, LEVELS, REGION_CODES, SEXES
from painpoint.engine.model import ENGINE_VERSION
from painpoint.engine.validate import MAX_REGIONS

LEVEL_ENUM = list(reversed(LEVELS))  # emergency first, as the policy lists them


def _assessment_schema() -> dict[str, Any]:
    findings = [code for group in FINDING_GROUPS.values() for code in group]
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["age", "regions", "duration_days", "severity"],
        "properties": {
            "age": {"type": "integer", "minimum": 0, "maximum": 120, "description": "age in years"},
            "sex": {"type": "string", "enum": list(SEXES), "description": "sex, if the visitor gave it"},
            "regions": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_REGIONS,
                "uniqueItems": True,
                "items": {"$ref": "#/components/schemas/RegionCode"},
                "description": "where it hurts (or tingles, or is numb); left and right are the visitor's",
            },
            "duration_days": {
                "type": "number",
                "minimum": 0,
                "description": "time since this pain began (fractions allowed: 0.04 is about one hour)",
            },
            "severity": {
                "type": "integer",
                "minimum": 0,
                "maximum": 10,
                "description": "worst pain in the last 24 hours on the 0-10 numeric rating scale",
            },
            "findings": {
                "type": "array",
                "uniqueItems": True,
                "default": [],
                "items": {"type": "string", "enum": findings},
                "description": "what the visitor reported as present; a finding not listed is not reported",
            },
        },
    }


def _result_schema() -> dict[str, Any]:
    string_list = {"type": "array", "items": {"type": "string"}}
    return {
        "type": "object",
        "required": ["triage", "advice", "red_flags", "conditions", "treatments", "engine"],
        "properties": {
            "triage": {"type": "string", "enum": LEVEL_ENUM, "description": "how soon to get care"},
            "advice": {"type": "string", "description": "one or two plain sentences: what to do now"},
            "red_flags": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "level", "reason", "findings"],
                    "properties": {
                        "id": {"type": "string"},
                        "level": {"type": "string", "enum": LEVEL_ENUM},
                        "reason": {"type": "string"},
                        "findings": {**string_list, "description": "the finding codes that triggered it"},
                        "regions": {
                            **string_list,
                            "description": "added: the region codes that triggered it",
                        },
                    },
                },
            },
            "conditions": {
                "type": "array",
                "maxItems": 10,
                "items": {
                    "type": "object",
                    "required": ["slug", "name", "icd10", "likelihood", "why", "url"],
                    "properties": {
                        "slug": {"type": "string"},
                        "name": {"type": "string"},
                        "icd10": {**string_list, "description": "ICD-10-CM codes, with the dot"},
                        "likelihood": {"type": "string", "enum": ["high", "medium", "low"]},
                        "why": string_list,
                        "url": {"type": "string"},
                    },
                },
            },
            "treatments": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["slug", "name", "url"],
                    "properties": {
                        "slug": {"type": "string"},
                        "name": {"type": "string"},
                        "url": {"type": "string"},
                        "offered": {"type": "boolean", "description": "added: this clinic offers it"},
                    },
                },
            },
            "reasons": {**string_list, "description": "added: why this level, in plain words"},
            "engine": {
                "type": "object",
                "required": ["version", "content_version"],
                "properties": {"version": {"type": "string"}, "content_version": {"type": "string"}},
            },
        },
    }


ERRORS_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["path", "message"],
                "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
            },
        }
    },
}


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


@cache
def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Painpoint API",
            "version": ENGINE_VERSION,
            "description": "Assessment contract v1: where it hurts and what the visitor reports in; "
            "how urgent it is, why, and what it most likely is, out. Nothing is stored.",
        },
        "paths": {
            "/api/v1/assessments": {
                "post": {
                    "operationId": "createAssessment",
                    "summary": "Assess one visitor's answers",
                    "requestBody": {"required": True, "content": _json("Assessment")},
                    "responses": {
                        "200": {"description": "The result", "content": _json("Result")},
                        "400": {
                            "description": "The body is not a valid assessment",
                            "content": _json("Errors"),
                        },
                        "429": {
                            "description": "Too many requests from this client",
                            "content": _json("Errors"),
                        },
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "RegionCode": {"type": "string", "enum": list(REGION_CODES)},
                "Assessment": _assessment_schema(),
                "Result": _result_schema(),
                "Errors": ERRORS_SCHEMA,
            }
        },
    }
