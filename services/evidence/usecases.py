"""evidence's use cases: take each quarantined upload into custody (or reject it), and
hand out a copy to someone holding a grant, logging the view."""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from eventlet import tpool

from netra_common.contracts import grants
from netra_common.logging import log_event
from services.evidence.adapters import crypto, records, storage
from services.evidence.domain import derivatives
from services.evidence.domain.inspection import Inspection, inspect

log = logging.getLogger(__name__)

EVIDENCE_NAMESPACE = uuid.UUID("0f5f7c1e-8a53-4a2b-9d4e-6b1c3e2f9a70")
COPY_TYPES = {"sanitized": "image/webp", "thumbnail": "image/webp"}


@dataclass(frozen=True)
class Settings:
    quarantine: str
    evidence: str
    derivatives: str
    keyring: crypto.Keyring
    retention: timedelta


def evidence_id_for(upload_id: str) -> uuid.UUID:
    """Deterministic, so a retried upload lands on the same object keys."""
    return uuid.uuid5(EVIDENCE_NAMESPACE, upload_id)


def object_key(copy: str, evidence_id: uuid.UUID) -> str:
    return f"{copy}s/{evidence_id}"


@dataclass(frozen=True)
class Prepared:
    inspection: Inspection
    perceptual_hash: str | None = None
    copies: dict | None = None  # copy -> (plaintext sha256, size, content type, Sealed)


def prepare(data: bytes, filename: str | None, evidence_id: uuid.UUID,
            keyring: crypto.Keyring) -> Prepared:
    """Every CPU-heavy step for one upload, run in a real thread (tpool), off the hub."""
    inspection = inspect(data, filename)
    if not inspection.accepted:
        return Prepared(inspection)
    plain = {"original": (data, inspection.content_type),
             "sanitized": (derivatives.sanitized_copy(data), COPY_TYPES["sanitized"]),
             "thumbnail": (derivatives.thumbnail(data), COPY_TYPES["thumbnail"])}
    copies = {}
    for copy, (content, content_type) in plain.items():
        digest = hashlib.sha256(content).hexdigest()
        aad = crypto.associated_data(str(evidence_id), copy, digest, len(content))
        copies[copy] = (digest, len(content), content_type, crypto.seal(keyring, content, aad))
    return Prepared(inspection, derivatives.perceptual_hash(data), copies)


def _store_copies(client, settings: Settings, evidence_id: uuid.UUID, prepared: Prepared,
                  now: datetime) -> list[dict]:
    rows = []
    for copy, (digest, size, content_type, sealed) in prepared.copies.items():
        original = copy == "original"
        bucket = settings.evidence if original else settings.derivatives
        retain_until = now + settings.retention if original else None
        key = object_key(copy, evidence_id)
        version = storage.put(client, bucket, key, sealed.blob, retain_until)
        rows.append({"evidence_id": evidence_id, "copy": copy, "bucket": bucket, "object_key": key,
                     "version_id": version, "plain_sha256": digest, "plain_size": size,
                     "content_type": content_type, "key_id": sealed.key_id,
                     "wrapped_key": sealed.wrapped_key, "retain_until": retain_until})
    return rows


def take_into_custody(db, client, settings: Settings, envelope) -> None:
    """Every screenshot a complaint or a reporter's reply brought into quarantine."""
    p = envelope.payload
    complaint_id = uuid.UUID(p["complaint_id"])
    received_at = datetime.fromisoformat(p["submitted_at" if envelope.type == "complaint_submitted"
                                           else "replied_at"])
    done_keys = []
    with db.unit_of_work(cause=envelope) as uow:
        if not uow.first_delivery():
            return
        for shot in p["screenshots"]:
            upload_id = uuid.UUID(shot["upload_id"])
            if records.outcome_known(uow.connection, upload_id):
                continue
            data = storage.get(client, settings.quarantine, shot["object_key"])
            evidence_id = evidence_id_for(str(upload_id))
            prepared = tpool.execute(prepare, data, shot.get("filename"), evidence_id,
                                     settings.keyring)
            result, now = prepared.inspection, datetime.now(UTC)
            if not result.accepted:
                records.add_rejection(uow, upload_id=upload_id, complaint_id=complaint_id,
                                      sha256=result.sha256, reason_code=result.reason_code,
                                      rejected_at=now)
                uow.emit("evidence_rejected", {
                    "complaint_id": str(complaint_id), "upload_id": str(upload_id),
                    "reason_code": result.reason_code, "rejected_at": now.isoformat()})
                log_event(log, "evidence.rejected", upload_id=upload_id, reason=result.reason_code)
            else:
                rows = _store_copies(client, settings, evidence_id, prepared, now)
                records.add_item(uow, {
                    "evidence_id": evidence_id, "upload_id": upload_id, "complaint_id": complaint_id,
                    "sha256": result.sha256, "size": result.size, "content_type": result.content_type,
                    "width": result.width, "height": result.height,
                    "perceptual_hash": prepared.perceptual_hash, "received_at": received_at,
                    "stored_at": now}, rows)
                uow.emit("evidence_stored", {
                    "complaint_id": str(complaint_id), "upload_id": str(upload_id),
                    "evidence_id": str(evidence_id), "sha256": result.sha256, "size": result.size,
                    "content_type": result.content_type, "width": result.width,
                    "height": result.height, "perceptual_hash": prepared.perceptual_hash,
                    "received_at": received_at.isoformat(), "stored_at": now.isoformat()})
                log_event(log, "evidence.stored", evidence_id=evidence_id, sha256=result.sha256)
            done_keys.append(shot["object_key"])
    # Only once the outcome is committed does the quarantined upload go.
    for key in done_keys:
        client.remove_object(settings.quarantine, key)


# --- looking at a screenshot ---------------------------------------------------------


class NotFound(Exception):
    pass


@dataclass(frozen=True)
class View:
    content: bytes
    content_type: str
    filename: str


def view(db, client, settings: Settings, verify_key: str, token: str, evidence_id: uuid.UUID,
         copy: str) -> View:
    """The decrypted copy, for a valid grant; the view is logged (and announced) first."""
    grant = grants.verify(verify_key, token, evidence_id=str(evidence_id), copy=copy)
    with db.read() as conn:
        stored = records.stored_object(conn, evidence_id, copy)
    if stored is None:
        raise NotFound(evidence_id)
    blob = storage.get(client, stored.bucket, stored.object_key, stored.version_id)
    aad = crypto.associated_data(str(evidence_id), copy, stored.plain_sha256, stored.plain_size)
    content = tpool.execute(crypto.open_sealed, settings.keyring, stored.key_id,
                            stored.wrapped_key, blob, aad)
    viewed_at = datetime.now(UTC)
    with db.unit_of_work() as uow:
        records.log_view(uow, evidence_id=evidence_id, copy=copy, grant=grant, viewed_at=viewed_at)
        uow.emit("evidence_viewed", {
            "evidence_id": str(evidence_id), "complaint_id": str(stored.complaint_id), "copy": copy,
            "member_id": grant.member_id, "member_role": grant.member_role,
            "purpose": grant.purpose, "grant_id": grant.grant_id,
            "viewed_at": viewed_at.isoformat()})
    log_event(log, "evidence.viewed", evidence_id=evidence_id, copy=copy, member=grant.member_id)
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}[stored.content_type]
    return View(content, stored.content_type, f"{evidence_id}-{copy}.{extension}")


# --- housekeeping --------------------------------------------------------------------


def sweep_quarantine(engine, client, settings: Settings, grace: timedelta, progress=None) -> int:
    """Delete quarantined uploads older than `grace` whose complaint never reached evidence."""
    with engine.connect() as conn:
        known = records.known_upload_ids(conn)
    cutoff, removed = datetime.now(UTC) - grace, 0
    for entry in client.list_objects(settings.quarantine, recursive=True):
        upload_id = entry.object_name.rsplit("/", 1)[-1]
        if upload_id in known or entry.last_modified is None or entry.last_modified > cutoff:
            continue
        client.remove_object(settings.quarantine, entry.object_name)
        removed += 1
        if progress:
            progress(entry.object_name)
    if removed:
        log_event(log, "quarantine.swept", removed=removed)
    return removed
