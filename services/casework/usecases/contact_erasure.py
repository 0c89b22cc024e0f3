"""reporter_contact_erased: the reporter erased their contact details on the status page (issue 18.5,
docs/decisions/0034). casework records it for the case (even one not opened yet: its id follows from
the complaint), so the vault never discloses or shows the e-mail or telephone again. Idempotent: a
redelivery, or a second erasure, changes nothing."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from netra_common.logging import log_event
from services.casework.adapters import contact_withdrawal
from services.casework.usecases.cases import case_id_for_complaint

log = logging.getLogger(__name__)


def forget_contact(db, envelope) -> None:
    payload = envelope.payload
    case_id = case_id_for_complaint(payload["complaint_id"])
    with db.unit_of_work(cause=envelope) as unit:
        if not unit.first_delivery():
            return
        news = contact_withdrawal.record(unit.connection, case_id, uuid.UUID(str(payload["complaint_id"])),
                                         _moment(payload["erased_at"]))
    log_event(log, "casework.reporter_contact_erased", case_id=case_id, news=news)


def _moment(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
