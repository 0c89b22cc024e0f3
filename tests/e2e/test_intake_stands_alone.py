"""Filing and following work while evidence, casework and notify are down; the queue
flows when they come back. Without S3, filing refuses in words and keeps nothing."""

from __future__ import annotations

from netra_stack.settings import free_port
from sqlalchemy import text

from tests.support import complaints
from tests.support.waiting import eventually


def test_filing_works_with_the_other_services_stopped_and_reaches_them_later(stack, stack_db):
    intake = stack.settings.url("intake")
    for service in ("evidence", "casework", "notify"):
        stack.stop_service(service)
    try:
        shot = complaints.png(seed=77)
        filed = complaints.file(intake, complaints.complaint(), [("saat-mati.png", shot)])
        assert filed.status_code == 201, filed.text
        receipt = filed.json()
        page = complaints.status(intake, receipt["tracking_code"], receipt["receipt"])
        assert page.status_code == 200
        assert page.json()["status"] == "received"
        assert page.json()["screenshots"][0]["state"] == "pending"
    finally:
        for service in ("evidence", "casework", "notify"):
            stack.start_service(service)
        for service in ("evidence", "casework", "notify"):
            stack.wait_healthy(service)

    def arrived():
        page = complaints.status(intake, receipt["tracking_code"], receipt["receipt"]).json()
        return page if page["status"] == "opened" and page["screenshots"][0]["state"] == "accepted" \
            else None

    eventually(arrived, timeout=40, message="the case opened and the screenshot accepted")
    with stack_db.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM evidence.items WHERE sha256 = :s"),
                              {"s": receipt["screenshots"][0]["sha256"]}).scalar_one()
    assert stored == 1


def test_with_s3_unreachable_filing_answers_503_in_words_and_keeps_nothing(stack, stack_db):
    intake = stack.settings.url("intake")
    unreachable = f"127.0.0.1:{free_port()}"
    stack.restart_service("intake", {"NETRA_S3_ENDPOINT": unreachable})
    try:
        marker = "Unggahan saat penyimpanan mati, nomor 503."
        refused = complaints.file(intake, complaints.complaint(description=marker),
                                  [("s3-mati.png", complaints.png(seed=503))])
        assert refused.status_code == 503, refused.text
        assert refused.headers["Retry-After"].isdigit()
        error = refused.json()["error"]
        assert error["code"] == "service_unavailable" and "belum diproses" in error["message"]
        with stack_db.connect() as conn:
            kept = conn.execute(text("SELECT count(*) FROM intake.complaints WHERE document->>'description' = :d"),
                                {"d": marker}).scalar_one()
        assert kept == 0
    finally:
        stack.restart_service("intake")
    again = complaints.file(intake, complaints.complaint(description=marker),
                            [("s3-hidup.png", complaints.png(seed=504))])
    assert again.status_code == 201, again.text  # the same complaint, sent again once S3 is back
