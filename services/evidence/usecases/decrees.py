"""Keep a decree (SK) BKPPD uploads for a case, under the custody screenshots have: inspected before
anything is stored, hashed, encrypted with a data key wrapped by the master key and bound to its
case and time of receipt, put under object-lock retention, and recorded (docs/architecture.md,
"Evidence custody").

casework asks, with an upload grant it signed for one BKPPD member, one case and one decree id;
the grant's id becomes the item's upload id, so a grant stores one file, and asking again with the
same grant and the same file answers what was kept (a retried request) rather than a second copy.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from eventlet import tpool
from sqlalchemy import select

from netra_common.contracts import grants
from netra_common.contracts.decrees import MEDIA_TYPE, DecreeRefused
from netra_common.logging import log_event
from services.evidence.adapters import crypto, records, storage
from services.evidence.adapters.tables import items
from services.evidence.domain import grant_policy
from services.evidence.domain.decree_pdf import inspect_decree
from services.evidence.settings import Settings

log = logging.getLogger(__name__)


class GrantAlreadyUsed(Exception):
    """The upload grant stored another file already: casework must issue a new one."""


class DecreeNotFound(Exception):
    """No decree of the grant's case under that id (or its object is gone)."""


@dataclass(frozen=True)
class KeptDecree:
    decree_id: str
    case_id: str
    sha256: str
    size: int
    pages: int
    received_at: str

    def as_dict(self) -> dict:
        return {"decree_id": self.decree_id, "case_id": self.case_id, "sha256": self.sha256, "size": self.size,
                "pages": self.pages, "content_type": MEDIA_TYPE, "received_at": self.received_at}


def object_key(decree_id: uuid.UUID) -> str:
    return f"decrees/{decree_id}"


def _already_kept(conn, grant: grants.Grant, sha256: str) -> KeptDecree | None:
    row = conn.execute(select(items).where(items.c.upload_id == uuid.UUID(grant.grant_id))).first()
    if row is None:
        return None
    if row.sha256 != sha256:
        raise GrantAlreadyUsed(grant.grant_id)
    return KeptDecree(str(row.evidence_id), str(row.case_id), row.sha256, row.size, row.pages or 0,
                      row.received_at.isoformat())


def keep_decree(db, client, settings: Settings, verify_key: str, token: str, data: bytes) -> KeptDecree:
    grant = grants.verify_upload(verify_key, token)
    grant_policy.check(settings.grants, grant, time.time())
    found = tpool.execute(inspect_decree, data, settings.decree_max_bytes)
    if found.refusal:
        log_event(log, "decree.refused", case_id=grant.case_id, reason=found.refusal, found=found.found,
                  sha256=found.sha256, size=found.size)
        raise DecreeRefused(found.refusal, found.found, settings.decree_max_bytes)
    with db.read() as conn:
        earlier = _already_kept(conn, grant, found.sha256)
    if earlier:
        return earlier
    decree_id, case_id, now = uuid.UUID(grant.evidence_id), uuid.UUID(grant.case_id), datetime.now(UTC)
    aad = crypto.associated_data(crypto.DECREE_AAD_VERSION, evidence_id=decree_id, copy="original",
                                 sha256=found.sha256, size=found.size, case_id=case_id, received_at=now)
    sealed = tpool.execute(crypto.seal, settings.keyring, data, aad)
    key, retain_until = object_key(decree_id), now + settings.retention
    intents = records.intend_puts(db.engine, decree_id, [("original", settings.evidence, key)], now)
    version = storage.put(client, settings.evidence, key, sealed.blob, retain_until)
    with db.unit_of_work() as uow:
        records.fulfil_intents(uow, intents)
        records.add_item(uow, {
            "evidence_id": decree_id, "upload_id": uuid.UUID(grant.grant_id), "kind": "decree",
            "complaint_id": None, "case_id": case_id, "pages": found.pages, "sha256": found.sha256,
            "size": found.size, "content_type": MEDIA_TYPE, "received_at": now, "stored_at": now,
        }, [{"evidence_id": decree_id, "copy": "original", "bucket": settings.evidence, "object_key": key,
             "version_id": version, "plain_sha256": found.sha256, "plain_size": found.size,
             "content_type": MEDIA_TYPE, "key_id": sealed.key_id, "wrapped_key": sealed.wrapped_key,
             "retain_until": retain_until, "aad_version": crypto.DECREE_AAD_VERSION}])
    log_event(log, "decree.stored", decree_id=decree_id, case_id=case_id, sha256=found.sha256,
              member=grant.member_id, pages=found.pages)
    return KeptDecree(str(decree_id), str(case_id), found.sha256, found.size, found.pages, now.isoformat())


def view_decree(db, client, settings: Settings, verify_key: str, token: str, decree_id: uuid.UUID) -> bytes:
    """The decrypted decree, for a view grant casework signed for its case; the view goes in the
    custody log first, as a screenshot's does. casework records it on the case itself (the grant
    names the case; a decree belongs to no complaint, so no evidence_viewed is announced)."""
    grant = grants.verify_decree_view(verify_key, token, decree_id=str(decree_id))
    grant_policy.check(settings.grants, grant, time.time())
    with db.read() as conn:
        stored = records.stored_object(conn, decree_id, "original")
    if stored is None or stored.kind != "decree" or str(stored.case_id) != grant.case_id:
        raise DecreeNotFound(decree_id)
    blob = storage.get(client, stored.bucket, stored.object_key, stored.version_id)
    try:
        content = tpool.execute(crypto.open_sealed, settings.keyring, stored.key_id, stored.wrapped_key, blob,
                                records.associated_data(stored))
    except (crypto.RecordTampered, crypto.ContentTampered) as exc:
        log_event(log, "evidence.integrity_failure", logging.ERROR, evidence_id=decree_id, copy="decree",
                  problem=type(exc).__name__)
        raise
    with db.unit_of_work() as uow:
        records.log_view(uow, evidence_id=decree_id, copy=grants.DECREE_VIEW, grant=grant,
                         viewed_at=datetime.now(UTC))
    log_event(log, "decree.viewed", decree_id=decree_id, case_id=grant.case_id, member=grant.member_id)
    return content
