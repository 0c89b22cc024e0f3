"""Who listed or searched the cases, and which cases they were shown (docs/breach-response.md,
docs/decisions/0038).

A page of the queue shows the reported ASN's name, NIP and work unit of up to 200 cases at once: for a
breach assessment `access-report` must say which. One row a request, written after the page was read,
in one round trip of its own (no BEGIN or COMMIT sent, no wait for the disk: `_RECORD`): who, through
which door, the filters asked, the search words as typed, the page's case ids in their order, how many
matched. Never the page's content: the case ids lead to it.

The search words are kept as typed (a search for an ASN's name is what an investigator must see), so
they are personal data: a purge removes them from every read whose words could name the purged case
(`forget_words_naming`), and every read is forgotten after `NETRA_CASE_VIEWS_KEEP_DAYS`, like the
case-file reads (adapters/case_views.py).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

from sqlalchemy import any_, bindparam, delete, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from services.casework.adapters.tables import case_list, list_reads

DOORS = ("api", "console", "cli", "rpc")
DOOR_HEADER = "X-Netra-Door"
CASE_IDS = ARRAY(UUID(as_uuid=True))
# What the queue was asked besides the search words: codes, member ids and a part of a work unit's
# name, none of them about a reporter or an ASN.
ASKED = ("status", "assignee", "platform", "violation_type", "work_unit", "kecamatan", "overdue", "sort",
         "order", "limit", "offset")


def door_of(said: str | None) -> str:
    """The door a client says it is (the console and `netra` say so in a header); any other is `api`.
    Who asked is the session's account; the door only helps the reader of the report."""
    said = (said or "").strip().lower()
    return said if said in ("console", "cli") else "api"


# One query string, so one round trip: PostgreSQL runs its two statements as one transaction, whose
# commit does not wait for the WAL to reach the disk (that wait, not the insert, doubled a queue read).
# A crash of the database server may lose the reads of its last moments (at most three times
# wal_writer_delay, 0.6 s by default); it can never corrupt anything or lose a change to a case.
_RECORD = text(
    "SET LOCAL synchronous_commit TO off; "
    "INSERT INTO casework.list_reads (reader_id, door, asked, search_words, shown, total) "
    "VALUES (CAST(:reader_id AS uuid), :door, CAST(:asked AS jsonb), :search_words, CAST(:shown AS uuid[]), :total)")


def record(db, reader_id: uuid.UUID, door: str, asked: dict, page: dict) -> None:
    """One insert, after the page was read: `asked` as the API loaded it, `page` as it answers."""
    if door not in DOORS:
        raise ValueError(f"unknown door {door!r}")
    kept = {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in asked.items() if k in ASKED}
    with db.one_statement() as conn:
        conn.execute(_RECORD, {"reader_id": str(reader_id), "door": door, "asked": json.dumps(kept),
                               "search_words": asked.get("q") or None,
                               "shown": [str(item["case_id"]) for item in page["items"]], "total": page["total"]})


def prune(engine, days: int, now: datetime | None = None) -> int:
    """Forget list reads older than `days`; how many went."""
    with engine.begin() as conn:
        before = (now - timedelta(days=days)) if now else func.now() - timedelta(days=days)
        return conn.execute(delete(list_reads).where(list_reads.c.read_at < before)).rowcount


def reads_of(conn, reader_id: uuid.UUID, start: datetime, end: datetime) -> list[dict]:
    """The account's list reads in [start, end), oldest first, each with the numbers of the cases shown."""
    rows = conn.execute(select(list_reads).where(list_reads.c.reader_id == reader_id,
                                                 list_reads.c.read_at >= start, list_reads.c.read_at < end)
                        .order_by(list_reads.c.read_at, list_reads.c.read_id)).all()
    ids = {case_id for row in rows for case_id in row.shown}
    numbers = dict(conn.execute(select(case_list.c.case_id, case_list.c.case_number)
                                .where(case_list.c.case_id == any_(bindparam("ids", list(ids), type_=CASE_IDS))))
                   .all()) if ids else {}
    return [{"read_at": row.read_at, "door": row.door, "asked": row.asked, "search_words": row.search_words,
             "words_removed_at": row.words_removed_at, "total": row.total,
             "shown": [numbers.get(case_id, str(case_id)) for case_id in row.shown]} for row in rows]


# The words of a search could name the case if the queue's search would find the case with them, or if
# they share a word with its ASN's name, NIP or posts (a name typed with other words finds nothing, yet
# names the ASN). Read from the queue's row before the purge empties it.
_NAMES = ("tsvector_to_array(to_tsvector('indonesian', concat_ws(' ', c.reported_name, c.reported_nip, "
          "array_to_string(c.post_urls, ' '))))")
_NAMING = text(f"""
UPDATE casework.list_reads r SET search_words = NULL, words_removed_at = now()
FROM casework.case_list c
WHERE c.case_id = :case_id AND r.search_words IS NOT NULL AND (
    c.search @@ websearch_to_tsquery('indonesian', r.search_words)
    OR {_NAMES} && tsvector_to_array(to_tsvector('indonesian', r.search_words)))
""")  # noqa: S608 - a fixed text
# The work-unit filter is free text too (a part of a unit's name): gone if it shares a word with the names,
# and the filters say so (`work_unit_removed`; `words_removed_at` is the search words').
_NAMING_UNIT = text(f"""
UPDATE casework.list_reads r SET asked = (r.asked - 'work_unit') || jsonb_build_object('work_unit_removed', true)
FROM casework.case_list c
WHERE c.case_id = :case_id AND r.asked ? 'work_unit'
  AND {_NAMES} && tsvector_to_array(to_tsvector('indonesian', r.asked ->> 'work_unit'))
""")  # noqa: S608 - a fixed text


def forget_words_naming(conn, case_id: uuid.UUID) -> int:
    """In the purge's transaction, before the queue's row is emptied: the words typed (search words, a
    work-unit filter's text) that could name the purged case go; the read (who, when, the other filters,
    the case ids shown) stays. How many times words went."""
    return sum(conn.execute(statement, {"case_id": case_id}).rowcount for statement in (_NAMING, _NAMING_UNIT))
