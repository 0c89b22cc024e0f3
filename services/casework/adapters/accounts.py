"""Team accounts in casework's `users` table: reading them as TeamMembers, making and changing them.

Passwords are Argon2id hashes; every role also needs a TOTP code. Every change moves the
account's version, so a ketua confirms an account exactly as they saw it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import exists, func, insert, select, update

from services.casework.adapters.tables import users
from services.casework.domain.accounts import DISCLOSURE_ROLES, TeamMember


def _member(row) -> TeamMember:
    return TeamMember(row.user_id, row.username, row.full_name, row.role, row.work_unit, row.email,
                      row.active, row.notify_mode, enrolled=row.enrolled_at is not None,
                      confirmed=row.confirmed_at is not None, version=row.version)


def find_member(conn, user_id, *, lock: bool = False) -> TeamMember | None:
    try:
        user_id = uuid.UUID(str(user_id))
    except ValueError:
        return None
    query = select(users).where(users.c.user_id == user_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    return _member(row) if row else None


def find_by_username(conn, username: str, *, lock: bool = False):
    """The account's row (with its secrets, for the login and the server's commands), or None."""
    query = select(users).where(users.c.username == username)
    return conn.execute(query.with_for_update() if lock else query).first()


def member_of(row) -> TeamMember:
    return _member(row)


def all_members(conn) -> list[TeamMember]:
    return [_member(r) for r in conn.execute(select(users).order_by(users.c.role, users.c.username))]


def active_ketua_exists(conn, other_than: uuid.UUID | None = None) -> bool:
    """Whether some ketua (other than `other_than`) can confirm accounts now: enrolled, confirmed,
    not deactivated."""
    conditions = [users.c.role == "ketua", users.c.active.is_(True), users.c.enrolled_at.is_not(None),
                  users.c.confirmed_at.is_not(None)]
    if other_than is not None:
        conditions.append(users.c.user_id != other_than)
    return conn.execute(select(exists().where(*conditions))).scalar()


def lock_accounts(conn) -> None:
    """Take turns at deciding on accounts: no two changes can both see 'no active ketua yet', or
    both confirm one account."""
    conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended("casework.accounts", 0))))


def insert_account(conn, *, username: str, full_name: str, role: str, work_unit: str | None,
                   email: str | None, notify_mode: str = "immediate", **secrets) -> TeamMember:
    user_id = uuid.uuid4()
    conn.execute(insert(users).values(user_id=user_id, username=username, full_name=full_name, role=role,
                                      work_unit=work_unit, email=email, notify_mode=notify_mode, **secrets))
    return find_member(conn, user_id)


def update_account(conn, user_id: uuid.UUID, **values) -> TeamMember:
    """Change the account and move its version on."""
    conn.execute(update(users).where(users.c.user_id == user_id)
                 .values(version=users.c.version + 1, **values))
    return find_member(conn, user_id)


def confirmation_values(member: TeamMember, confirmed_by: uuid.UUID | None, now: datetime | None = None) -> dict:
    """The columns that mark an account confirmed (or, for a role no ketua confirms, leave it so)."""
    if member.role not in DISCLOSURE_ROLES:
        return {"confirmed_at": None, "confirmed_by": None}
    return {"confirmed_at": now or datetime.now(UTC), "confirmed_by": confirmed_by}


def set_notify_mode(conn, user_id: uuid.UUID, mode: str) -> TeamMember | None:
    conn.execute(update(users).where(users.c.user_id == user_id).values(notify_mode=mode))
    return find_member(conn, user_id)

