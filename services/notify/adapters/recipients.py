"""Whom notify can write to: team members as casework last told it (`recipients`) and each
complaint's sealed contact, if the reporter gave one (`reporter_contacts`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, Row

from services.notify.adapters.tables import recipients, reporter_contacts


def reachable_members(conn: Connection, roles: Iterable[str]) -> list[Row]:
    """Active members with an e-mail address, of these roles."""
    return list(conn.execute(select(recipients).where(
        recipients.c.active.is_(True), recipients.c.email.is_not(None), recipients.c.role.in_(tuple(roles)))
        .order_by(recipients.c.user_id)).all())


def member(conn: Connection, user_id: object) -> Row | None:
    return conn.execute(select(recipients).where(recipients.c.user_id == uuid.UUID(str(user_id)))).first()


def reporter_contact(conn: Connection, complaint_id: object) -> Row | None:
    """The complaint's row (its `sealed_contact` None when there is nothing to write to), or None if
    notify has not heard of the complaint."""
    return conn.execute(select(reporter_contacts.c.sealed_contact)
                        .where(reporter_contacts.c.complaint_id == uuid.UUID(str(complaint_id)))).first()


def reporter_hears(conn: Connection, complaint_id: object, milestone: str, case_version: int | None) -> bool:
    """See usecases/ports.Recipients.reporter_hears: the row is locked first, so a second change of
    the same case waits for this one's transaction and then reads what it kept."""
    key = uuid.UUID(str(complaint_id))
    row = conn.execute(select(reporter_contacts.c.last_news, reporter_contacts.c.last_news_version)
                       .where(reporter_contacts.c.complaint_id == key).with_for_update()).first()
    if row is None:
        return False
    if case_version is not None and row.last_news_version is not None and case_version <= row.last_news_version:
        return False  # an older change arriving after a newer one: already overtaken
    conn.execute(update(reporter_contacts).where(reporter_contacts.c.complaint_id == key)
                 .values(last_news=milestone, last_news_version=case_version))
    return row.last_news != milestone


@dataclass(frozen=True)
class KnownMember:
    user_id: uuid.UUID
    full_name: str
    email: str | None
    active: bool
    notify_mode: str


@dataclass(frozen=True)
class KnownComplaint:
    sealed_contact: str | None


def _known(row: Row) -> KnownMember:
    return KnownMember(row.user_id, row.full_name, row.email, row.active, row.notify_mode)


class PostgresRecipients:
    """usecases/ports.Recipients over one connection."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def reachable_members(self, roles: Iterable[str]) -> list[KnownMember]:
        return [_known(row) for row in reachable_members(self.conn, roles)]

    def member(self, user_id: object) -> KnownMember | None:
        row = member(self.conn, user_id)
        return None if row is None else _known(row)

    def reporter_contact(self, complaint_id: object) -> KnownComplaint | None:
        row = reporter_contact(self.conn, complaint_id)
        return None if row is None else KnownComplaint(row.sealed_contact)

    def reporter_hears(self, complaint_id: object, milestone: str, case_version: int | None) -> bool:
        return reporter_hears(self.conn, complaint_id, milestone, case_version)


def remember_complaint(conn: Connection, complaint_id: str, sealed_contact: str | None) -> None:
    stmt = pg_insert(reporter_contacts).values(complaint_id=uuid.UUID(complaint_id), sealed_contact=sealed_contact)
    conn.execute(stmt.on_conflict_do_nothing())


def remember_member(conn: Connection, row: Mapping[str, Any]) -> None:
    """The member as of `updated_at`: an older word about them never overwrites a newer one."""
    stmt = pg_insert(recipients).values(**row)
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[recipients.c.user_id], set_={k: stmt.excluded[k] for k in row if k != "user_id"},
        where=recipients.c.updated_at <= stmt.excluded.updated_at))
