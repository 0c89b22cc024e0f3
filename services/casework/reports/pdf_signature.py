"""The dossier PDF's signature: PAdES (baseline B-B) with pyHanko, made with the office's key and
certificate, so a PDF reader shows the dossier as signed by the office and unchanged since.

Production points at the district's certificate from BSrE; locally `make run` makes a development
CA (deploy/local/netra_stack/signing_ca.py). Paths come from configuration (config.yaml).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from services.casework.signing_not_configured import SigningNotConfigured

FIELD_NAME = "TandaTanganDiskominfo"


@dataclass(frozen=True)
class OfficeCertificate:
    key_file: str
    cert_file: str
    chain_files: tuple[str, ...]
    passphrase: str | None = None

    @classmethod
    def from_config(cls, config) -> OfficeCertificate:
        key, cert = config.get("NETRA_DOSSIER_SIGNING_KEY_FILE"), config.get("NETRA_DOSSIER_SIGNING_CERT_FILE")
        if not key or not cert:
            missing = "NETRA_DOSSIER_SIGNING_KEY_FILE" if not key else "NETRA_DOSSIER_SIGNING_CERT_FILE"
            raise SigningNotConfigured(missing, "the dossier's PDF")
        chain = tuple(p.strip() for p in str(config.get("NETRA_DOSSIER_SIGNING_CHAIN_FILE") or "").split(",")
                      if p.strip())
        return cls(key, cert, chain, config.get("NETRA_DOSSIER_SIGNING_KEY_PASSPHRASE") or None)


@functools.lru_cache(maxsize=4)
def _signer(office: OfficeCertificate) -> signers.SimpleSigner:
    passphrase = office.passphrase.encode() if office.passphrase else None
    signer = signers.SimpleSigner.load(office.key_file, office.cert_file, ca_chain_files=office.chain_files,
                                       key_passphrase=passphrase)
    if signer is None:
        # pyHanko logs why and answers None: a file that is missing, unreadable or of the wrong kind.
        raise SigningNotConfigured("NETRA_DOSSIER_SIGNING_KEY_FILE/NETRA_DOSSIER_SIGNING_CERT_FILE",
                                   "the dossier's PDF", unreadable=f"{office.key_file}, {office.cert_file}")
    return signer


def signer_name(office: OfficeCertificate) -> str:
    """The certificate's holder, as the PDF prints it beside the signature."""
    return _signer(office).signing_cert.subject.native.get("common_name", "")


def sign(pdf: bytes, office: OfficeCertificate) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason="Berkas kasus dugaan pelanggaran netralitas ASN untuk BKPPD", location="Bengkalis, Riau",
        name=signer_name(office))
    return signers.sign_pdf(writer, meta, signer=_signer(office)).getvalue()
