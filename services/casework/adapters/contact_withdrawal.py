"""A reporter erased their contact details from the status page (docs/decisions/0034).

casework never had the contact in the clear: its events carry only whether the reporter is anonymous,
whether an identity is sealed and whether they agreed to be contacted (usecases/cases.py), never
intake's `sealed_contact`. The e-mail and telephone are inside the vault's sealed identity, a box the
server cannot open (decision 0017). So casework records the withdrawal, keyed by the case (known from
the complaint before the case itself may be), and the vault drops the contact whenever a box is open
in a member's hands: a ketua approving a disclosure re-seals the vault's own box without it, and a
reader's copy is opened, stripped and sealed again to them (adapters/vault.py). The identity itself
(name, NIK) stays: it may be evidence, and a disclosure still needs it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.casework.adapters.tables import contact_withdrawals

# What a reporter's identity holds that is contact, not identity (intake's filing.bus_reporter).
CONTACT_FIELDS = ("email", "phone")


def record(conn, case_id: uuid.UUID, complaint_id: uuid.UUID, erased_at: datetime) -> bool:
    """Whether this is news (a redelivery, or a second erasure, changes nothing)."""
    return conn.execute(pg_insert(contact_withdrawals)
                        .values(case_id=case_id, complaint_id=complaint_id, erased_at=erased_at)
                        .on_conflict_do_nothing().returning(contact_withdrawals.c.case_id)).first() is not None


def erased_at(conn, case_id: uuid.UUID) -> datetime | None:
    return conn.execute(select(contact_withdrawals.c.erased_at)
                        .where(contact_withdrawals.c.case_id == case_id)).scalar_one_or_none()


def without_contact(identity: dict) -> dict:
    return {k: v for k, v in identity.items() if k not in CONTACT_FIELDS}
