"""Ed25519 signatures on proofs of submission (libsodium through PyNaCl)."""

from __future__ import annotations

import base64
import hashlib

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from services.intake.domain.proof import canonical_bytes


def key_id(verify_key: VerifyKey) -> str:
    return hashlib.sha256(bytes(verify_key)).hexdigest()[:16]


class ProofSigner:
    def __init__(self, seed_b64: str):
        if not seed_b64:
            raise ValueError("NETRA_INTAKE_SIGNING_KEY is not set; intake cannot sign proofs")
        self._key = SigningKey(base64.b64decode(seed_b64))
        self.verify_key = self._key.verify_key
        self.key_id = key_id(self.verify_key)

    def public_key(self) -> dict:
        return {"algorithm": "Ed25519", "key_id": self.key_id,
                "public_key": base64.b64encode(bytes(self.verify_key)).decode()}

    def sign(self, document: dict) -> dict:
        signature = self._key.sign(canonical_bytes(document)).signature
        return {"proof": document,
                "signature": {"algorithm": "Ed25519", "key_id": self.key_id,
                              "value": base64.b64encode(signature).decode()}}

    def verify(self, signed: dict) -> bool:
        """True only for a proof this key signed, unchanged."""
        try:
            signature = signed["signature"]
            if signature.get("algorithm") != "Ed25519" or signature.get("key_id") != self.key_id:
                return False
            self.verify_key.verify(canonical_bytes(signed["proof"]),
                                   base64.b64decode(signature["value"], validate=True))
            return True
        except (BadSignatureError, KeyError, TypeError, ValueError, AttributeError):
            return False
