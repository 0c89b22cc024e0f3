"""casework's dossier signers as its configuration names them: the Ed25519 seal for the JSON
(NETRA_DOSSIER_SIGNING_KEY) and the office's certificate for the PDF (the NETRA_DOSSIER_SIGNING_*_FILE
paths), and the font folder the PDF embeds from (NETRA_DOSSIER_FONT_DIR)."""

from __future__ import annotations

import functools

from services.casework.reports import dossier_pdf, pdf_signature
from services.casework.reports.dossier_seal import DossierSealer


@functools.lru_cache(maxsize=4)
def _sealer(seed_b64: str) -> DossierSealer:
    return DossierSealer(seed_b64)


def sealer(config) -> DossierSealer:
    return _sealer(config.get("NETRA_DOSSIER_SIGNING_KEY") or "")


def signed_pdf(config, sealed: dict, pictures: list[bytes | None]) -> bytes:
    office = pdf_signature.OfficeCertificate.from_config(config)
    layout = dossier_pdf.Layout(font_dir=config.get("NETRA_DOSSIER_FONT_DIR") or dossier_pdf.DEFAULT_FONT_DIR,
                                signed_by=pdf_signature.signer_name(office))
    return pdf_signature.sign(dossier_pdf.as_pdf(sealed, pictures, layout), office)
