"""evidence's records: items, their encrypted copies, rejections and the custody log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, insert, or_, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.evidence.adapters import crypto
from services.evidence.adapters.tables import (
    case_retention,
    custody_actions,
    custody_log,
    items,
    purge_leftovers,
    put_intents,
    rejections,
    stored_objects,
)


def outcome_known(conn, upload_id: uuid.UUID) -> bool:
    query = union_all(select(items.c.upload_id).where(items.c.upload_id == upload_id),
                      select(rejections.c.upload_id).where(rejections.c.upload_id == upload_id))
    return conn.execute(query).first() is not None


def known_among(conn, upload_ids) -> set[uuid.UUID]:
    """Which of these uploads have a recorded outcome (stored or rejected)."""
    ids = list(upload_ids)
    if not ids:
        return set()
    query = union_all(select(items.c.upload_id).where(items.c.upload_id.in_(ids)),
                      select(rejections.c.upload_id).where(rejections.c.upload_id.in_(ids)))
    return {row[0] for row in conn.execute(query)}


def add_rejection(uow, **values) -> None:
    uow.execute(insert(rejections).values(**values))


def add_item(uow, item: dict, objects: list[dict]) -> None:
    uow.execute(insert(items).values(**item))
    uow.execute(insert(stored_objects), objects)


def _objects_with_items():
    return (select(stored_objects, items.c.complaint_id, items.c.case_id, items.c.kind, items.c.received_at,
                   items.c.sha256.label("item_sha256"), items.c.size.label("item_size"))
            .join(items, items.c.evidence_id == stored_objects.c.evidence_id))


def stored_object(conn, evidence_id: uuid.UUID, copy: str):
    return conn.execute(_objects_with_items().where(stored_objects.c.evidence_id == evidence_id,
                                                    stored_objects.c.copy == copy)).first()


def all_stored_objects(conn):
    return conn.execute(_objects_with_items()
                        .order_by(stored_objects.c.evidence_id, stored_objects.c.copy)).all()


def rewrap(conn, row, key_id: str, wrapped_key: bytes) -> None:
    """The copy's data key wrapped anew (under `key_id`), if no one re-wrapped it meanwhile."""
    conn.execute(stored_objects.update()
                 .where(stored_objects.c.evidence_id == row.evidence_id, stored_objects.c.copy == row.copy,
                        stored_objects.c.key_id == row.key_id)
                 .values(key_id=key_id, wrapped_key=wrapped_key))


def associated_data(row) -> bytes:
    """The binding a stored object (a row of the queries above) was sealed under."""
    return crypto.associated_data(row.aad_version, evidence_id=row.evidence_id, copy=row.copy,
                                  sha256=row.plain_sha256, size=row.plain_size,
                                  complaint_id=row.complaint_id, received_at=row.received_at,
                                  case_id=getattr(row, "case_id", None))  # a screenshot's row may come without it


def items_without_objects(conn) -> list:
    """Items with no stored object, but for those a purge emptied on purpose."""
    return conn.execute(select(items.c.evidence_id).where(
        items.c.purged_at.is_(None),
        ~items.c.evidence_id.in_(select(stored_objects.c.evidence_id)))).scalars().all()


def log_view(uow, *, evidence_id, copy: str, grant, viewed_at: datetime) -> uuid.UUID:
    view_id = uuid.uuid4()
    uow.execute(insert(custody_log).values(
        view_id=view_id, evidence_id=evidence_id, copy=copy, member_id=grant.member_id,
        member_role=grant.member_role, purpose=grant.purpose, grant_id=grant.grant_id,
        viewed_at=viewed_at))
    return view_id


def log_upload(uow, *, evidence_id, grant, kept_at: datetime) -> uuid.UUID:
    """The team member who handed this screenshot in, under which upload grant and purpose."""
    entry_id = uuid.uuid4()
    uow.execute(insert(custody_log).values(
        view_id=entry_id, evidence_id=evidence_id, copy="original", member_id=grant.member_id,
        member_role=grant.member_role, purpose=grant.purpose, grant_id=grant.grant_id,
        viewed_at=kept_at, action="upload"))
    return entry_id


# --- intents to put (see tables.put_intents) -------------------------------------------


class PutsWithdrawn(Exception):
    """The attempt came so late that what it put was already reconciled away."""


def intend_puts(engine, evidence_id: uuid.UUID, objects: list[tuple[str, str, str]],
                now: datetime) -> list[uuid.UUID]:
    """Commit, on a connection of its own, the intent to put each (copy, bucket, key)."""
    rows = [{"intent_id": uuid.uuid4(), "evidence_id": evidence_id, "copy": copy, "bucket": bucket,
             "object_key": key, "intended_at": now} for copy, bucket, key in objects]
    with engine.begin() as conn:
        conn.execute(insert(put_intents), rows)
    return [row["intent_id"] for row in rows]


def fulfil_intents(uow, intent_ids: list[uuid.UUID]) -> None:
    """In the unit of work that records the objects: this attempt's puts are explained now."""
    taken = uow.execute(delete(put_intents).where(put_intents.c.intent_id.in_(intent_ids))
                        .returning(put_intents.c.intent_id)).all()
    if len(taken) != len(intent_ids):
        raise PutsWithdrawn()


def intents_by_object(conn) -> dict[tuple[str, str], datetime]:
    """The latest intent for each (bucket, key) still waiting."""
    query = select(put_intents.c.bucket, put_intents.c.object_key, func.max(put_intents.c.intended_at)) \
        .group_by(put_intents.c.bucket, put_intents.c.object_key)
    return {(bucket, key): latest for bucket, key, latest in conn.execute(query)}


def lock_intents(conn, bucket: str, key: str) -> tuple[int, int, datetime | None]:
    """Lock an object's intents for the transaction, skipping those an attempt holds: (locked,
    all, the latest one's time). An attempt that commits takes its intents first, so while all of
    an object's intents are held here, no attempt can record that object."""
    where = (put_intents.c.bucket == bucket, put_intents.c.object_key == key)
    locked = conn.execute(select(put_intents.c.intended_at).where(*where)
                          .with_for_update(skip_locked=True)).scalars().all()
    total = conn.execute(select(func.count()).select_from(put_intents).where(*where)).scalar_one()
    return len(locked), total, max(locked, default=None)


def forget_intents(conn, bucket: str, key: str) -> None:
    conn.execute(delete(put_intents).where(put_intents.c.bucket == bucket, put_intents.c.object_key == key))


def recorded_versions(conn, bucket: str | None = None, key: str | None = None) -> set[tuple[str, str, str | None]]:
    """(bucket, key, version) of every stored object a record explains (or of one object's)."""
    query = select(stored_objects.c.bucket, stored_objects.c.object_key, stored_objects.c.version_id)
    if bucket is not None:
        query = query.where(stored_objects.c.bucket == bucket, stored_objects.c.object_key == key)
    return {(b, k, v) for b, k, v in conn.execute(query)}


# --- retention (issue 18) --------------------------------------------------------------


def _of_case(case_id: uuid.UUID, complaint_id: uuid.UUID | None):
    """A case's items: its complaint's screenshots, and what is filed under the case itself (its
    decrees, and the team's case-bound screenshots once items carry their case: migration 0006 of
    team-screenshots sets items.case_id for them, so this finds them without change)."""
    found = items.c.case_id == case_id
    return or_(found, items.c.complaint_id == complaint_id) if complaint_id is not None else found


def objects_of_case(conn, case_id: uuid.UUID, complaint_id: uuid.UUID | None, copy: str | None = None):
    query = _objects_with_items().where(_of_case(case_id, complaint_id))
    if copy is not None:
        query = query.where(stored_objects.c.copy == copy)
    return conn.execute(query.order_by(stored_objects.c.evidence_id, stored_objects.c.copy)).all()


def items_of_case(conn, case_id: uuid.UUID, complaint_id: uuid.UUID | None) -> list[uuid.UUID]:
    return list(conn.execute(select(items.c.evidence_id).where(_of_case(case_id, complaint_id))).scalars())


def case_retention_of(conn, case_id: uuid.UUID):
    return conn.execute(select(case_retention).where(case_retention.c.case_id == case_id)).first()


def keep_until_of_complaint(conn, complaint_id: uuid.UUID | None) -> datetime | None:
    """The keep-until casework announced for the complaint's case, if any (and not purged)."""
    if complaint_id is None:
        return None
    return conn.execute(select(func.max(case_retention.c.keep_until)).where(
        case_retention.c.complaint_id == complaint_id, case_retention.c.purged_at.is_(None))).scalar()


def keep_until_of_case(conn, case_id: uuid.UUID | None) -> datetime | None:
    """The keep-until casework announced for a case (a team's screenshot added after the decision)."""
    if case_id is None:
        return None
    return conn.execute(select(case_retention.c.keep_until).where(
        case_retention.c.case_id == case_id, case_retention.c.purged_at.is_(None))).scalar()


def remember_retention(conn, *, case_id, complaint_id, keep_until, on_hold, reason, changed_at) -> bool:
    """Keep the case's newest retention (an older announcement arriving late changes nothing);
    True if this one is now the case's."""
    values = {"case_id": case_id, "complaint_id": complaint_id, "keep_until": keep_until, "on_hold": on_hold,
              "reason": reason, "changed_at": changed_at}
    stmt = pg_insert(case_retention).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[case_retention.c.case_id],
        set_={k: stmt.excluded[k] for k in ("keep_until", "on_hold", "reason", "changed_at")}
        | {"complaint_id": func.coalesce(stmt.excluded.complaint_id, case_retention.c.complaint_id)},
        where=case_retention.c.changed_at <= stmt.excluded.changed_at)
    return conn.execute(stmt.returning(case_retention.c.case_id)).first() is not None


def retention_needs(conn) -> dict[uuid.UUID, tuple[datetime, bool]]:
    """For every evidence item of a case evidence heard a retention of: (keep until, on hold)."""
    query = (select(items.c.evidence_id, case_retention.c.keep_until, case_retention.c.on_hold)
             .join(case_retention, or_(items.c.case_id == case_retention.c.case_id,
                                       items.c.complaint_id == case_retention.c.complaint_id))
             .where(case_retention.c.purged_at.is_(None)))
    needs: dict[uuid.UUID, tuple[datetime, bool]] = {}
    for evidence_id, keep_until, on_hold in conn.execute(query):
        known = needs.get(evidence_id)
        needs[evidence_id] = (max(keep_until, known[0]), on_hold or known[1]) if known else (keep_until, on_hold)
    return needs


def record_locked_until(conn, evidence_id: uuid.UUID, copy: str, until: datetime) -> None:
    conn.execute(update(stored_objects).where(stored_objects.c.evidence_id == evidence_id,
                                              stored_objects.c.copy == copy)
                 .values(retain_until=until))


def record_action(conn, *, action: str, at: datetime, case_id: uuid.UUID | None = None,
                  evidence_id: uuid.UUID | None = None, detail: dict | None = None) -> None:
    conn.execute(insert(custody_actions).values(action_id=uuid.uuid4(), case_id=case_id, evidence_id=evidence_id,
                                                action=action, detail=detail or {}, at=at))


def actions_of_case(conn, case_id: uuid.UUID) -> list:
    return conn.execute(select(custody_actions).where(custody_actions.c.case_id == case_id)
                        .order_by(custody_actions.c.at)).all()


def forget_personal_parts(conn, case_id: uuid.UUID, evidence_ids: list[uuid.UUID], at: datetime) -> None:
    """A purged case's items keep their ids, kind, dates, size and type for the statistics; their
    objects' records (and the data keys in them) go, and with them every hash of the content. The
    custody log keeps who looked when, but no longer the purpose they gave (it may name people)."""
    if evidence_ids:
        conn.execute(delete(stored_objects).where(stored_objects.c.evidence_id.in_(evidence_ids)))
        conn.execute(update(items).where(items.c.evidence_id.in_(evidence_ids))
                     .values(sha256=None, perceptual_hash=None, purged_at=func.coalesce(items.c.purged_at, at)))
        conn.execute(update(custody_log).where(custody_log.c.evidence_id.in_(evidence_ids))
                     .values(purpose="(dihapus: masa simpan berakhir)"))
    conn.execute(update(case_retention).where(case_retention.c.case_id == case_id, case_retention.c.purged_at.is_(None))
                 .values(purged_at=at))


def forget_rejections(conn, complaint_id: uuid.UUID) -> None:
    conn.execute(update(rejections).where(rejections.c.complaint_id == complaint_id).values(sha256=None))


def add_leftover(conn, *, bucket: str, key: str, version_id: str | None, case_id: uuid.UUID,
                 retain_until: datetime | None) -> None:
    conn.execute(pg_insert(purge_leftovers).values(bucket=bucket, object_key=key, version_id=version_id or "null",
                                                   case_id=case_id, retain_until=retain_until)
                 .on_conflict_do_nothing())


def due_leftovers(conn, now: datetime) -> list:
    return conn.execute(select(purge_leftovers).where(or_(purge_leftovers.c.retain_until.is_(None),
                                                          purge_leftovers.c.retain_until <= now))).all()


def forget_leftover(conn, bucket: str, key: str, version_id: str) -> None:
    conn.execute(delete(purge_leftovers).where(purge_leftovers.c.bucket == bucket,
                                               purge_leftovers.c.object_key == key,
                                               purge_leftovers.c.version_id == version_id))
