"""intake's records: complaints, their screenshots and messages, and the public status view."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.intake.adapters.tables import (
    complaints,
    identity_disclosures,
    messages,
    screenshots,
    status_timeline,
    status_view,
    work_units,
)
from services.intake.domain.status import RECEIVED


def add_complaint(uow, *, complaint_id: UUID, tracking_code: str, receipt_hash: str,
                  submitted_at: datetime, document: dict, anonymous: bool,
                  sealed_identity: str | None, proof: dict) -> None:
    uow.execute(insert(complaints).values(
        complaint_id=complaint_id, tracking_code=tracking_code, receipt_hash=receipt_hash,
        submitted_at=submitted_at, document=document, anonymous=anonymous,
        sealed_identity=sealed_identity, proof=proof,
    ))
    uow.execute(insert(status_view).values(
        complaint_id=complaint_id, status=RECEIVED, updated_at=submitted_at))


def add_screenshots(uow, complaint_id: UUID, shots: list[dict], received_at: datetime,
                    message_id: UUID | None = None) -> None:
    if shots:
        uow.execute(insert(screenshots), [
            {"upload_id": s["upload_id"], "complaint_id": complaint_id, "message_id": message_id,
             "filename": s["filename"], "size": s["size"], "sha256": s["sha256"],
             "state": "pending", "received_at": received_at} for s in shots])


def add_message(uow, *, message_id: UUID, complaint_id: UUID, author: str, kind: str, body: str,
                at: datetime) -> bool:
    """Record a message once (a redelivered event adds nothing)."""
    return uow.execute(
        pg_insert(messages).values(message_id=message_id, complaint_id=complaint_id, author=author,
                                   kind=kind, body=body, at=at)
        .on_conflict_do_nothing().returning(messages.c.message_id)).first() is not None


def find_by_tracking_code(conn, tracking_code: str):
    return conn.execute(
        select(complaints.c.complaint_id, complaints.c.tracking_code, complaints.c.receipt_hash,
               complaints.c.submitted_at, complaints.c.proof, complaints.c.anonymous,
               complaints.c.contact_erased_at, complaints.c.purged_at, status_view.c.status,
               status_view.c.updated_at, status_view.c.due_at)
        .join(status_view, status_view.c.complaint_id == complaints.c.complaint_id)
        .where(complaints.c.tracking_code == tracking_code)
    ).first()


def exists(conn, complaint_id: UUID) -> bool:
    return conn.execute(select(complaints.c.complaint_id)
                        .where(complaints.c.complaint_id == complaint_id)).first() is not None


def message_exists(conn, message_id: UUID) -> bool:
    return conn.execute(select(messages.c.message_id)
                        .where(messages.c.message_id == message_id)).first() is not None


def timeline(conn, complaint_id: UUID) -> list:
    return conn.execute(
        select(status_timeline.c.status, status_timeline.c.at)
        .where(status_timeline.c.complaint_id == complaint_id)
        .order_by(status_timeline.c.at, status_timeline.c.case_version, status_timeline.c.event_id)
    ).all()


def conversation(conn, complaint_id: UUID) -> list:
    return conn.execute(select(messages).where(messages.c.complaint_id == complaint_id)
                        .order_by(messages.c.at)).all()


def screenshots_of(conn, complaint_id: UUID) -> list:
    return conn.execute(select(screenshots).where(screenshots.c.complaint_id == complaint_id)
                        .order_by(screenshots.c.received_at)).all()


def record_screenshot_outcome(uow, upload_id: UUID, state: str, reason_code: str | None) -> None:
    uow.execute(update(screenshots).where(screenshots.c.upload_id == upload_id)
                .values(state=state, reason_code=reason_code))


def record_status(uow, *, event_id: UUID, complaint_id: UUID, status: str, at: datetime,
                  case_version: int | None, due_at: datetime | None = None) -> bool:
    """Add a stage to the timeline; the current status follows the case's latest stage.

    Returns False when the complaint is not intake's (a case the team filed itself).
    """
    if not exists(uow.connection, complaint_id):
        return False
    uow.execute(
        pg_insert(status_timeline)
        .values(event_id=event_id, complaint_id=complaint_id, status=status, at=at,
                case_version=case_version)
        .on_conflict_do_nothing()
    )
    uow.execute(update(status_view).where(status_view.c.complaint_id == complaint_id, _is_later(at, case_version))
                .values(status=status, updated_at=at, case_version=case_version, due_at=due_at))
    return True


def _is_later(at: datetime, case_version: int | None):
    """Events may arrive out of order; only a later stage replaces the current one.

    The case's version orders two changes made in one transaction (same time); an
    event from before versions were sent falls back to its time.
    """
    if case_version is None:
        return status_view.c.updated_at <= at
    return or_(status_view.c.case_version.is_(None) & (status_view.c.updated_at <= at),
               status_view.c.case_version < case_version)


def active_work_units(conn) -> list:
    return conn.execute(select(work_units.c.name, work_units.c.group_name)
                        .where(work_units.c.active.is_(True))
                        .order_by(work_units.c.group_name, work_units.c.name)).all()


def record_disclosure(uow, *, event_id: UUID, complaint_id: UUID, disclosed_to: str, at: datetime) -> None:
    uow.execute(pg_insert(identity_disclosures).values(
        event_id=event_id, complaint_id=complaint_id, disclosed_to=disclosed_to, approved_at=at)
        .on_conflict_do_nothing())


def disclosures_of(conn, complaint_id: UUID) -> list:
    return conn.execute(select(identity_disclosures.c.disclosed_to, identity_disclosures.c.approved_at)
                        .where(identity_disclosures.c.complaint_id == complaint_id)
                        .order_by(identity_disclosures.c.approved_at)).all()
