"""What every service does alike when a case is purged (issue 18): its outbox rows about the case go,
sent or not, since what they carried (a complaint's text, a reporter's sealed contact, a mail's
content) must travel no further and be kept no longer."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, or_

from netra_common.tables import MessagingTables


def forget_outbox_rows(conn, tables: MessagingTables, case_id: uuid.UUID,
                       complaint_id: uuid.UUID | None) -> int:
    """Delete the outbox rows whose payload names the case or its complaint; returns how many."""
    payload = tables.outbox.c.message["payload"]
    about = [payload["case_id"].astext == str(case_id)]
    if complaint_id is not None:
        about.append(payload["complaint_id"].astext == str(complaint_id))
    return conn.execute(delete(tables.outbox).where(or_(*about))).rowcount
