"""evidence's records: items, their encrypted copies, rejections and the custody log."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import insert, select, union_all

from services.evidence.adapters import crypto
from services.evidence.adapters.tables import custody_log, items, rejections, stored_objects


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
    return (select(stored_objects, items.c.complaint_id, items.c.received_at,
                   items.c.sha256.label("item_sha256"), items.c.size.label("item_size"))
            .join(items, items.c.evidence_id == stored_objects.c.evidence_id))


def stored_object(conn, evidence_id: uuid.UUID, copy: str):
    return conn.execute(_objects_with_items().where(stored_objects.c.evidence_id == evidence_id,
                                                    stored_objects.c.copy == copy)).first()


def all_stored_objects(conn):
    return conn.execute(_objects_with_items()
                        .order_by(stored_objects.c.evidence_id, stored_objects.c.copy)).all()


def associated_data(row) -> bytes:
    """The binding a stored object (a row of the queries above) was sealed under."""
    return crypto.associated_data(row.aad_version, evidence_id=row.evidence_id, copy=row.copy,
                                  sha256=row.plain_sha256, size=row.plain_size,
                                  complaint_id=row.complaint_id, received_at=row.received_at)


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
