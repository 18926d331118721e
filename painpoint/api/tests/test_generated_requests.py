"""Schemathesis: at least 1,000 generated requests, valid and not, and never a server error."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.core.failures import FailureGroup

from painpoint.api.openapi import openapi_document

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(openapi_document())
COUNTER = {"requests": 0}


@pytest.fixture(autouse=True)
def keep_the_test_connection_open():
    """Requests go through Django's WSGI handler directly. Like Django's test client, keep it from closing the
    database connection after each request: on PostgreSQL that connection holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def at_least_a_thousand_requests():
    yield
    print(f"schemathesis sent {COUNTER['requests']} requests")
    assert COUNTER["requests"] >= 1000, COUNTER


@schema.parametrize()
@settings(max_examples=1100, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case, client):
    from django.core.handlers.wsgi import WSGIHandler

    response = case.call(app=WSGIHandler(), base_url="http://testserver")
    COUNTER["requests"] += 1
    assert response.status_code < 500, response.text
    # A booking can be schema-valid and still refused (an unknown visit type, a time already past or taken):
    # there, only "never a server error" and a response that matches the document are asked of it.
    booking = case.operation.path != "/api/v1/assessments"
    try:
        case.validate_response(
            response, excluded_checks=[checks.positive_data_acceptance] if booking else None
        )
    except FailureGroup as failures:
        raise AssertionError(str(failures)) from None
