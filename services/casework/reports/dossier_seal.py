"""The JSON dossier's detached signature: Ed25519 over its canonical form, as the proof of
submission is signed (docs/proof-of-submission.md), so anyone with the published key can check
a dossier offline (docs/dossier.md).

A sealed dossier is the document with one more key, `seal`: the SHA-256 of the canonical form of
everything else, the algorithm, the key's id and the signature's value.
"""

from __future__ import annotations

import base64
import hashlib
import json

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from services.casework.signing_not_configured import SigningNotConfigured

ALGORITHM = "Ed25519"
SEAL = "seal"


def canonical_bytes(document: dict) -> bytes:
    """The exact bytes that are signed: sorted keys, no spaces, UTF-8, non-ASCII as it is."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def key_id(verify_key: VerifyKey) -> str:
    return hashlib.sha256(bytes(verify_key)).hexdigest()[:16]


def public_key(verify_key: VerifyKey) -> dict:
    return {"algorithm": ALGORITHM, "key_id": key_id(verify_key),
            "public_key": base64.b64encode(bytes(verify_key)).decode()}


class DossierSealer:
    def __init__(self, seed_b64: str):
        if not seed_b64:
            raise SigningNotConfigured("NETRA_DOSSIER_SIGNING_KEY", "dossiers")
        self._key = SigningKey(base64.b64decode(seed_b64))
        self.verify_key = self._key.verify_key

    def seal(self, document: dict) -> dict:
        body = canonical_bytes(document)
        signature = self._key.sign(body).signature
        return {**document, SEAL: {"sha256": hashlib.sha256(body).hexdigest(), "algorithm": ALGORITHM,
                                   "key_id": key_id(self.verify_key),
                                   "signature": base64.b64encode(signature).decode()}}


def verify(sealed: dict, verify_key: VerifyKey) -> list[str]:
    """What is wrong with a sealed dossier (in Bahasa Indonesia); nothing for a genuine, unchanged one."""
    seal = sealed.get(SEAL) if isinstance(sealed, dict) else None
    if not isinstance(seal, dict):
        return ["Berkas tidak memuat segel (kunci 'seal')."]
    if seal.get("algorithm") != ALGORITHM or seal.get("key_id") != key_id(verify_key):
        return [f"Segel dibuat dengan kunci lain ({seal.get('key_id')}), bukan {key_id(verify_key)}."]
    body = canonical_bytes({k: v for k, v in sealed.items() if k != SEAL})
    problems = []
    if hashlib.sha256(body).hexdigest() != seal.get("sha256"):
        problems.append("Sidik SHA-256 isi berkas tidak cocok dengan segel: isinya telah diubah.")
    try:
        verify_key.verify(body, base64.b64decode(str(seal.get("signature")), validate=True))
    except (BadSignatureError, ValueError):
        problems.append("Tanda tangan tidak sah untuk isi berkas ini.")
    return problems
