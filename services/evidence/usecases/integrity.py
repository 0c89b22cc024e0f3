"""Proving the store is what it was: re-read, decrypt and re-hash every object (verify),
and re-wrap every data key under a new master key without touching content (rotate)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from services.evidence.adapters import crypto, records, storage


@dataclass(frozen=True)
class Finding:
    evidence_id: str
    copy: str
    # missing, replaced, record_tampered, content_tampered, hash_mismatch, unencrypted,
    # not_retained (an original no longer under COMPLIANCE retention until its recorded date),
    # short_of_case (an original locked for less than its case's retention needs: issue 18)
    problem: str

    def __str__(self) -> str:
        return f"{self.evidence_id} {self.copy}: {self.problem}"


RETENTION_ROUNDING = timedelta(seconds=1)  # S3 keeps retain-until dates to the second


def _retention_problem(client, row) -> str | None:
    mode, until = storage.retention(client, row.bucket, row.object_key, row.version_id)
    if mode != "COMPLIANCE" or until is None or \
            (row.retain_until and until < row.retain_until - RETENTION_ROUNDING):
        return "not_retained"
    return None


def _check_one(client, keyring: crypto.Keyring, row) -> str | None:
    if row.copy == "original" and (row.plain_sha256 != row.item_sha256
                                   or row.plain_size != row.item_size):
        return "record_tampered"
    try:
        blob = storage.get(client, row.bucket, row.object_key, row.version_id)
    except storage.ObjectMissing:
        return "missing"
    try:
        content = crypto.open_sealed(keyring, row.key_id, row.wrapped_key, blob,
                                     records.associated_data(row))
    except crypto.RecordTampered:
        return "record_tampered"
    except crypto.ContentTampered:
        return "content_tampered"
    if hashlib.sha256(content).hexdigest() != row.plain_sha256:
        return "hash_mismatch"
    latest = storage.latest_version(client, row.bucket, row.object_key)
    if row.version_id and latest != row.version_id:
        return "replaced"  # the locked version is intact, but something was written over it
    return _retention_problem(client, row) if row.copy == "original" else None


def short_of_case(client, row, needs: dict) -> str | None:
    """`short_of_case` when the original's lock in the store ends before its case's keep-until, or
    its case is on hold and the store shows neither a legal hold nor such a lock (decision 0033)."""
    need = needs.get(row.evidence_id)
    if row.copy != "original" or need is None:
        return None
    keep_until, on_hold = need
    _, until = storage.retention(client, row.bucket, row.object_key, row.version_id)
    if until is None or until < keep_until - RETENTION_ROUNDING:
        return "short_of_case"
    if on_hold and not storage.legal_hold(client, row.bucket, row.object_key, row.version_id):
        return "short_of_case"
    return None


def short_locks(engine, client) -> list[Finding]:
    """Every original whose lock falls short of what its case's retention needs."""
    with engine.connect() as conn:
        needs = records.retention_needs(conn)
        rows = [r for r in records.all_stored_objects(conn) if r.copy == "original" and r.evidence_id in needs]
    return [Finding(str(row.evidence_id), row.copy, problem) for row in rows
            if (problem := short_of_case(client, row, needs))]


def verify(engine, client, keyring: crypto.Keyring,
           progress: Callable[[int, int], None] | None = None) -> tuple[int, list[Finding]]:
    """Check every stored object; returns how many were checked and what is wrong."""
    with engine.connect() as conn:
        rows = records.all_stored_objects(conn)
        findings = [Finding(str(e), "original", "unencrypted") for e in records.items_without_objects(conn)]
        needs = records.retention_needs(conn)
    for done, row in enumerate(rows, start=1):
        problem = _check_one(client, keyring, row) or short_of_case(client, row, needs)
        if problem:
            findings.append(Finding(str(row.evidence_id), row.copy, problem))
        if progress:
            progress(done, len(rows))
    return len(rows), findings


def rotate(engine, keyring: crypto.Keyring,
           progress: Callable[[int, int], None] | None = None) -> int:
    """Re-wrap every data key not yet under the active master key; returns how many."""
    with engine.connect() as conn:
        rows = [r for r in records.all_stored_objects(conn) if r.key_id != keyring.active]
    for done, row in enumerate(rows, start=1):
        key_id, wrapped = crypto.rewrap(keyring, row.key_id, row.wrapped_key,
                                        records.associated_data(row))
        with engine.begin() as conn:
            records.rewrap(conn, row, key_id, wrapped)
        if progress:
            progress(done, len(rows))
    return len(rows)
