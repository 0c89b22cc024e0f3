"""How failures become answers: an unreachable database or S3 is a 503 the caller can act on
(in words, with Retry-After); anything else unexpected is a bare 500 that reveals nothing."""

from __future__ import annotations

import json

import psycopg2
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from urllib3.exceptions import MaxRetryError, NewConnectionError

from netra_common.http_answers import dependency_unavailable, error_response


def db_down() -> OperationalError:
    return OperationalError("SELECT 1", {}, psycopg2.OperationalError("connection refused"))


def s3_down() -> MaxRetryError:
    return MaxRetryError(None, "/quarantine/x", NewConnectionError(None, "refused"))


@pytest.mark.parametrize("exc", [db_down(), s3_down(), ConnectionRefusedError(111, "refused")])
def test_an_unreachable_dependency_is_a_503_with_words_and_retry_after(exc):
    assert dependency_unavailable(exc)
    response = error_response(exc, None)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    error = json.loads(response.get_data())["error"]
    assert error["code"] == "service_unavailable" and "belum diproses" in error["message"]


@pytest.mark.parametrize("exc", [ValueError("bug"), IntegrityError("INSERT", {}, psycopg2.IntegrityError("dup"))])
def test_a_bug_is_a_500_that_says_nothing_of_it(exc):
    assert not dependency_unavailable(exc)
    response = error_response(exc, None)
    assert response.status_code == 500
    assert "bug" not in response.get_data(as_text=True) and "dup" not in response.get_data(as_text=True)
