"""One complaint is followed across the four services' logs by its correlation id (carried in every
event's envelope), and nothing in any log identifies the reporter, the reported civil servant or the
complaint's tracking code and receipt."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from tests.support import complaints
from tests.support.casework import case_id_for, step, wait_for_case
from tests.support.waiting import eventually

SERVICES = ("intake", "evidence", "casework", "notify")


def test_one_complaint_is_followed_by_its_correlation_id_through_all_four_logs(stack, stack_db, ketua):
    marker = f"jejak-{uuid.uuid4().hex[:10]}"
    reporter = {"anonymous": False, "name": "Wulandari Jejaklog", "email": f"{marker}@example.org",
                "phone": "081398765432", "nik": "1403016601950007", "consent_contact": True}
    reported = {"name": "Hendra Tertelusur", "nip": "198811222015031004", "position": "Staf",
                "work_unit": "Dinas Kesehatan", "kecamatan": "Mandau"}
    client_address = "203.0.113.77"
    answer = complaints.file(stack.settings.url("intake"),
                             complaints.complaint(reporter=reporter, reported=reported,
                                                  description=f"Membagikan kampanye ({marker})."),
                             [("bukti.png", complaints.png(seed=77))],
                             headers={"X-Forwarded-For": client_address})
    assert answer.status_code == 201, answer.text
    filed = answer.json()

    with stack_db.connect() as conn:
        correlation_id, complaint_id = conn.execute(text(
            "SELECT message->>'correlation_id', message->'payload'->>'complaint_id' FROM intake.outbox "
            "WHERE event_type = 'complaint_submitted' AND message->'payload'->>'description' LIKE :marker"),
            {"marker": f"%{marker}%"}).one()

    def log_of(service: str) -> str:
        return (stack.settings.log_dir / f"{service}.log").read_text(errors="replace")

    def carrying(service: str) -> list[str]:
        return [line for line in log_of(service).splitlines() if f"correlation_id={correlation_id}" in line]

    expected = {"intake": ("complaint.filed", "case_status_changed"),  # filed; then hears of the case
                "evidence": ("evidence.stored",),
                "casework": ("complaint_submitted", "evidence_stored"),
                "notify": ("complaint_submitted",)}
    for service, words in expected.items():
        for word in words:
            eventually(lambda s=service, w=word: any(w in line for line in carrying(s)), timeout=60,
                       message=f"{service} logs {word} under the complaint's correlation id")

    # a team member's command on the case later: what follows from it carries the same id
    case_id = case_id_for(complaint_id)
    case = wait_for_case(ketua, case_id, screenshots=1)
    step(ketua, case_id, case["version"], "assign", assignee_id=ketua.user["user_id"])
    eventually(lambda: any("case_assigned" in line for line in carrying("notify")), timeout=30,
               message="notify hears of the assignment under the complaint's id")

    identifying = [reporter["name"], reporter["email"], reporter["phone"], reporter["nik"], marker,
                   reported["name"], reported["nip"], filed["tracking_code"], filed["receipt"], client_address]
    for service in SERVICES:
        everything = log_of(service)
        found = [value for value in identifying if value in everything]
        assert not found, f"{service}'s log names {found}"
