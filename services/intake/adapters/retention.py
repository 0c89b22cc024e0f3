"""intake's side of a purge (issue 18): the complaint keeps its ids, dates, platform, violation types and
work unit for the statistics; the reporter's free texts, their sealed identity and contact, the ASN's
name, NIP, position and account, the post's links, the proof and the screenshots' names and hashes go."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update

from services.intake.adapters.tables import complaints, messages, screenshots

PURGED_TEXT = ""
KEPT = ("platform", "violation_types", "occurred_at")  # of the document: what the statistics count
KEPT_OF_REPORTED = ("work_unit",)


def statistics_part(document: dict) -> dict:
    """What of a complaint's document survives its purge."""
    kept = {k: document[k] for k in KEPT if k in document}
    reported = document.get("reported") or {}
    kept["reported"] = {k: reported[k] for k in KEPT_OF_REPORTED if k in reported}
    return kept


def purge_complaint(conn, complaint_id: uuid.UUID, at: datetime) -> bool:
    """Forget the complaint's personal parts; False when there was nothing (left) to forget."""
    row = conn.execute(select(complaints.c.document, complaints.c.purged_at)
                       .where(complaints.c.complaint_id == complaint_id).with_for_update()).first()
    if row is None:
        return False
    conn.execute(update(complaints).where(complaints.c.complaint_id == complaint_id).values(
        document=statistics_part(row.document), sealed_identity=None, proof=None,
        purged_at=func.coalesce(complaints.c.purged_at, at)))
    conn.execute(update(messages).where(messages.c.complaint_id == complaint_id).values(body=PURGED_TEXT))
    conn.execute(update(screenshots).where(screenshots.c.complaint_id == complaint_id)
                 .values(filename=None, sha256=None))
    return row.purged_at is None
