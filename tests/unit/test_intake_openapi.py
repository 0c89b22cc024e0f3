"""intake's OpenAPI document promises what the API does when it must say "wait"."""

from __future__ import annotations

import pytest

from services.intake.openapi import spec_dict

REPORTER_OPERATIONS = [("post", "/api/v1/complaints"), ("get", "/api/v1/complaints/{tracking_code}"),
                       ("get", "/api/v1/complaints/{tracking_code}/proof"),
                       ("post", "/api/v1/complaints/{tracking_code}/messages")]


@pytest.mark.parametrize("method, path", [*REPORTER_OPERATIONS, ("get", "/api/v1/reference")])
def test_each_operation_that_reads_the_database_documents_503_with_retry_after(method, path):
    answer = spec_dict()["paths"][path][method]["responses"]["503"]
    assert answer["headers"]["Retry-After"]["required"] is True
    assert answer["headers"]["Retry-After"]["schema"]["type"] == "integer"


@pytest.mark.parametrize("method, path", REPORTER_OPERATIONS)
def test_each_rate_limited_operation_documents_429_with_retry_after(method, path):
    answer = spec_dict()["paths"][path][method]["responses"]["429"]
    assert answer["headers"]["Retry-After"]["required"] is True


def test_the_public_key_answer_lists_every_key_a_proof_may_name():
    schema = spec_dict()["components"]["schemas"]["PublicKey"]
    assert "keys" in schema["required"]


def test_every_operation_says_it_can_refuse_a_request_it_cannot_read():
    for path, operations in spec_dict()["paths"].items():
        for method, operation in operations.items():
            assert "400" in operation["responses"], (method, path)


def test_a_rule_the_document_cannot_state_is_a_documented_422():
    for path, method in (("/api/v1/complaints", "post"), ("/api/v1/complaints/{tracking_code}/messages", "post")):
        assert "422" in spec_dict()["paths"][path][method]["responses"]


def test_other_needs_words_is_in_the_schema_and_the_texts_carry_the_character_rule():
    complaint = spec_dict()["components"]["schemas"]["Complaint"]
    other_violation = complaint["allOf"][1]["anyOf"]
    assert other_violation[0] == {"properties": {"violation_types": {"items": {"not": {"enum": ["other"]}}}}}
    assert other_violation[1]["required"] == ["violation_other"]
    assert complaint["properties"]["description"]["pattern"].startswith("^[^\\u0000-\\u0008")
