"""intake's OpenAPI document promises what the API does when it must say "wait"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from netra_common.config import load_service_config
from services.intake.api.openapi import spec_dict
from services.intake.domain.idempotency import DEFAULT_LIFETIME

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


@pytest.mark.parametrize("path", ["/api/v1/complaints", "/api/v1/complaints/{tracking_code}/messages"])
def test_each_filing_door_documents_its_idempotency_key_and_what_a_retry_gets(path):
    operation = spec_dict()["paths"][path]["post"]
    (key,) = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
    assert key["in"] == "header" and key["required"] is False and key["schema"]["minLength"] == 32
    assert "original answer" in key["description"] and "422" in key["description"]
    assert operation["responses"]["409"]["headers"]["Retry-After"]["required"] is True
    assert "different request" in operation["responses"]["422"]["description"]
    assert "Idempotent-Replayed" in operation["responses"]["201"]["headers"]


def test_the_documented_lifetime_is_the_shipped_one():
    config = load_service_config("intake")
    assert timedelta(hours=float(config["NETRA_IDEMPOTENCY_HOURS"])) == DEFAULT_LIFETIME


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
