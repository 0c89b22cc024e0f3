"""intake's public API over HTTP: filing, following, replying, proofs, limits, languages."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests
from nacl.signing import VerifyKey
from sqlalchemy import text as sa_text

from services.intake.domain.proof import canonical_bytes
from tests.support import complaints, events
from tests.support.casework import case_id_for, complaint_id_of
from tests.support.waiting import eventually


def a_client() -> dict:
    """A distinct client address, so each test has its own rate-limit budget."""
    return {"X-Forwarded-For": f"198.51.{random.randrange(256)}.{random.randrange(1, 255)}"}


@pytest.fixture(scope="module")
def intake(stack) -> str:
    return stack.settings.url("intake")


@pytest.fixture(scope="module")
def filed(intake):
    """One anonymous complaint with two screenshots, filed once for the module."""
    shots = [("bukti-1.png", complaints.png(seed=11)), ("bukti-2.png", complaints.png(seed=12))]
    response = complaints.file(intake, complaints.complaint(), shots, headers=a_client())
    assert response.status_code == 201, response.text
    return response.json() | {"_shots": shots}


def test_filing_answers_with_a_code_a_receipt_and_each_screenshots_hash(filed):
    assert len(filed["tracking_code"]) == 14 and len(filed["receipt"]) == 29
    assert [s["sha256"] for s in filed["screenshots"]] == [
        hashlib.sha256(data).hexdigest() for _, data in filed["_shots"]]
    assert filed["status_url"] == f"/api/v1/complaints/{filed['tracking_code']}"


def test_the_proof_of_submission_is_signed_by_the_service_and_verifies(intake, filed):
    proof = filed["proof"]
    assert proof["proof"]["tracking_code"] == filed["tracking_code"]
    assert [s["sha256"] for s in proof["proof"]["screenshots"]] == [
        s["sha256"] for s in filed["screenshots"]]
    key = requests.get(f"{intake}/api/v1/proof/public-key", timeout=10).json()
    VerifyKey(base64.b64decode(key["public_key"])).verify(
        canonical_bytes(proof["proof"]), base64.b64decode(proof["signature"]["value"]))
    verify = f"{intake}/api/v1/proof/verify"
    assert requests.post(verify, json=proof, timeout=10).json() == {"valid": True}
    tampered = json.loads(json.dumps(proof))
    tampered["proof"]["submitted_at"] = "2020-01-01T00:00:00+00:00"
    assert requests.post(verify, json=tampered, timeout=10).json() == {"valid": False}
    # Nothing to check, or something that is no proof, is a malformed request, not "invalid".
    nothing = requests.post(verify, timeout=10)
    assert nothing.status_code == 400 and nothing.json()["error"]["code"] == "invalid_proof"
    shapeless = requests.post(verify, json={"proof": proof["proof"]}, timeout=10)
    assert shapeless.status_code == 400
    assert [d["field"] for d in shapeless.json()["error"]["details"]] == ["signature"]


def test_a_name_or_handle_with_invisible_formatting_is_refused_by_name(intake):
    document = complaints.complaint(account_handle="budi\u200b.santoso")
    document["reported"]["name"] = "Budi \u202eotnasS"
    response = complaints.file(intake, document, headers={"Accept-Language": "en", **a_client()})
    assert response.status_code == 400, response.text
    details = {d["field"]: d for d in response.json()["error"]["details"]}
    assert {field: d["code"] for field, d in details.items()} == {
        "reported.name": "invisible_character", "account_handle": "invisible_character"}
    assert details["account_handle"]["message"].startswith("Account name contains an invisible formatting")


def test_the_proof_can_be_downloaded_again_with_the_receipt(intake, filed):
    response = requests.get(f"{intake}/api/v1/complaints/{filed['tracking_code']}/proof",
                            headers={"X-Receipt": filed["receipt"], **a_client()}, timeout=10)
    assert response.status_code == 200
    assert response.json() == filed["proof"]
    assert "attachment" in response.headers["Content-Disposition"]


def test_the_status_page_shows_stage_timeline_and_each_screenshots_fate(intake, filed):
    def both_accepted():
        page = complaints.status(intake, filed["tracking_code"], filed["receipt"],
                                 headers=a_client()).json()
        return page if [s["state"] for s in page["screenshots"]] == ["accepted", "accepted"] else None

    page = eventually(both_accepted, message="both screenshots accepted by evidence")
    assert page["screenshots"][0]["state_label"] == "Diterima sebagai bukti"
    assert page["timeline"][0]["label"] == "Pengaduan diterima"
    opened = eventually(lambda: (p := complaints.status(intake, filed["tracking_code"], filed["receipt"],
                                                        headers=a_client()).json())["status"] == "opened" and p,
                        message="the case opened")
    # What happens next, and by when: the lead names a member within one working day of the opening.
    assert opened["next_step"]["label"] == "Ketua tim menunjuk petugas yang memeriksa pengaduan Anda."
    due = datetime.fromisoformat(opened["next_step"]["due_at"])
    changed = datetime.fromisoformat(opened["timeline"][-1]["at"])
    assert changed < due <= changed + timedelta(days=5)  # one working day, a weekend or holidays between


def test_the_status_page_speaks_english_when_asked(intake, filed):
    page = complaints.status(intake, filed["tracking_code"], filed["receipt"],
                             headers={"Accept-Language": "en", **a_client()}).json()
    assert page["timeline"][0]["label"] == "Complaint received"


def test_two_stages_of_one_transaction_keep_the_cases_order_whatever_order_they_arrive_in(
        intake, stack_db, bus_publisher):
    """BKPPD's decision closes the case in the same append: both changes carry one time."""
    filed = complaints.file(intake, complaints.complaint(), [], headers=a_client()).json()
    complaint_id = complaint_id_of(stack_db, filed["tracking_code"])

    def page():
        return complaints.status(intake, filed["tracking_code"], filed["receipt"], headers=a_client()).json()

    eventually(lambda: page()["status"] == "opened", message="the case opened by casework")
    at = datetime.now(UTC).isoformat()
    arrivals = (("closed", "sanction_decided", 21), ("sanction_decided", "forwarded_to_bkppd", 20))
    for status, previous, version in arrivals:
        bus_publisher.publish_event(events.case_status_changed(
            complaint_id, status, previous, case_id=case_id_for(complaint_id), changed_at=at, case_version=version))
    shown = eventually(lambda: (p := page()) and len(p["timeline"]) == 4 and p, message="both stages shown")
    assert shown["status"] == "closed" and shown["status_label"] == "Selesai"
    assert [t["status"] for t in shown["timeline"]] == ["received", "opened", "sanction_decided", "closed"]


def test_a_code_and_receipt_typed_loosely_still_find_the_complaint(intake, filed):
    code = filed["tracking_code"].lower().replace("-", " ")
    receipt = filed["receipt"].lower().replace("-", "")
    response = complaints.status(intake, code, receipt, headers=a_client())
    assert response.status_code == 200


def test_a_wrong_receipt_and_an_unknown_code_get_the_same_404(intake, filed):
    client = a_client()
    wrong = complaints.status(intake, filed["tracking_code"], "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ",
                              headers=client)
    unknown = complaints.status(intake, "ZZZZ-ZZZZ-ZZZZ", filed["receipt"], headers=client)
    garbage = complaints.status(intake, "%27OR1=1", "", headers=client)
    assert wrong.status_code == unknown.status_code == garbage.status_code == 404
    assert wrong.json() == unknown.json() == garbage.json()
    assert "Pengaduan tidak ditemukan" in wrong.json()["error"]["message"]


def test_an_identified_complaint_is_filed_without_its_identity_in_the_answer(intake):
    response = complaints.file(intake, complaints.complaint(reporter=complaints.IDENTIFIED_REPORTER),
                               headers=a_client())
    assert response.status_code == 201, response.text
    text = response.text
    for secret in ("Siti", "siti.rahmawati", "081234567890", "1403015507900001"):
        assert secret not in text
    assert response.json()["proof"]["proof"]["reporter"] == {"anonymous": False, "identity_sealed": True}


def test_an_anonymous_reporter_never_consents_to_be_contacted(intake, stack_db):
    """consent_contact is not identity, so the schema takes it beside anonymous: it must not count."""
    response = complaints.file(intake, complaints.complaint(reporter={"anonymous": True, "consent_contact": True}),
                               headers=a_client())
    assert response.status_code == 201, response.text
    complaint_id = complaint_id_of(stack_db, response.json()["tracking_code"])
    with stack_db.connect() as conn:
        message = conn.execute(sa_text(
            "SELECT message FROM intake.outbox WHERE event_type = 'complaint_submitted' "
            "AND message->'payload'->>'complaint_id' = :c"), {"c": complaint_id}).scalar_one()
    assert message["payload"]["reporter"] == {"anonymous": True, "sealed_identity": None,
                                              "contact_consent": False, "sealed_contact": None}


def test_a_bad_complaint_gets_every_problem_named_in_its_language(intake):
    document = complaints.complaint(platform="myspace")
    document["reported"]["nip"] = "123"
    response = complaints.file(intake, document, [("catatan.txt", b"not an image")],
                               headers={"Accept-Language": "en", **a_client()})
    assert response.status_code == 400
    details = {d["field"]: d for d in response.json()["error"]["details"]}
    assert set(details) == {"platform", "reported.nip", "screenshots"}
    assert details["reported.nip"]["message"] == "Reported civil servant's NIP must be 18 digits."


def test_a_nul_in_a_text_is_refused_in_words_not_with_a_server_error(intake, filed):
    response = complaints.file(intake, complaints.complaint(description="Membagikan\u0000 poster kampanye."),
                               headers=a_client())
    assert response.status_code == 400, response.text
    detail = response.json()["error"]["details"][0]
    assert (detail["field"], detail["code"]) == ("description", "unstorable_text")
    assert detail["message"].startswith("Uraian kejadian berisi karakter NUL")
    reply = requests.post(f"{intake}/api/v1/complaints/{filed['tracking_code']}/messages", timeout=10,
                          headers={"X-Receipt": filed["receipt"], **a_client()},
                          data={"message": "Jawaban\x00 saya."},
                          files=[("screenshots", ("tambahan.png", complaints.png(seed=14), "image/png"))])
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["details"][0]["code"] == "control_character"


def test_a_complaint_without_a_link_or_a_screenshot_is_refused(intake):
    response = complaints.file(intake, complaints.complaint(post_urls=[]), [], headers=a_client())
    assert response.status_code == 422  # it fits the document; a rule across two parts refuses it
    assert response.json()["error"]["details"][0]["code"] == "evidence_required"


def test_the_complaint_part_must_be_json(intake):
    response = requests.post(f"{intake}/api/v1/complaints", data={"complaint": "{not json"},
                             files=[("screenshots", ("a.png", complaints.png(), "image/png"))],
                             headers=a_client(), timeout=10)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["code"] == "not_json"


def test_an_oversized_body_is_refused_before_it_is_read(stack):
    """Announce 300 MB, send almost nothing: the answer comes without waiting for the rest, the
    connection ends with it, and a client that goes on sending is cut off long before 300 MB."""
    port = stack.settings.service_ports["intake"]
    announced = 300 * 1024 * 1024
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"POST /api/v1/complaints HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: multipart/form-data; boundary=b\r\n"
                     b"Content-Length: %d\r\n\r\n--b\r\n" % announced)
        started = time.monotonic()
        answer = b""
        while chunk := sock.recv(4096):  # to the end: the server closes its side after the answer
            answer += chunk
        assert time.monotonic() - started < 5
        taken, block = 0, b"\0" * (64 * 1024)
        with pytest.raises(OSError):  # reset: nobody reads the rest
            while taken < announced:
                taken += sock.send(block)
    head = answer.decode(errors="replace")
    assert head.startswith("HTTP/1.1 413")
    assert "Connection: close" in head
    assert "Kiriman terlalu besar" in head
    assert taken < 64 * 1024 * 1024, f"the server took {taken} bytes of a refused body"


def test_the_reporter_can_reply_with_a_screenshot(intake, filed, ketua):
    shot = complaints.png(seed=13)
    response = requests.post(
        f"{intake}/api/v1/complaints/{filed['tracking_code']}/messages",
        headers={"X-Receipt": filed["receipt"], **a_client()}, timeout=30,
        data={"message": "Ini tangkapan layar tambahan dari unggahan yang sama."},
        files=[("screenshots", ("tambahan.png", shot, "image/png"))])
    assert response.status_code == 201, response.text
    assert response.json()["screenshots"][0]["sha256"] == hashlib.sha256(shot).hexdigest()

    page = complaints.status(intake, filed["tracking_code"], filed["receipt"], headers=a_client()).json()
    assert page["messages"][-1]["author"] == "reporter"
    assert page["messages"][-1]["body"].startswith("Ini tangkapan layar tambahan")
    assert len(page["screenshots"]) == 3

    # The team sees the reply and the new screenshot on the case.
    def case_with_reply():
        for item in ketua.get("/api/v1/cases", params={"limit": 200}).json()["items"]:
            case = ketua.get(f"/api/v1/cases/{item['case_id']}").json()
            if any(e["sha256"] == hashlib.sha256(shot).hexdigest() for e in case["evidence"]):
                return case
        return None

    case = eventually(case_with_reply, message="the reply's screenshot on the case")
    assert case["conversation"][-1]["author"] == "reporter"


def test_a_reply_needs_a_message_and_the_right_receipt(intake, filed):
    url = f"{intake}/api/v1/complaints/{filed['tracking_code']}/messages"
    empty = requests.post(url, json={"message": ""}, timeout=10,
                          headers={"X-Receipt": filed["receipt"], **a_client()})
    assert empty.status_code == 400
    assert empty.json()["error"]["details"][0]["field"] == "message"
    wrong = requests.post(url, json={"message": "halo"}, timeout=10,
                          headers={"X-Receipt": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", **a_client()})
    assert wrong.status_code == 404


def test_reference_lists_serve_the_closed_lists_and_work_units(intake):
    reference = requests.get(f"{intake}/api/v1/reference", timeout=10).json()
    assert {p["code"] for p in reference["platforms"]} >= {"facebook", "tiktok", "other"}
    assert len(reference["kecamatan"]) == 11
    assert {"name": "Dinas Pendidikan", "group": "Dinas"} in reference["work_units"]
    assert reference["limits"]["max_files"] == 5
    assert reference["limits"]["max_files_per_complaint"] == 20


def test_the_api_is_described_at_openapi_json_with_a_readable_page(intake):
    spec = requests.get(f"{intake}/openapi.json", timeout=10).json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/complaints" in spec["paths"]
    assert "Complaint" in spec["components"]["schemas"]
    page = requests.get(f"{intake}/docs", timeout=10)
    assert page.status_code == 200 and "POST /api/v1/complaints" in page.text
