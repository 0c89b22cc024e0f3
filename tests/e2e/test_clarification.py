"""The team asks the reporter a question; the reporter sees it on the status page and answers."""

from __future__ import annotations

import hashlib

import requests

from tests.support import complaints
from tests.support.waiting import eventually


def test_a_question_from_the_team_reaches_the_reporter_and_the_answer_comes_back(stack, ketua):
    intake = stack.settings.url("intake")
    shot = complaints.png(seed=501)
    filed = complaints.file(intake, complaints.complaint(), [("tanya.png", shot)]).json()
    sha = hashlib.sha256(shot).hexdigest()

    def the_case():
        for item in ketua.get("/api/v1/cases", params={"limit": 200}).json()["items"]:
            case = ketua.get(f"/api/v1/cases/{item['case_id']}").json()
            if any(e["sha256"] == sha for e in case["evidence"]):
                return case
        return None

    case = eventually(the_case, message="the case")
    version = case["version"]
    for command, body in [("assign", {"assignee_id": ketua.user["user_id"]}),
                          ("start_verification", {}),
                          ("request_clarification",
                           {"question": "Kapan tepatnya unggahan itu Anda lihat, dan apakah masih ada?"})]:
        response = ketua.command(case["case_id"], command, version, **body)
        assert response.status_code == 200, response.text
        version = response.json()["version"]
    assert response.json()["status"] == "clarification_requested"

    def asked():
        page = complaints.status(intake, filed["tracking_code"], filed["receipt"]).json()
        return page if page["status"] == "clarification_requested" and page["messages"] else None

    page = eventually(asked, message="the question on the status page")
    assert page["status_label"] == "Tim meminta klarifikasi dari Anda"
    assert page["messages"][0] == {**page["messages"][0], "author": "team", "kind": "clarification",
                                   "body": "Kapan tepatnya unggahan itu Anda lihat, dan apakah masih ada?"}

    answer = requests.post(
        f"{intake}/api/v1/complaints/{filed['tracking_code']}/messages",
        headers={"X-Receipt": filed["receipt"]}, timeout=10,
        json={"message": "Kemarin sore sekitar pukul 16.00, unggahannya masih ada."})
    assert answer.status_code == 201

    def answered():
        case_now = ketua.get(f"/api/v1/cases/{case['case_id']}").json()
        return case_now if case_now["status"] == "under_verification" else None

    case_now = eventually(answered, message="the case back under verification")
    assert case_now["conversation"][-1]["body"].startswith("Kemarin sore")
    assert [t["type"] for t in case_now["timeline"]][-2:] == ["reporter_replied", "clarification_answered"]
    eventually(lambda: complaints.status(intake, filed["tracking_code"], filed["receipt"])
               .json()["status"] == "under_verification", message="the status page follows")
