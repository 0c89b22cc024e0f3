"""Filing and following work while evidence, casework and notify are down; the queue
flows when they come back. Without S3, filing refuses in words and keeps nothing; when
PostgreSQL refuses the record, the screenshots leave quarantine again and the log keeps
none of the complaint's words."""

from __future__ import annotations

import uuid

from minio import Minio
from netra_stack.settings import free_port
from sqlalchemy import text

from netra_common.s3 import REGION
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


def quarantine_keys(stack) -> set[str]:
    keys = stack.secrets["s3"]["admin"]
    admin = Minio(stack.settings.s3_endpoint, access_key=keys["access_key"], secret_key=keys["secret_key"],
                  secure=False, region=REGION)
    return {o.object_name for o in admin.list_objects("quarantine", recursive=True)}


def orphans(stack_db, keys: set[str]) -> set[str]:
    """Quarantined objects of complaints intake has no record of."""
    with stack_db.connect() as conn:
        known = {str(c) for c in conn.execute(text("SELECT complaint_id FROM intake.complaints")).scalars()}
    return {k for k in keys if k.split("/")[0] not in known}


REFUSED_MARK = "ditolak-oleh-basis-data-" + uuid.uuid4().hex[:8]
REFUSING_TRIGGER = f"""
CREATE FUNCTION intake.test_refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.document->>'description' LIKE '%{REFUSED_MARK}%' THEN
    -- PostgreSQL's own errors quote data the same way (CONTEXT: JSON data, line 1: ...).
    RAISE EXCEPTION 'refused: %', NEW.document->>'description';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER test_refuse_marked BEFORE INSERT ON intake.complaints
  FOR EACH ROW EXECUTE FUNCTION intake.test_refuse_marked();
"""


def test_a_filing_postgresql_refuses_leaves_no_screenshot_behind_and_no_words_in_the_log(stack, stack_db):
    intake = stack.settings.url("intake")
    with stack_db.begin() as conn:
        conn.execute(text(REFUSING_TRIGGER))
    try:
        before = quarantine_keys(stack)
        story = f"Uraian yang ditolak basis data: {REFUSED_MARK}."
        refused = complaints.file(intake, complaints.complaint(description=story),
                                  [("satu.png", complaints.png(seed=601)), ("dua.png", complaints.png(seed=602))])
        assert refused.status_code == 500, refused.text
        assert refused.json()["error"]["code"] == "internal_error"
        assert orphans(stack_db, quarantine_keys(stack) - before) == set()
    finally:
        with stack_db.begin() as conn:
            conn.execute(text("DROP TRIGGER test_refuse_marked ON intake.complaints; "
                              "DROP FUNCTION intake.test_refuse_marked()"))
    log_text = (stack.settings.log_dir / "intake.log").read_text(errors="replace")
    assert "quarantine.undone objects=2" in log_text
    assert REFUSED_MARK not in log_text
