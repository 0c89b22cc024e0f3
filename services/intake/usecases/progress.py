"""intake follows the other services: a case's stage, each screenshot's outcome, the team's
messages and identity disclosures, onto the reporter's status page, once per event.

Entry points in service.py translate events into these calls; filing is filing.py, finding a
complaint lookups.py, checking one validation.py. The records come through
usecases/ports.ProgressStore.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from netra_common.logging import log_event
from services.intake.usecases.ports import ProgressStore

log = logging.getLogger(__name__)


def follow_case_status(store: ProgressStore, envelope) -> None:
    payload = envelope.payload
    if payload.get("complaint_id") is None:
        return
    with store.unit_of_work(envelope) as uow:
        if not uow.first_delivery():
            return
        known = uow.record_status(
            event_id=envelope.event_id, complaint_id=uuid.UUID(payload["complaint_id"]),
            status=payload["status"], at=datetime.fromisoformat(payload["changed_at"]),
            case_version=payload.get("case_version"),
            due_at=datetime.fromisoformat(payload["due_at"]) if payload.get("due_at") else None,
        )
    if known:
        log_event(log, "complaint.status", complaint_id=payload["complaint_id"],
                  status=payload["status"])


def record_evidence_outcome(store: ProgressStore, envelope) -> None:
    payload = envelope.payload
    accepted = envelope.type == "evidence_stored"
    with store.unit_of_work(envelope) as uow:
        if uow.first_delivery():
            uow.record_screenshot_outcome(
                uuid.UUID(payload["upload_id"]), "accepted" if accepted else "rejected",
                None if accepted else payload["reason_code"])


def record_team_message(store: ProgressStore, envelope) -> None:
    p = envelope.payload
    with store.unit_of_work(envelope) as uow:
        if not uow.first_delivery() or not uow.complaint_exists(uuid.UUID(p["complaint_id"])):
            return
        uow.add_message(message_id=uuid.UUID(p["message_id"]), complaint_id=uuid.UUID(p["complaint_id"]),
                        author="team", kind=p["kind"], body=p["body"], at=datetime.fromisoformat(p["sent_at"]))


def record_identity_disclosure(store: ProgressStore, envelope) -> None:
    p = envelope.payload
    with store.unit_of_work(envelope) as uow:
        if uow.first_delivery() and uow.complaint_exists(uuid.UUID(p["complaint_id"])):
            uow.record_disclosure(event_id=envelope.event_id, complaint_id=uuid.UUID(p["complaint_id"]),
                                  disclosed_to=p["disclosed_to"], at=datetime.fromisoformat(p["approved_at"]))
