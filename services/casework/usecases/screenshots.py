"""A team member hands in screenshots for a case (docs/decisions/0025): evidence keeps them under the
custody a reporter's have, and the case records each as `evidence_attached`, the same fact as a
reporter's screenshot, with the member as its actor.

The case is asked first whether it takes them now, so files it would refuse are never stored;
evidence keeps them before the case records them. If that recording then fails (the database away),
evidence holds screenshots of the case the case does not name yet: handing them in again stores them
anew, and `netra-evidence verify` counts every item either way.
"""

from __future__ import annotations

import logging
import uuid

from netra_common.logging import log_event
from services.casework.domain import events as ev
from services.casework.domain.accounts import TeamMember
from services.casework.domain.case import Case
from services.casework.usecases.cases import CaseNotFound, retry_on_stale, save
from services.casework.usecases.ports import CaseworkUnits

log = logging.getLogger(__name__)

UPLOAD_PURPOSE = "Unggah tangkapan layar oleh tim"


def _attached(kept: dict) -> ev.EvidenceAttached:
    return ev.EvidenceAttached(
        evidence_id=kept["evidence_id"], upload_id=kept["upload_id"], sha256=kept["sha256"], size=int(kept["size"]),
        content_type=kept["content_type"], received_at=kept["received_at"],
        perceptual_hash=kept.get("perceptual_hash"), width=kept.get("width"), height=kept.get("height"))


def attach_screenshots(units: CaseworkUnits, member: TeamMember, case_id: uuid.UUID, kept: list[dict]) -> Case:
    """Record on the case the screenshots evidence kept (`kept`, as evidence answered)."""

    def attempt() -> Case:
        with units.unit_of_work() as unit:
            case = unit.cases.get(case_id)
            if case is None:
                raise CaseNotFound(case_id)
            added = [case.attach_team_screenshot(member.as_actor(), _attached(k), at=unit.cases.now) for k in kept]
            if any(added):
                save(unit, case)
        return case

    case = retry_on_stale(attempt)
    log_event(log, "case.screenshots_added", case_id=case_id, actor=member.user_id,
              evidence_ids=",".join(k["evidence_id"] for k in kept))
    return case
