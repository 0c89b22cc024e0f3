"""Ed25519 signatures on proofs of submission (libsodium through PyNaCl).

Proofs are kept by reporters for years; the signing key may change meanwhile. The
retired keys' public halves stay known by key id, so an old proof still verifies
with the key it names, and anyone can fetch them all.
"""

from __future__ import annotations

import base64
import hashlib

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from services.intake.domain.proof import canonical_bytes

ALGORITHM = "Ed25519"


def key_id(verify_key: VerifyKey) -> str:
    return hashlib.sha256(bytes(verify_key)).hexdigest()[:16]


def _describe(verify_key: VerifyKey, status: str) -> dict:
    return {"algorithm": ALGORITHM, "key_id": key_id(verify_key), "status": status,
            "public_key": base64.b64encode(bytes(verify_key)).decode()}


def parse_public_keys(text: str) -> list[VerifyKey]:
    """Retired public keys from configuration: base64, comma- or space-separated."""
    return [VerifyKey(base64.b64decode(part, validate=True))
            for part in text.replace(",", " ").split()]


class ProofSigner:
    def __init__(self, seed_b64: str, retired: list[VerifyKey] | None = None):
        if not seed_b64:
            raise ValueError("NETRA_INTAKE_SIGNING_KEY is not set; intake cannot sign proofs")
        self._key = SigningKey(base64.b64decode(seed_b64))
        self.verify_key = self._key.verify_key
        self.key_id = key_id(self.verify_key)
        self._retired = [k for k in (retired or []) if key_id(k) != self.key_id]
        self._by_id = {key_id(k): k for k in (self.verify_key, *self._retired)}

    def public_key(self) -> dict:
        """The current key (as the top-level fields), and every key a proof may name."""
        current = _describe(self.verify_key, "current")
        return {"algorithm": ALGORITHM, "key_id": self.key_id, "public_key": current["public_key"],
                "keys": [current, *(_describe(k, "retired") for k in self._retired)]}

    def sign(self, document: dict) -> dict:
        signature = self._key.sign(canonical_bytes(document)).signature
        return {"proof": document,
                "signature": {"algorithm": ALGORITHM, "key_id": self.key_id,
                              "value": base64.b64encode(signature).decode()}}

    def verify(self, signed: dict) -> bool:
        """True only for a proof signed, unchanged, by the current or a retired key it names."""
        try:
            signature = signed["signature"]
            verify_key = self._by_id.get(signature.get("key_id"))
            if signature.get("algorithm") != ALGORITHM or verify_key is None:
                return False
            verify_key.verify(canonical_bytes(signed["proof"]),
                              base64.b64decode(signature["value"], validate=True))
            return True
        except (BadSignatureError, KeyError, TypeError, ValueError, AttributeError):
            return False
