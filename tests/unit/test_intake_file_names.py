"""Screenshot names: neutral for the other services, sealed at rest, open to the receipt."""

from __future__ import annotations

import base64
import uuid

import pytest
from nacl.signing import SigningKey

from services.intake.adapters.name_sealing import (
    names_key,
    open_name,
    open_proof_names,
    seal_name,
    seal_proof_names,
)
from services.intake.adapters.signing import ProofSigner
from services.intake.domain.proof import proof_document
from services.intake.domain.uploads import neutral_name

PHONE_NAME = "WhatsApp Image 2024-10-01 085276543210.jpeg"
RECEIPT = "K7QMA-3XTAB-9PRWC-DEFGH-JKMNP"


@pytest.mark.parametrize("original, number, neutral", [
    (PHONE_NAME, 1, "tangkapan-layar-1.jpeg"),
    ("Screenshot_20241001-081234_Facebook.PNG", 3, "tangkapan-layar-3.png"),
    ("Layar 9.30", 2, "tangkapan-layar-2"),  # dots in the name are not an extension
    ("tanpa-ekstensi", 4, "tangkapan-layar-4"),
    (".png", 5, "tangkapan-layar-5"),
    ("", 6, "tangkapan-layar-6"),
])
def test_the_other_services_get_a_number_and_the_files_extension(original, number, neutral):
    assert neutral_name(original, number) == neutral


def test_a_name_is_sealed_at_rest_and_opens_only_with_its_receipt_and_complaint():
    complaint_id = uuid.uuid4()
    sealed = seal_name(names_key(RECEIPT, complaint_id), PHONE_NAME)
    assert "085276543210" not in sealed and "WhatsApp" not in sealed
    assert open_name(names_key(RECEIPT, complaint_id), sealed) == PHONE_NAME
    assert open_name(names_key(RECEIPT, uuid.uuid4()), sealed) is None
    assert open_name(names_key("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", complaint_id), sealed) is None
    # Names stored before sealing began are shown as they are.
    assert open_name(names_key(RECEIPT, complaint_id), "bukti.png") == "bukti.png"


def test_a_stored_proof_hides_the_names_and_opens_to_the_very_proof_that_was_signed():
    signer = ProofSigner(base64.b64encode(bytes(SigningKey.generate())).decode())
    proof = signer.sign(proof_document(
        tracking_code="K7QM-3XTA-9PRW", submitted_at="2026-11-24T10:00:00+00:00", complaint={},
        anonymous=False, screenshots=[{"filename": PHONE_NAME, "size": 10, "sha256": "ab" * 32,
                                       "content_type": "image/jpeg"}]))
    key = names_key(RECEIPT, uuid.uuid4())
    stored = seal_proof_names(key, proof)
    assert "085276543210" not in str(stored)
    assert open_proof_names(key, stored) == proof
    assert signer.verify(open_proof_names(key, stored))
