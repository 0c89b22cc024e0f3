"""Envelope encryption: each object under its own data key, bound to its record; rotation
re-wraps keys only."""

from __future__ import annotations

import pytest

from services.evidence.adapters import crypto

AAD = crypto.associated_data("e1", "original", "ab" * 32, 1234)


def keyring(*ids: str, active: str | None = None) -> crypto.Keyring:
    keys = ",".join(f"{kid}:{crypto.Keyring.new_key()}" for kid in ids)
    return crypto.Keyring.parse(keys, active or ids[-1])


def test_stored_bytes_are_not_the_plaintext_and_open_back_exactly():
    ring = keyring("k1")
    sealed = crypto.seal(ring, b"screenshot bytes" * 100, AAD)
    assert b"screenshot bytes" not in sealed.blob
    assert crypto.open_sealed(ring, sealed.key_id, sealed.wrapped_key, sealed.blob, AAD) == \
        b"screenshot bytes" * 100


def test_every_object_gets_its_own_data_key():
    ring = keyring("k1")
    a, b = crypto.seal(ring, b"same", AAD), crypto.seal(ring, b"same", AAD)
    assert a.blob != b.blob and a.wrapped_key != b.wrapped_key


def test_a_changed_record_no_longer_opens_the_key():
    ring = keyring("k1")
    sealed = crypto.seal(ring, b"data", AAD)
    other_record = crypto.associated_data("e1", "original", "cd" * 32, 1234)
    with pytest.raises(crypto.RecordTampered):
        crypto.open_sealed(ring, sealed.key_id, sealed.wrapped_key, sealed.blob, other_record)


def test_a_changed_object_no_longer_decrypts():
    ring = keyring("k1")
    sealed = crypto.seal(ring, b"data", AAD)
    flipped = sealed.blob[:-1] + bytes([sealed.blob[-1] ^ 1])
    with pytest.raises(crypto.ContentTampered):
        crypto.open_sealed(ring, sealed.key_id, sealed.wrapped_key, flipped, AAD)


def test_rotation_rewraps_the_key_and_leaves_the_content_alone():
    old = keyring("k1")
    sealed = crypto.seal(old, b"data", AAD)
    both = crypto.Keyring({**old.keys, **keyring("k2").keys}, "k2")
    key_id, wrapped = crypto.rewrap(both, sealed.key_id, sealed.wrapped_key, AAD)
    assert key_id == "k2" and wrapped != sealed.wrapped_key
    new_only = crypto.Keyring({"k2": both.keys["k2"]}, "k2")
    assert crypto.open_sealed(new_only, key_id, wrapped, sealed.blob, AAD) == b"data"


def test_a_keyring_must_name_an_active_key_of_the_right_size():
    with pytest.raises(ValueError, match="ACTIVE_KEY_ID"):
        crypto.Keyring.parse(f"k1:{crypto.Keyring.new_key()}", "k9")
    with pytest.raises(ValueError, match="32 bytes"):
        crypto.Keyring.parse("k1:c2hvcnQ=", "k1")
