"""A team member's own screenshots, through the real doors (docs/decisions/0025): `netra file-case
--screenshot` and `netra add-screenshot` hand them in, evidence keeps them as it keeps a reporter's
(encrypted, bound to the case, a clean copy to view) and its custody log names the member; a bad file
is refused with a clear 4xx in Bahasa Indonesia and nothing of its request is kept; a role that may
not file gets 403."""

from __future__ import annotations

import hashlib
import json

import pytest
import requests
from sqlalchemy import text

from tests.conftest import enrol
from tests.e2e.test_netra_cli import Netra, logged_in
from tests.support import complaints
from tests.support.waiting import eventually

pytestmark = pytest.mark.stack

CASE = {"reported": {"name": "Rahmat Layar Tim"}, "platform": "instagram", "violation_types": ["post_support"],
        "occurred_at": "2026-11-21T20:15:00+07:00", "description": "Unggahan dukungan yang ditemukan tim sendiri."}


@pytest.fixture(scope="module")
def member(stack):
    return enrol(stack, "layar.anggota", "anggota", work_unit="Dinas Perhubungan")


@pytest.fixture(scope="module")
def netra(stack, tmp_path_factory, member) -> Netra:
    return logged_in(stack, tmp_path_factory.mktemp("layar"), "layar.anggota", member.password, member.totp_secret)


def send(client, case_id: str, files: list[tuple[str, bytes]]) -> requests.Response:
    parts = [("screenshots", (name, data, "application/octet-stream")) for name, data in files]
    return client.session.post(f"{client.base_url}/api/v1/cases/{case_id}/screenshots", timeout=60, files=parts)


def kept_in_evidence(stack_db, case_id: str) -> list:
    with stack_db.connect() as conn:
        return conn.execute(text(
            "SELECT i.evidence_id, i.sha256, i.complaint_id, c.member_id, c.member_role, c.action "
            "FROM evidence.items i LEFT JOIN evidence.custody_log c ON c.evidence_id = i.evidence_id "
            "AND c.action = 'upload' WHERE i.case_id = :c"), {"c": case_id}).all()


def test_a_case_filed_with_a_screenshot_keeps_it_under_custody_naming_the_member(stack, stack_db, member, netra,
                                                                                tmp_path):
    shot = complaints.png(seed=2501)
    (tmp_path / "kasus.json").write_text(json.dumps(CASE))
    (tmp_path / "bukti.png").write_bytes(shot)
    said = netra.ok("file-case", "--json", str(tmp_path / "kasus.json"), "--screenshot", str(tmp_path / "bukti.png"))
    assert "Kasus dibuat" in said and f"Tangkapan layar bukti.png tersimpan sebagai bukti: SHA-256 " \
        f"{hashlib.sha256(shot).hexdigest()}" in said, said
    case_id = said.split("(id ", 1)[1].split(")", 1)[0]
    case = member.get(f"/api/v1/cases/{case_id}").json()
    assert [(e["sha256"], e["added_by"]) for e in case["evidence"]] == [
        (hashlib.sha256(shot).hexdigest(), member.user["user_id"])]
    rows = kept_in_evidence(stack_db, case_id)
    assert [(r.sha256, r.complaint_id, str(r.member_id), r.member_role) for r in rows] == [
        (hashlib.sha256(shot).hexdigest(), None, member.user["user_id"], "anggota")]
    evidence_id = case["evidence"][0]["evidence_id"]
    row = next(line for line in netra.ok("show", case_id).splitlines() if evidence_id in line)
    assert row.rstrip().endswith(f"Anda ({member.user['full_name']})"), row  # `netra show` names who added it
    # Viewed like a reporter's: a grant from casework, the clean copy from evidence, the view on the case.
    grant = member.post(f"/api/v1/cases/{case_id}/evidence/{evidence_id}/grants",
                        {"copy": "sanitized", "purpose": "memeriksa bukti tim"}).json()
    seen = requests.get(grant["url"], headers={"Authorization": f"Grant {grant['grant']}"}, timeout=30)
    assert (seen.status_code, seen.headers["Content-Type"]) == (200, "image/webp")
    eventually(lambda: [v for v in member.get(f"/api/v1/cases/{case_id}").json()["access_log"]
                        if v["type"] == "evidence_viewed"], message="the view recorded on the case")


def test_a_bad_file_is_refused_in_indonesian_and_nothing_of_its_request_is_kept(stack, stack_db, member, netra,
                                                                               tmp_path):
    case = member.post("/api/v1/cases", CASE).json()
    good, broken = complaints.png(seed=2502), complaints.png(seed=2503)[:300]
    for files, status, code, words in [
        ([("catatan.txt", b"bukan gambar sama sekali")], 415, "screenshot_not_an_image", "bukan gambar PNG, JPEG"),
        ([("besar.png", good + b"\0" * (10 * 1024 * 1024))], 413, "screenshot_too_large", "lebih dari 10 MB"),
        ([("baik.png", good), ("rusak.png", broken)], 422, "screenshot_corrupt", "\u201crusak.png\u201d rusak"),
    ]:
        refused = send(member, case["case_id"], files)
        assert (refused.status_code, refused.json()["error"]["code"]) == (status, code), refused.text
        assert words in refused.json()["error"]["message"]
        assert "Tidak ada berkas yang disimpan." in refused.json()["error"]["message"]
    (tmp_path / "rusak.png").write_bytes(broken)
    (tmp_path / "catatan.png").write_bytes(b"bukan gambar")
    done = netra("add-screenshot", case["case_number"], str(tmp_path / "rusak.png"))
    assert done.returncode == 1 and "rusak atau terpotong" in done.stderr, done.stderr
    done = netra("add-screenshot", case["case_number"], str(tmp_path / "catatan.png"))
    assert done.returncode == 2 and "bukan gambar PNG, JPEG, atau WebP" in done.stderr, done.stderr
    after = member.get(f"/api/v1/cases/{case['case_id']}").json()
    assert (after["version"], after["evidence"]) == (case["version"], [])
    assert kept_in_evidence(stack_db, case["case_id"]) == []

# Which roles may hand in screenshots is a cell of the permission matrix (test_team_access.py,
# add_screenshot): a BKPPD account is refused there through the same door.
