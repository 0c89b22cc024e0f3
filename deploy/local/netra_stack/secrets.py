"""Development secrets: made on the first run, kept in the data folder, never committed.

One S3 key pair per service, the vault's key pair, the development team
account's password, intake's proof-signing key and rate-limit secret, evidence's
master keys, and the key pair casework signs viewing grants with.
Production takes all of these from its own secret store.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

import pyotp
from nacl.public import PrivateKey
from nacl.signing import SigningKey

S3_IDENTITIES = ("admin", "intake", "evidence")


def _new() -> dict:
    vault = PrivateKey.generate()
    notify = PrivateKey.generate()
    grant_key = SigningKey.generate()
    return {
        "s3": {
            name: {"access_key": f"{name}-{secrets.token_hex(6)}", "secret_key": secrets.token_urlsafe(30)}
            for name in S3_IDENTITIES
        },
        "vault_private_key": base64.b64encode(bytes(vault)).decode(),
        "vault_public_key": base64.b64encode(bytes(vault.public_key)).decode(),
        "notify_private_key": base64.b64encode(bytes(notify)).decode(),
        "notify_public_key": base64.b64encode(bytes(notify.public_key)).decode(),
        "webhook_secret": secrets.token_urlsafe(32),
        "dev_team_password": secrets.token_urlsafe(12),
        "dev_team_totp_secret": pyotp.random_base32(),
        "intake_signing_key": base64.b64encode(bytes(SigningKey.generate())).decode(),
        "intake_client_key_secret": secrets.token_urlsafe(32),
        "evidence_master_keys": {"k1": base64.b64encode(os.urandom(32)).decode()},
        "evidence_active_key_id": "k1",
        "grant_signing_key": base64.b64encode(bytes(grant_key)).decode(),
        "grant_verify_key": base64.b64encode(bytes(grant_key.verify_key)).decode(),
    }


def load_or_create(data_dir: Path) -> dict:
    path = data_dir / "secrets.json"
    if path.exists():
        stored = json.loads(path.read_text())
        fresh = _new()
        # A secret added by a newer version is made now; existing ones are kept.
        merged = {**fresh, **stored}
        if merged != stored:
            _write(path, merged)
        return merged
    data_dir.mkdir(parents=True, exist_ok=True)
    created = _new()
    _write(path, created)
    return created


def _write(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, indent=2)
    os.replace(tmp, path)
