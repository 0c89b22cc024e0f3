"""Keep the screenshots a team member hands in for a case (docs/decisions/0025), under the custody a
reporter's have: each file is inspected with the same checks, hashed, its clean copy, thumbnail and
perceptual hash made, every copy encrypted (bound to the case instead of a complaint), the original
put under retention, and the custody log names the member who handed it in.

casework asks, with an upload grant it signed for one member and one case. The files of a request
are kept together or not at all: every one is inspected before anything is stored, so a refused
file leaves nothing behind. The grant's id fixes each file's upload id (its place in the request),
so the same grant with the same files answers what was kept (a retried request), never a second copy.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from netra_common.contracts import grants
from netra_common.contracts.screenshots import ScreenshotRefused, first_look
from netra_common.logging import log_event
from services.evidence.adapters import image_slots, records
from services.evidence.adapters.tables import items
from services.evidence.domain import grant_policy
from services.evidence.settings import Settings
from services.evidence.usecases.custody import evidence_id_for, store_copies
from services.evidence.usecases.decrees import GrantAlreadyUsed
from services.evidence.usecases.preparation import Binding, Prepared, prepare

log = logging.getLogger(__name__)

TEAM_UPLOAD_NAMESPACE = uuid.UUID("5d0c2a8e-7b41-4f6a-9e3d-1c8b7a6f4e21")


def upload_id_for(grant_id: str, index: int) -> uuid.UUID:
    return uuid.uuid5(TEAM_UPLOAD_NAMESPACE, f"{grant_id}:{index}")


@dataclass(frozen=True)
class KeptScreenshot:
    evidence_id: str
    upload_id: str
    sha256: str
    size: int
    content_type: str
    width: int | None
    height: int | None
    perceptual_hash: str | None
    received_at: str
    stored_at: str

    @classmethod
    def of_row(cls, row) -> KeptScreenshot:
        return cls(str(row.evidence_id), str(row.upload_id), row.sha256, row.size, row.content_type, row.width,
                   row.height, row.perceptual_hash, row.received_at.isoformat(), row.stored_at.isoformat())


def _already_kept(conn, grant: grants.Grant, files: list[tuple[str, bytes]],
                  digests: list[str]) -> list[KeptScreenshot] | None:
    upload_ids = [upload_id_for(grant.grant_id, index) for index in range(len(files))]
    rows = {row.upload_id: row for row in conn.execute(select(items).where(items.c.upload_id.in_(upload_ids)))}
    if not rows:
        return None
    if len(rows) != len(upload_ids) or [rows[u].sha256 for u in upload_ids] != digests:
        raise GrantAlreadyUsed(grant.grant_id)
    return [KeptScreenshot.of_row(rows[u]) for u in upload_ids]


def _inspected(settings: Settings, grant: grants.Grant, files: list[tuple[str, bytes]],
               received_at: datetime) -> list[tuple[uuid.UUID, Binding, Prepared]]:
    """Every file inspected and its copies made and sealed; the first refusal stops the request."""
    case_id, made = uuid.UUID(str(grant.case_id)), []
    for index, (name, data) in enumerate(files):
        upload_id = upload_id_for(grant.grant_id, index)
        binding = Binding(evidence_id_for(str(upload_id)), None, received_at, case_id)
        prepared = image_slots.run(settings.image_slots, prepare, data, name or None, None, binding,
                                   settings.keyring)
        if not prepared.inspection.accepted:
            log_event(log, "evidence.team_upload_refused", case_id=case_id, member=grant.member_id,
                      reason=prepared.inspection.reason_code, sha256=prepared.inspection.sha256)
            raise ScreenshotRefused(str(prepared.inspection.reason_code), name, index)
        made.append((upload_id, binding, prepared))
    return made


def keep_screenshots(db, client, settings: Settings, verify_key: str, token: str,
                     files: list[tuple[str, bytes]]) -> dict:
    """What was kept, as casework records it on the case: {"case_id", "screenshots": [...]}."""
    grant = grants.verify_screenshot_upload(verify_key, token)
    grant_policy.check(settings.grants, grant, time.time())
    first_look(files)
    digests = [hashlib.sha256(data).hexdigest() for _, data in files]
    with db.read() as conn:
        earlier = _already_kept(conn, grant, files, digests)
    if earlier is None:
        now = datetime.now(UTC)
        made = _inspected(settings, grant, files, now)
        with db.unit_of_work() as uow:
            for upload_id, binding, prepared in made:
                _keep(uow, client, settings, grant, upload_id, binding, prepared, now)
        earlier = [_kept(upload_id, binding, prepared, now) for upload_id, binding, prepared in made]
    return {"case_id": grant.case_id, "screenshots": [vars(kept) for kept in earlier]}


def _keep(uow, client, settings: Settings, grant: grants.Grant, upload_id: uuid.UUID, binding: Binding,
          prepared: Prepared, now: datetime) -> None:
    result = prepared.inspection
    keep_until = records.keep_until_of_case(uow.connection, binding.case_id)
    rows = store_copies(uow, client, settings, binding.evidence_id, prepared, now, binding.aad_version, keep_until)
    records.add_item(uow, {
        "evidence_id": binding.evidence_id, "upload_id": upload_id, "kind": "screenshot", "complaint_id": None,
        "case_id": binding.case_id, "sha256": result.sha256, "size": result.size,
        "content_type": result.content_type, "width": result.width, "height": result.height,
        "perceptual_hash": prepared.perceptual_hash, "received_at": now, "stored_at": now}, rows)
    records.log_upload(uow, evidence_id=binding.evidence_id, grant=grant, kept_at=now)
    log_event(log, "evidence.stored", evidence_id=binding.evidence_id, sha256=result.sha256,
              case_id=binding.case_id, member=grant.member_id)


def _kept(upload_id: uuid.UUID, binding: Binding, prepared: Prepared, now: datetime) -> KeptScreenshot:
    result = prepared.inspection
    return KeptScreenshot(str(binding.evidence_id), str(upload_id), result.sha256, result.size,
                          str(result.content_type), result.width, result.height, prepared.perceptual_hash,
                          now.isoformat(), now.isoformat())
