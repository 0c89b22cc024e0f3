"""Who opened which case file, and when (docs/breach-response.md, docs/decisions/0034).

A read of a case file or its dossier shows the reported ASN, the post and the story: for a breach
assessment, `access-report` must list it. One row a read, no content (who, which case, what, when),
kept apart from the case's log so a read neither grows the log nor bumps the case's version, and
forgotten after `NETRA_CASE_VIEWS_KEEP_DAYS` (default 730: two years, as long as any outcome keeps a
case; a breach found late is still answered, and a record of members' own reading is not kept for
ever).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from services.casework.adapters.tables import case_list, case_views

KEEP_DAYS = 730
WHAT = ("case_file", "dossier")


def keep_days(config) -> int:
    days = int((config or {}).get("NETRA_CASE_VIEWS_KEEP_DAYS") or KEEP_DAYS)
    if days < 1:
        raise ValueError("NETRA_CASE_VIEWS_KEEP_DAYS must be at least 1")
    return days


def record(engine, case_id: uuid.UUID, viewer_id: uuid.UUID, what: str = "case_file") -> None:
    """One insert in a transaction of its own, after the read it records succeeded."""
    if what not in WHAT:
        raise ValueError(f"unknown case view {what!r}")
    with engine.begin() as conn:
        conn.execute(case_views.insert().values(case_id=case_id, viewer_id=viewer_id, what=what))


def prune(engine, days: int, now: datetime | None = None) -> int:
    """Forget views older than `days`; how many went."""
    with engine.begin() as conn:
        before = (now - timedelta(days=days)) if now else func.now() - timedelta(days=days)
        return conn.execute(delete(case_views).where(case_views.c.viewed_at < before)).rowcount


def views_of(conn, viewer_id: uuid.UUID, start: datetime, end: datetime) -> list:
    """The account's views in [start, end), oldest first, each with its case number."""
    return conn.execute(select(case_views.c.viewed_at, case_views.c.what, case_views.c.case_id,
                               case_list.c.case_number)
                        .join(case_list, case_list.c.case_id == case_views.c.case_id, isouter=True)
                        .where(case_views.c.viewer_id == viewer_id, case_views.c.viewed_at >= start,
                               case_views.c.viewed_at < end)
                        .order_by(case_views.c.viewed_at)).all()
