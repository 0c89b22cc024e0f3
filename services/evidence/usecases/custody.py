"""evidence's use cases: take each quarantined upload into custody (or reject it), hand out
a copy to someone holding a grant, logging the view, and clear quarantine."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from eventlet import tpool

from netra_common import offload
from netra_common.contracts import grants
from netra_common.contracts import quarantine as quarantine_contract
from netra_common.logging import log_event
from netra_common.metrics import EVIDENCE_SECONDS
from services.evidence.adapters import crypto, image_slots, records, storage
from services.evidence.domain import grant_policy, quarantine
from services.evidence.settings import Settings
from services.evidence.usecases.preparation import Binding, Prepared, prepare

log = logging.getLogger(__name__)

EVIDENCE_NAMESPACE = uuid.UUID("0f5f7c1e-8a53-4a2b-9d4e-6b1c3e2f9a70")
SWEEP_BATCH = 500


def evidence_id_for(upload_id: str) -> uuid.UUID:
    """Deterministic, so a retried upload lands on the same object keys."""
    return uuid.uuid5(EVIDENCE_NAMESPACE, upload_id)


def object_key(copy: str, evidence_id: uuid.UUID) -> str:
    return f"{copy}s/{evidence_id}"


def _utc(moment: datetime) -> datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def store_copies(uow, client, settings: Settings, evidence_id: uuid.UUID, prepared: Prepared,
                 now: datetime, aad_version: int = crypto.AAD_VERSION,
                 keep_until: datetime | None = None) -> list[dict]:
    """Put every copy, each announced first by an intent that commits before the put; the
    unit of work takes the intents away as it records the copies (or fails, if they were
    reconciled away meanwhile)."""
    assert prepared.copies is not None, "only an accepted upload has copies to store"
    planned = {copy: (settings.evidence if copy == "original" else settings.derivatives, object_key(copy, evidence_id))
               for copy in prepared.copies}
    intents = records.intend_puts(uow.engine, evidence_id,
                                  [(copy, bucket, key) for copy, (bucket, key) in planned.items()], now)
    rows = []
    for copy, made in prepared.copies.items():
        original = copy == "original"
        bucket, key = planned[copy]
        # Locked for the shortest retention, or to its case's keep-until if that is known and later
        # (a reply's screenshot after the decision: decision 0033).
        retain_until = max(now + settings.retention, keep_until or now) if original else None
        version = storage.put(client, bucket, key, made.sealed.blob, retain_until)
        rows.append({"evidence_id": evidence_id, "copy": copy, "bucket": bucket, "object_key": key,
                     "version_id": version, "plain_sha256": made.sha256, "plain_size": made.size,
                     "content_type": made.content_type, "key_id": made.sealed.key_id,
                     "wrapped_key": made.sealed.wrapped_key, "retain_until": retain_until,
                     "aad_version": aad_version})
    records.fulfil_intents(uow, intents)
    return rows


def _reject(uow, upload_id: uuid.UUID, complaint_id: uuid.UUID, sha256: str | None,
            reason_code: str) -> None:
    now = datetime.now(UTC)
    records.add_rejection(uow, upload_id=upload_id, complaint_id=complaint_id, sha256=sha256,
                          reason_code=reason_code, rejected_at=now)
    uow.emit("evidence_rejected", {
        "complaint_id": str(complaint_id), "upload_id": str(upload_id),
        "reason_code": reason_code, "rejected_at": now.isoformat()})
    log_event(log, "evidence.rejected", upload_id=upload_id, reason=reason_code)


def _keep(uow, client, settings: Settings, binding: Binding, upload_id: uuid.UUID,
          prepared: Prepared) -> None:
    result, now = prepared.inspection, datetime.now(UTC)
    keep_until = records.keep_until_of_complaint(uow.connection, binding.complaint_id)
    rows = store_copies(uow, client, settings, binding.evidence_id, prepared, now, binding.aad_version, keep_until)
    records.add_item(uow, {
        "evidence_id": binding.evidence_id, "upload_id": upload_id,
        "complaint_id": binding.complaint_id, "sha256": result.sha256, "size": result.size,
        "content_type": result.content_type, "width": result.width, "height": result.height,
        "perceptual_hash": prepared.perceptual_hash, "received_at": binding.received_at,
        "stored_at": now}, rows)
    uow.emit("evidence_stored", {
        "complaint_id": str(binding.complaint_id), "upload_id": str(upload_id),
        "evidence_id": str(binding.evidence_id), "sha256": result.sha256, "size": result.size,
        "content_type": result.content_type, "width": result.width, "height": result.height,
        "perceptual_hash": prepared.perceptual_hash,
        "received_at": binding.received_at.isoformat(), "stored_at": now.isoformat()})
    log_event(log, "evidence.stored", evidence_id=binding.evidence_id, sha256=result.sha256)


def _quarantined(client, settings: Settings, key: str, upload_id: uuid.UUID) -> bytes:
    """The upload as the reporter sent it. An upload sealed to a key evidence does not hold
    raises UnknownKey (retried, then parked until the key is configured); one put there before
    intake sealed uploads is taken as it is: its SHA-256 is checked all the same.
    Opened on the hub when it is small (a screenshot: well under a millisecond), in a real thread
    when it is large (netra_common/offload.py): the hand-over costs more than the work."""
    blob = storage.get_upload(client, settings.quarantine, key)
    try:
        return offload.by_size(len(blob), settings.quarantine_keys.open, blob, key)
    except quarantine_contract.NotSealed:
        log_event(log, "evidence.quarantine_unsealed", logging.WARNING, upload_id=upload_id)
        return blob


def _take_one(uow, client, settings: Settings, complaint_id: uuid.UUID, received_at: datetime,
              shot: dict) -> None:
    upload_id = uuid.UUID(shot["upload_id"])
    if records.outcome_known(uow.connection, upload_id):
        return
    try:
        data = _quarantined(client, settings, shot["object_key"], upload_id)
    except storage.ObjectMissing:
        # Gone for good (intake writes it before announcing it): say so, once, and carry on
        # with the complaint's other screenshots rather than retrying forever.
        log_event(log, "evidence.quarantine_missing", logging.WARNING, upload_id=upload_id)
        _reject(uow, upload_id, complaint_id, None, "missing")
        return
    except quarantine_contract.DoesNotOpen:
        # Not what intake sealed for this object: it was changed, or moved from another one.
        log_event(log, "evidence.quarantine_does_not_open", logging.ERROR, upload_id=upload_id,
                  complaint_id=complaint_id)
        _reject(uow, upload_id, complaint_id, None, "hash_mismatch")
        return
    binding = Binding(evidence_id_for(str(upload_id)), complaint_id, received_at)
    prepared = image_slots.run(settings.image_slots, prepare, data, shot.get("filename"),
                               shot.get("sha256"), binding, settings.keyring)
    result = prepared.inspection
    log_event(log, "evidence.prepared", upload_id=upload_id, seconds=f"{prepared.seconds:.3f}")
    EVIDENCE_SECONDS.observe(prepared.seconds)
    if result.reason_code == "hash_mismatch":
        log_event(log, "evidence.hash_mismatch", logging.ERROR, upload_id=upload_id,
                  complaint_id=complaint_id, expected=shot.get("sha256"), received=result.sha256)
    if result.accepted:
        _keep(uow, client, settings, binding, upload_id, prepared)
    else:
        _reject(uow, upload_id, complaint_id, result.sha256, result.reason_code)


def take_into_custody(db, client, settings: Settings, envelope) -> None:
    """Every screenshot a complaint or a reporter's reply brought into quarantine."""
    p = envelope.payload
    complaint_id = uuid.UUID(p["complaint_id"])
    received_at = _utc(datetime.fromisoformat(
        p["submitted_at" if envelope.type == "complaint_submitted" else "replied_at"]))
    with db.unit_of_work(cause=envelope) as uow:
        if uow.first_delivery():
            for shot in p["screenshots"]:
                _take_one(uow, client, settings, complaint_id, received_at, shot)
    # Also on a repeated delivery: the removal after an earlier commit may have failed, or
    # the process died before it.
    _clear_recorded(db, client, settings, p["screenshots"])


def _clear_recorded(db, client, settings: Settings, shots: list[dict]) -> None:
    """Remove the quarantined uploads whose outcome is committed (and only those)."""
    with db.read() as conn:
        known = records.known_among(conn, [uuid.UUID(s["upload_id"]) for s in shots])
    for shot in shots:
        if uuid.UUID(shot["upload_id"]) in known:
            client.remove_object(settings.quarantine, shot["object_key"])


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
    grant_policy.check(settings.grants, grant, time.time())
    with db.read() as conn:
        stored = records.stored_object(conn, evidence_id, copy)
    if stored is None:
        raise NotFound(evidence_id)
    blob = storage.get(client, stored.bucket, stored.object_key, stored.version_id)
    try:
        content = tpool.execute(crypto.open_sealed, settings.keyring, stored.key_id,
                                stored.wrapped_key, blob, records.associated_data(stored))
    except (crypto.RecordTampered, crypto.ContentTampered) as exc:
        # Said here, where the evidence and the copy are known; the caller is answered 500.
        log_event(log, "evidence.integrity_failure", logging.ERROR, evidence_id=evidence_id, copy=copy,
                  problem=type(exc).__name__)
        raise
    viewed_at = datetime.now(UTC)
    with db.unit_of_work() as uow:
        records.log_view(uow, evidence_id=evidence_id, copy=copy, grant=grant, viewed_at=viewed_at)
        # A team screenshot belongs to a case, not a complaint: the event names the case instead.
        uow.emit("evidence_viewed", {
            "evidence_id": str(evidence_id), "copy": copy,
            **({"complaint_id": str(stored.complaint_id)} if stored.complaint_id is not None
               else {"complaint_id": None, "case_id": str(stored.case_id)}),
            "member_id": grant.member_id, "member_role": grant.member_role,
            "purpose": grant.purpose, "grant_id": grant.grant_id,
            "viewed_at": viewed_at.isoformat()})
    log_event(log, "evidence.viewed", evidence_id=evidence_id, copy=copy, member=grant.member_id)
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}[stored.content_type]
    return View(content, stored.content_type, f"{evidence_id}-{copy}.{extension}")


# --- housekeeping --------------------------------------------------------------------


def _upload_id(object_name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(object_name.rsplit("/", 1)[-1])
    except ValueError:
        return None


def _sweep_batch(engine, client, settings: Settings, batch: list, grace: timedelta,
                 progress) -> int:
    with engine.connect() as conn:
        known = records.known_among(conn, {u for _, u in batch if u is not None})
    removed, now = 0, datetime.now(UTC)
    for entry, upload_id in batch:
        if quarantine.sweepable(upload_id in known, entry.last_modified, now, grace):
            client.remove_object(settings.quarantine, entry.object_name)
            removed += 1
            if progress:
                progress(entry.object_name)
    return removed


def sweep_quarantine(engine, client, settings: Settings, grace: timedelta, progress=None) -> int:
    """Delete quarantined uploads whose outcome is recorded, and those evidence never heard
    of that are older than `grace`."""
    removed, batch = 0, []
    for entry in client.list_objects(settings.quarantine, recursive=True):
        batch.append((entry, _upload_id(entry.object_name)))
        if len(batch) >= SWEEP_BATCH:
            removed += _sweep_batch(engine, client, settings, batch, grace, progress)
            batch = []
    if batch:
        removed += _sweep_batch(engine, client, settings, batch, grace, progress)
    if removed:
        log_event(log, "quarantine.swept", removed=removed)
    return removed
