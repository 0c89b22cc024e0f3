"""The spine: one complaint travels the whole system over HTTP, on real infrastructure."""

from __future__ import annotations

import hashlib

from tests.conftest import mail_messages
from tests.support import complaints
from tests.support.casework import to_forwarded
from tests.support.waiting import eventually, stays


def _case_for(ketua, tracking_sha):
    """The case whose evidence has this screenshot hash (the team never sees the tracking code)."""
    for item in ketua.get("/api/v1/cases", params={"limit": 200}).json()["items"]:
        case = ketua.get(f"/api/v1/cases/{item['case_id']}").json()
        if any(e["sha256"] == tracking_sha for e in case["evidence"]):
            return case
    return None


def test_a_complaint_travels_from_the_public_to_bkppd(stack, ketua, anggota):
    intake = stack.settings.url("intake")
    screenshot = complaints.png(seed=2024)
    sha = hashlib.sha256(screenshot).hexdigest()
    mail_before = len(mail_messages(stack))

    # 1. The reporter files a complaint with a screenshot.
    filed = complaints.file(intake, complaints.complaint(), [("bukti.png", screenshot)])
    assert filed.status_code == 201, filed.text
    receipt = filed.json()
    assert receipt["tracking_code"] and receipt["receipt"]
    assert receipt["screenshots"][0]["sha256"] == sha

    # 2-3. evidence stores the screenshot; casework opens the case and attaches it.
    case = eventually(lambda: _case_for(ketua, sha), message="case with the evidence attached")
    assert case["status"] == "opened"
    assert case["reported"]["name"] == "Budi Santoso"
    assert [e["sha256"] for e in case["evidence"]] == [sha]

    # 4. The team moves the case on, each command on the version it saw; a second member
    #    confirms the finding the first proposed.
    case_id = case["case_id"]
    version = to_forwarded(ketua, anggota, case_id, case["version"])
    final = ketua.get(f"/api/v1/cases/{case_id}").json()
    assert (final["status"], final["version"]) == ("forwarded_to_bkppd", version)
    assert final["finding"]["proposed_by"] == anggota.user["user_id"]
    assert final["finding"]["confirmed_by"] == ketua.user["user_id"]

    # 5. BKPPD gets exactly one e-mail for the case.
    number = case["case_number"]
    def bkppd_mails():
        return [m for m in mail_messages(stack)[mail_before:]
                if number in m and f"X-Sink-Rcpt-To: {stack.settings.bkppd_email}" in m]
    eventually(bkppd_mails, message="the BKPPD e-mail")
    mails = bkppd_mails()
    assert len(mails) == 1
    assert stack.settings.bkppd_email in mails[0]
    assert sha in mails[0].replace("=\n", "")

    # 6. The reporter sees the forwarding on the status page; a wrong receipt learns nothing.
    def forwarded():
        response = complaints.status(intake, receipt["tracking_code"], receipt["receipt"])
        return response.json() if response.json().get("status") == "forwarded_to_bkppd" else None
    status = eventually(forwarded, message="status forwarded_to_bkppd at intake")
    assert status["status_label"] == "Diteruskan ke BKPPD"
    assert "forwarded_to_bkppd" in [stage["status"] for stage in status["timeline"]]

    wrong = complaints.status(intake, receipt["tracking_code"], "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")
    unknown = complaints.status(intake, "AAAA-AAAA-AAAA", receipt["receipt"])
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()

    # Still exactly one mail after the dust settles: no late duplicate from a retry or a tick.
    stays(lambda: len(bkppd_mails()) == 1, duration=5)
