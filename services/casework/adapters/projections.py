"""Read models derived from the event log, each with a checkpoint, rebuildable from zero.

Each projection works from the case as replayed up to the event in hand, so no projection
holds a second copy of the state machine's rules. It keeps the cases it replayed last
(`ReplayedCases`, bounded) and moves one on by the next event, so a projected event costs one
event's replay, not its whole case's; a case it does not hold at the version before is replayed
from the log, as every case was before. A projection writes to the tables it was
given: the live ones, or the ones beside them that a rebuild fills (see projection_rebuild.py).
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from netra_common.contracts.perceptual import near_duplicate
from netra_common.contracts.reference import VIOLATION_TYPES
from services.casework.adapters import event_store
from services.casework.adapters.case_repository import decode, read_history, recorded_time, replay
from services.casework.adapters.projection_tables import beside
from services.casework.adapters.tables import (
    case_link_keys,
    case_links,
    case_list,
    case_screenshots,
    case_stages,
    checkpoints,
)
from services.casework.domain import events as ev
from services.casework.domain.calendar import WorkingCalendar
from services.casework.domain.case import Case
from services.casework.domain.post_urls import normalise_url

log = logging.getLogger(__name__)


def _case_at(conn, event: event_store.StoredEvent) -> Case:
    """The case right after `event` (later events of its stream left out), replayed from the log."""
    history = [e for e in event_store.load_stream(conn, event.stream_id) if e.version <= event.version]
    return replay(event.stream_id, read_history(history))


class ReplayedCases:
    """The cases a projection replayed last, at most `size` of them (the least recently used go):
    the case after an event is the case before it moved on by it. Only a case held at exactly the
    version before the event is moved on; any other (a batch rolled back and applied again, a
    projection started anew) is replayed from the log."""

    def __init__(self, size: int = 2000):
        self.size = size
        self._cases: OrderedDict[uuid.UUID, Case] = OrderedDict()

    def after(self, conn, event: event_store.StoredEvent) -> Case:
        case = self._cases.pop(event.stream_id, None)
        if case is not None and case.version == event.version - 1:
            case.replay_next(decode(event), recorded_time(event))
        else:
            case = _case_at(conn, event)
        self._cases[event.stream_id] = case
        if len(self._cases) > self.size:
            self._cases.popitem(last=False)
        return case


def _search_text(case: Case) -> str:
    f = case.facts
    reported = f.reported or {}
    words = [f.case_number, reported.get("name"), reported.get("nip"), reported.get("position"),
             reported.get("work_unit"), reported.get("kecamatan"), f.account_handle, f.description,
             f.platform, *f.post_urls,
             *(VIOLATION_TYPES.get(v, {}).get("id", v) for v in f.violation_types),
             case.finding.finding if case.finding else None]
    return " ".join(w for w in words if w)


class CaseListProjection:
    """The work queue: one row per case with what the team filters, sorts and searches by."""

    base_name = "case_list"

    def __init__(self, calendar: WorkingCalendar, suffix: str = ""):
        self.calendar = calendar
        self.name = self.base_name + suffix
        self.case_list = beside(case_list, suffix)
        self.tables = (self.case_list,)
        self.cases = ReplayedCases()

    def apply(self, conn, event: event_store.StoredEvent) -> None:
        case = self.cases.after(conn, event)
        f = case.facts
        reported = f.reported or {}
        row = {
            "case_id": event.stream_id, "case_number": f.case_number,
            "complaint_id": uuid.UUID(f.complaint_id) if f.complaint_id else None,
            "status": case.status, "source": f.source, "platform": f.platform,
            "violation_types": f.violation_types, "reported_name": reported["name"],
            "reported_nip": reported.get("nip"), "work_unit": reported.get("work_unit"),
            "kecamatan": reported.get("kecamatan"),
            "assignee_id": uuid.UUID(case.assignee_id) if case.assignee_id else None,
            "assignee_name": case.assignee_name, "evidence_count": len(case.evidence),
            "opened_at": case.opened_at, "updated_at": event.recorded_at, "version": case.version,
            "post_urls": f.post_urls, "stage_entered_at": case.stage_entered_at,
            "due_at": case.due_at(self.calendar), "overdue": case.marked_overdue,
            "ever_forwarded": case.ever_forwarded,
            "search": func.to_tsvector("indonesian", _search_text(case)),
        }
        stmt = pg_insert(self.case_list).values(**row)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=[self.case_list.c.case_id],
            set_={k: stmt.excluded[k] for k in row if k != "case_id"}))

    def reset(self, conn) -> None:
        conn.execute(delete(self.case_list))


class CaseStagesProjection:
    """When each case entered and left each stage."""

    base_name = "case_stages"

    def __init__(self, suffix: str = ""):
        self.name = self.base_name + suffix
        self.case_stages = beside(case_stages, suffix)
        self.tables = (self.case_stages,)

    def apply(self, conn, event: event_store.StoredEvent) -> None:
        stages = self.case_stages
        status = event.metadata.get("status")
        previous = conn.execute(select(stages).where(stages.c.case_id == event.stream_id,
                                                     stages.c.left_at.is_(None))).first()
        if previous is not None and previous.stage == status:
            return
        if previous is not None:
            conn.execute(update(stages).where(and_(
                stages.c.case_id == event.stream_id,
                stages.c.entered_version == previous.entered_version)).values(left_at=event.recorded_at))
        if status:
            conn.execute(pg_insert(stages).values(case_id=event.stream_id, entered_version=event.version,
                                                  stage=status, entered_at=event.recorded_at)
                         .on_conflict_do_nothing())

    def reset(self, conn) -> None:
        conn.execute(delete(self.case_stages))


class CaseLinksProjection:
    """Links between cases that name the same ASN, the same post, or near-identical screenshots,
    and from a case dismissed as a duplicate to its original.

    It looks only at what it has itself seen of earlier events (never at another projection,
    which may be ahead or behind), so live and rebuilt links are the same.
    """

    base_name = "case_links"

    def __init__(self, suffix: str = ""):
        self.name = self.base_name + suffix
        self.links = beside(case_links, suffix)
        self.keys = beside(case_link_keys, suffix)
        self.screenshots = beside(case_screenshots, suffix)
        self.tables = (self.links, self.keys, self.screenshots)

    def _link(self, conn, a: uuid.UUID, b: uuid.UUID, reason: str, detail: str) -> None:
        if a == b:
            return
        for one, other in ((a, b), (b, a)):
            conn.execute(pg_insert(self.links).values(case_id=one, linked_case_id=other, reason=reason,
                                                      detail=detail).on_conflict_do_nothing())

    def _keyed(self, conn, kind: str, key: str) -> list[uuid.UUID]:
        return conn.execute(select(self.keys.c.case_id).where(
            self.keys.c.kind == kind, self.keys.c.key == key)).scalars().all()

    def _keep_key(self, conn, case_id: uuid.UUID, kind: str, key: str) -> None:
        conn.execute(pg_insert(self.keys).values(kind=kind, key=key, case_id=case_id)
                     .on_conflict_do_nothing())

    def _link_by_key(self, conn, case_id: uuid.UUID, kind: str, key: str, reason: str) -> None:
        for other in self._keyed(conn, kind, key):
            self._link(conn, case_id, other, reason, key)
        self._keep_key(conn, case_id, kind, key)

    def apply(self, conn, stored: event_store.StoredEvent) -> None:
        case_id, event = stored.stream_id, decode(stored)
        if isinstance(event, ev.CaseDismissed) and event.duplicate_of:
            for original in self._keyed(conn, "case_number", event.duplicate_of):
                self._link(conn, case_id, original, "duplicate", event.duplicate_of)
        elif isinstance(event, ev.CaseOpened):
            self._keep_key(conn, case_id, "case_number", event.case_number)
            nip = (event.reported or {}).get("nip")
            if nip:
                self._link_by_key(conn, case_id, "nip", nip, "same_asn")
            for url in dict.fromkeys(normalise_url(u) for u in event.post_urls or []):
                self._link_by_key(conn, case_id, "post", url, "same_post")
        elif isinstance(event, ev.EvidenceAttached) and event.perceptual_hash:
            self._link_screenshot(conn, case_id, event.evidence_id, event.perceptual_hash)

    def _link_screenshot(self, conn, case_id: uuid.UUID, evidence_id: str, phash: str) -> None:
        # In a fixed order: the first pair found is the link's detail, in a rebuild too.
        for other in conn.execute(select(self.screenshots).order_by(self.screenshots.c.evidence_id)):
            if near_duplicate(phash, other.perceptual_hash):
                self._link(conn, case_id, other.case_id, "similar_screenshot", f"{evidence_id}~{other.evidence_id}")
        conn.execute(pg_insert(self.screenshots).values(
            evidence_id=uuid.UUID(evidence_id), case_id=case_id, perceptual_hash=phash).on_conflict_do_nothing())

    def reset(self, conn) -> None:
        for table in self.tables:
            conn.execute(delete(table))


def projections(calendar: WorkingCalendar, suffix: str = "") -> tuple:
    """The projections, writing to the live tables, or (with a suffix) to the ones beside them."""
    return (CaseListProjection(calendar, suffix), CaseStagesProjection(suffix), CaseLinksProjection(suffix))


def checkpoint(conn, projection: str) -> int:
    value = conn.execute(select(checkpoints.c.position)
                         .where(checkpoints.c.projection == projection)).scalar()
    return value or 0


def save_checkpoint(conn, projection: str, position: int) -> None:
    stmt = pg_insert(checkpoints).values(projection=projection, position=position)
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[checkpoints.c.projection],
        set_={"position": stmt.excluded.position, "updated_at": stmt.excluded.updated_at}))


def catch_up(engine, projection, batch_size: int = 500) -> int:
    """Apply one batch of new events to a projection; returns how many were applied."""
    with engine.begin() as conn:
        # One runner per projection at a time, across processes.
        row = conn.execute(select(checkpoints.c.position)
                           .where(checkpoints.c.projection == projection.name)
                           .with_for_update()).first()
        position = row.position if row else 0
        if row is None:
            save_checkpoint(conn, projection.name, 0)
        batch = event_store.read_all(conn, position, batch_size)
        for event in batch:
            projection.apply(conn, event)
        if batch:
            save_checkpoint(conn, projection.name, batch[-1].global_position)
    return len(batch)
