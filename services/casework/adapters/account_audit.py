"""The account audit log: who did what to which account, when, and as what. Append-only (a
trigger refuses any change); it never holds a password, a code or a secret."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from services.casework.adapters.tables import account_audit
from services.casework.domain.accounts import TeamMember


@dataclass(frozen=True)
class Actor:
    """Who acted: a member (admin, ketua), the holder themself, or the server's operator."""

    user_id: uuid.UUID | None
    name: str
    role: str  # admin, ketua, self, server

    @classmethod
    def member(cls, member: TeamMember) -> Actor:
        return cls(member.user_id, member.full_name, member.role)

    @classmethod
    def holder(cls, member: TeamMember) -> Actor:
        return cls(member.user_id, member.full_name, "self")

    @classmethod
    def server(cls, operator: str) -> Actor:
        return cls(None, operator, "server")


def record(conn, actor: Actor, action: str, account: TeamMember, details: dict | None = None) -> dict:
    """Append one entry; the entry as stored (with its id and time)."""
    row = conn.execute(insert(account_audit).values(
        actor_id=actor.user_id, actor_name=actor.name, actor_role=actor.role, action=action,
        account_id=account.user_id, account_username=account.username, details=details or {},
    ).returning(*account_audit.c)).one()
    return dict(row._mapping)


def entries(conn, *, account_id: uuid.UUID | None = None, limit: int = 100, offset: int = 0) -> dict:
    """The newest entries first, a page at a time."""
    where = [account_audit.c.account_id == account_id] if account_id else []
    rows = conn.execute(select(account_audit).where(*where).order_by(account_audit.c.audit_id.desc())
                        .limit(limit).offset(offset)).mappings().all()
    total = conn.execute(select(func.count()).select_from(account_audit).where(*where)).scalar_one()
    return {"items": [dict(r) for r in rows], "total": total, "limit": limit, "offset": offset}
