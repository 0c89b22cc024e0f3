"""A reporter's contact details, erased at their request (UU 27/2022; issue 18): intake's copy of their
sealed identity (casework's vault keeps its own, for the team's legal process) and, in the outbox rows
already sent, the sealed identity and contact they carried."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, text, update

from services.intake.adapters.tables import complaints, messaging


def erase(conn, complaint_id: uuid.UUID, at: datetime) -> datetime | None:
    """Record the erasure (the first one's time is kept); None for an anonymous or purged complaint,
    which has no contact to erase."""
    return conn.execute(update(complaints).where(
        complaints.c.complaint_id == complaint_id, complaints.c.anonymous.is_(False),
        complaints.c.purged_at.is_(None)).values(
        contact_erased_at=func.coalesce(complaints.c.contact_erased_at, at), sealed_identity=None)
        .returning(complaints.c.contact_erased_at)).scalar()


def scrub_sent_outbox(conn, complaint_id: uuid.UUID) -> int:
    """The sealed identity and contact out of the complaint's sent complaint_submitted row (an unsent one
    still carries them to casework, and the erasure's own event follows it)."""
    outbox = messaging.outbox
    return conn.execute(
        update(outbox).where(outbox.c.event_type == "complaint_submitted", outbox.c.sent_at.is_not(None),
                             outbox.c.message["payload"]["complaint_id"].astext == str(complaint_id))
        .values(message=text("jsonb_set(jsonb_set(message, '{payload,reporter,sealed_contact}', 'null'), "
                             "'{payload,reporter,sealed_identity}', 'null')"))).rowcount
