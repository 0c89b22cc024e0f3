"""Guessing a tracking code and receipt is made useless: growing waits per client and per code,
counted before the receipt is checked, so parallel guesses gain nothing; the reporter of a
code under attack still gets in. The counters forget, and never carry a complaint's time."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from netra_common.clients import client_key
from services.intake.domain.codes import new_tracking_code
from tests.support import complaints
from tests.support.waiting import eventually

ALLOWED = 5  # intake's default NETRA_LOOKUP_ALLOWED
WRONG = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"


def address() -> str:
    return f"203.0.{random.randrange(256)}.{random.randrange(1, 255)}"


def client(at: str | None = None) -> dict:
    return {"X-Forwarded-For": at or address()}


@pytest.fixture
def filed(stack):
    response = complaints.file(stack.settings.url("intake"), complaints.complaint(), headers=client())
    assert response.status_code == 201
    return response.json()


def test_a_guessing_client_is_made_to_wait_longer_each_time_and_then_let_go(stack, filed):
    # A code of its own, so that other tests' guesses at a code do not count here.
    intake, guesser, code = stack.settings.url("intake"), client(), new_tracking_code()
    # Five guesses are answered, exactly as many as allowed; the fifth sets the first wait (1 s in
    # tests), which refuses the sixth.
    for _ in range(ALLOWED):
        assert complaints.status(intake, code, WRONG, headers=guesser).status_code == 404
    blocked = complaints.status(intake, code, WRONG, headers=guesser)
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "1"
    assert "Coba lagi dalam 1 detik" in blocked.json()["error"]["message"]
    # Even the right code and receipt wait: the client, not the guess, is slowed.
    assert complaints.status(intake, filed["tracking_code"], filed["receipt"],
                             headers=guesser).status_code == 429
    time.sleep(1.1)
    assert complaints.status(intake, code, WRONG, headers=guesser).status_code == 404
    longer = complaints.status(intake, code, WRONG, headers=guesser)
    assert longer.status_code == 429 and longer.headers["Retry-After"] == "2"
    time.sleep(2.1)
    # The wait has lifted: the reporter's own lookup from this address goes through.
    assert complaints.status(intake, filed["tracking_code"], filed["receipt"],
                             headers=guesser).status_code == 200
    # Other clients were never affected.
    assert complaints.status(intake, filed["tracking_code"], filed["receipt"],
                             headers=client()).status_code == 200


def test_looking_up_ones_own_complaint_again_and_again_is_never_slowed(stack, filed):
    intake, reporter = stack.settings.url("intake"), client()
    for _ in range(ALLOWED + 3):
        assert complaints.status(intake, filed["tracking_code"], filed["receipt"],
                                 headers=reporter).status_code == 200


def test_a_filing_limit_of_ten_lets_ten_through_and_refuses_the_eleventh(stack):
    stack.restart_service("intake", {"NETRA_SUBMIT_ALLOWED": "10", "NETRA_SUBMIT_FIRST_WAIT_SECONDS": "1"})
    try:
        intake, flooder = stack.settings.url("intake"), client()
        for _ in range(10):
            assert complaints.file(intake, complaints.complaint(), [], headers=flooder).status_code == 201
        refused = complaints.file(intake, complaints.complaint(), [], headers=flooder)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
        assert complaints.file(intake, complaints.complaint(), [], headers=client()).status_code == 201
        time.sleep(1.1)
        assert complaints.file(intake, complaints.complaint(), [], headers=flooder).status_code == 201
    finally:
        stack.restart_service("intake")


# --- with waits long enough that no test depends on how fast the machine is ------------


@pytest.fixture(scope="module")
def long_waits(stack):
    stack.restart_service("intake", {"NETRA_LOOKUP_FIRST_WAIT_SECONDS": "30",
                                     "NETRA_LOOKUP_LONGEST_WAIT_SECONDS": "120",
                                     "NETRA_RATE_LIMIT_PRUNE_SECONDS": "1"})
    yield
    stack.restart_service("intake")


def test_parallel_guesses_get_no_more_answers_than_guesses_one_after_another(stack, long_waits):
    intake, guesser, code = stack.settings.url("intake"), client(), new_tracking_code()
    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(lambda _: complaints.status(intake, code, WRONG, headers=guesser).status_code,
                                range(30)))
    # As one by one: the allowed tries, the last of which sets the first wait; then only waits.
    assert answers.count(404) == ALLOWED, answers
    assert answers.count(429) == 30 - ALLOWED, answers


def test_a_code_under_attack_from_many_addresses_is_slowed_but_its_reporter_gets_in(stack, long_waits, filed):
    intake, code = stack.settings.url("intake"), filed["tracking_code"]
    for _ in range(ALLOWED):
        assert complaints.status(intake, code, WRONG, headers=client()).status_code == 404
    slowed = complaints.status(intake, code, WRONG, headers=client())
    assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) > 30
    # The reporter, from an address of their own, is not locked out by the strangers.
    assert complaints.status(intake, code, filed["receipt"], headers=client()).status_code == 200
    # Wrong guesses keep waiting, and keep counting: the wait grows to its ceiling.
    slower = complaints.status(intake, code, WRONG, headers=client())
    assert slower.status_code == 429 and int(slower.headers["Retry-After"]) > int(slowed.headers["Retry-After"])


def test_a_code_guessed_at_from_sixty_addresses_still_opens_for_its_reporter(stack, long_waits, filed):
    """Each wrong guess doubles the code's wait, up to the ceiling; counting on past it must not
    overflow into a server error for everyone, the reporter included."""
    intake, code = stack.settings.url("intake"), filed["tracking_code"]
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: complaints.status(intake, code, WRONG, headers=client()).status_code,
                                range(60)))
    assert set(answers) <= {404, 429} and answers.count(404) <= ALLOWED, answers
    assert complaints.status(intake, code, filed["receipt"], headers=client()).status_code == 200


def limit_row(stack_db, key: str):
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT * FROM intake.rate_limits WHERE key = :k"), {"k": key}).first()


def test_a_filings_counter_does_not_carry_the_complaints_time(stack, stack_db, long_waits):
    at = address()
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(), [], headers=client(at))
    assert filed.status_code == 201
    row = limit_row(stack_db, client_key(stack.secrets["intake_client_key_secret"].encode(), at, "submit"))
    assert row.failures == 1
    assert (row.window_started_at.second, row.window_started_at.microsecond) == (0, 0)
    assert row.window_started_at != datetime.fromisoformat(filed.json()["submitted_at"])


def test_counters_whose_window_and_wait_are_over_are_forgotten(stack, stack_db, long_waits):
    now = datetime.now(UTC)
    rows = {"lookup:test-expired": (now - timedelta(hours=3), None),
            "lookup:test-still-waiting": (now - timedelta(hours=3), now + timedelta(hours=1)),
            "lookup:test-in-its-window": (now - timedelta(minutes=1), None)}
    with stack_db.begin() as conn:
        for key, (started, blocked) in rows.items():
            conn.execute(text("INSERT INTO intake.rate_limits VALUES (:k, 7, :s, :b)"),
                         {"k": key, "s": started, "b": blocked})
    try:
        eventually(lambda: limit_row(stack_db, "lookup:test-expired") is None, timeout=20,
                   message="the expired counter pruned")
        assert limit_row(stack_db, "lookup:test-still-waiting") is not None
        assert limit_row(stack_db, "lookup:test-in-its-window") is not None
    finally:
        with stack_db.begin() as conn:
            conn.execute(text("DELETE FROM intake.rate_limits WHERE key LIKE 'lookup:test-%'"))
