"""Moving a case along its path through the team's API, as the team would."""

from __future__ import annotations

import uuid

from tests.support.waiting import eventually

CASE_NAMESPACE = uuid.UUID("6c1f4f0e-3f7b-4c55-9a0e-2d7f0b9d8a11")
FINDING = {"finding": "Membagikan konten kampanye pasangan calon nomor 2.",
           "legal_basis": "PP 94/2021 Pasal 5 huruf n", "sanction_level": "sedang"}


def case_id_for(complaint_id: str) -> str:
    return str(uuid.uuid5(CASE_NAMESPACE, f"complaint:{complaint_id}"))


def wait_for_case(client, case_id: str, screenshots: int = 0) -> dict:
    """The case once it is open and each of its `screenshots` is attached or rejected: until then
    evidence arriving may move the case's version under a command, as it would under a person."""
    def opened():
        response = client.get(f"/api/v1/cases/{case_id}")
        if response.status_code != 200:
            return None
        case = response.json()
        return case if len(case["evidence"]) + len(case["rejected_uploads"]) >= screenshots else None

    return eventually(opened, message=f"case {case_id}")


def step(client, case_id: str, version: int, command: str, **body) -> int:
    response = client.command(case_id, command, version, **body)
    assert response.status_code == 200, (command, response.text)
    return response.json()["version"]


def to_confirmed(ketua, anggota, case_id: str, version: int) -> int:
    """Assign to the anggota, who verifies and proposes; the ketua, a second member, confirms."""
    version = step(ketua, case_id, version, "assign", assignee_id=anggota.user["user_id"])
    version = step(anggota, case_id, version, "start_verification")
    version = step(anggota, case_id, version, "propose_violation", **FINDING)
    return step(ketua, case_id, version, "confirm_violation")


def to_forwarded(ketua, anggota, case_id: str, version: int) -> int:
    return step(ketua, case_id, to_confirmed(ketua, anggota, case_id, version), "forward_to_bkppd")


def complaint_id_of(engine, tracking_code: str) -> str:
    """The complaint behind a tracking code, read from intake's table (tests only)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(text("SELECT complaint_id::text FROM intake.complaints WHERE tracking_code = :c"),
                            {"c": tracking_code}).scalar_one()
