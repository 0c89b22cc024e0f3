"""A real SMTP server for the tests (aiosmtpd): STARTTLS with its own certificate, a login,
and, on request, a permanent refusal of chosen addresses, worded as Postfix words it (with the
address in the answer)."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from netra_stack import private

USERNAME, PASSWORD = "netra-relay", "kata-sandi-relay"


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class Mailbox:
    """Collects every message; refuses (550) any recipient in `refuse`."""

    def __init__(self, folder: Path, port: int, keep_in: Path | None = None):
        self.cert_file, key_file = self_signed(folder)
        self.keep_in = keep_in  # where each message is also kept as .eml, for a later scan
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(self.cert_file, key_file)
        self.port = port
        self.messages: list = []
        self.refuse: set[str] = set()
        self._lock = threading.Lock()
        self.controller = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USERNAME.encode(), PASSWORD.encode())
        return AuthResult(success=ok)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.messages.append({"to": list(envelope.rcpt_tos), "message": parsed,
                                  "raw": envelope.original_content.decode("utf-8", "replace"),
                                  "tls": session.ssl is not None, "authenticated": session.authenticated})
            if self.keep_in is not None:
                # Kept in the stack's data folder: its owner's alone, like everything there.
                private.folder(self.keep_in)
                header = f"X-Sink-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n".encode()
                private.write_bytes(self.keep_in / f"{len(self.messages):05d}.eml",
                                    header + envelope.original_content)
        return "250 Message accepted"

    def start(self) -> Mailbox:
        """Start (or start again, as after an outage) on the same port."""
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, tls_context=self.context,
                                     require_starttls=True, auth_require_tls=True,
                                     authenticator=self._authenticate)
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list:
        with self._lock:
            return [m for m in self.messages if address in m["to"]]

    def notify_env(self) -> dict:
        return {"NETRA_SMTP_PORT": str(self.port), "NETRA_SMTP_STARTTLS": "true", "NETRA_SMTP_USERNAME": USERNAME,
                "NETRA_SMTP_PASSWORD": PASSWORD, "NETRA_SMTP_CA_FILE": str(self.cert_file)}


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str | None:
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else None
