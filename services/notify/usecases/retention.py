"""notify when casework purges a case (case_purged, issue 18): its mails' contents and addresses, the
reporter's sealed contact and the outbox rows about the case go, in one transaction; idempotent."""

from __future__ import annotations

import logging
import uuid

from netra_common.logging import log_event
from netra_common.retention import forget_outbox_rows
from services.notify.adapters import retention as records
from services.notify.adapters.tables import messaging

log = logging.getLogger(__name__)


def purge(db, envelope) -> int:
    p = envelope.payload
    case_id = uuid.UUID(str(p["case_id"]))
    complaint_id = uuid.UUID(str(p["complaint_id"])) if p.get("complaint_id") else None
    with db.unit_of_work(cause=envelope) as uow:
        uow.first_delivery()  # recorded; the purge runs again on a redelivery all the same (idempotent)
        blanked = records.purge_case(uow.connection, case_id, complaint_id)
        outbox = forget_outbox_rows(uow.connection, messaging, case_id, complaint_id)
    log_event(log, "notify.case_purged", case_id=case_id, deliveries=blanked, outbox_rows=outbox)
    return blanked


def forget_contact(db, envelope) -> int:
    """reporter_contact_erased: the reporter hears nothing more from Netra (idempotent)."""
    complaint_id = uuid.UUID(str(envelope.payload["complaint_id"]))
    with db.unit_of_work(cause=envelope) as uow:
        uow.first_delivery()
        stopped = records.forget_reporter_contact(uow.connection, complaint_id)
    log_event(log, "notify.reporter_contact_erased", complaint_id=complaint_id, stopped=stopped)
    return stopped
