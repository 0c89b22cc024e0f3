"""intake's use cases: check a complaint or a reply (filing them: filing.py), follow progress
(finding one: lookups.py).

Entry points in service.py translate HTTP and events into these calls.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from marshmallow import ValidationError

from netra_common.logging import log_event
from services.intake.adapters import complaints as records
from services.intake.domain.uploads import MAX_FILES_PER_COMPLAINT, Upload, check_uploads
from services.intake.schemas import ComplaintSchema, ReplySchema

log = logging.getLogger(__name__)


class InvalidInput(Exception):
    def __init__(self, errors: dict):
        super().__init__("invalid input")
        self.errors = errors


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
