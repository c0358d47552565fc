"""Schemathesis over every operation of the OpenAPI document, authenticated with a bearer token.

Examples come from the document itself (Hypothesis strategies per operation, a fixed seed and a bounded
count), are sent to the real app through the tests' own client (so both engines run it, in their loop),
and every answer is checked: no 5xx, a documented status, content type and headers, a body that matches
the schema.
"""

from __future__ import annotations

import warnings
from typing import Any

import hypothesis
import schemathesis
from hypothesis.errors import NonInteractiveExampleWarning
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


def _examples(operation: Any, count: int) -> list[Any]:
    """`count` generated cases for one operation, reproducible (seeded)."""
    drawn: list[Any] = []

    @hypothesis.seed(11)
    @hypothesis.settings(max_examples=count, database=None, deadline=None, derandomize=True,
                         suppress_health_check=list(hypothesis.HealthCheck), phases=[hypothesis.Phase.generate])
    @hypothesis.given(operation.as_strategy())
    def collect(case: Any) -> None:
        drawn.append(case)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        collect()
    return drawn


async def test_every_operation_answers_as_documented(world, app, client):
    schema = schemathesis.openapi.from_dict(app.openapi_schema.to_schema())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    auth = world.auth("alpha_admin")
    failures: list[str] = []
    sent = 0
    for operation in operations:
        for case in _examples(operation, EXAMPLES_PER_OPERATION):
            kwargs = case.as_transport_kwargs(base_url="http://testserver.local", headers=auth)
            request = {k: kwargs[k] for k in ("method", "url", "headers", "params", "cookies") if kwargs.get(k)}
            for key in ("json", "data", "files", "content"):
                if key in kwargs and kwargs[key] is not None:
                    request["content" if key == "data" and isinstance(kwargs[key], (bytes, str)) else key] = kwargs[key]
            response = await client.request(**request)
            sent += 1

            try:
                case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)
            except Exception as exc:  # schemathesis raises one error naming every failed check
                failures.append(f"{operation.label} -> {response.status_code}: {str(exc)[:600]}")
    assert sent >= 200
    assert failures == []
