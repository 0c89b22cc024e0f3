"""A rebuild's replay held in memory (docs/decisions/0035-rebuild-in-memory-and-linear-links.md).

A projection kept live reads and writes its tables per batch, because the live tables are where
its state is. A rebuild starts from empty tables that nobody reads until the swap, so its state
can live in memory instead: every case (the unit a projection's rows depend on) is held, each
event moves its case on once, in global order, and each table's rows are written once, at the
end, with COPY (nothing is written while the log is read: the reading cursor holds the
connection, and a COPY would interrupt it). The rows are the ones the live path gives for the same log; the
projections' live `apply` stays the one definition of what a row is, and the rebuild's
catch-up and swap run it on these tables as before (projection_rebuild.py).

Memory grows with the cases, not the events: one replayed `Case` per case for the queue, a case's
few stages for the stages, the keys, links and screenshot hashes for the links (the decision
record gives the measured figures).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import column, select, table, text

from services.casework.adapters.bulk_copy import copy_lines, copy_rows, escaped
from services.casework.adapters.case_repository import decode_owned
from services.casework.adapters.log_replay_read import ReplayedEvent
from services.casework.adapters.near_hashes import near_pairs
from services.casework.adapters.projections import follow_link_rules, moved_on
from services.casework.domain import events as ev
from services.casework.domain.case import Case


def _quoted(conn, table) -> str:
    return conn.dialect.identifier_preparer.format_table(table)


class CaseListReplay:
    """Every case replayed in memory; one row per case written at the end."""

    data_of: frozenset[str] | None = None  # every event moves its case on

    def __init__(self, projection, conn):
        self.projection, self.conn = projection, conn
        # By the id's int: a UUID hashes in Python, an int in C (two look-ups an event).
        self.cases: dict[int, tuple[Case, datetime, uuid.UUID]] = {}

    def apply(self, stored: ReplayedEvent) -> None:
        key = stored.stream_id.int
        held = self.cases.get(key)
        case = moved_on(self.conn, held[0] if held else None, stored, decode_owned(stored))
        self.cases[key] = (case, stored.recorded_at, stored.stream_id)

    def finish(self) -> None:
        """The rows COPYed into a scratch table with the search's words, then moved into the table.
        The scratch table makes the words a tsvector as each row comes in (a generated column, the
        same `to_tsvector('indonesian', …)` as the live path's upsert), so PostgreSQL does that
        while this process makes the rows that follow (bulk_copy streams them), not after them all."""
        conn, target, row = self.conn, self.projection.case_list, self.projection.row
        columns = [c.name for c in target.columns if c.name != "search"]
        written = [*columns, "search_words"]
        conn.execute(text(f"CREATE TEMP TABLE case_list_words (LIKE {_quoted(conn, target)}) ON COMMIT DROP"))
        conn.execute(text("ALTER TABLE case_list_words DROP COLUMN search, ADD COLUMN search_words text, "
                          "ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('indonesian', search_words)) "
                          "STORED"))
        staging = table("case_list_words", *(column(c) for c in [*written, "search"]))
        copy_rows(conn, staging, written,
                  ([values[c] for c in written]
                   for values in (row(case, case_id, at) for case, at, case_id in self.cases.values())))
        conn.execute(target.insert().from_select([*columns, "search"],
                                                 select(*(staging.c[c] for c in [*columns, "search"]))))
        conn.execute(text("DROP TABLE case_list_words"))


class CaseStagesReplay:
    """Each case's stages in memory, written at the end (the same rules as
    CaseStagesProjection.apply_batch). Not while the log is read: the connection is then busy with
    the reading cursor, which a COPY would interrupt. A case passes through a handful of stages."""

    COLUMNS = ("case_id", "entered_version", "stage", "entered_at", "left_at")
    data_of: frozenset[str] | None = frozenset()  # the status is in the metadata

    def __init__(self, projection, conn):
        self.projection, self.conn = projection, conn
        self.open: dict[uuid.UUID, list] = {}  # a row in COLUMNS' order
        self.left: list[list] = []

    def apply(self, stored: ReplayedEvent) -> None:
        status, previous = stored.metadata.get("status"), self.open.get(stored.stream_id)
        if previous is not None:
            if previous[2] == status:
                return
            previous[4] = stored.recorded_at
            self.left.append(self.open.pop(stored.stream_id))
        if status:
            self.open[stored.stream_id] = [stored.stream_id, stored.version, status, stored.recorded_at, None]

    def finish(self) -> None:
        copy_rows(self.conn, self.projection.case_stages, self.COLUMNS, self.left)
        copy_rows(self.conn, self.projection.case_stages, self.COLUMNS, self.open.values())


_LINKED = frozenset({ev.CaseDismissed.type, ev.CaseOpened.type, ev.EvidenceAttached.type, ev.CasePurged.type})


def _uuid_text(value: int) -> str:
    return f"{value:032x}"  # PostgreSQL reads a uuid's 32 hex digits without hyphens too


class CaseLinksReplay:
    """The keys, duplicates' links and screenshots in memory, kept and forgotten by the live
    projection's rules (`follow_link_rules`; a link made twice keeps its first detail, as ON
    CONFLICT DO NOTHING does); the near pairs of the hashes kept at the end are made once, when
    written (near_hashes.py). Cases and evidence are held by their UUID's int: hashing and
    comparing an int costs no Python call. No pair of cases is kept but a duplicate's (cases
    sharing a key or a near-identical screenshot are found when read)."""

    data_of: frozenset[str] | None = _LINKED

    def __init__(self, projection, conn):
        self.projection, self.conn = projection, conn
        self.links: dict[tuple[int, int], str] = {}  # a duplicate's, both ways
        self.keyed: dict[tuple[str, str], dict[int, None]] = {}
        self.keys_of: dict[int, list[tuple[str, str]]] = {}
        self.shots: dict[int, tuple[int, str, int]] = {}  # evidence: case, pHash, position
        self.shots_of: dict[int, list[int]] = {}

    def apply(self, stored: ReplayedEvent) -> None:
        if stored.event_type in _LINKED:  # the others tell the links nothing: not even decoded
            follow_link_rules(self, stored.stream_id.int, decode_owned(stored), stored.global_position)

    def link_duplicate(self, case_id: int, case_number: str) -> None:
        for original in list(self.keyed.get(("case_number", case_number), ())):
            if original != case_id:
                self.links.setdefault((case_id, original), case_number)
                self.links.setdefault((original, case_id), case_number)

    def keep_key(self, case_id: int, kind: str, key: str) -> None:
        cases = self.keyed.setdefault((kind, key), {})
        if case_id not in cases:
            cases[case_id] = None
            self.keys_of.setdefault(case_id, []).append((kind, key))

    def keep_screenshot(self, case_id: int, evidence_id: str, phash: str, position: int) -> None:
        evidence = uuid.UUID(evidence_id).int
        if evidence not in self.shots:
            self.shots[evidence] = (case_id, phash, position)
            self.shots_of.setdefault(case_id, []).append(evidence)

    def forget(self, case_id: int) -> None:
        kept = []
        for kind, key in self.keys_of.get(case_id, []):
            if kind == "case_number":
                kept.append((kind, key))
            else:
                self.keyed.get((kind, key), {}).pop(case_id, None)
        self.keys_of[case_id] = kept
        for evidence in self.shots_of.pop(case_id, []):
            self.shots.pop(evidence, None)

    def finish(self) -> None:
        p, conn = self.projection, self.conn
        copy_lines(conn, p.links, ("case_id", "linked_case_id", "reason", "detail"),
                   (f"{a:032x}\t{b:032x}\tduplicate\t{escaped(detail)}\n" for (a, b), detail in self.links.items()))
        copy_rows(conn, p.keys, ("kind", "key", "case_id"),
                  ((kind, key, _uuid_text(case_id)) for (kind, key), cases in self.keyed.items() for case_id in cases))
        copy_rows(conn, p.screenshots,
                  ("evidence_id", "case_id", "perceptual_hash", "perceptual_bits", "global_position"),
                  ((_uuid_text(evidence), _uuid_text(case_id), phash, format(int(phash, 16), "064b"), position)
                   for evidence, (case_id, phash, position) in self.shots.items()))
        copy_rows(conn, p.near, ("perceptual_hash", "near_hash"),
                  near_pairs(phash for _, phash, _ in self.shots.values()))


def in_memory(projection, conn):
    """The in-memory replay of `projection` writing through `conn`, or None if it has none."""
    kinds = {"case_list": CaseListReplay, "case_stages": CaseStagesReplay, "case_links": CaseLinksReplay}
    kind = kinds.get(projection.base_name)
    return kind(projection, conn) if kind else None

