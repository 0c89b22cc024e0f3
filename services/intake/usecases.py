"""intake's use cases: file a complaint, reply, follow progress (finding one: lookups.py).

Entry points in service.py translate HTTP and events into these calls.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from eventlet import tpool
from marshmallow import ValidationError

from netra_common.hashing import slow_hash
from netra_common.logging import log_event
from services.intake.adapters import complaints as records
from services.intake.adapters.failed_writes import database_errors_withheld, quarantine_undone_on_failure
from services.intake.adapters.name_sealing import names_key, seal_name, seal_proof_names
from services.intake.adapters.quarantine import object_key, put_upload
from services.intake.domain.codes import new_receipt, new_tracking_code
from services.intake.domain.proof import proof_document
from services.intake.domain.uploads import MAX_FILES_PER_COMPLAINT, Upload, check_uploads, neutral_name
from services.intake.schemas import ComplaintSchema, ReplySchema

log = logging.getLogger(__name__)


class InvalidInput(Exception):
    def __init__(self, errors: dict):
        super().__init__("invalid input")
        self.errors = errors


@dataclass(frozen=True)
class Filed:
    tracking_code: str
    receipt: str
    submitted_at: datetime
    screenshots: list[dict]
    proof: dict


# --- filing --------------------------------------------------------------------------


def validate_complaint(document, files: list[tuple[str, bytes]]) -> tuple[dict, list[Upload]]:
    """The complaint and its screenshots, or InvalidInput with every problem at once."""
    errors: dict = {}
    try:
        complaint = ComplaintSchema().load(document)
    except ValidationError as exc:
        complaint, errors = None, dict(exc.messages)
    uploads, upload_errors = check_uploads(files)
    if upload_errors:
        errors["screenshots"] = upload_errors
    elif complaint is not None and not complaint["post_urls"] and not uploads:
        errors["screenshots"] = ["evidence_required"]
    if errors:
        raise InvalidInput(errors)
    return complaint, uploads


def _public_document(complaint: dict) -> dict:
    """The complaint as the bus and casework may carry it: no reporter identity."""
    document = {k: v for k, v in complaint.items() if k != "reporter"}
    document["occurred_at"] = complaint["occurred_at"].astimezone(UTC).isoformat()
    return document


def _sha256(data: bytes) -> str:
    return tpool.execute(lambda: hashlib.sha256(data).hexdigest())


def _quarantine(storage, bucket: str, complaint_id: uuid.UUID, uploads: list[Upload],
                put: list[str], first_number: int) -> list[dict]:
    """Put uploads into quarantine before the commit, noting each key in `put` so that a
    failure before the commit can take them out again."""
    shots = []
    for number, upload in enumerate(uploads, start=first_number):
        upload_id = uuid.uuid4()
        key = object_key(complaint_id, upload_id)
        put_upload(storage, bucket, key, upload.data, upload.content_type)
        put.append(key)
        filename = upload.filename[:255] or None
        shots.append({"upload_id": str(upload_id), "object_key": key,
                      "content_type": upload.content_type, "size": len(upload.data),
                      "filename": filename, "bus_name": neutral_name(filename or "", number),
                      "sha256": _sha256(upload.data)})
    return shots


def _for_bus(shots: list[dict]) -> list[dict]:
    """What evidence and casework learn of each screenshot: a neutral name, never the phone's."""
    return [{"upload_id": s["upload_id"], "object_key": s["object_key"], "content_type": s["content_type"],
             "size": s["size"], "filename": s["bus_name"], "sha256": s["sha256"]} for s in shots]


def _names_sealed(shots: list[dict], key: bytes) -> list[dict]:
    return [{**s, "filename": seal_name(key, s["filename"])} for s in shots]


def _receipt_view(shots: list[dict]) -> list[dict]:
    return [{k: s[k] for k in ("filename", "sha256", "size")} for s in shots]


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


def file_complaint(db, storage, bucket: str, sealer, signer, complaint: dict,
                   uploads: list[Upload]) -> Filed:
    complaint_id = uuid.uuid4()
    submitted_at = datetime.now(UTC)
    tracking_code, receipt = new_tracking_code(), new_receipt()
    key = names_key(receipt, complaint_id)
    reporter = bus_reporter(complaint["reporter"], sealer)
    put: list[str] = []
    with _failure_leaves_nothing(db, storage, bucket, put, records.exists, complaint_id):
        shots = _quarantine(storage, bucket, complaint_id, uploads, put, first_number=1)
        document = _public_document(complaint)
        proof = signer.sign(proof_document(
            tracking_code=tracking_code, submitted_at=submitted_at.isoformat(), complaint=document,
            anonymous=reporter["anonymous"], screenshots=shots))
        with db.unit_of_work() as uow:
            records.add_complaint(
                uow, complaint_id=complaint_id, tracking_code=tracking_code,
                receipt_hash=slow_hash(receipt), submitted_at=submitted_at, document=document,
                anonymous=reporter["anonymous"], sealed_identity=reporter["sealed_identity"],
                proof=seal_proof_names(key, proof))
            records.add_screenshots(uow, complaint_id, _names_sealed(shots, key), submitted_at)
            uow.emit("complaint_submitted", {
                **document, "complaint_id": str(complaint_id), "submitted_at": submitted_at.isoformat(),
                "screenshots": _for_bus(shots), "reporter": reporter})
    log_event(log, "complaint.filed", complaint_id=complaint_id, screenshots=len(shots),
              anonymous=reporter["anonymous"])
    return Filed(tracking_code, receipt, submitted_at, _receipt_view(shots), proof)


@contextmanager
def _failure_leaves_nothing(db, storage, bucket: str, put: list[str], exists, record_id: uuid.UUID):
    """No half-written filing or reply: uploads leave quarantine again if the record does not
    commit, and PostgreSQL's words (which can quote the complaint) stay out of the logs."""
    def recorded() -> bool:
        with db.read() as conn:
            return exists(conn, record_id)

    with quarantine_undone_on_failure(storage, bucket, put, recorded), database_errors_withheld():
        yield


# --- replying ------------------------------------------------------------------------


def validate_reply(fields: dict, files: list[tuple[str, bytes]], already: int) -> tuple[str, list[Upload]]:
    errors: dict = {}
    try:
        body = ReplySchema().load(fields)["message"]
    except ValidationError as exc:
        body, errors = None, dict(exc.messages)
    uploads, upload_errors = check_uploads(files)
    if not upload_errors and already + len(uploads) > MAX_FILES_PER_COMPLAINT:
        left = max(MAX_FILES_PER_COMPLAINT - already, 0)
        upload_errors = [f"screenshots_per_complaint:{MAX_FILES_PER_COMPLAINT},{left}"]
    if upload_errors:
        errors["screenshots"] = upload_errors
    if errors:
        raise InvalidInput(errors)
    return body, uploads


def reply(db, storage, bucket: str, complaint, receipt: str, body: str, uploads: list[Upload],
          already: int) -> dict:
    message_id = uuid.uuid4()
    replied_at = datetime.now(UTC)
    key = names_key(receipt, complaint.complaint_id)
    put: list[str] = []
    with _failure_leaves_nothing(db, storage, bucket, put, records.message_exists, message_id):
        shots = _quarantine(storage, bucket, complaint.complaint_id, uploads, put, first_number=already + 1)
        with db.unit_of_work() as uow:
            records.add_message(uow, message_id=message_id, complaint_id=complaint.complaint_id,
                                author="reporter", kind="reply", body=body, at=replied_at)
            records.add_screenshots(uow, complaint.complaint_id, _names_sealed(shots, key), replied_at,
                                    message_id)
            uow.emit("reporter_replied", {
                "complaint_id": str(complaint.complaint_id), "message_id": str(message_id),
                "body": body, "replied_at": replied_at.isoformat(), "screenshots": _for_bus(shots)})
    log_event(log, "complaint.replied", complaint_id=complaint.complaint_id, screenshots=len(shots))
    return {"message_id": message_id, "at": replied_at, "screenshots": _receipt_view(shots)}


# --- following the other services ----------------------------------------------------


def follow_case_status(db, envelope) -> None:
    payload = envelope.payload
    if payload.get("complaint_id") is None:
        return
    with db.unit_of_work(cause=envelope) as uow:
        if not uow.first_delivery():
            return
        known = records.record_status(
            uow, event_id=envelope.event_id, complaint_id=uuid.UUID(payload["complaint_id"]),
            status=payload["status"], at=datetime.fromisoformat(payload["changed_at"]),
            case_version=payload.get("case_version"),
        )
    if known:
        log_event(log, "complaint.status", complaint_id=payload["complaint_id"],
                  status=payload["status"])


def record_evidence_outcome(db, envelope) -> None:
    payload = envelope.payload
    accepted = envelope.type == "evidence_stored"
    with db.unit_of_work(cause=envelope) as uow:
        if uow.first_delivery():
            records.record_screenshot_outcome(
                uow, uuid.UUID(payload["upload_id"]), "accepted" if accepted else "rejected",
                None if accepted else payload["reason_code"])


def record_team_message(db, envelope) -> None:
    p = envelope.payload
    with db.unit_of_work(cause=envelope) as uow:
        if not uow.first_delivery() or not records.exists(uow.connection, uuid.UUID(p["complaint_id"])):
            return
        records.add_message(uow, message_id=uuid.UUID(p["message_id"]),
                            complaint_id=uuid.UUID(p["complaint_id"]), author="team",
                            kind=p["kind"], body=p["body"], at=datetime.fromisoformat(p["sent_at"]))


def record_identity_disclosure(db, envelope) -> None:
    p = envelope.payload
    with db.unit_of_work(cause=envelope) as uow:
        if uow.first_delivery() and records.exists(uow.connection, uuid.UUID(p["complaint_id"])):
            records.record_disclosure(uow, event_id=envelope.event_id, complaint_id=uuid.UUID(p["complaint_id"]),
                                      disclosed_to=p["disclosed_to"], at=datetime.fromisoformat(p["approved_at"]))
