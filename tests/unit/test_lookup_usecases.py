"""Finding a complaint for its reporter against an in-memory store (tests/support/fake_intake.py):
a lookup is counted before its receipt is checked and given back when it was right, a client that
guessed too often waits whatever it sends, and a tracking code attacked from elsewhere still lets its
reporter in. In milliseconds; the same on PostgreSQL: tests/e2e/test_public_api.py."""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta

import pytest

from netra_common.hashing import random_secret_hash
from netra_common.rate_limit import LimitPolicy
from services.intake.domain.codes import RECEIPT_PURPOSE
from services.intake.usecases import lookups
from tests.support.fake_intake import FakeComplaint, FakeLookupStore

CODE, RECEIPT = "NTR-ABCD-2345", "rahasia-penerima"
THREE_TRIES = LimitPolicy(allowed=3, first_wait=timedelta(minutes=1), longest_wait=timedelta(hours=1),
                          window=timedelta(hours=1))
NO_SLOTS = contextlib.nullcontext()


@pytest.fixture
def store() -> FakeLookupStore:
    fake = FakeLookupStore()
    fake.complaints[CODE] = FakeComplaint(uuid.uuid4(), random_secret_hash(RECEIPT, RECEIPT_PURPOSE))
    return fake


def guard(client: str = "client:a") -> lookups.Guard:
    return lookups.Guard([client], THREE_TRIES, soft_keys=(f"code:{CODE}",))


def look(store: FakeLookupStore, receipt: str, code: str = CODE, client: str = "client:a"):
    return lookups.find_for_reporter(store, code, receipt, guard(client), NO_SLOTS)


def test_the_right_receipt_finds_the_complaint_and_is_not_counted(store):
    assert look(store, RECEIPT) is store.complaints[CODE]
    assert store.locked_keys == ["client:a", f"code:{CODE}", "client:a", f"code:{CODE}"], \
        "counted first, given back after"
    assert not store.limits


def test_an_unknown_code_and_a_wrong_receipt_get_the_same_answer_and_are_counted(store):
    assert look(store, RECEIPT, code="NTR-ZZZZ-9999") is None
    assert look(store, "salah") is None
    assert store.limits["client:a"].failures == 2


def test_a_client_that_guessed_too_often_waits_even_with_the_right_receipt(store):
    for _ in range(3):
        assert look(store, "salah") is None
    with pytest.raises(lookups.RateLimited) as waiting:
        look(store, RECEIPT)
    assert waiting.value.retry_after == 60
    with pytest.raises(lookups.RateLimited):
        lookups.check_not_limited(store, guard())
    lookups.check_not_limited(store, guard("client:b"))  # another client is not held up


def test_a_code_guessed_at_from_elsewhere_slows_guesses_but_lets_its_reporter_in(store):
    for client in ("client:x", "client:y", "client:z"):
        assert look(store, "salah", client=client) is None
    with pytest.raises(lookups.RateLimited):
        look(store, "salah lagi", client="client:w")
    assert look(store, RECEIPT, client="client:v") is store.complaints[CODE]
