"""The case key's wrapping (netra_common/keystore.py, docs/decisions/0037): a wrapped box opens only
with its own key, says which key that is, refuses any change, and an older unwrapped box is read as
it always was."""

from __future__ import annotations

import base64
import os
import uuid

import pytest

from netra_common import keystore

INNER = os.urandom(120)  # what a sealed box of an identity looks like: bytes nobody here can read


def test_a_wrapped_box_opens_with_its_key_to_the_very_box_that_was_wrapped():
    key_id, key = uuid.uuid4(), os.urandom(32)
    wrapped = keystore.wrap(key_id, key, INNER)
    assert wrapped.startswith(keystore.MAGIC) and INNER not in wrapped
    assert keystore.key_id_of(wrapped) == key_id
    assert keystore.unwrap(key_id, key, wrapped) == INNER


def test_two_wrappings_of_one_box_differ_so_a_copy_cannot_be_matched_to_another():
    key_id, key = uuid.uuid4(), os.urandom(32)
    assert keystore.wrap(key_id, key, INNER) != keystore.wrap(key_id, key, INNER)


@pytest.mark.parametrize("position", [len(keystore.MAGIC) + 16, len(keystore.MAGIC) + 16 + 30, -1])
def test_a_tampered_box_is_refused(position):
    key_id, key = uuid.uuid4(), os.urandom(32)
    wrapped = bytearray(keystore.wrap(key_id, key, INNER))
    wrapped[position] ^= 0x01
    with pytest.raises(keystore.NotWrapped):
        keystore.unwrap(key_id, key, bytes(wrapped))


def test_a_box_with_another_case_key_id_written_in_is_refused():
    key_id, key = uuid.uuid4(), os.urandom(32)
    wrapped = keystore.wrap(key_id, key, INNER)
    other = uuid.uuid4()
    swapped = keystore.MAGIC + other.bytes + wrapped[len(keystore.MAGIC) + 16:]
    with pytest.raises(keystore.NotWrapped):
        keystore.unwrap(key_id, key, swapped)
    with pytest.raises(keystore.NotWrapped):  # and under the id it claims, its key does not open it
        keystore.unwrap(other, os.urandom(32), swapped)


def test_the_wrong_key_opens_nothing():
    key_id = uuid.uuid4()
    wrapped = keystore.wrap(key_id, os.urandom(32), INNER)
    with pytest.raises(keystore.NotWrapped):
        keystore.unwrap(key_id, os.urandom(32), wrapped)


def test_a_truncated_box_is_refused():
    with pytest.raises(keystore.NotWrapped):
        keystore.key_id_of(keystore.MAGIC + b"short")


@pytest.fixture
def with_keys(monkeypatch):
    """The key store's one read, on a dict instead of a connection (the real one: tests/e2e)."""
    keys: dict[uuid.UUID, bytes] = {}
    monkeypatch.setattr(keystore, "key_of", lambda conn, key_id: keys.get(key_id))
    return keys


def test_an_older_unwrapped_box_passes_through_unchanged(with_keys):
    legacy = base64.b64encode(INNER).decode()
    assert keystore.wrapped_key_id(legacy) is None
    assert keystore.open_text(None, legacy) == legacy
    assert keystore.wrap_like(None, legacy, "bmV3") == "bmV3"  # sealed again from it: unwrapped as well


def test_a_stored_box_opens_while_its_key_lives_and_never_after(with_keys):
    key_id, key = uuid.uuid4(), os.urandom(32)
    with_keys[key_id] = key
    stored = keystore.wrap_text(key_id, key, base64.b64encode(INNER).decode())
    assert keystore.wrapped_key_id(stored) == key_id
    assert base64.b64decode(keystore.open_text(None, stored)) == INNER
    resealed = keystore.wrap_like(None, stored, base64.b64encode(b"for a recipient").decode())
    assert keystore.wrapped_key_id(resealed) == key_id  # dies with the same key
    del with_keys[key_id]  # the purge
    with pytest.raises(keystore.KeyDestroyed):
        keystore.open_text(None, stored)
    with pytest.raises(keystore.KeyDestroyed):
        keystore.wrap_like(None, stored, "bmV3")
