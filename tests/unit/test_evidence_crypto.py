"""Envelope encryption: each object under its own data key, bound to its record (and, from
binding 2, to its complaint and time of receipt); rotation re-wraps keys only; the keys
never show in a repr."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from netra_common.contracts.quarantine import new_key_pair
from services.evidence import settings as evidence_settings
from services.evidence.adapters import crypto, records

COMPLAINT = uuid.uuid4()
RECEIVED = datetime(2024, 10, 1, 2, 30, 0, 123456, tzinfo=UTC)
AAD = crypto.associated_data(2, evidence_id="e1", copy="original", sha256="ab" * 32, size=1234,
                             complaint_id=COMPLAINT, received_at=RECEIVED)


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


@pytest.mark.parametrize("changed", [
    {"sha256": "cd" * 32},
    {"complaint_id": uuid.uuid4()},  # the record moved to another complaint
    {"received_at": RECEIVED - timedelta(days=3)},  # back-dated
])
def test_a_changed_record_no_longer_opens_the_key(changed):
    ring = keyring("k1")
    sealed = crypto.seal(ring, b"data", AAD)
    record = {"evidence_id": "e1", "copy": "original", "sha256": "ab" * 32, "size": 1234,
              "complaint_id": COMPLAINT, "received_at": RECEIVED, **changed}
    with pytest.raises(crypto.RecordTampered):
        crypto.open_sealed(ring, sealed.key_id, sealed.wrapped_key, sealed.blob,
                           crypto.associated_data(2, **record))


def test_the_time_of_receipt_binds_the_same_instant_in_any_zone():
    wib = RECEIVED.astimezone(timezone(timedelta(hours=7)))
    assert crypto.associated_data(2, evidence_id="e1", copy="original", sha256="ab" * 32,
                                  size=1234, complaint_id=COMPLAINT, received_at=wib) == AAD


def row(**values):
    base = {"evidence_id": uuid.uuid4(), "copy": "thumbnail", "plain_sha256": "ef" * 32,
            "plain_size": 99, "complaint_id": COMPLAINT, "received_at": RECEIVED}
    return SimpleNamespace(**{**base, **values})


def test_objects_sealed_before_binding_2_still_open_under_their_own_binding():
    old = row(aad_version=1)
    legacy_aad = f"netra-evidence|{old.evidence_id}|thumbnail|{'ef' * 32}|99".encode()
    ring = keyring("k1")
    sealed = crypto.seal(ring, b"old thumbnail", legacy_aad)
    assert records.associated_data(old) == legacy_aad
    assert crypto.open_sealed(ring, sealed.key_id, sealed.wrapped_key, sealed.blob,
                              records.associated_data(old)) == b"old thumbnail"
    # Claiming the newer binding for it does not open it either: no silent upgrade.
    with pytest.raises(crypto.RecordTampered):
        crypto.open_sealed(ring, sealed.key_id, sealed.wrapped_key, sealed.blob,
                           records.associated_data(row(**{**vars(old), "aad_version": 2})))


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


def test_the_master_keys_never_show_in_a_repr_of_the_keyring_or_the_settings():
    k1, k2 = crypto.Keyring.new_key(), crypto.Keyring.new_key()
    quarantine_private, _ = new_key_pair()
    config = {"NETRA_QUARANTINE_PRIVATE_KEYS": quarantine_private,
              "NETRA_BUCKET_QUARANTINE": "quarantine", "NETRA_BUCKET_EVIDENCE": "evidence",
              "NETRA_BUCKET_DERIVATIVES": "derivatives",
              "NETRA_EVIDENCE_MASTER_KEYS": f"k1:{k1},k2:{k2}", "NETRA_EVIDENCE_ACTIVE_KEY_ID": "k2",
              "NETRA_EVIDENCE_RETENTION_DAYS": 1825, "NETRA_EVIDENCE_ORIGINAL_ROLES": "ketua",
              "NETRA_GRANT_MAX_LIFETIME_SECONDS": 900, "NETRA_QUARANTINE_GRACE_HOURS": 168,
              "NETRA_EVIDENCE_IMAGE_SLOTS": 2, "NETRA_EVIDENCE_PUT_GRACE_SECONDS": 900}
    settings = evidence_settings.from_config(config)
    for text in (repr(settings.keyring), repr(settings), str(settings)):
        for key in (k1, k2, quarantine_private):
            assert key not in text and repr(base64.b64decode(key)) not in text
        assert "k1" in text and "k2" in text  # the ids are named, to tell keyrings apart
