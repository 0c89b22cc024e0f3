"""What a case's retention asks of its screenshots (issue 18, decision 0033): their originals' COMPLIANCE
locks follow the case's keep-until (only ever extended), a legal hold holds them past it, and when
casework purges the case every version of every object of it is deleted and its records lose every
personal part. Each step is recorded in custody_actions, without content."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from minio.error import S3Error

from netra_common.logging import log_event
from netra_common.retention import forget_outbox_rows
from services.evidence.adapters import records, storage
from services.evidence.adapters.tables import messaging
from services.evidence.settings import Settings

log = logging.getLogger(__name__)

HOLD_UNSUPPORTED = ("NotImplemented", "InvalidRequest", "MethodNotAllowed")


def _uuid(value) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


def _moment(value) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


@dataclass(frozen=True)
class Retention:
    case_id: uuid.UUID
    complaint_id: uuid.UUID | None
    keep_until: datetime
    on_hold: bool
    reason: str
    changed_at: datetime

    @classmethod
    def of(cls, payload: dict) -> Retention:
        return cls(uuid.UUID(str(payload["case_id"])), _uuid(payload.get("complaint_id")),
                   _moment(payload["keep_until"]), bool(payload["on_hold"]), payload["reason"],
                   _moment(payload["changed_at"]))


def _hold(client, row, on: bool) -> str:
    """Set or release the original's legal hold; where the store has none, a hold is kept by
    extending the lock instead (and a release leaves the longer lock: it is never shortened)."""
    try:
        if storage.set_legal_hold(client, row.bucket, row.object_key, row.version_id, on):
            return "legal_hold_set" if on else "legal_hold_released"
    except S3Error as exc:
        if exc.code not in HOLD_UNSUPPORTED:
            raise
    return "hold_lock_extended" if on else "legal_hold_released"


def _apply_to_original(client, settings: Settings, row, wanted: Retention, now: datetime) -> list[tuple[str, dict]]:
    actions: list[tuple[str, dict]] = []
    until = wanted.keep_until
    extended = storage.extend_retention(client, row.bucket, row.object_key, row.version_id, until)
    if extended is not None:
        actions.append(("lock_extended", {"retain_until": extended.isoformat(), "reason": wanted.reason}))
    held = storage.legal_hold(client, row.bucket, row.object_key, row.version_id)
    if wanted.on_hold != held:
        action = _hold(client, row, wanted.on_hold)
        if action == "hold_lock_extended":
            longer = storage.extend_retention(client, row.bucket, row.object_key, row.version_id,
                                              max(until, now) + settings.hold_extension)
            extended = longer or extended
            actions.append((action, {"retain_until": (longer or until).isoformat()}))
        else:
            actions.append((action, {"reason": wanted.reason}))
    return actions


def follow_retention(db, client, settings: Settings, envelope) -> int:
    """Extend the case's originals' locks to its keep-until and set or release their legal hold;
    returns how many custody actions were recorded. Idempotent: S3 is asked first (a lock already long
    enough is left alone), then the case's retention and the actions commit with the delivery's row."""
    wanted, now = Retention.of(envelope.payload), datetime.now(UTC)
    with db.read() as conn:
        known = records.case_retention_of(conn, wanted.case_id)
        if known is not None and known.changed_at > wanted.changed_at:
            log_event(log, "evidence.retention_stale", case_id=wanted.case_id)
            return 0  # a newer announcement was applied already
        complaint_id = wanted.complaint_id or (known.complaint_id if known else None)
        originals = records.objects_of_case(conn, wanted.case_id, complaint_id, copy="original")
    done = [(row, action, detail) for row in originals
            for action, detail in _apply_to_original(client, settings, row, wanted, now)]
    with db.unit_of_work(cause=envelope) as uow:
        if not uow.first_delivery():
            return 0
        records.remember_retention(uow.connection, case_id=wanted.case_id, complaint_id=complaint_id,
                                   keep_until=wanted.keep_until, on_hold=wanted.on_hold, reason=wanted.reason,
                                   changed_at=wanted.changed_at)
        for row, action, detail in done:
            if "retain_until" in detail:
                records.record_locked_until(uow.connection, row.evidence_id, row.copy,
                                            _moment(detail["retain_until"]))
            records.record_action(uow.connection, action=action, at=now, case_id=wanted.case_id,
                                  evidence_id=row.evidence_id, detail=detail)
    log_event(log, "evidence.retention_followed", case_id=wanted.case_id, originals=len(originals),
              actions=len(done), on_hold=wanted.on_hold)
    return len(done)


# --- the purge ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Purged:
    items: int
    versions_removed: int
    left_locked: int


def _remove_objects(client, rows) -> tuple[int, list[tuple]]:
    """Every version of every object of the rows' items (each object once); the versions the store
    kept because a lock still holds them come back as (row, version, why)."""
    removed, kept, seen = 0, [], set()
    for row in rows:
        if (row.bucket, row.object_key) in seen:
            continue
        seen.add((row.bucket, row.object_key))
        gone, locked = storage.remove_every_version(client, row.bucket, row.object_key)
        removed += gone
        kept += [(row, version, why) for version, why in locked]
    return removed, kept


def purge_case(db, client, settings: Settings, envelope) -> Purged:
    """Delete every version of every object of the case (originals, clean copies, thumbnails,
    decrees), then, in one transaction, forget the objects' records and data keys (so a version a
    lock still keeps opens for no one; housekeeping deletes it once the lock ends), the items'
    hashes, the custody log's purposes and the outbox rows about the case, and record the purge.
    A second delivery finds nothing to delete and records nothing."""
    p = envelope.payload
    case_id, now = uuid.UUID(str(p["case_id"])), datetime.now(UTC)
    with db.read() as conn:
        known = records.case_retention_of(conn, case_id)
        complaint_id = _uuid(p.get("complaint_id")) or (known.complaint_id if known else None)
        rows = records.objects_of_case(conn, case_id, complaint_id)
        evidence_ids = records.items_of_case(conn, case_id, complaint_id)
    if known is not None and known.on_hold:
        # casework never purges a case on hold; if it did, evidence keeps the bytes and says so loudly.
        log_event(log, "evidence.purge_refused_on_hold", logging.ERROR, case_id=case_id)
        raise RuntimeError(f"case {case_id} is on legal hold: evidence does not purge it")
    removed, kept = _remove_objects(client, rows)
    with db.unit_of_work(cause=envelope) as uow:
        uow.first_delivery()  # recorded; a redelivery runs again all the same and finds nothing left
        conn = uow.connection
        for row, version, _why in kept:
            records.add_leftover(conn, bucket=row.bucket, key=row.object_key, version_id=version, case_id=case_id,
                                 retain_until=row.retain_until)
        records.forget_personal_parts(conn, case_id, evidence_ids, now)
        if complaint_id is not None:
            records.forget_rejections(conn, complaint_id)
        forget_outbox_rows(conn, messaging, case_id, complaint_id)
        if rows or removed:  # only the purge that found something records one
            records.record_action(conn, action="purged", at=now, case_id=case_id, detail={
                "items": len(evidence_ids), "versions_removed": removed, "versions_left_locked": len(kept),
                "purged_at": str(p["purged_at"])})
    log_event(log, "evidence.case_purged", case_id=case_id, items=len(evidence_ids), versions=removed,
              locked=len(kept))
    return Purged(len(evidence_ids), removed, len(kept))


def remove_due_leftovers(engine, client) -> int:
    """Delete the versions a purge had to leave under a lock, once the lock has ended."""
    removed, now = 0, datetime.now(UTC)
    with engine.connect() as conn:
        due = records.due_leftovers(conn, now)
    for left in due:
        try:
            client.remove_object(left.bucket, left.object_key,
                                 version_id=None if left.version_id == "null" else left.version_id)
        except S3Error as exc:
            if exc.code not in storage.OBJECT_GONE:
                log_event(log, "evidence.leftover_kept", logging.WARNING, bucket=left.bucket, reason=exc.code)
                continue
        with engine.begin() as conn:
            records.forget_leftover(conn, left.bucket, left.object_key, left.version_id)
        removed += 1
    return removed
