"""Development secrets: made on the first run, kept in the data folder, never committed.

One S3 key pair per service, the development team
account's password, intake's proof-signing key and rate-limit secret, evidence's
master keys and quarantine key pair, the key pair casework signs viewing grants with, the key
casework seals dossiers with (the development CA that signs dossier PDFs is signing_ca.py), and the
key casework signs the log's checkpoints with. The identity vault's keys are not here: casework
makes them (`netra-casework vault-init`, docs/decisions/0017) and the stack keeps only the dev
recovery key, in its own file beside this one.
A secrets file made by an earlier version gains the keys it lacks and keeps the others.
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

from netra_common.backup_crypto import new_key as new_backup_key
from netra_common.contracts.quarantine import new_key_pair
from netra_stack import private

S3_IDENTITIES = ("admin", "intake", "evidence")


def _new() -> dict:
    notify = PrivateKey.generate()
    grant_key = SigningKey.generate()
    quarantine_private, quarantine_public = new_key_pair()
    return {
        "s3": {
            name: {"access_key": f"{name}-{secrets.token_hex(6)}", "secret_key": secrets.token_urlsafe(30)}
            for name in S3_IDENTITIES
        },
        "notify_private_key": base64.b64encode(bytes(notify)).decode(),
        "notify_public_key": base64.b64encode(bytes(notify.public_key)).decode(),
        "webhook_secret": secrets.token_urlsafe(32),
        "dev_team_password": secrets.token_urlsafe(12),
        "dev_team_totp_secret": pyotp.random_base32(),
        "intake_signing_key": base64.b64encode(bytes(SigningKey.generate())).decode(),
        "dossier_signing_key": base64.b64encode(bytes(SigningKey.generate())).decode(),
        "intake_client_key_secret": secrets.token_urlsafe(32),
        "casework_client_key_secret": secrets.token_urlsafe(32),
        "evidence_master_keys": {"k1": base64.b64encode(os.urandom(32)).decode()},
        "evidence_active_key_id": "k1",
        "quarantine_private_key": quarantine_private,
        "quarantine_public_key": quarantine_public,
        "grant_signing_key": base64.b64encode(bytes(grant_key)).decode(),
        "grant_verify_key": base64.b64encode(bytes(grant_key.verify_key)).decode(),
        "casework_checkpoint_key": base64.b64encode(bytes(SigningKey.generate())).decode(),
    }


def secrets_file(data_dir: Path) -> Path:
    return data_dir / "secrets.json"


def load_or_create(data_dir: Path) -> dict:
    path = secrets_file(data_dir)
    if path.exists():
        stored = json.loads(path.read_text())
        fresh = _new()
        # A secret added by a newer version is made now; existing ones are kept.
        merged = {**fresh, **stored}
        merged.pop("vault_public_key", None)  # casework's vault holds its own public key now
        if merged != stored:
            private.write_json(path, merged)
        return merged
    private.folder(data_dir)
    created = _new()
    private.write_json(path, created)
    return created


def forget(data_dir: Path, name: str) -> None:
    """A secret the stack no longer keeps (the old vault key, once casework's vault holds it)."""
    path = secrets_file(data_dir)
    stored = json.loads(path.read_text())
    if stored.pop(name, None) is not None:
        private.write_json(path, stored)


# Written beside the secrets (deploy/production/README.md): SeaweedFS's identities and RabbitMQ's user.
S3_IDENTITIES_FILE = "s3-identities.json"
RABBITMQ_USER_FILE = "rabbitmq-user.conf"
RABBITMQ_USER = "netra"
OPERATOR_FILES = ("NETRA_SMTP_PASSWORD", "NETRA_DOSSIER_SIGNING_KEY_PASSPHRASE")


def production_env(keys: dict | None = None) -> dict[str, str]:
    """A fresh set of every secret production needs, one variable each (the file names in the
    secrets folder). The same kinds of keys as development, made the same way, never the same."""
    keys = _new() if keys is None else keys
    env = {name: secrets.token_urlsafe(24) for name in (
        "POSTGRES_PASSWORD", "NETRA_INTAKE_DB_PASSWORD", "NETRA_EVIDENCE_DB_PASSWORD",
        "NETRA_CASEWORK_DB_PASSWORD", "NETRA_NOTIFY_DB_PASSWORD", "RABBITMQ_PASSWORD",
        # The three-machine layout's only (deploy/production/ansible): the standby's replication
        # role, and the cookie that lets the three RabbitMQ nodes form one cluster.
        "POSTGRES_REPLICATION_PASSWORD", "RABBITMQ_ERLANG_COOKIE")}
    # NETRA_VAULT_PUBLIC_KEY is not made here: `netra-casework vault-init` makes the vault on the
    # server and prints it (docs/identity-vault.md); the private half is in no environment.
    for service in S3_IDENTITIES:
        env[f"NETRA_{service.upper()}_S3_ACCESS_KEY"] = keys["s3"][service]["access_key"]
        env[f"NETRA_{service.upper()}_S3_SECRET_KEY"] = keys["s3"][service]["secret_key"]
    env.update({
        "NETRA_NOTIFY_PUBLIC_KEY": keys["notify_public_key"],
        "NETRA_NOTIFY_PRIVATE_KEY": keys["notify_private_key"],
        "NETRA_INTAKE_SIGNING_KEY": keys["intake_signing_key"],
        "NETRA_DOSSIER_SIGNING_KEY": keys["dossier_signing_key"],
        "NETRA_INTAKE_CLIENT_KEY_SECRET": keys["intake_client_key_secret"],
        "NETRA_CASEWORK_CLIENT_KEY_SECRET": keys["casework_client_key_secret"],
        "NETRA_EVIDENCE_MASTER_KEYS": ",".join(f"{k}:{v}" for k, v in keys["evidence_master_keys"].items()),
        "NETRA_EVIDENCE_ACTIVE_KEY_ID": keys["evidence_active_key_id"],
        "NETRA_QUARANTINE_PUBLIC_KEY": keys["quarantine_public_key"],
        "NETRA_QUARANTINE_PRIVATE_KEYS": keys["quarantine_private_key"],
        "NETRA_GRANT_SIGNING_KEY": keys["grant_signing_key"],
        "NETRA_GRANT_VERIFY_KEY": keys["grant_verify_key"],
        "NETRA_BKPPD_WEBHOOK_SECRET": keys["webhook_secret"],
        "NETRA_CASEWORK_CHECKPOINT_KEY": keys["casework_checkpoint_key"],
        # The nightly backup's encryption key (`netra-backup nightly`, docs/operations.md "Backups"):
        # never stored with the backups it opens.
        "NETRA_BACKUP_KEY": new_backup_key(),
    })
    return env


def write_production_secrets(folder: Path) -> list[str]:
    """A fresh production secrets folder: one file per secret (named as its variable), SeaweedFS's
    identities (no anonymous one) and RabbitMQ's user. The folder is root's alone (0700); the files
    are 0444 so that each container's own user reads the ones mounted into it (docker secrets are
    bind mounts). Refuses a folder that holds anything: live keys are never overwritten."""
    from netra_stack.seaweed import identities

    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty: its keys may be in use; choose a new folder")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    keys = _new()
    env = production_env(keys)
    # The operator's own, filled in by hand (README): the mail server's password, and the BSrE
    # key's passphrase if that key is encrypted.
    files = {**env, **{name: "" for name in OPERATOR_FILES}, S3_IDENTITIES_FILE: json.dumps(identities(keys), indent=2),
             RABBITMQ_USER_FILE: f"default_user = {RABBITMQ_USER}\ndefault_pass = {env['RABBITMQ_PASSWORD']}\n"
                                 "default_vhost = netra\n"}
    for name, value in files.items():
        path = folder / name
        path.write_text(value if value.endswith("\n") else value + "\n")
        path.chmod(0o644 if name in OPERATOR_FILES else 0o444)
    return sorted(files)
