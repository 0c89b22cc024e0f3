"""BKPPD hands in its decree (SK) as a PDF: evidence keeps the file under custody (inspected, hashed,
encrypted, retained), and the case records its digest in its log (`decree_attached`), so the
decree is chained and checkpointed with everything else the case says.

The case is asked first whether it takes a decree now, so a file it would refuse is never stored;
evidence keeps the file before the case records it. If that recording then fails (the database
away), evidence holds a decree no case names: `netra-evidence verify` lists it with the others,
and uploading again stores the file anew under a new id.
"""

from __future__ import annotations

import logging
import uuid

from netra_common.logging import log_event
from services.casework.domain import events as ev
from services.casework.domain import rules
from services.casework.domain.accounts import TeamMember
from services.casework.domain.case import Case
from services.casework.usecases.cases import CaseNotFound, retry_on_stale, save
from services.casework.usecases.ports import CaseworkUnits

log = logging.getLogger(__name__)


def _attached(kept: dict) -> ev.DecreeAttached:
    return ev.DecreeAttached(decree_id=kept["decree_id"], sha256=kept["sha256"], size=int(kept["size"]),
                             pages=int(kept["pages"]), received_at=kept["received_at"])


def attach_decree(units: CaseworkUnits, member: TeamMember, case_id: uuid.UUID, kept: dict) -> Case:
    """Record on the case the decree evidence kept (`kept`, as evidence answered)."""

    def attempt() -> Case:
        with units.unit_of_work() as unit:
            case = unit.cases.get(case_id)
            if case is None:
                raise CaseNotFound(case_id)
            case.attach_decree(member.as_actor(), _attached(kept), at=unit.cases.now)
            save(unit, case)
        return case

    case = retry_on_stale(attempt)
    log_event(log, "case.decree_attached", case_id=case_id, actor=member.user_id, decree_id=kept["decree_id"],
              sha256=kept["sha256"])
    return case


# --- opening a kept decree again ----------------------------------------------------------

VIEW_PURPOSE = "Membuka kembali SK keputusan BKPPD"


def decree_to_open(member: TeamMember, case: Case, decree_id: str) -> ev.DecreeAttached | None:
    """The decree of this case a member may open (None: the case has no such decree). BKPPD and the
    leads may open any; an anggota only on the case assigned to them, as with the case's commands."""
    decree = next((d for d in case.decrees if d.decree_id == str(decree_id)), None)
    if decree is not None and member.role == "anggota" and case.assignee_id != str(member.user_id):
        raise rules.NotAllowed({"id": "Hanya anggota yang ditugasi kasus ini (atau ketua/sekretaris/BKPPD) yang "
                                      "dapat membuka SK-nya.",
                                "en": "Only the member assigned to this case (or the ketua/sekretaris/BKPPD) may "
                                      "open its decree."})
    return decree


def record_decree_view(units: CaseworkUnits, member: TeamMember, case_id: uuid.UUID, decree: ev.DecreeAttached,
                       grant_id: str) -> None:
    """Put on the case's log that this member opened the decree (evidence logged it in custody)."""

    def attempt() -> None:
        with units.unit_of_work() as unit:
            case = unit.cases.get(case_id)
            if case is None:
                raise CaseNotFound(case_id)
            case.record_decree_view(ev.DecreeViewed(decree_id=decree.decree_id, sha256=decree.sha256,
                                                    purpose=VIEW_PURPOSE, grant_id=grant_id,
                                                    actor=member.as_actor()), at=unit.cases.now)
            save(unit, case)

    retry_on_stale(attempt)
    log_event(log, "case.decree_viewed", case_id=case_id, actor=member.user_id, decree_id=decree.decree_id)
