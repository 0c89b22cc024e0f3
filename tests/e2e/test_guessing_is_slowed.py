"""Guessing a tracking code and receipt is made useless: growing waits per client and per code."""

from __future__ import annotations

import random
import time

import pytest

from tests.support import complaints


def client() -> dict:
    return {"X-Forwarded-For": f"203.0.{random.randrange(256)}.{random.randrange(1, 255)}"}


@pytest.fixture
def filed(stack):
    response = complaints.file(stack.settings.url("intake"), complaints.complaint(), headers=client())
    assert response.status_code == 201
    return response.json()


WRONG = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"


def test_a_guessing_client_is_made_to_wait_longer_each_time_and_then_let_go(stack, filed):
    intake, guesser = stack.settings.url("intake"), client()
    # The first five failures cost nothing; the sixth sets the first wait (1 s in tests).
    for _ in range(6):
        assert complaints.status(intake, "ZZZZ-ZZZZ-ZZZZ", WRONG, headers=guesser).status_code == 404
    blocked = complaints.status(intake, "ZZZZ-ZZZZ-ZZZZ", WRONG, headers=guesser)
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "1"
    assert "Coba lagi dalam 1 detik" in blocked.json()["error"]["message"]
    # Even the right code and receipt wait: the client, not the guess, is slowed.
    assert complaints.status(intake, filed["tracking_code"], filed["receipt"],
                             headers=guesser).status_code == 429
    time.sleep(1.1)
    assert complaints.status(intake, "ZZZZ-ZZZZ-ZZZZ", WRONG, headers=guesser).status_code == 404
    longer = complaints.status(intake, "ZZZZ-ZZZZ-ZZZZ", WRONG, headers=guesser)
    assert longer.status_code == 429 and longer.headers["Retry-After"] == "2"
    time.sleep(2.1)
    # The wait has lifted: the reporter's own lookup from this address goes through.
    assert complaints.status(intake, filed["tracking_code"], filed["receipt"],
                             headers=guesser).status_code == 200
    # Other clients were never affected.
    assert complaints.status(intake, filed["tracking_code"], filed["receipt"],
                             headers=client()).status_code == 200


def test_a_code_under_attack_from_many_addresses_is_slowed_too(stack, filed):
    intake, code = stack.settings.url("intake"), filed["tracking_code"]
    for _ in range(6):
        assert complaints.status(intake, code, WRONG, headers=client()).status_code == 404
    assert complaints.status(intake, code, WRONG, headers=client()).status_code == 429
    time.sleep(1.1)
    assert complaints.status(intake, code, filed["receipt"], headers=client()).status_code == 200


def test_filing_is_limited_per_client_when_configured(stack):
    stack.restart_service("intake", {"NETRA_SUBMIT_ALLOWED": "2", "NETRA_SUBMIT_FIRST_WAIT_SECONDS": "1"})
    try:
        intake, flooder = stack.settings.url("intake"), client()
        for _ in range(3):
            assert complaints.file(intake, complaints.complaint(), [], headers=flooder).status_code == 201
        refused = complaints.file(intake, complaints.complaint(), [], headers=flooder)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
        assert complaints.file(intake, complaints.complaint(), [], headers=client()).status_code == 201
        time.sleep(1.1)
        assert complaints.file(intake, complaints.complaint(), [], headers=flooder).status_code == 201
    finally:
        stack.restart_service("intake")
