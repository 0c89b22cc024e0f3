"""The team console's browser reads screenshots from evidence, another origin's cannot: the
preflight and the answers (refusals too) carry Access-Control-Allow-Origin for the console only."""

from __future__ import annotations

import pytest
import requests

from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, wait_for_case

ELSEWHERE = "http://127.0.0.1:9"  # a page of some other site, on the same machine even


@pytest.fixture(scope="module")
def screenshot(stack, stack_db, ketua) -> dict:
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(),
                            [("cors.png", complaints.png(seed=808))]).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])), screenshots=1)
    return {"case": case, "evidence_id": case["evidence"][0]["evidence_id"]}


def console_origin(stack) -> str:
    return stack.settings.url("casework")  # the stack names casework's URL in NETRA_CONSOLE_ORIGINS


def preflight(stack, evidence_id: str, origin: str) -> requests.Response:
    return requests.options(f"{stack.settings.url('evidence')}/api/v1/evidence/{evidence_id}/sanitized",
                            headers={"Origin": origin, "Access-Control-Request-Method": "GET",
                                     "Access-Control-Request-Headers": "authorization"}, timeout=10)


def test_the_preflight_lets_the_console_send_a_grant_and_refuses_another_origin(stack, screenshot):
    allowed = preflight(stack, screenshot["evidence_id"], console_origin(stack))
    assert allowed.status_code == 204, allowed.text
    assert allowed.headers["Access-Control-Allow-Origin"] == console_origin(stack)
    assert "GET" in allowed.headers["Access-Control-Allow-Methods"]
    assert "authorization" in allowed.headers["Access-Control-Allow-Headers"].lower()

    refused = preflight(stack, screenshot["evidence_id"], ELSEWHERE)
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert refused.json()["error"]["code"] == "origin_not_allowed"


def test_a_screenshot_and_a_refusal_are_readable_by_the_console_only(stack, ketua, screenshot):
    case, evidence_id = screenshot["case"], screenshot["evidence_id"]
    granted = ketua.post(f"/api/v1/cases/{case['case_id']}/evidence/{evidence_id}/grants",
                         {"copy": "sanitized", "purpose": f"Memeriksa bukti kasus {case['case_number']}"}).json()

    def fetch(origin: str, grant: str) -> requests.Response:
        return requests.get(granted["url"], headers={"Origin": origin, "Authorization": f"Grant {grant}"},
                            timeout=30)

    shown = fetch(console_origin(stack), granted["grant"])
    assert shown.status_code == 200 and shown.headers["Content-Type"] == "image/webp"
    assert shown.headers["Access-Control-Allow-Origin"] == console_origin(stack)
    assert "Origin" in shown.headers["Vary"]

    # A refusal reaches the console's page too, so it can say in words what went wrong.
    wrong = fetch(console_origin(stack), granted["grant"][:-4] + "AAAA")
    assert wrong.status_code == 403 and wrong.headers["Access-Control-Allow-Origin"] == console_origin(stack)
    assert wrong.json()["error"]["code"] == "grant_refused"

    elsewhere = fetch(ELSEWHERE, granted["grant"])
    assert "Access-Control-Allow-Origin" not in elsewhere.headers
