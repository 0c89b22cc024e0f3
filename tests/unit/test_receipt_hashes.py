"""Receipts are kept as SHA-256 (125 random bits, docs/decisions/0019); receipts kept before that
as Argon2id still open their complaint, and nothing else does."""

from __future__ import annotations

from argon2 import PasswordHasher

from netra_common.hashing import RANDOM_SECRET_PREFIX, random_secret_hash, random_secret_matches
from services.intake.domain.codes import RECEIPT_PURPOSE, new_receipt


def test_a_new_receipt_is_kept_as_sha256_and_only_it_matches():
    receipt, other = new_receipt(), new_receipt()
    stored = random_secret_hash(receipt, RECEIPT_PURPOSE)
    assert stored.startswith(RANDOM_SECRET_PREFIX) and receipt not in stored
    assert random_secret_matches(stored, receipt, RECEIPT_PURPOSE)
    assert not random_secret_matches(stored, other, RECEIPT_PURPOSE)
    assert not random_secret_matches(stored, receipt, "password"), "the purpose is part of the hash"


def test_a_receipt_kept_as_argon2id_before_still_matches():
    receipt = new_receipt()
    stored = PasswordHasher().hash(receipt)
    assert random_secret_matches(stored, receipt, RECEIPT_PURPOSE)
    assert not random_secret_matches(stored, new_receipt(), RECEIPT_PURPOSE)


def test_no_hash_or_a_foreign_one_never_matches():
    receipt = new_receipt()
    assert not random_secret_matches(None, receipt, RECEIPT_PURPOSE)
    assert not random_secret_matches("", "", RECEIPT_PURPOSE)
    assert not random_secret_matches(f"md5${receipt}", receipt, RECEIPT_PURPOSE)
