"""The case keys' own backup (docs/decisions/0037): the rows of the `keystore` schema, apart from
the data backup (netra_common/backup.py), encrypted the same way, and kept SHORT (35 days in
docs/operations.md) while data backups are kept five years.

That difference is the point: a purge destroys a case's key, and once the last key backup taken
before the purge has expired, no data backup, WAL segment or copy of a box anywhere can be opened
with any key left. A key backup is written AFTER the data dump when both are made together, so it
holds the key of every complaint that dump holds (except those purged in between, as it should).

Order: `header.json` (what it is, when, how long to keep it), `keys.dump` (pg_dump's custom format,
the keystore's rows only) and `manifest.json` (how many keys). Restored after the data backup,
whose dump made the empty table.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from netra_common import keystore
from netra_common.backup import RestoreRefused, _add_bytes, libpq_url
from netra_common.backup_crypto import DecryptingReader, EncryptingWriter

KIND = "netra-case-keys"
KEEP_DAYS = 35
WARNING = (f"This file holds the case keys that open every reporter's identity and contact. Keep it apart from "
           f"the data backups and delete it after {KEEP_DAYS} days: an older one would open identities that "
           "the purge destroyed.")


@dataclass
class KeysReport:
    keys: int = 0


def _has_key_store(db_url: str) -> bool:
    """False for a database older than the key store (a move from an old installation)."""
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT to_regclass('keystore.case_keys')").scalar() is not None
    finally:
        engine.dispose()


def _count(db_url: str) -> int:
    if not _has_key_store(db_url):
        return 0
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(keystore.case_keys)).scalar_one())
    finally:
        engine.dispose()


def create(db_url: str, out: Path, key: bytes) -> KeysReport:
    report = KeysReport(keys=_count(db_url))
    header = {"format": 1, "kind": KIND, "created_at": datetime.now(UTC).isoformat(), "keep_days": KEEP_DAYS,
              "warning": WARNING}
    with open(out, "xb") as sink, EncryptingWriter(sink, key) as encrypted, \
            tarfile.open(fileobj=encrypted, mode="w|", format=tarfile.PAX_FORMAT) as tar, \
            tempfile.TemporaryDirectory(prefix="netra-keys-") as scratch:
        _add_bytes(tar, "header.json", json.dumps(header, indent=2).encode())
        dump = Path(scratch) / "keys.dump"
        if _has_key_store(db_url):
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--data-only",
                            f"--schema={keystore.SCHEMA}", f"--file={dump}", libpq_url(db_url)],
                           check=True, capture_output=True)
        else:
            dump.write_bytes(b"")  # older than the key store: no key to keep (pg_dump refuses a missing schema)
        tar.add(dump, arcname="keys.dump")
        dump.unlink()
        _add_bytes(tar, "manifest.json", json.dumps({"keys": report.keys}).encode())
    return report


def _refuse_unless_empty(db_url: str) -> None:
    if not _has_key_store(db_url):
        raise RestoreRefused("the database has no key store yet: restore the data backup first")
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if conn.execute(select(keystore.case_keys.c.key_id).limit(1)).first() is not None:
                raise RestoreRefused("the key store already holds keys: restore into an empty one")
    finally:
        engine.dispose()


def restore(source: Path, key: bytes, db_url: str) -> KeysReport:
    _refuse_unless_empty(db_url)
    header, manifest, restored = None, None, False
    with open(source, "rb") as raw, tarfile.open(fileobj=DecryptingReader(raw, key), mode="r|") as tar, \
            tempfile.TemporaryDirectory(prefix="netra-keys-") as scratch:
        for member in tar:
            extracted = tar.extractfile(member)
            if extracted is None:
                continue
            if member.name == "header.json":
                header = json.loads(extracted.read())
            elif member.name == "keys.dump":
                if (header or {}).get("kind") != KIND:
                    raise RestoreRefused("not a backup of the case keys (netra-backup create --keys-to)")
                dump = Path(scratch) / "keys.dump"
                dump.write_bytes(extracted.read())
                restored = True
                if not dump.stat().st_size:
                    continue  # taken from a database older than the key store
                subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--data-only",
                                f"--dbname={libpq_url(db_url)}", str(dump)], check=True, capture_output=True)
            elif member.name == "manifest.json":
                manifest = json.loads(extracted.read())
    if not restored:
        raise RestoreRefused("not a backup of the case keys (netra-backup create --keys-to)")
    if manifest is None:
        raise RestoreRefused("the key backup has no manifest: it was cut short")
    report = KeysReport(keys=_count(db_url))
    if report.keys != manifest["keys"]:
        raise RestoreRefused(f"{report.keys} keys restored, the manifest says {manifest['keys']}")
    return report
