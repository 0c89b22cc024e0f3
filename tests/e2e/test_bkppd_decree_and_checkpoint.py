"""What BKPPD receives and hands back, through the real doors: the forward's mail carries a signed
checkpoint of the log that `netra-casework verify-log --checkpoint` accepts later; BKPPD hands in its
decree (SK) as a PDF through the team API and the `netra` CLI, evidence keeps it encrypted under
custody, bad files are refused with a clear 4xx in Bahasa Indonesia, and the reporter's status page
says a decision was made, never the SK."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from email import message_from_string, policy

import pytest
import requests
from sqlalchemy import text

from tests.conftest import enrol, mail_messages
from tests.e2e.test_netra_cli import Netra, logged_in
from tests.support import complaints, decrees
from tests.support.casework import case_id_for, complaint_id_of, to_forwarded, wait_for_case
from tests.support.evidence import s3
from tests.support.mailbox import text_of
from tests.support.waiting import eventually

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def bkppd(stack):
    return enrol(stack, "bkppd.sk", "bkppd", work_unit="BKPPD")


def forwarded_case(stack, stack_db, ketua, anggota) -> tuple[dict, int, dict]:
    """A complaint's case, forwarded to BKPPD: (the case, its version, the filing)."""
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(), []).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    return case, to_forwarded(ketua, anggota, case["case_id"], case["version"]), filed


def send(client, case_id: str, data: bytes, content_type: str = "application/pdf"):
    return client.session.post(f"{client.base_url}/api/v1/cases/{case_id}/decree", data=data, timeout=60,
                               headers={"Content-Type": content_type})


def test_the_forwards_mail_carries_a_checkpoint_the_log_still_extends_later(stack, stack_db, ketua, anggota,
                                                                            tmp_path):
    case, _, _ = forwarded_case(stack, stack_db, ketua, anggota)
    number = case["case_number"]
    mail = eventually(lambda: [m for m in mail_messages(stack) if number in m and "Titik periksa log" in m],
                      message="BKPPD's mail with the checkpoint")[0]
    saved = tmp_path / "surat-bkppd.eml"
    saved.write_text(mail)
    line = next(line for line in text_of(message_from_string(mail, policy=policy.default)).splitlines()
                if line.startswith("Titik periksa log"))
    signed = json.loads(line[line.index("{"):])
    # The dossier carries the same checkpoint under its seal, and its PDF prints it.
    assert ketua.get(f"/api/v1/cases/{case['case_id']}/dossier.json").json()["checkpoint"] == signed
    pdf = tmp_path / "berkas.pdf"
    pdf.write_bytes(ketua.get(f"/api/v1/cases/{case['case_id']}/dossier.pdf").content)
    printed = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "7. Titik periksa log kasus" in printed and signed["checkpoint"]["log_hash"][:32] in printed
    key = requests.get(f"{stack.settings.url('casework')}/api/v1/checkpoints/public-key", timeout=10).json()
    ketua.post("/api/v1/cases", {  # the log goes on after the checkpoint
        "reported": {"name": "Kasus Sesudah Titik Periksa"}, "platform": "facebook", "violation_types": ["share"],
        "occurred_at": "2026-11-20T19:00:00+07:00", "description": "Kasus yang dicatat sesudah penerusan."})
    checked = subprocess.run(
        [sys.executable, "-m", "services.casework.admin", "verify-log", "--checkpoint", str(saved),
         "--public-key", key["public_key"]], env={**os.environ, "NETRA_DB_URL": stack.settings.db_url},
        capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"checkpoint {saved}: the log extends it" in checked.stdout
    with stack_db.connect() as conn:
        kept = conn.execute(text("SELECT count(*) FROM casework.log_checkpoints WHERE case_id = :c AND "
                                 "reason = 'forward'"), {"c": case["case_id"]}).scalar_one()
    assert kept == 1


@pytest.mark.parametrize(("made", "status", "code", "words"), [
    (decrees.not_a_pdf, 415, "decree_not_pdf", "harus berupa PDF"),
    (decrees.truncated, 422, "decree_unreadable_pdf", "tidak dapat dibaca sebagai PDF"),
    (decrees.encrypted, 422, "decree_encrypted_pdf", "terkunci kata sandi"),
    (decrees.with_javascript, 422, "decree_active_content", "memuat JavaScript"),
    (decrees.with_attachment, 422, "decree_active_content", "memuat berkas tersemat"),
])
def test_a_bad_file_is_refused_in_indonesian_and_nothing_is_kept(stack, stack_db, ketua, anggota, bkppd, made,
                                                                 status, code, words):
    case, version, _ = forwarded_case(stack, stack_db, ketua, anggota)
    refused = send(bkppd, case["case_id"], made())
    assert (refused.status_code, refused.json()["error"]["code"]) == (status, code), refused.text
    assert words in refused.json()["error"]["message"]
    after = bkppd.get(f"/api/v1/cases/{case['case_id']}").json()
    assert (after["version"], after["decrees"]) == (version, [])
    with stack_db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM evidence.items WHERE case_id = :c"),
                            {"c": case["case_id"]}).scalar_one() == 0


def test_too_large_a_file_and_the_wrong_media_type_are_refused_at_casework(stack, stack_db, ketua, anggota, bkppd):
    case, _, _ = forwarded_case(stack, stack_db, ketua, anggota)
    big = send(bkppd, case["case_id"], b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    assert (big.status_code, big.json()["error"]["code"]) == (413, "decree_too_large")
    assert "terlalu besar" in big.json()["error"]["message"]
    as_text = send(bkppd, case["case_id"], decrees.plain_decree(), "text/plain")
    assert (as_text.status_code, as_text.json()["error"]["code"]) == (415, "decree_not_pdf")


def test_only_bkppd_and_only_once_the_case_is_forwarded(stack, stack_db, ketua, anggota, bkppd):
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(), []).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    assert send(ketua, case["case_id"], decrees.plain_decree()).status_code == 403  # the team cannot
    early = ketua.post("/api/v1/cases", {
        "reported": {"name": "Belum Diteruskan"}, "platform": "tiktok", "violation_types": ["share"],
        "occurred_at": "2026-11-20T19:00:00+07:00", "description": "Kasus yang belum diteruskan ke BKPPD."}).json()
    assert send(bkppd, early["case_id"], decrees.plain_decree()).status_code == 404  # never forwarded: unseen


def test_bkppd_records_its_decision_with_the_sk_kept_under_custody(stack, stack_db, ketua, anggota, bkppd):
    case, version, filed = forwarded_case(stack, stack_db, ketua, anggota)
    sk = decrees.plain_decree("800/117/BKPPD/2026", pages=2)
    kept = send(bkppd, case["case_id"], sk)
    assert kept.status_code == 201, kept.text
    decree = kept.json()["decree"]
    assert (decree["sha256"], decree["size"], decree["pages"]) == (hashlib.sha256(sk).hexdigest(), len(sk), 2)
    assert kept.json()["version"] == version + 1
    # Decided on the version BKPPD saw: its own SK handed in since does not make that stale.
    decided = bkppd.command(case["case_id"], "record_sanction", version,
                            sanction_type="teguran_tertulis", decree_number="800/117/BKPPD/2026",
                            decree_date="2026-11-30")
    assert decided.status_code == 200 and decided.json()["status"] == "closed", decided.text
    shown = ketua.get(f"/api/v1/cases/{case['case_id']}").json()
    assert [d["sha256"] for d in shown["decrees"]] == [decree["sha256"]]
    assert "decree_attached" in [t["type"] for t in shown["timeline"]]
    with stack_db.connect() as conn:  # encrypted, bound to its case, under retention
        item = conn.execute(text(
            "SELECT i.kind, i.case_id::text, i.sha256, o.aad_version, o.retain_until IS NOT NULL AS retained, "
            "o.bucket, o.object_key, o.version_id FROM evidence.items i JOIN evidence.stored_objects o "
            "USING (evidence_id) WHERE i.evidence_id = :d"), {"d": decree["decree_id"]}).one()
    assert (item.kind, item.case_id, item.sha256, item.aad_version, item.retained) == (
        "decree", case["case_id"], decree["sha256"], 3, True)
    stored = s3(stack, "admin").get_object(item.bucket, item.object_key, version_id=item.version_id).read()
    assert b"%PDF" not in stored and b"800/117" not in stored

    def decided_page():
        page = complaints.status(stack.settings.url("intake"), filed["tracking_code"], filed["receipt"]).json()
        return page if "sanction_decided" in [t["status"] for t in page["timeline"]] else None

    page = eventually(decided_page, message="the decision on the status page")
    assert "BKPPD telah memutuskan sanksi" in [t["label"] for t in page["timeline"]]
    assert decree["sha256"] not in json.dumps(page) and "800/117" not in json.dumps(page)
    later = send(bkppd, case["case_id"], decrees.plain_decree("800/117/BKPPD/2026 (salinan sah)"))
    assert later.status_code == 201, later.text  # an SK may follow its number


def test_someone_elses_sk_in_between_makes_the_decision_stale(stack, stack_db, ketua, anggota, bkppd):
    case, version, _ = forwarded_case(stack, stack_db, ketua, anggota)
    colleague = enrol(stack, "bkppd.rekan", "bkppd", work_unit="BKPPD")
    assert send(colleague, case["case_id"], decrees.plain_decree()).status_code == 201
    stale = bkppd.command(case["case_id"], "record_sanction", version, sanction_type="teguran_lisan",
                          decree_number="800/119/BKPPD/2026", decree_date="2026-12-02")
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "stale_version"), stale.text


def test_the_cli_records_the_decision_with_the_sk_and_records_nothing_for_a_bad_file(
        stack, stack_db, ketua, anggota, bkppd, tmp_path):
    netra: Netra = logged_in(stack, tmp_path, "bkppd.sk", bkppd.password, bkppd.totp_secret)
    case, version, _ = forwarded_case(stack, stack_db, ketua, anggota)
    number = case["case_number"]
    bad, good = tmp_path / "sk-rusak.pdf", tmp_path / "sk.pdf"
    bad.write_bytes(decrees.with_javascript())
    good.write_bytes(decrees.plain_decree("800/118/BKPPD/2026"))
    decision = ("record-sanction", number, "--type", "teguran_lisan", "--decree-number", "800/118/BKPPD/2026",
                "--decree-date", "2026-12-01")
    refused = netra(*decision, "--decree-file", str(bad))
    assert refused.returncode != 0
    assert "memuat JavaScript" in refused.stdout + refused.stderr
    assert ketua.get(f"/api/v1/cases/{case['case_id']}").json()["version"] == version  # nothing recorded
    recorded = netra.ok(*decision, "--decree-file", str(good), "--expected-version", str(version))
    digest = hashlib.sha256(good.read_bytes()).hexdigest()
    assert f"SK sk.pdf tersimpan sebagai bukti: SHA-256 {digest}" in recorded
    assert ketua.get(f"/api/v1/cases/{case['case_id']}").json()["status"] == "closed"
    assert digest in netra.ok("show", number)
    again = netra.ok("attach-decree", number, str(good))
    assert f"SHA-256 {digest}" in again


def test_the_kept_sk_opens_again_byte_for_byte_for_those_who_defend_the_decision(
        stack, stack_db, ketua, anggota, bkppd, tmp_path):
    """BKPPD, the leads and the assignee get the exact file (its SHA-256 is the recorded one); another
    anggota and the admin are refused; every opening is in evidence's custody log and on the case,
    and the reporter's status page says nothing of it. The CLI opens it too."""
    case, _, filed = forwarded_case(stack, stack_db, ketua, anggota)  # assigned to `anggota`
    sk = decrees.plain_decree("800/121/BKPPD/2026", pages=2)
    decree = send(bkppd, case["case_id"], sk).json()["decree"]
    assert decree["sha256"] == hashlib.sha256(sk).hexdigest()
    sekretaris = enrol(stack, "sekretaris.sk", "sekretaris", work_unit="Diskominfo")
    other_anggota = enrol(stack, "anggota.lain.sk", "anggota", work_unit="Diskominfo")
    admin = enrol(stack, "admin.sk", "admin")
    path = f"/api/v1/cases/{case['case_id']}/decrees/{decree['decree_id']}.pdf"
    page_before = complaints.status(stack.settings.url("intake"), filed["tracking_code"], filed["receipt"]).json()

    for member in (bkppd, ketua, sekretaris, anggota):
        opened = member.get(path)
        assert opened.status_code == 200, (member.user["role"], opened.text[:300])
        assert opened.headers["Content-Type"] == "application/pdf"
        assert hashlib.sha256(opened.content).hexdigest() == decree["sha256"] and opened.content == sk
    for member in (other_anggota, admin):
        refused = member.get(path)
        assert refused.status_code == 403, (member.user["role"], refused.text[:300])
        assert refused.headers["Content-Type"].startswith("application/json")
    assert ketua.get(f"/api/v1/cases/{case['case_id']}/decrees/{complaint_id_of(stack_db, filed['tracking_code'])}"
                     ".pdf").status_code == 404  # not a decree of this case

    with stack_db.connect() as conn:
        custody = conn.execute(text("SELECT member_role, copy, purpose FROM evidence.custody_log "
                                    "WHERE evidence_id = :d ORDER BY viewed_at"), {"d": decree["decree_id"]}).all()
    assert [(r.member_role, r.copy) for r in custody] == [
        ("bkppd", "decree"), ("ketua", "decree"), ("sekretaris", "decree"), ("anggota", "decree")]
    views = [t for t in ketua.get(f"/api/v1/cases/{case['case_id']}").json()["access_log"]
             if t["type"] == "decree_viewed"]
    assert len(views) == 4

    netra: Netra = logged_in(stack, tmp_path, "bkppd.sk", bkppd.password, bkppd.totp_secret)
    saved = tmp_path / "sk-dibuka-lagi.pdf"
    netra.ok("decree", case["case_number"], "--out", str(saved))
    assert saved.read_bytes() == sk and oct(saved.stat().st_mode & 0o777) == "0o600"
    assert len([t for t in ketua.get(f"/api/v1/cases/{case['case_id']}").json()["access_log"]
                if t["type"] == "decree_viewed"]) == 5

    page_after = complaints.status(stack.settings.url("intake"), filed["tracking_code"], filed["receipt"]).json()
    assert page_after == page_before  # the reporter's status page is unchanged by any opening
