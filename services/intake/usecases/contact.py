"""A reporter withdraws their consent to be contacted and erases their contact details, from the status
page with their receipt (issue 18). The complaint stays: it may already be evidence."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from netra_common.logging import log_event
from services.intake.adapters import contact

log = logging.getLogger(__name__)


class NoContact(Exception):
    """An anonymous (or purged) complaint has no contact details to erase."""


def erase_contact(db, complaint_id: uuid.UUID) -> datetime:
    """Erase once; asking again answers with the first erasure's time and announces nothing more."""
    now = datetime.now(UTC)
    with db.unit_of_work() as uow:
        erased_at = contact.erase(uow.connection, complaint_id, now)
        if erased_at is None:
            raise NoContact(complaint_id)
        if erased_at == now:
            contact.scrub_sent_outbox(uow.connection, complaint_id)
            uow.emit("reporter_contact_erased", {"complaint_id": str(complaint_id), "erased_at": now.isoformat()})
    log_event(log, "complaint.contact_erased", complaint_id=complaint_id)
    return erased_at
