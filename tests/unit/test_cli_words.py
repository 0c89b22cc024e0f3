"""The CLI's text views say codes in words, with the server's own labels (/console/reference.json)
and the team's names: no stage, violation, sanction or event code, no person's id, no Unix time;
`--json` keeps the codes (tests/e2e/test_cli.py runs both against a stack)."""

from __future__ import annotations

import json
import re

from netra_cli import casefile, output
from netra_cli.words import Words
from services.casework.console.reference import console_reference

KETUA, ANGGOTA, BKPPD = ("6c1f4f0e-3f7b-4c55-9a0e-2d7f0b9d8a11", "0b5e3c0e-1111-4c55-9a0e-2d7f0b9d8a12",
                         "9a9e3c0e-2222-4c55-9a0e-2d7f0b9d8a13")
TEAM = [{"user_id": KETUA, "full_name": "Hj. Rahmah", "role": "ketua"},
        {"user_id": ANGGOTA, "full_name": "Budi Santoso", "role": "anggota"},
        {"user_id": BKPPD, "full_name": "Pemeriksa BKPPD", "role": "bkppd"}]
CASE = {
    "case_id": "11111111-2222-4333-8444-555555555555", "case_number": "NTR-2026-00012", "version": 9,
    "status": "sanction_decided", "source": "public", "opened_at": "2026-11-24T22:05:06+00:00",
    "allowed_commands": ["close"], "my_commands": ["close"], "platform": "facebook",
    "violation_types": ["like_comment", "share"], "assignee": {"id": ANGGOTA, "name": "Budi Santoso"},
    "finding": {"finding": "Membagikan konten kampanye.", "legal_basis": "PP 94/2021", "sanction_level": "sedang",
                "proposed_by": ANGGOTA, "confirmed_by": KETUA},
    "sanction": {"sanction_type": "potong_tukin_6", "decree_number": "800/BKPPD/2026/42",
                 "decree_date": "2026-11-21", "note": None},
    "disclosures": [{"request_id": "r-1", "state": "pending", "requested_by": ANGGOTA, "recipient_name": "X",
                     "recipient_body": "BKPPD", "valid_until": None, "reads": 0, "reason": "perlu"}],
    "links": [{"case_id": "22222222-2222-4333-8444-555555555555", "case_number": "NTR-2026-00007",
               "status": "under_verification", "reason": "similar_screenshot",
               "detail": "aaaaaaaa-1111-4c55-9a0e-2d7f0b9d8a11~bbbbbbbb-1111-4c55-9a0e-2d7f0b9d8a11",
               "why": "Tangkapan layar yang hampir sama dengan salah satu bukti kasus NTR-2026-00007"}],
    "timeline": [{"version": 1, "type": "case_opened", "at": "2026-11-24T22:05:06+00:00",
                  "actor": {"id": "system", "role": "system"}, "status": "opened"},
                 {"version": 2, "type": "case_assigned", "at": "2026-11-25T01:00:00+00:00",
                  "actor": {"id": KETUA, "role": "ketua"}, "status": "assigned"},
                 {"version": 8, "type": "sanction_decided", "at": "2026-11-26T01:00:00+00:00",
                  "actor": {"id": BKPPD, "role": "bkppd"}, "status": "sanction_decided"}],
    "access_log": [{"type": "evidence_viewed", "at": "2026-11-25T02:00:00+00:00",
                    "actor": {"id": "system", "role": "system"}, "viewer": {"id": ANGGOTA, "role": "anggota"},
                    "copy": "sanitized", "purpose": "memeriksa"}],
}
CODES = ("sanction_decided", "potong_tukin_6", "like_comment", "under_verification", "case_assigned",
          "evidence_viewed", "similar_screenshot", "pending", "facebook")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def server_words() -> Words:
    # The words the server publishes, through JSON as the CLI receives them.
    return Words(json.loads(json.dumps(console_reference(), default=str)), TEAM, me={"user_id": KETUA,
                                                                                       "full_name": "Hj. Rahmah"})


def test_the_case_file_says_codes_in_words_and_people_by_name_never_their_ids():
    text = casefile.case_file(CASE, server_words())
    for code in CODES:
        assert not re.search(rf"\b{code}\b", text), (code, text)
    assert not UUID.search(text), text
    for said in ("Sanksi diputuskan", "Pemotongan tunjangan kinerja", "Budi Santoso (Anggota)",
                 "Anda (Hj. Rahmah)", "Pemeriksa BKPPD (BKPPD)", "25-11-2026 05:05 WIB",
                 "Tangkapan layar yang hampir sama dengan salah satu bukti kasus NTR-2026-00007",
                 "Tutup kasus (netra close)"):
        assert said in text, (said, text)


def test_a_view_is_in_the_access_log_not_in_the_history_of_changes():
    text = casefile.case_file(CASE, server_words())
    history, access = text.split("Riwayat (perubahan kasus)")[1].split("Catatan akses (siapa melihat)")
    assert "Bukti dilihat" not in history
    assert "Bukti dilihat (salinan bersih)" in access and "Budi Santoso (Anggota)" in access


def test_a_command_done_names_what_this_member_may_run_next_in_words():
    answer = {"case_id": CASE["case_id"], "version": 3, "status": "assigned",
              "allowed_commands": ["assign", "start_verification", "dismiss"], "my_commands": ["assign"]}
    text = output.command_done("assign", answer, "NTR-2026-00012", server_words())
    assert text.splitlines() == ["Berhasil: Tugaskan petugas pada kasus NTR-2026-00012.",
                                 "Tahap sekarang: Ditugaskan (versi 3).",
                                 "Perintah yang boleh berikutnya: Tugaskan petugas (netra assign)"]
