"""notify's side of a purge (issue 18): every mail about the case loses its subject, bodies, address
(plain and sealed), webhook payload and errors; what was not sent yet never will be; the reporter's
sealed contact goes. The rows stay, with their kind, status and dates, for the statistics."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.notify.adapters.tables import deliveries, delivery_attempts, reporter_contacts

PURGED_SUBJECT = "(dihapus: masa simpan berakhir)"


def _about_case(case_id: uuid.UUID, complaint_id: uuid.UUID | None):
    """Deliveries naming the case or complaint; older ones (before notify_0010) and digests by the
    reporter recipient or by the case's id in a link of their text."""
    found = [deliveries.c.case_id == case_id,
             and_(deliveries.c.case_id.is_(None), deliveries.c.body_text.contains(str(case_id)))]
    if complaint_id is not None:
        found += [deliveries.c.complaint_id == complaint_id, deliveries.c.recipient == f"reporter:{complaint_id}"]
    return or_(*found)


def purge_case(conn, case_id: uuid.UUID, complaint_id: uuid.UUID | None) -> int:
    """Blank every delivery of the case; returns how many still had content."""
    about = _about_case(case_id, complaint_id)
    ids = conn.execute(update(deliveries).where(about, deliveries.c.subject != PURGED_SUBJECT).values(
        subject=PURGED_SUBJECT, body_text="", body_html=None, address=None, address_sealed=None, payload=None,
        last_error=None).returning(deliveries.c.delivery_id)).scalars().all()
    conn.execute(update(deliveries).where(about, deliveries.c.status.in_(("pending", "retrying", "queued")))
                 .values(status="purged", next_attempt_at=None))
    if ids:
        conn.execute(update(delivery_attempts).where(delivery_attempts.c.delivery_id.in_(ids)).values(error=None))
    if complaint_id is not None:
        conn.execute(update(reporter_contacts).where(reporter_contacts.c.complaint_id == complaint_id)
                     .values(sealed_contact=None))
    return len(ids)


def forget_reporter_contact(conn, complaint_id: uuid.UUID) -> int:
    """The reporter erased their contact details: their sealed address goes (a complaint notify has not
    heard of yet is remembered without one, so its later announcement cannot bring it back), and what
    was planned for them and not sent yet is never sent. Returns how many such deliveries were stopped."""
    stmt = pg_insert(reporter_contacts).values(complaint_id=complaint_id, sealed_contact=None)
    conn.execute(stmt.on_conflict_do_update(index_elements=[reporter_contacts.c.complaint_id],
                                            set_={"sealed_contact": None}))
    mine = deliveries.c.recipient == f"reporter:{complaint_id}"
    return conn.execute(update(deliveries).where(mine, deliveries.c.status.in_(("pending", "retrying", "queued")))
                        .values(status="purged", next_attempt_at=None, address_sealed=None)).rowcount
