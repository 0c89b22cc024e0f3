"""Runs schemathesis over an OpenAPI document, a bounded number of examples per operation."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance


def every_answer_as_documented(operations, headers: Callable[[], dict], examples: int) -> None:
    """Each answer must match the document (status, content type, headers, body) and none may be a
    server error. "Schema-valid data is accepted" is left out: neither API's rules all fit in
    OpenAPI 3.0 (a NIP's dates, "a link or a screenshot", a case that must exist)."""
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def answers_as_documented(case):
            case.call_and_validate(headers=headers(), excluded_checks=[positive_data_acceptance])

        answers_as_documented()
