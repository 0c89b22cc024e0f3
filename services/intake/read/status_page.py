"""What the public sees (JSON), assembled from intake's own tables."""

from __future__ import annotations

from services.intake.adapters import complaints as records
from services.intake.adapters.name_sealing import open_name
from services.intake.domain.status import (
    DISCLOSURE_LABEL,
    SCREENSHOT_STATES,
    next_step,
    public_label,
    rejection_reason,
)


def status_page(conn, row, lang: str, names_key: bytes) -> dict:
    """The reporter's page; `names_key` (from their receipt) opens the screenshots' names."""
    stages = records.timeline(conn, row.complaint_id)
    shots = sorted(((open_name(names_key, s.filename), s) for s in records.screenshots_of(conn, row.complaint_id)),
                   key=lambda named: (named[1].received_at, named[0] or ""))
    return {
        "tracking_code": row.tracking_code,
        "status": row.status,
        "status_label": public_label(row.status, lang),
        "submitted_at": row.submitted_at,
        "updated_at": row.updated_at,
        # What happens next, and by when (working days: weekends and holidays do not count).
        "next_step": {"label": next_step(row.status, lang), "due_at": row.due_at},
        "timeline": [
            {"status": "received", "label": public_label("received", lang), "at": row.submitted_at},
            *({"status": s.status, "label": public_label(s.status, lang), "at": s.at} for s in stages),
        ],
        "messages": [{"message_id": m.message_id, "author": m.author, "kind": m.kind,
                      "body": m.body, "at": m.at}
                     for m in records.conversation(conn, row.complaint_id)],
        "identity_disclosures": [
            {"disclosed_to": d.disclosed_to, "at": d.approved_at,
             "label": DISCLOSURE_LABEL[lang].format(body=d.disclosed_to)}
            for d in records.disclosures_of(conn, row.complaint_id)],
        "screenshots": [{"filename": name, "size": s.size, "sha256": s.sha256,
                         "received_at": s.received_at, "message_id": s.message_id,
                         "state": s.state, "state_label": SCREENSHOT_STATES[s.state][lang],
                         "reason_code": s.reason_code,
                         "reason": rejection_reason(s.reason_code, lang)}
                        for name, s in shots],
        "contact": {"can_erase": not row.anonymous and row.contact_erased_at is None and row.purged_at is None,
                    "erased_at": row.contact_erased_at},
    }
