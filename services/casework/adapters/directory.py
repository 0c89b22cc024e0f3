"""What preparing a team command looks up (domain/commands.Directory): accounts as they are now,
and cases by their number (the work queue's read model)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from services.casework.adapters import accounts
from services.casework.adapters.tables import case_list
from services.casework.domain.accounts import TeamMember


class Directory:
    def __init__(self, conn: Connection):
        self.conn = conn

    def member(self, user_id: str) -> TeamMember | None:
        return accounts.find_member(self.conn, user_id)

    def case_numbered(self, number: str) -> str | None:
        found = self.conn.execute(select(case_list.c.case_id).where(case_list.c.case_number == number)).scalar()
        return None if found is None else str(found)
