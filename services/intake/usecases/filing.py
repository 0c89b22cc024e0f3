"""Filing a complaint and replying to the team, each in one unit of work.

The uploads go into quarantine first, sealed for evidence, each announced by an intent that
commits before the put. Then one transaction records everything: the answer under the
client's Idempotency-Key (first, so that a retry with the key waits for this one and then
gets its answer), the filing counted against the client's limit, the uploads' intents taken
away, the records and the outgoing event. Nothing after that commit can turn the filing into
an error (adapters/failed_writes.settled). What filing needs of the database is the FilingStore
port (usecases/ports.py); adapters/stores.py is its PostgreSQL side.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from netra_common import keystore
from netra_common.db import DatabaseHandle
from netra_common.hashing import random_secret_hash
from netra_common.logging import log_event
from netra_common.offload import by_size
from services.intake.adapters import idempotency, upload_intents
from services.intake.adapters.failed_writes import Attempt, database_errors_withheld, settled
from services.intake.adapters.idempotency import Idempotent
from services.intake.adapters.name_sealing import names_key, seal_name, seal_proof_names
from services.intake.adapters.quarantine import Quarantine, object_key
from services.intake.domain.codes import RECEIPT_PURPOSE, new_receipt, new_tracking_code
from services.intake.domain.proof import proof_document
from services.intake.domain.uploads import Upload, neutral_name
from services.intake.usecases import lookups
from services.intake.usecases.ports import FilingStore, FilingUnit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Door:
    """What a filing goes through besides its content: the stores, the client's key, its limit."""

    store: FilingStore
    quarantine: Quarantine
    idempotent: Idempotent | None = None
    limit: lookups.Guard | None = None  # counted inside the filing's transaction


@dataclass(frozen=True)
class Answer:
    body: dict  # JSON values only: a replay is the very same document
    replayed: bool = False


def known_answer(door: Door) -> Answer | None:
    """The answer kept for this key and request, before anything is done again; KeyReused if
    the key came with another request; None if the key is new."""
    if door.idempotent is None:
        return None
    answer = door.store.kept_answer(door.idempotent, datetime.now(UTC))
    return Answer(answer, replayed=True) if answer is not None else None


# --- the shared steps ------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return by_size(len(data), lambda: hashlib.sha256(data).hexdigest())


def _quarantine(door: Door, complaint_id: uuid.UUID, uploads: list[Upload], attempt: Attempt,
                first_number: int) -> list[dict]:
    """Announce every upload by an intent, then seal and put each, noting it in `attempt` so
    that a failure before the commit can take it out again."""
    keyed = [(object_key(complaint_id, upload_id), upload_id, upload)
             for upload_id, upload in ((uuid.uuid4(), u) for u in uploads)]
    door.store.intend_uploads([key for key, _, _ in keyed], datetime.now(UTC))
    shots = []
    for number, (key, upload_id, upload) in enumerate(keyed, start=first_number):
        door.quarantine.put(key, upload.data)
        attempt.put.append(key)
        filename = upload.filename[:255] or None
        shots.append({"upload_id": str(upload_id), "object_key": key,
                      "content_type": upload.content_type, "size": len(upload.data),
                      "filename": filename, "bus_name": neutral_name(filename or "", number),
                      "sha256": _sha256(upload.data)})
    return shots


def _commit(door: Door, attempt: Attempt, answer: dict, write: Callable[[FilingUnit], None]) -> None:
    with door.store.unit_of_work() as uow:
        now = datetime.now(UTC)
        if door.idempotent is not None:
            uow.claim_answer(door.idempotent, answer, now)
        uow.fulfil_intents(attempt.put)
        write(uow)
        # Counted last: the client's counter row stays locked until the commit, and a client's
        # filings at once (one address behind a carrier's NAT) wait for each other only that long.
        if door.limit is not None:
            lookups.count_within(uow.limits, door.limit, now)
        attempt.committing = True  # from here on only COMMIT itself can fail


def _for_bus(shots: list[dict]) -> list[dict]:
    """What evidence and casework learn of each screenshot: a neutral name, never the phone's."""
    return [{"upload_id": s["upload_id"], "object_key": s["object_key"], "content_type": s["content_type"],
             "size": s["size"], "filename": s["bus_name"], "sha256": s["sha256"]} for s in shots]


def _names_sealed(shots: list[dict], key: bytes) -> list[dict]:
    return [{**s, "filename": seal_name(key, s["filename"])} for s in shots]


def _receipt_view(shots: list[dict]) -> list[dict]:
    return [{k: s[k] for k in ("filename", "sha256", "size")} for s in shots]


# --- filing ----------------------------------------------------------------------------


def _public_document(complaint: dict) -> dict:
    """The complaint as the bus and casework may carry it: no reporter identity."""
    document = {k: v for k, v in complaint.items() if k != "reporter"}
    document["occurred_at"] = complaint["occurred_at"].astimezone(UTC).isoformat()
    return document


def bus_reporter(reporter: dict, sealer) -> dict:
    """What the bus may carry of the reporter. Anonymous means no identity and no consent to
    be contacted, whatever else the form said."""
    if reporter["anonymous"]:
        return {"anonymous": True, "sealed_identity": None, "contact_consent": False, "sealed_contact": None}
    consent = bool(reporter.get("consent_contact"))
    return {"anonymous": False,
            "sealed_identity": sealer.seal({k: reporter.get(k) for k in ("name", "email", "phone", "nik")}),
            "contact_consent": consent,
            "sealed_contact": sealer.seal_contact({"email": reporter["email"]})
            if consent and reporter.get("email") else None}


def wrapped_for_case(reporter: dict, unit: FilingUnit, complaint_id: uuid.UUID) -> dict:
    """The reporter's boxes wrapped with the complaint's own key, made in the filing's unit
    (docs/decisions/0037): the inner boxes stay sealed to the vault and notify, and the purge that
    destroys this key leaves no key anywhere that opens them. An anonymous filing gets no key."""
    if reporter["anonymous"] or not (reporter["sealed_identity"] or reporter["sealed_contact"]):
        return reporter
    key_id, key = unit.new_case_key(complaint_id)
    return {**reporter, **{field: keystore.wrap_text(key_id, key, reporter[field])
                           for field in ("sealed_identity", "sealed_contact") if reporter[field]}}


def file_complaint(door: Door, sealer, signer, complaint: dict, uploads: list[Upload]) -> Answer:
    complaint_id, submitted_at = uuid.uuid4(), datetime.now(UTC)
    tracking_code, receipt = new_tracking_code(), new_receipt()
    key = names_key(receipt, complaint_id)
    reporter = bus_reporter(complaint["reporter"], sealer)
    document = _public_document(complaint)
    try:
        with database_errors_withheld(), settled(door.store.forget_intents, door.quarantine,
                                                 lambda: door.store.complaint_exists(complaint_id)) as attempt:
            shots = _quarantine(door, complaint_id, uploads, attempt, first_number=1)
            proof = signer.sign(proof_document(
                tracking_code=tracking_code, submitted_at=submitted_at.isoformat(), complaint=document,
                anonymous=reporter["anonymous"], screenshots=shots))
            answer = {"tracking_code": tracking_code, "receipt": receipt,
                      "submitted_at": submitted_at.isoformat(),
                      "status_url": f"/api/v1/complaints/{tracking_code}",
                      "screenshots": _receipt_view(shots), "proof": proof}

            def write(uow: FilingUnit) -> None:
                wrapped = wrapped_for_case(reporter, uow, complaint_id)
                uow.add_complaint(
                    complaint_id=complaint_id, tracking_code=tracking_code,
                    receipt_hash=random_secret_hash(receipt, RECEIPT_PURPOSE), submitted_at=submitted_at,
                    document=document,
                    anonymous=reporter["anonymous"], sealed_identity=wrapped["sealed_identity"],
                    proof=seal_proof_names(key, proof))
                uow.add_screenshots(complaint_id, _names_sealed(shots, key), submitted_at)
                uow.emit("complaint_submitted", {
                    **document, "complaint_id": str(complaint_id), "submitted_at": submitted_at.isoformat(),
                    "screenshots": _for_bus(shots), "reporter": wrapped})

            _commit(door, attempt, answer, write)
    except idempotency.Replay as replay:
        log_event(log, "complaint.replayed", screenshots_withdrawn=len(uploads))
        return Answer(replay.answer, replayed=True)
    log_event(log, "complaint.filed", complaint_id=complaint_id, screenshots=len(shots),
              anonymous=reporter["anonymous"])
    return Answer(answer)


# --- replying --------------------------------------------------------------------------


def reply(door: Door, complaint, receipt: str, body: str, uploads: list[Upload], already: int) -> Answer:
    message_id, replied_at = uuid.uuid4(), datetime.now(UTC)
    key = names_key(receipt, complaint.complaint_id)
    try:
        with database_errors_withheld(), settled(door.store.forget_intents, door.quarantine,
                                                 lambda: door.store.message_exists(message_id)) as attempt:
            shots = _quarantine(door, complaint.complaint_id, uploads, attempt, first_number=already + 1)
            answer = {"message_id": str(message_id), "at": replied_at.isoformat(),
                      "screenshots": _receipt_view(shots)}

            def write(uow: FilingUnit) -> None:
                uow.add_message(message_id=message_id, complaint_id=complaint.complaint_id,
                                author="reporter", kind="reply", body=body, at=replied_at)
                uow.add_screenshots(complaint.complaint_id, _names_sealed(shots, key), replied_at, message_id)
                uow.emit("reporter_replied", {
                    "complaint_id": str(complaint.complaint_id), "message_id": str(message_id),
                    "body": body, "replied_at": replied_at.isoformat(), "screenshots": _for_bus(shots)})

            _commit(door, attempt, answer, write)
    except idempotency.Replay as replay:
        log_event(log, "complaint.reply_replayed", complaint_id=complaint.complaint_id)
        return Answer(replay.answer, replayed=True)
    log_event(log, "complaint.replied", complaint_id=complaint.complaint_id, screenshots=len(shots))
    return Answer(answer)


# --- housekeeping ----------------------------------------------------------------------

ABANDONED_BATCH = 200


def forget_expired_answers(db) -> int:
    with db.engine.begin() as conn:
        return idempotency.prune(conn, datetime.now(UTC))


def remove_abandoned_uploads(db: DatabaseHandle, quarantine: Quarantine, older_than: timedelta) -> int:
    """Take out of quarantine the uploads whose filing never committed (a crash, a database
    lost between put and commit). The intents stay locked while their objects are removed, so a
    filing that comes this late waits, finds them gone and is refused rather than kept without
    its screenshots."""
    removed = 0
    with db.engine.begin() as conn:
        keys = upload_intents.abandoned(conn, datetime.now(UTC) - older_than, ABANDONED_BATCH)
        for key in keys:
            quarantine.remove(key)
            removed += 1
        upload_intents.forget(conn, keys)
    if removed:
        log_event(log, "quarantine.abandoned_removed", objects=removed)
    return removed
