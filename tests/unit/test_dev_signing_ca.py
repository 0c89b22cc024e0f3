"""The development CA `make run` makes for dossier signatures: a root and the office's certificate
"Diskominfo Bengkalis (pengembangan)" issued by it, for signing documents, in private files, made
once and kept."""

from __future__ import annotations

import stat

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from netra_stack import signing_ca


def _cert(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_the_office_certificate_is_issued_by_the_dev_root_for_signing_documents(tmp_path):
    files = signing_ca.ensure(tmp_path)
    office, root = _cert(files.cert), _cert(files.chain)
    assert office.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Diskominfo Bengkalis (pengembangan)"
    assert office.issuer == root.subject
    office.verify_directly_issued_by(root)
    usage = office.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    purposes = office.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert signing_ca.DOCUMENT_SIGNING in purposes and ExtendedKeyUsageOID.EMAIL_PROTECTION in purposes


def test_its_files_are_the_owners_alone_and_kept_across_runs(tmp_path):
    files = signing_ca.ensure(tmp_path)
    first = files.cert.read_bytes()
    assert stat.S_IMODE((tmp_path / "signing").stat().st_mode) == 0o700
    for path in (tmp_path / "signing").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert signing_ca.ensure(tmp_path).cert.read_bytes() == first
    assert set(files.env()) == {"NETRA_DOSSIER_SIGNING_KEY_FILE", "NETRA_DOSSIER_SIGNING_CERT_FILE",
                                "NETRA_DOSSIER_SIGNING_CHAIN_FILE"}
