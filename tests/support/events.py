"""Events built the way producers build them, for tests that publish straight onto the bus."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from netra_common.contracts import new_envelope


def complaint_submitted(description: str = "Membagikan unggahan kampanye pasangan calon.",
                        screenshots: list | None = None) -> dict:
    now = datetime.now(UTC).isoformat()
    return new_envelope("complaint_submitted", {
        "complaint_id": str(uuid.uuid4()), "submitted_at": now,
        "reported": {"name": "Andi Wijaya", "nip": None, "position": None,
                     "work_unit": "Kecamatan Mandau", "kecamatan": "Mandau"},
        "platform": "instagram", "post_urls": ["https://instagram.com/p/xyz"],
        "account_handle": "andi.w", "occurred_at": now, "violation_types": ["post_support"],
        "description": description, "screenshots": screenshots or [],
        "reporter": {"anonymous": True, "sealed_identity": None, "contact_consent": False},
    }, producer="tests").to_message()
