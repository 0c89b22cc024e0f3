"""A reporter on a phone files a complaint with a screenshot, keeps the receipt, follows the
case and answers the team's question, all through the portal in real Chromium."""

from __future__ import annotations

import re

import requests

from tests.browser.portal import (
    accessibility_violations,
    check_status_until,
    fill_complaint,
    horizontal_overflow,
    nothing_kept_in_the_browser,
    open_portal,
    submit_and_read_receipt,
)
from tests.support.casework import case_id_for, complaint_id_of, step, wait_for_case
from tests.support.complaints import png
from tests.support.waiting import eventually

REPORTER = {"name": "Rina Marlina", "email": "rina.marlina@example.id"}
QUESTION = "Apakah unggahan itu dibagikan ke grup publik atau hanya ke teman?"
STATUS_QUESTION = "Tim meminta klarifikasi dari Anda"
ANSWER = "Ke grup publik Bengkalis Bersatu, ada sekitar 20 ribu anggota."


def test_a_reporter_on_a_phone_files_keeps_the_receipt_follows_and_answers(phone, stack, stack_db, ketua,
                                                                           anggota, tmp_path):
    page = phone.page
    open_portal(page)
    assert horizontal_overflow(page) <= 0, "the form is wider than a 360-pixel phone"
    assert accessibility_violations(page) == []
    phone.picture("1-form")

    screenshot = tmp_path / "tangkapan-layar.png"
    screenshot.write_bytes(png(720, 1280, seed=360))
    fill_complaint(page, screenshot, reporter=REPORTER)
    phone.picture("2-form-filled")
    code, receipt = submit_and_read_receipt(page)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert len(receipt) >= 16
    assert "Tanda terima hanya ditampilkan sekali" in page.locator("#receipt-panel").inner_text()
    assert accessibility_violations(page) == []
    phone.picture("3-receipt")

    # The reporter downloads the receipt: it holds both secrets and a proof the server can verify.
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh tanda terima dan bukti pengiriman").click()
    saved = download.value.path().read_text(encoding="utf-8")
    assert code in saved and receipt in saved
    proof = saved[saved.index("{"):]
    verdict = requests.post(f"{stack.settings.url('intake')}/api/v1/proof/verify", data=proof.encode(),
                            headers={"Content-Type": "application/json"}, timeout=10)
    assert verdict.json() == {"valid": True}

    # Nothing of it stays on the phone or in the address bar.
    kept = nothing_kept_in_the_browser(page)
    assert code not in kept["url"] and receipt not in kept["url"]
    assert kept["storage"] == [0, 0, ""] and kept["cookies"] == []

    # The team takes the case and asks the reporter a question.
    case = wait_for_case(ketua, case_id_for(str(complaint_id_of(stack_db, code))), screenshots=1)
    version = step(ketua, case["case_id"], case["version"], "assign", assignee_id=anggota.user["user_id"])
    version = step(anggota, case["case_id"], version, "start_verification")
    step(anggota, case["case_id"], version, "request_clarification", question=QUESTION)

    page.get_by_role("button", name="Lihat status").click()
    check_status_until(page, QUESTION)
    check_status_until(page, "tangkapan-layar.png: Diterima sebagai bukti")
    assert page.locator("#status-label").inner_text() == STATUS_QUESTION
    assert accessibility_violations(page) == []
    phone.picture("4-status-with-question")

    # The answer goes back with one more screenshot; the upload shows its progress bar on the way.
    more = tmp_path / "tambahan.png"
    more.write_bytes(png(720, 1280, seed=361))
    page.locator("#reply-message").fill(ANSWER)
    page.set_input_files("#reply-screenshots", str(more))
    page.wait_for_selector("#reply-screenshot-list li.good")
    page.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_selector("#reply-done:has-text('Jawaban Anda terkirim')")
    assert ANSWER in page.locator("#status-messages").inner_text()
    check_status_until(page, "tambahan.png")
    phone.picture("5-answered")

    # The answer reaches the case: verification carries on.
    eventually(lambda: ketua.get(f"/api/v1/cases/{case['case_id']}").json()["status"] == "under_verification",
               message="the answer moves the case back to verification")
