"""What `netra-backup` writes and `netra-restore` reads back: every service's schema and every
bucket's objects (with their retention), in one tar stream encrypted with the backup key
(netra_common/backup_crypto.py).

Order: `header.json` (when, which keys a restore needs), `database.dump` (pg_dump's custom format of
the four schemas, one snapshot), then every object as `objects/<bucket>/<key>` with its content type
and retention in the member's PAX headers, and `manifest.json` last (the counts, checked at
restore). The database is dumped first: an object is written before the row that names it commits
(evidence's put intents, intake's upload intents), so every object the snapshot names was already
there when the objects are copied; one written after the snapshot is copied too and is swept by the
services' own housekeeping after a restore.

The keys are never in a backup. `header.json` names them; without them a restored system holds
ciphertext it cannot read (identities, screenshots, reporters' contacts). Nor are the case keys
(the `keystore` schema, docs/decisions/0037): only its empty table is in the dump. They have their
own backup with a short retention (netra_common/backup_keys.py), so a purged reporter's identity
in a five-year-old data backup opens with no key once the key backups of that day have expired.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from minio import Minio
from minio.commonconfig import COMPLIANCE
from minio.error import S3Error
from minio.retention import Retention
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from netra_common.backup_crypto import DecryptingReader, EncryptingWriter

SCHEMAS = ("intake", "evidence", "casework", "notify")
KEYSTORE = "keystore"  # its table's definition only: the case keys are backed up apart (backup_keys.py)
BUCKETS = {"quarantine": False, "evidence": True, "derivatives": False}  # name: object lock
# What a restored system needs from the keys kept apart (by their setting's name).
KEYS_NEEDED = {
    "the vault's recovery key (offline, docs/identity-vault.md)": "casework: grants the identity vault again "
    "when no ketua's password opens it (the vault itself is in the database, sealed to the ketuas' keys)",
    "NETRA_EVIDENCE_MASTER_KEYS": "evidence: decrypts every screenshot and decree copy",
    "NETRA_QUARANTINE_PRIVATE_KEYS": "evidence: opens uploads still in quarantine",
    "NETRA_NOTIFY_PRIVATE_KEY": "notify: opens reporters' contact e-mail",
    "NETRA_INTAKE_SIGNING_KEY": "intake: signs proofs of submission (old proofs verify with its public half)",
    "NETRA_CASEWORK_CHECKPOINT_KEY": "casework: signs the log's checkpoints",
    "NETRA_GRANT_SIGNING_KEY / NETRA_GRANT_VERIFY_KEY": "casework and evidence: grants to view evidence",
    "NETRA_BKPPD_WEBHOOK_SECRET": "notify: signs BKPPD's webhook",
    "NETRA_INTAKE_CLIENT_KEY_SECRET / NETRA_CASEWORK_CLIENT_KEY_SECRET": "rate limits (new ones only reset counters)",
    "the case keys' backup (netra-backup create --keys-to, kept 35 days)": "casework and notify: every reporter's "
    "identity and contact is wrapped with its case's key (decision 0037); without them none opens",
}
WARNING = ("This backup holds no keys. Without the keys named under keys_needed (kept apart, e.g. in the "
           "office safe) a restored Netra cannot open identities, screenshots or contacts.")


class RestoreRefused(Exception):
    pass


@dataclass
class Report:
    seconds: float = 0.0
    objects: dict[str, int] = field(default_factory=dict)
    database_bytes: int = 0


def libpq_url(url: str) -> str:
    """SQLAlchemy's `postgresql+psycopg2://` as pg_dump and pg_restore read it."""
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, pax: dict | None = None) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    info.pax_headers = pax or {}
    tar.addfile(info, io.BytesIO(data))


def _retention_of(client: Minio, bucket: str, key: str) -> dict:
    try:
        found = client.get_object_retention(bucket, key)
    except S3Error:
        return {}
    if found is None or found.retain_until_date is None:
        return {}
    return {"NETRA.retention_mode": str(found.mode),
            "NETRA.retain_until": found.retain_until_date.isoformat()}


def create(db_url: str, client: Minio, out: Path, key: bytes) -> Report:
    report, started = Report(), time.monotonic()
    header = {"format": 1, "created_at": datetime.now(UTC).isoformat(), "schemas": list(SCHEMAS),
              "buckets": list(BUCKETS), "keys_needed": KEYS_NEEDED, "warning": WARNING}
    with open(out, "xb") as sink, EncryptingWriter(sink, key) as encrypted, \
            tarfile.open(fileobj=encrypted, mode="w|", format=tarfile.PAX_FORMAT) as tar, \
            tempfile.TemporaryDirectory(prefix="netra-backup-") as scratch:
        _add_bytes(tar, "header.json", json.dumps(header, indent=2).encode())
        dump = Path(scratch) / "database.dump"  # the folder is the owner's alone (mkdtemp: 0700)
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                        *(f"--schema={s}" for s in (*SCHEMAS, KEYSTORE)), f"--exclude-table-data={KEYSTORE}.*",
                        f"--file={dump}", libpq_url(db_url)],
                       check=True, capture_output=True)
        report.database_bytes = dump.stat().st_size
        tar.add(dump, arcname="database.dump")
        dump.unlink()
        for bucket, locked in BUCKETS.items():
            report.objects[bucket] = 0
            for listed in client.list_objects(bucket, recursive=True):
                response = client.get_object(bucket, listed.object_name)
                try:
                    data = response.read()
                finally:
                    response.close()
                    response.release_conn()
                pax = {"NETRA.content_type": listed.content_type or "application/octet-stream"}
                if locked:
                    pax |= _retention_of(client, bucket, listed.object_name)
                _add_bytes(tar, f"objects/{bucket}/{listed.object_name}", data, pax)
                report.objects[bucket] += 1
        _add_bytes(tar, "manifest.json", json.dumps(
            {"objects": report.objects, "database_bytes": report.database_bytes}).encode())
    report.seconds = time.monotonic() - started
    return report


def _refuse_unless_empty(db_url: str, client: Minio) -> None:
    found = subprocess.run(
        ["psql", "-Atc", "SELECT count(*) FROM information_schema.tables WHERE table_schema IN "
         "('intake', 'evidence', 'casework', 'notify', 'keystore')", libpq_url(db_url)],
        check=True, capture_output=True, text=True).stdout.strip()
    if found != "0":
        raise RestoreRefused(f"the database already holds {found} of Netra's tables: restore into an empty one")
    for bucket in BUCKETS:
        if client.bucket_exists(bucket) and next(iter(client.list_objects(bucket, recursive=True)), None):
            raise RestoreRefused(f"bucket {bucket} is not empty: restore into an empty object store")


def _put(client: Minio, member: tarfile.TarInfo, data: bytes) -> tuple[str, str, str | None]:
    """Put one object back (the latest version of each key is what a backup keeps); (bucket, key,
    its version id in the new store)."""
    _, bucket, key = member.name.split("/", 2)
    if bucket not in BUCKETS:
        raise RestoreRefused(f"unknown bucket {bucket} in the backup")
    pax = member.pax_headers
    retention = None
    if pax.get("NETRA.retain_until"):
        until = datetime.fromisoformat(pax["NETRA.retain_until"])
        retention = Retention(COMPLIANCE, until) if until > datetime.now(UTC) else None
    put = client.put_object(bucket, key, io.BytesIO(data), len(data),
                            content_type=pax.get("NETRA.content_type", "application/octet-stream"),
                            retention=retention)
    return bucket, key, put.version_id


def _repoint_versions(db_url: str, moved: list[tuple[str, str, str | None]]) -> None:
    """A restored object is a new version in the new store: evidence's record of the copy names it,
    so `netra-evidence verify` checks the copy that is there (its hash and key are unchanged)."""
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            for bucket, key, new in moved:
                if new:
                    conn.execute(text("UPDATE evidence.stored_objects SET version_id = :new "
                                      "WHERE bucket = :bucket AND object_key = :key AND version_id IS NOT NULL"),
                                 {"new": new, "bucket": bucket, "key": key})
    finally:
        engine.dispose()


def restore(source: Path, key: bytes, db_url: str, client: Minio) -> Report:
    report, started = Report(), time.monotonic()
    _refuse_unless_empty(db_url, client)
    for bucket, locked in BUCKETS.items():
        if not client.bucket_exists(bucket):
            client.make_bucket(bucket, object_lock=locked)
    manifest, moved = None, []
    with open(source, "rb") as raw, tarfile.open(fileobj=DecryptingReader(raw, key), mode="r|") as tar, \
            tempfile.TemporaryDirectory(prefix="netra-restore-") as scratch:
        for member in tar:
            extracted = tar.extractfile(member)
            if extracted is None:
                continue
            if member.name == "database.dump":
                dump = Path(scratch) / "database.dump"
                with open(dump, "wb") as out:
                    while chunk := extracted.read(1024 * 1024):
                        out.write(chunk)
                report.database_bytes = dump.stat().st_size
                subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                                f"--dbname={libpq_url(db_url)}", str(dump)], check=True, capture_output=True)
                dump.unlink()
            elif member.name.startswith("objects/"):
                put = _put(client, member, extracted.read())
                moved.append(put)
                report.objects[put[0]] = report.objects.get(put[0], 0) + 1
            elif member.name == "manifest.json":
                manifest = json.loads(extracted.read())
            elif member.name == "keys.dump":
                raise RestoreRefused("this is a backup of the case keys: give it to netra-restore --keys")
    if manifest is None:
        raise RestoreRefused("the backup has no manifest: it was cut short")
    expected = {b: n for b, n in manifest["objects"].items() if n}
    if {b: n for b, n in report.objects.items() if n} != expected:
        raise RestoreRefused(f"objects restored {report.objects} differ from the manifest's {manifest['objects']}")
    _repoint_versions(db_url, moved)
    report.seconds = time.monotonic() - started
    return report
