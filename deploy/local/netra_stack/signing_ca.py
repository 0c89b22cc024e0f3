"""The development certificate authority that signs dossiers locally: a root CA and the office's
signing certificate "Diskominfo Bengkalis (pengembangan)", made on the first run in the data folder
(private files, like the other development secrets) and kept. Production uses the district's
certificate from BSrE instead (deploy/production/README.md, "Tanda tangan berkas"); nothing here
is ever trusted outside this machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from netra_stack import private

ROOT_NAME = "Netra Root CA (pengembangan)"
OFFICE_NAME = "Diskominfo Bengkalis (pengembangan)"
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning (RFC 9336)


@dataclass(frozen=True)
class SigningFiles:
    """Where the dossier signer's key, certificate and chain (the root) are."""

    key: Path
    cert: Path
    chain: Path

    def env(self) -> dict[str, str]:
        return {"NETRA_DOSSIER_SIGNING_KEY_FILE": str(self.key), "NETRA_DOSSIER_SIGNING_CERT_FILE": str(self.cert),
                "NETRA_DOSSIER_SIGNING_CHAIN_FILE": str(self.chain)}


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Riau"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kabupaten Bengkalis"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, key, issuer: str, issuer_key, *, ca: bool, years: int) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=365 * years))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                              critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False),
            critical=True).add_extension(x509.ExtendedKeyUsage(
                [DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(private.FILE)


def ensure(data_dir: Path) -> SigningFiles:
    """The development CA's files, made if any is missing (then all anew, so they match)."""
    folder = private.folder(data_dir / "signing")
    files = SigningFiles(folder / "dossier-signing.key", folder / "dossier-signing.pem", folder / "root-ca.pem")
    if all(path.exists() for path in (files.key, files.cert, files.chain)):
        return files
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    root = _certificate(ROOT_NAME, root_key, ROOT_NAME, root_key, ca=True, years=10)
    office_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    office = _certificate(OFFICE_NAME, office_key, ROOT_NAME, root_key, ca=False, years=3)
    _write(folder / "root-ca.key", _key_pem(root_key))
    _write(files.chain, root.public_bytes(serialization.Encoding.PEM))
    _write(files.key, _key_pem(office_key))
    _write(files.cert, office.public_bytes(serialization.Encoding.PEM))
    return files
