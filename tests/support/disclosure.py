"""A disclosure through the team API, start to end: one ketua asks for the recipient, a second ketua
approves (the two-person rule, decision 0017), and the recipient reads the identity."""

from __future__ import annotations

REASON = "Pelapor diperlukan sebagai saksi dalam pemeriksaan disiplin."


def disclose_and_read(requester, approver, recipient, case: dict, reason: str = REASON):
    """The recipient's answer to reading the identity of `case` (as `wait_for_case` gives it)."""
    asked = requester.command(case["case_id"], "request_disclosure", case["version"],
                              recipient_id=recipient.user["user_id"], reason=reason)
    assert asked.status_code == 200, asked.text
    request_id = requester.get(f"/api/v1/cases/{case['case_id']}").json()["disclosures"][-1]["request_id"]
    approved = approver.command(case["case_id"], "approve_disclosure", asked.json()["version"],
                                request_id=request_id, valid_for_hours=1)
    assert approved.status_code == 200, approved.text
    return recipient.post(f"/api/v1/cases/{case['case_id']}/identity")
