"""intake when casework purges a case (case_purged, issue 18): the complaint's personal parts and the
outbox rows that carried them go, in one transaction; a second delivery finds nothing left."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from netra_common.logging import log_event
from netra_common.retention import forget_outbox_rows
from services.intake.adapters import retention as records
from services.intake.adapters.tables import messaging

log = logging.getLogger(__name__)


def purge(db, envelope) -> bool:
    p = envelope.payload
    case_id = uuid.UUID(str(p["case_id"]))
    complaint_id = uuid.UUID(str(p["complaint_id"])) if p.get("complaint_id") else None
    with db.unit_of_work(cause=envelope) as uow:
        uow.first_delivery()  # recorded, but the purge runs again all the same: it is idempotent
        purged = complaint_id is not None and records.purge_complaint(uow.connection, complaint_id, datetime.now(UTC))
        outbox = forget_outbox_rows(uow.connection, messaging, case_id, complaint_id)
    log_event(log, "complaint.purged", case_id=case_id, complaint=purged, outbox_rows=outbox)
    return purged
