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
from functools import cached_property
from typing import Protocol

from sqlalchemy import and_, bindparam, cast, delete, func, literal_column, select, update
from sqlalchemy.dialects.postgresql import BIT
from sqlalchemy.dialects.postgresql import insert as pg_insert

from netra_common.contracts.perceptual import NEAR_DUPLICATE_DISTANCE, near_duplicate
from netra_common.contracts.reference import VIOLATION_TYPES
from services.casework.adapters import event_store
from services.casework.adapters.case_repository import decode, read_history, recorded_time, replay
from services.casework.adapters.projection_tables import beside
from services.casework.adapters.tables import (
    case_link_keys,
    case_links,
    case_list,
    case_screenshot_near,
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
        case = moved_on(conn, self._cases.pop(event.stream_id, None), event, decode(event))
        self._cases[event.stream_id] = case
        if len(self._cases) > self.size:
            self._cases.popitem(last=False)
        return case


def moved_on(conn, held: Case | None, stored, event: ev.CaseEvent) -> Case:
    """The case after `stored` (decoded: `event`): `held` moved on by it if held at exactly the
    version before, a new case at its first event, otherwise replayed from the log. The live
    projections' rule (`ReplayedCases`) and a rebuild's (projection_memory.CaseListReplay)."""
    case = held if held is not None else (Case(str(stored.stream_id)) if stored.version == 1 else None)
    if case is not None and case.version == stored.version - 1:
        case.replay_next(event, recorded_time(stored))
        return case
    return _case_at(conn, stored)


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
        self.apply_batch(conn, [event])

    def apply_batch(self, conn, batch: list[event_store.StoredEvent]) -> None:
        """One row per case after the batch's last event of it, written in one statement: a row
        depends only on the case after its last event, so the rows in between are never written."""
        last: dict[uuid.UUID, tuple[Case, event_store.StoredEvent]] = {}
        for event in batch:
            last[event.stream_id] = (self.cases.after(conn, event), event)
        if not last:
            return
        # Each case as it stands after its last event of the batch (the kept case moved on), in
        # one statement made once and run for many rows (SQLAlchemy sends them as multi-row
        # VALUES): a statement with the rows written into it would be compiled anew every batch.
        conn.execute(self._upsert, [self.row(case, event.stream_id, event.recorded_at)
                                    for case, event in last.values()])

    @cached_property
    def _upsert(self):
        stmt = pg_insert(self.case_list).values(search=func.to_tsvector("indonesian", bindparam("search_words")))
        return stmt.on_conflict_do_update(
            index_elements=[self.case_list.c.case_id],
            set_={c.name: stmt.excluded[c.name] for c in self.case_list.columns if c.name != "case_id"})

    def row(self, case: Case, case_id: uuid.UUID, updated_at) -> dict:
        """The row of `case` as it stands after its event recorded at `updated_at`."""
        f = case.facts
        reported = f.reported or {}
        return {
            "case_id": case_id, "case_number": f.case_number,
            "complaint_id": uuid.UUID(f.complaint_id) if f.complaint_id else None,
            "status": case.status, "source": f.source, "platform": f.platform,
            "violation_types": f.violation_types, "reported_name": reported["name"],
            "reported_nip": reported.get("nip"), "work_unit": reported.get("work_unit"),
            "kecamatan": reported.get("kecamatan"),
            "assignee_id": uuid.UUID(case.assignee_id) if case.assignee_id else None,
            "assignee_name": case.assignee_name, "evidence_count": len(case.evidence),
            "opened_at": case.opened_at, "updated_at": updated_at, "version": case.version,
            "post_urls": f.post_urls, "stage_entered_at": case.stage_entered_at,
            "due_at": case.due_at(self.calendar), "overdue": case.marked_overdue,
            "ever_forwarded": case.ever_forwarded,
            "search_words": _search_text(case),
        }

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
        self.apply_batch(conn, [event])

    def apply_batch(self, conn, batch: list[event_store.StoredEvent]) -> None:
        """The batch's stage changes worked out in memory from each case's open stage (read once,
        for all its cases), then written: the new stages in one statement, the stages that were
        open before the batch and left in it in one more."""
        stages = self.case_stages
        ids = list(dict.fromkeys(e.stream_id for e in batch))
        if not ids:
            return
        open_stage: dict[uuid.UUID, tuple[int, str] | None] = dict.fromkeys(ids)
        for row in conn.execute(select(stages.c.case_id, stages.c.entered_version, stages.c.stage)
                                .where(stages.c.case_id.in_(ids), stages.c.left_at.is_(None))):
            open_stage[row.case_id] = (row.entered_version, row.stage)
        entered: dict[tuple[uuid.UUID, int], dict] = {}
        left: list[dict] = []
        for event in batch:
            status, previous = event.metadata.get("status"), open_stage[event.stream_id]
            if previous is not None and previous[1] == status:
                continue
            if previous is not None:
                key = (event.stream_id, previous[0])
                if key in entered:
                    entered[key]["left_at"] = event.recorded_at
                else:
                    left.append({"c": event.stream_id, "v": previous[0], "at": event.recorded_at})
            open_stage[event.stream_id] = None
            if status:
                entered[(event.stream_id, event.version)] = {
                    "case_id": event.stream_id, "entered_version": event.version, "stage": status,
                    "entered_at": event.recorded_at, "left_at": None}
                open_stage[event.stream_id] = (event.version, status)
        if left:
            conn.execute(update(stages).where(and_(stages.c.case_id == bindparam("c"),
                                                   stages.c.entered_version == bindparam("v")))
                         .values(left_at=bindparam("at")), left)
        if entered:  # one statement made once, run for many rows (see CaseListProjection)
            conn.execute(pg_insert(stages).on_conflict_do_nothing(), list(entered.values()))

    def reset(self, conn) -> None:
        conn.execute(delete(self.case_stages))


def _bits(hex_hash):
    """A pHash's 64 bits in SQL, left-padded as int(hash, 16) reads it."""
    return cast(func.concat("x", func.lpad(hex_hash, 16, "0")), BIT(64))


def _bits_constant(hex_hash: str):
    """The same bits as a literal (its 64 characters are only 0 and 1, read from the hex by int()):
    a constant PostgreSQL folds once, not an expression it works out again for every row."""
    bits = format(int(hex_hash, 16), "064b")
    return literal_column(f"B'{bits}'", BIT(64))


class LinkFacts(Protocol):
    """Where the links' rules put what an event says (`follow_link_rules`): the live tables
    (CaseLinksProjection) or a rebuild's memory (projection_memory.CaseLinksReplay)."""

    def link_duplicate(self, case_id, case_number: str) -> None:
        """Link the case, both ways, to the cases known by `case_number`; a link kept first stays."""

    def keep_key(self, case_id, kind: str, key: str) -> None:
        """The case is known by (kind, key); kept once."""

    def keep_screenshot(self, case_id, evidence_id: str, phash: str, position: int) -> None:
        """A screenshot of the case with its pHash, attached at the log's `position`; kept once."""

    def forget(self, case_id) -> None:
        """A purged case keeps only its number and a duplicate's links."""


def follow_link_rules(facts: LinkFacts, case_id, event: ev.CaseEvent, position: int) -> None:
    """What one event tells the links: the one definition the live projection and a rebuild's
    replay both follow. Cases sharing an ASN, a post or a near-identical screenshot are found when
    read (read/queue.py `links_of`) from what each case is known by, never stored as pairs: k cases
    sharing one are k rows, never k² (decision 0035)."""
    if isinstance(event, ev.CaseDismissed) and event.duplicate_of:
        facts.link_duplicate(case_id, event.duplicate_of)
    elif isinstance(event, ev.CaseOpened):
        facts.keep_key(case_id, "case_number", event.case_number)
        nip = (event.reported or {}).get("nip")
        if nip:
            facts.keep_key(case_id, "nip", nip)
        for url in dict.fromkeys(normalise_url(u) for u in event.post_urls or []):
            facts.keep_key(case_id, "post", url)
    elif isinstance(event, ev.EvidenceAttached) and event.perceptual_hash:
        facts.keep_screenshot(case_id, event.evidence_id, event.perceptual_hash, position)
    elif isinstance(event, ev.CasePurged):
        facts.forget(case_id)


class _LinkTables:
    """The links' facts kept in their tables, through one connection (the live path)."""

    def __init__(self, projection: CaseLinksProjection, conn):
        self.p, self.conn = projection, conn

    def link_duplicate(self, case_id: uuid.UUID, case_number: str) -> None:
        keys = self.p.keys
        for original in self.conn.execute(select(keys.c.case_id).where(
                keys.c.kind == "case_number", keys.c.key == case_number)).scalars().all():
            if original == case_id:
                continue
            for one, other in ((case_id, original), (original, case_id)):
                self.conn.execute(pg_insert(self.p.links).values(
                    case_id=one, linked_case_id=other, reason="duplicate", detail=case_number).on_conflict_do_nothing())

    def keep_key(self, case_id: uuid.UUID, kind: str, key: str) -> None:
        self.conn.execute(pg_insert(self.p.keys).values(kind=kind, key=key, case_id=case_id).on_conflict_do_nothing())

    def keep_screenshot(self, case_id: uuid.UUID, evidence_id: str, phash: str, position: int) -> None:
        shots, near = self.p.screenshots, self.p.near
        known = self.conn.execute(select(shots.c.evidence_id).where(shots.c.perceptual_hash == phash).limit(1)).first()
        inserted = self.conn.execute(pg_insert(shots).values(
            evidence_id=uuid.UUID(evidence_id), case_id=case_id, perceptual_hash=phash,
            perceptual_bits=_bits(phash), global_position=position).on_conflict_do_nothing()).rowcount
        if known or not inserted:  # its hash's near ones are kept already, or it was kept before
            return
        # The distance is counted by PostgreSQL over the kept hashes (one scan in C, not a round
        # of Python per screenshot); the pairs it finds are checked again by near_duplicate, the
        # rule's one definition.
        distance = func.bit_count(shots.c.perceptual_bits.op("#")(_bits_constant(phash)))
        found = self.conn.execute(select(shots.c.perceptual_hash).distinct().where(
            distance <= NEAR_DUPLICATE_DISTANCE, shots.c.perceptual_hash != phash)).scalars().all()
        pairs = [pair for other in found if near_duplicate(phash, other) for pair in ((phash, other), (other, phash))]
        if pairs:
            self.conn.execute(pg_insert(near).on_conflict_do_nothing(),
                              [{"perceptual_hash": a, "near_hash": b} for a, b in pairs])

    def forget(self, case_id: uuid.UUID) -> None:
        """The rest was personal data (the ASN's NIP, the posts, the screenshots), which its
        emptied events no longer give; the links made of them go with them."""
        keys = self.p.keys
        self.conn.execute(delete(keys).where(keys.c.case_id == case_id, keys.c.kind != "case_number"))
        forget_screenshots(self.conn, self.p.screenshots, self.p.near, case_id)


def forget_screenshots(conn, shots, near, case_id: uuid.UUID) -> None:
    """A case's screenshots go, and the near pairs of each hash no other screenshot has (the live
    projection and a purge, which does it before the projection meets the purge record)."""
    hashes = set(conn.execute(delete(shots).where(shots.c.case_id == case_id).returning(shots.c.perceptual_hash))
                 .scalars())
    still = set(conn.execute(select(shots.c.perceptual_hash).distinct().where(shots.c.perceptual_hash.in_(hashes)))
                .scalars()) if hashes else set()
    if gone := sorted(hashes - still):
        conn.execute(delete(near).where(near.c.perceptual_hash.in_(gone) | near.c.near_hash.in_(gone)))


class CaseLinksProjection:
    """What each case is known by (its number, the ASN's NIP, its posts, its screenshots' pHashes
    and which of those are near one another), and a link from a case dismissed as a duplicate to
    its original (`follow_link_rules`).

    It looks only at what it has itself seen of earlier events (never at another projection,
    which may be ahead or behind), so live and rebuilt links are the same.
    """

    base_name = "case_links"

    def __init__(self, suffix: str = ""):
        self.name = self.base_name + suffix
        self.links = beside(case_links, suffix)
        self.keys = beside(case_link_keys, suffix)
        self.screenshots = beside(case_screenshots, suffix)
        self.near = beside(case_screenshot_near, suffix)
        self.tables = (self.links, self.keys, self.screenshots, self.near)

    def apply(self, conn, stored: event_store.StoredEvent) -> None:
        follow_link_rules(_LinkTables(self, conn), stored.stream_id, decode(stored), stored.global_position)

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


def apply_all(conn, projection, batch: list[event_store.StoredEvent]) -> None:
    """A batch of events in order, in one go where the projection can (`apply_batch`)."""
    if hasattr(projection, "apply_batch"):
        projection.apply_batch(conn, batch)
        return
    for event in batch:
        projection.apply(conn, event)


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
        apply_all(conn, projection, batch)
        if batch:
            save_checkpoint(conn, projection.name, batch[-1].global_position)
    return len(batch)
