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


def case_status_changed(complaint_id: str | None, status: str, previous: str | None, *, case_id: str | None = None,
                        changed_at: str | None = None, case_version: int | None = None,
                        case_number: str | None = None) -> dict:
    payload = {"case_id": case_id or str(uuid.uuid4()), "complaint_id": complaint_id, "status": status,
               "previous_status": previous, "changed_at": changed_at or datetime.now(UTC).isoformat()}
    payload |= {k: v for k, v in (("case_version", case_version), ("case_number", case_number)) if v is not None}
    return new_envelope("case_status_changed", payload, producer="tests").to_message()


def evidence_stored(complaint_id: str) -> dict:
    now = datetime.now(UTC).isoformat()
    return new_envelope("evidence_stored", {
        "evidence_id": str(uuid.uuid4()), "upload_id": str(uuid.uuid4()), "complaint_id": complaint_id,
        "sha256": "ab" * 32, "size": 1234, "content_type": "image/png", "width": 10, "height": 10,
        "received_at": now, "stored_at": now, "perceptual_hash": "f" * 16,
    }, producer="tests").to_message()


def evidence_viewed(complaint_id: str, member_id: str, member_role: str) -> dict:
    return new_envelope("evidence_viewed", {
        "evidence_id": str(uuid.uuid4()), "complaint_id": complaint_id, "copy": "sanitized",
        "member_id": member_id, "member_role": member_role, "purpose": "Memeriksa bukti",
        "grant_id": str(uuid.uuid4()), "viewed_at": datetime.now(UTC).isoformat()}, producer="tests").to_message()
