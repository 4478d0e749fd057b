"""Checklist item 32: the API fuzzed against its own OpenAPI document, once per role (Schemathesis
generates the requests from /api/schema/; Hypothesis drives them). Whatever a caller sends, the
answer is never a server error, and a successful answer matches the schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from jixiao.api.services import api_token_create

pytestmark = pytest.mark.django_db

ROLES = ("office", "reporter", "stats", "outsider")
EXAMPLES = 6  # per operation and role: 4 roles × ~20 operations × 6 ≈ 500 requests


@pytest.mark.parametrize("role", ROLES)
def test_item_32_api_fuzzed_per_role(cast: Any, sv: Any, role: str) -> None:
    user = getattr(cast, role)
    token = api_token_create(actor=None, user=user)
    doc = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/schema/?format=json")
    if role == "outsider":  # an account without a role reads the schema through the office's eyes
        doc = APIClient(HTTP_AUTHORIZATION=f"Token {api_token_create(actor=None, user=cast.office)}").get(
            "/api/schema/?format=json")
    assert doc.status_code == 200, doc.content
    schema = schemathesis.openapi.from_dict(doc.json())
    app = WSGIHandler()
    headers = {"Authorization": f"Token {token}"}
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 15
    statuses: dict[int, int] = {}
    # The requests run inside the test's transaction (as Django's test client's do): the handler must
    # not close the connection at each request's end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _fuzz(operations, app, headers, statuses)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert sum(statuses.values()) >= len(operations) * 2
    assert not any(s >= 500 for s in statuses), statuses


def _fuzz(operations: list[Any], app: WSGIHandler, headers: dict[str, str], statuses: dict[int, int]) -> None:
    for op in operations:

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            response = case.call(app=app, headers=headers)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            case.validate_response(response, checks=[not_a_server_error, content_type_conformance,
                                                     response_schema_conformance], headers=headers)

        run()
