"""evidence's records: items, their encrypted copies, rejections and the custody log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, insert, select, union_all

from services.evidence.adapters import crypto
from services.evidence.adapters.tables import custody_log, items, put_intents, rejections, stored_objects


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
    return conn.execute(select(items.c.evidence_id).where(
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
