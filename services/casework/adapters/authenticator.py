"""The authenticator app's side of an account's TOTP: the otpauth:// URI (a QR code's content) the
holder adds to their app when they enrol or the server's operator makes their account."""

from __future__ import annotations

import pyotp

TOTP_ISSUER = "Netra Bengkalis"


def otpauth_uri(username: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)
