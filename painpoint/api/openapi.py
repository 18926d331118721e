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


def _errors(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Errors")}


_INSTANT = {"type": "string", "format": "date-time"}
_REF = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
BOOKING_SCHEMAS: dict[str, Any] = {
    "Slot": {
        "type": "object",
        "required": ["start", "end", "local_start", "provider", "location"],
        "properties": {
            "start": {**_INSTANT, "description": "in UTC"},
            "end": {**_INSTANT, "description": "in UTC"},
            "local_start": {**_INSTANT, "description": "the same instant on the clinic's wall clock"},
            "provider": _REF,
            "location": _REF,
        },
    },
    "Slots": {
        "type": "object",
        "properties": {
            "visit_type": {"type": "string"},
            "mode": {"type": "string", "enum": ["instant", "request"]},
            "duration_minutes": {"type": "integer"},
            "time_zone": {"type": "string", "description": "the clinic's IANA time zone"},
            "slots": {"type": "array", "items": {"$ref": "#/components/schemas/Slot"}},
        },
    },
    "AppointmentRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["visit_type", "patient", "consent"],
        "properties": {
            "visit_type": {"type": "string", "description": "a visit type's slug"},
            "start": {
                **_INSTANT,
                "description": "a slot's start from GET /api/v1/slots (instant visit types)",
            },
            "provider": {"type": "integer", "description": "optional: the first free provider otherwise"},
            "location": {"type": "integer"},
            "preferred_times": {
                "type": "string",
                "maxLength": 500,
                "description": "for visit types booked by request: which days and times suit",
            },
            "patient": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "phone", "email", "date_of_birth"],
                "properties": {
                    "name": {"type": "string", "minLength": 2, "maxLength": 120},
                    "phone": {"type": "string"},
                    "email": {"type": "string", "format": "email"},
                    "date_of_birth": {"type": "string", "format": "date"},
                },
            },
            "reason": {"type": "string", "maxLength": 2000},
            "consent": {
                "type": "boolean",
                "const": True,
                "description": "the patient agrees to be contacted",
            },
            "assessment": {
                "$ref": "#/components/schemas/Assessment",
                "description": "the interview's answers; the level is worked out again and gates booking",
            },
        },
    },
    "Appointment": {
        "type": "object",
        "required": ["id", "kind", "status", "manage_url"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": ["booking", "appointment-request"]},
            "status": {"type": "string"},
            "visit_type": {"type": "string"},
            "start": _INSTANT,
            "end": _INSTANT,
            "local_start": _INSTANT,
            "provider": _REF,
            "location": _REF,
            "triage": {"type": "string", "enum": LEVEL_ENUM},
            "manage_url": {"type": "string", "description": "the patient's signed link to change or cancel"},
        },
    },
}
BOOKING_PATHS: dict[str, Any] = {
    "/api/v1/slots": {
        "get": {
            "operationId": "listSlots",
            "summary": "Free slots of one visit type",
            "parameters": [
                {"name": "visit_type", "in": "query", "required": True, "schema": {"type": "string"}},
                {
                    "name": "from",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "a date (the clinic's local midnight) or a date-time with offset",
                },
                {
                    "name": "to",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "at most 31 days on",
                },
                {"name": "provider", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": {"description": "The free slots, soonest first", "content": _json("Slots")},
                "400": _errors("A parameter is missing or wrong"),
                "429": _errors("Too many requests from this client"),
            },
        }
    },
    "/api/v1/appointments": {
        "post": {
            "operationId": "createAppointment",
            "summary": "Book a slot, or request a visit booked by request",
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "schema": {"type": "string", "maxLength": 200},
                    "description": "a replay returns the first answer; the key with another body gets 422",
                }
            ],
            "requestBody": {"required": True, "content": _json("AppointmentRequest")},
            "responses": {
                "201": {"description": "Booked or requested", "content": _json("Appointment")},
                "400": _errors("A field is missing or wrong; every problem is named"),
                "409": _errors("The slot was taken"),
                "422": _errors("An emergency assessment (no booking: call 911), or a reused Idempotency-Key"),
                "429": _errors("Too many requests from this client"),
            },
        }
    },
}


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
            },
            **BOOKING_PATHS,
        },
        "components": {
            "schemas": {
                "RegionCode": {"type": "string", "enum": list(REGION_CODES)},
                "Assessment": _assessment_schema(),
                "Result": _result_schema(),
                "Errors": ERRORS_SCHEMA,
                **BOOKING_SCHEMAS,
            }
        },
    }
