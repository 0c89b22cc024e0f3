"""Proofs of submission: signed over canonical JSON, and any change breaks the signature."""

from __future__ import annotations

import base64
import copy

from nacl.signing import SigningKey

from services.intake.adapters.signing import ProofSigner, parse_public_keys
from services.intake.domain.proof import canonical_bytes, proof_document

SEED = base64.b64encode(bytes(SigningKey.generate())).decode()


def signed_proof():
    document = proof_document(
        tracking_code="K7QM-3XTA-9PRW", submitted_at="2026-11-24T10:00:00+00:00",
        complaint={"description": "Membagikan konten kampanye.", "platform": "facebook"},
        anonymous=False,
        screenshots=[{"filename": "a.png", "size": 10, "sha256": "ab" * 32,
                      "content_type": "image/png"}])
    return ProofSigner(SEED).sign(document)


def test_a_fresh_proof_verifies_and_names_its_key():
    signer = ProofSigner(SEED)
    proof = signed_proof()
    assert signer.verify(proof)
    assert proof["signature"]["key_id"] == signer.public_key()["key_id"]


def test_a_proof_says_an_identity_was_given_but_not_what_it_is():
    proof = signed_proof()["proof"]
    assert proof["reporter"] == {"anonymous": False, "identity_sealed": True}


def test_changing_any_fact_breaks_the_signature():
    for mutate in (lambda p: p["proof"].update(submitted_at="2026-11-25T10:00:00+00:00"),
                   lambda p: p["proof"]["screenshots"][0].update(sha256="cd" * 32),
                   lambda p: p["proof"]["complaint"].update(description="Lain.")):
        proof = copy.deepcopy(signed_proof())
        mutate(proof)
        assert not ProofSigner(SEED).verify(proof)


def test_another_key_or_a_garbled_signature_does_not_verify():
    other = ProofSigner(base64.b64encode(bytes(SigningKey.generate())).decode())
    assert not other.verify(signed_proof())
    garbled = signed_proof()
    garbled["signature"]["value"] = "not base64!"
    assert not ProofSigner(SEED).verify(garbled)
    assert not ProofSigner(SEED).verify({"proof": {}})


def test_the_signed_bytes_do_not_depend_on_key_order():
    assert canonical_bytes({"b": 1, "a": [1, 2]}) == canonical_bytes({"a": [1, 2], "b": 1}) \
        == b'{"a":[1,2],"b":1}'


def test_a_proof_signed_before_the_key_changed_still_verifies_with_the_key_it_names():
    old = ProofSigner(SEED)
    proof = signed_proof()
    new_seed = base64.b64encode(bytes(SigningKey.generate())).decode()
    rotated = ProofSigner(new_seed, retired=parse_public_keys(old.public_key()["public_key"]))
    assert rotated.verify(proof)
    assert rotated.verify(rotated.sign(proof["proof"]))
    assert rotated.sign(proof["proof"])["signature"]["key_id"] != old.key_id
    # Without the retired key, the old proof is unknown to the new signer.
    assert not ProofSigner(new_seed).verify(proof)


def test_a_proof_naming_a_retired_key_but_signed_by_another_does_not_verify():
    old, stranger = ProofSigner(SEED), ProofSigner(base64.b64encode(bytes(SigningKey.generate())).decode())
    forged = stranger.sign(signed_proof()["proof"])
    forged["signature"]["key_id"] = old.key_id
    rotated = ProofSigner(base64.b64encode(bytes(SigningKey.generate())).decode(),
                          retired=parse_public_keys(old.public_key()["public_key"]))
    assert not rotated.verify(forged)


def test_every_key_a_proof_may_name_is_published():
    old = ProofSigner(SEED)
    rotated = ProofSigner(base64.b64encode(bytes(SigningKey.generate())).decode(),
                          retired=parse_public_keys(f"{old.public_key()['public_key']}, "))
    published = rotated.public_key()
    assert published["key_id"] == rotated.key_id
    assert [(k["key_id"], k["status"]) for k in published["keys"]] == [
        (rotated.key_id, "current"), (old.key_id, "retired")]
    assert ProofSigner(SEED).public_key()["keys"][0]["public_key"] == old.public_key()["public_key"]
