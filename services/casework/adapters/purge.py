"""What a purge does to casework's own tables (usecases/retention.py decides which case, and when).

In the purge's transaction: each emptied event gets its redacted data, loses its salt and names
the purge record (docs/decisions/0031); the case's key is destroyed (decision 0037), and the
vault's sealed box of the reporter's identity and every copy re-sealed for a disclosure are
deleted; the case's early events and the outbox rows that carried its words are deleted; the
work queue's row keeps only what statistics count, and the links made of the ASN's NIP, the posts
and the screenshots go (the projections do the same when they meet the purge record, so a
rebuild gives the same tables); the search words of list reads that could name the case go (not a
projection: nothing rebuilds them).
"""

from __future__ import annotations

import uuid

from sqlalchemy import and_, bindparam, delete, or_, select, text, update

from netra_common import keystore
from services.casework.adapters import list_reads
from services.casework.adapters.projections import forget_screenshots
from services.casework.adapters.tables import (
    case_link_keys,
    case_list,
    case_screenshot_near,
    case_screenshots,
    disclosed_identities,
    early_events,
    events,
    messaging,
    sealed_identities,
)
from services.casework.domain import events as ev

RUN_LOCK = "casework.retention_run"
# Outbox events that carry a case's words, whether or not they have left yet.
WORDY_OUTBOX_EVENTS = ("message_to_reporter", "case_forwarded_to_bkppd", "identity_disclosed")


def try_run_lock(conn) -> bool:
    """One retention run at a time, however many replicas' timers fire (held by `conn`'s session)."""
    return bool(conn.execute(text("SELECT pg_try_advisory_lock(hashtextextended(:k, 0))"), {"k": RUN_LOCK}).scalar())


def release_run_lock(conn) -> None:
    conn.execute(text("SELECT pg_advisory_unlock(hashtextextended(:k, 0))"), {"k": RUN_LOCK})


def decided_unpurged_cases(conn) -> list[uuid.UUID]:
    """Cases whose log holds a final decision and no purge record: the only ones a purge may take
    (whether the decision still stands, and the case is off hold and past its period, the case
    itself says when replayed)."""
    decided = select(events.c.stream_id).where(events.c.event_type.in_(("case_dismissed", "sanction_decided")))
    purged = select(events.c.stream_id).where(events.c.event_type == ev.CasePurged.type)
    rows = conn.execute(select(events.c.stream_id).where(events.c.stream_id.in_(decided),
                                                         events.c.stream_id.not_in(purged),
                                                         events.c.version == 1)
                        .order_by(events.c.global_position))
    return list(rows.scalars())


def empty_events(conn, stream_id: uuid.UUID, purge_event_id: uuid.UUID, emptied: dict[int, dict]) -> None:
    """Replace each named event's data (by version) with what the purge left of it; its salt goes."""
    if not emptied:
        return
    conn.execute(update(events).where(and_(events.c.stream_id == stream_id, events.c.version == bindparam("v")))
                 .values(data=bindparam("d"), data_salt=None, purged_by=purge_event_id),
                 [{"v": version, "d": data} for version, data in emptied.items()])


def destroy_case_keys(conn, case_id: uuid.UUID, complaint_id: str | None) -> None:
    """The case's key (docs/decisions/0037): the complaint's, and any other its boxes name. Once gone,
    the copies of those boxes in backups, WAL and other services open with no key left anywhere."""
    boxes = [*conn.execute(select(sealed_identities.c.sealed_identity).where(sealed_identities.c.case_id == case_id))
             .scalars(),
             *conn.execute(select(disclosed_identities.c.sealed_identity)
                           .where(disclosed_identities.c.case_id == case_id)).scalars()]
    key_ids = {key_id for key_id in map(keystore.wrapped_key_id, boxes) if key_id is not None}
    if complaint_id:
        key_ids.add(uuid.UUID(complaint_id))
    for key_id in key_ids:
        keystore.destroy(conn, key_id)


def remove_personal_rows(conn, case_id: uuid.UUID, complaint_id: str | None) -> None:
    destroy_case_keys(conn, case_id, complaint_id)
    conn.execute(delete(sealed_identities).where(sealed_identities.c.case_id == case_id))
    conn.execute(delete(disclosed_identities).where(disclosed_identities.c.case_id == case_id))
    if complaint_id:
        conn.execute(delete(early_events).where(early_events.c.complaint_id == uuid.UUID(complaint_id)))
    outbox = messaging.outbox
    of_case = outbox.c.message["payload"]["case_id"].astext == str(case_id)
    conn.execute(delete(outbox).where(of_case, or_(outbox.c.sent_at.is_not(None),
                                                   outbox.c.event_type.in_(WORDY_OUTBOX_EVENTS))))
    forget_in_read_models(conn, case_id)


def forget_in_read_models(conn, case_id: uuid.UUID) -> None:
    """At once, before the projections meet the purge record and do the same: the queue's row keeps
    what statistics count; what links were made of (the NIP, the posts, the screenshots) goes, and
    with it the links, found when read (a duplicate's stays). First, while the queue's row still
    holds them, the search words of list reads that could name the case (decision 0038)."""
    list_reads.forget_words_naming(conn, case_id)
    conn.execute(update(case_list).where(case_list.c.case_id == case_id)
                 .values(reported_name="", reported_nip=None, post_urls=[], search=None))
    conn.execute(delete(case_link_keys).where(case_link_keys.c.case_id == case_id,
                                              case_link_keys.c.kind != "case_number"))
    forget_screenshots(conn, case_screenshots, case_screenshot_near, case_id)
