"""The JSON dossier's seal: Ed25519 over the canonical form, as the proof of submission is signed.
A genuine dossier verifies with the published key; a changed value, a dropped seal or another key
does not."""

from __future__ import annotations

import base64

from nacl.signing import SigningKey

from services.casework.reports.dossier_seal import DossierSealer, canonical_bytes, public_key, verify

DOCUMENT = {"version": 1, "case_number": "NTR-2026-00012", "reported": {"name": "Nurhayati Ṣāliḥ"},
            "screenshots": [{"sha256": "a" * 64, "size": 1234}]}


def _sealer() -> DossierSealer:
    return DossierSealer(base64.b64encode(bytes(SigningKey.generate())).decode())


def test_a_sealed_dossier_verifies_with_its_published_key():
    sealer = _sealer()
    sealed = sealer.seal(DOCUMENT)
    assert verify(sealed, sealer.verify_key) == []
    assert sealed["seal"]["key_id"] == public_key(sealer.verify_key)["key_id"]


def test_the_same_dossier_always_has_the_same_hash_and_signature():
    sealer = _sealer()
    assert sealer.seal(DOCUMENT)["seal"] == sealer.seal(dict(reversed(DOCUMENT.items())))["seal"]


def test_the_canonical_form_keeps_unicode_as_written():
    assert "Ṣāliḥ".encode() in canonical_bytes(DOCUMENT)


def test_one_changed_value_breaks_the_seal():
    sealer = _sealer()
    sealed = sealer.seal(DOCUMENT)
    changed = {**sealed, "reported": {"name": "Nurhayati Salih"}}
    assert len(verify(changed, sealer.verify_key)) == 2  # neither the hash nor the signature fits


def test_a_dossier_without_a_seal_or_sealed_by_another_key_is_refused():
    sealed = _sealer().seal(DOCUMENT)
    other = _sealer()
    assert verify(DOCUMENT, other.verify_key) == ["Berkas tidak memuat segel (kunci 'seal')."]
    assert "kunci lain" in verify(sealed, other.verify_key)[0]
