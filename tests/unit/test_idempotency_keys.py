"""The Idempotency-Key: unguessable or refused; the same request recognised however it is
encoded; the kept answer readable only with the key, and only for the same request."""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest

from services.intake.adapters.idempotency import Idempotent, KeyReused, salt_from
from services.intake.domain import idempotency as rules

SALT = salt_from(b"server-secret")
DAY = timedelta(hours=24)
ANSWER = {"tracking_code": "K7QM-3XTA-9PRW", "receipt": "rahasia-tanda-terima", "screenshots": []}


@pytest.mark.parametrize("key", [str(uuid.uuid4()), uuid.uuid4().hex,
                                 base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")],
                         ids=["uuid", "uuid-hex", "random-bytes"])  # the same names in every xdist worker
def test_a_random_uuid_or_random_bytes_make_a_key(key):
    assert rules.checked_key(key) == key


def test_no_header_means_no_key():
    assert rules.checked_key(None) is None


@pytest.mark.parametrize("key, reason", [
    ("", "form"), ("a1b2c3d4", "form"), (uuid.uuid4().hex[:31], "form"), ("x" * 129, "form"),
    (str(uuid.uuid4()) + " ", "form"), (str(uuid.uuid4()).replace("-", "/"), "form"),
    ("k\u00e9y-" + uuid.uuid4().hex, "form"),
    ("a" * 40, "too_predictable"), ("ab" * 20, "too_predictable"), ("abcd" * 10, "too_predictable"),
    ("0123456789abcdef" * 2, "too_predictable"), ("Kunci-Idempotensi-" * 3, "too_predictable"),
    ("00000000-0000-4000-8000-000000000000", "too_predictable"),
], ids=["empty", "8-chars", "31-hex", "129-chars", "trailing-space", "slashes", "not-ascii", "one-letter",
        "two-letters", "four-letters", "hex-run", "repeated-words", "zero-uuid"])  # same names in every xdist worker
def test_a_short_malformed_or_predictable_key_is_refused_with_its_reason(key, reason):
    with pytest.raises(rules.InvalidKey) as refused:
        rules.checked_key(key)
    assert refused.value.reason == reason


def test_the_same_request_is_recognised_whatever_the_order_of_its_json():
    a = rules.request_fingerprint("complaint", {"b": 1, "a": [1, 2]}, [("x.png", "ab" * 32)])
    b = rules.request_fingerprint("complaint", {"a": [1, 2], "b": 1}, [("x.png", "ab" * 32)])
    assert a == b


@pytest.mark.parametrize("other", [
    ("complaint", {"a": [2, 1], "b": 1}, [("x.png", "ab" * 32)]),
    ("complaint", {"a": [1, 2], "b": 1}, [("x.png", "cd" * 32)]),
    ("complaint", {"a": [1, 2], "b": 1}, [("y.png", "ab" * 32)]),
    ("complaint", {"a": [1, 2], "b": 1}, []),
    ("reply:K7QM-3XTA-9PRW", {"a": [1, 2], "b": 1}, [("x.png", "ab" * 32)]),
])
def test_a_different_field_file_or_door_is_a_different_request(other):
    assert rules.request_fingerprint(*other) != \
        rules.request_fingerprint("complaint", {"a": [1, 2], "b": 1}, [("x.png", "ab" * 32)])


def derive(key: str, fingerprint: bytes = b"request", salt: bytes = SALT) -> Idempotent:
    return Idempotent.derive(key, salt, fingerprint, DAY)


def test_the_store_never_sees_the_key_and_the_answer_opens_only_with_it():
    key = str(uuid.uuid4())
    kept = derive(key)
    sealed = kept.seal(ANSWER)
    assert key not in kept.lookup and key.encode() not in sealed and b"rahasia" not in sealed
    assert derive(key).lookup == kept.lookup
    assert derive(key).open(sealed) == ANSWER
    with pytest.raises(KeyReused):
        Idempotent(kept.lookup, kept.request_mac, DAY, derive(str(uuid.uuid4()))._seal_key).open(sealed)


def test_the_lookup_depends_on_the_servers_secret():
    key = str(uuid.uuid4())
    assert derive(key).lookup != derive(key, salt=salt_from(b"another-secret")).lookup


def test_a_retry_of_the_same_request_gets_the_answer_and_another_request_is_refused():
    key = str(uuid.uuid4())
    row = SimpleNamespace(request_mac=derive(key, b"first").request_mac, sealed_answer=derive(key).seal(ANSWER))
    assert derive(key, b"first").answer_from(row) == ANSWER
    with pytest.raises(KeyReused):
        derive(key, b"second").answer_from(row)


def test_the_derived_secrets_never_show_in_a_repr():
    kept = derive(str(uuid.uuid4()))
    assert repr(kept._seal_key) not in repr(kept)


def test_fields_nested_too_deeply_to_write_out_still_have_a_fingerprint():
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert rules.request_fingerprint("complaint", deep, []) == rules.request_fingerprint("complaint", [[deep]], [])
