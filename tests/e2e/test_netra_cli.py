"""The team's command-line tool `netra` against the running system, run as the team runs it (a
separate process, its own session file): every command explains itself; a session is kept
privately and ended; cases are listed, shown and walked to BKPPD; refusals end non-zero with the
API's own message; outputs land in files; and the reporter's identity only ever reaches the
screen of the person a disclosure names."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
import requests

from netra_cli import vocabulary
from netra_cli.main import cli
from tests.conftest import enrol
from tests.support import complaints, events
from tests.support.casework import FINDING, case_id_for, complaint_id_of, to_confirmed, wait_for_case
from tests.support.totp import fresh_code, spare_code
from tests.support.waiting import eventually

pytestmark = pytest.mark.stack

COMMANDS = [
    [], ["login"], ["logout"], ["whoami"], ["preferences"], ["list"], ["show"], ["read-identity"], ["file-case"],
    ["users"], ["users", "list"], ["users", "create"], ["users", "role"], ["users", "email"], ["users", "deactivate"],
    ["users", "reset-enrolment"], ["users", "confirm"], ["users", "grant-vault"], ["audit"], ["enrol"], ["password"],
    *([name] for name in vocabulary.CASE_COMMANDS),
    ["stats"], ["export"], ["export", "stats"], ["export", "chart"], ["export", "dossier"], ["grant"],
    ["evidence"], ["attach-decree"], ["decree"], ["add-screenshot"],
]
IDENTITY = {"anonymous": False, "name": "Hasanuddin Saksi Baris", "email": "hasan.saksi.cli@example.net",
            "phone": "081377665544", "nik": "1403017101850003", "consent_contact": True}
PLAINTEXT = ("Hasanuddin", "hasan.saksi.cli", "081377665544", "1403017101850003")


class Netra:
    """`netra` as a subprocess with its own server URL and session file."""

    def __init__(self, stack, session_file: Path):
        self.session_file = session_file
        self.env = {**os.environ, "NETRA_URL": stack.settings.url("casework"),
                    "NETRA_SESSION_FILE": str(session_file)}

    def __call__(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "netra_cli.main", *args], env=self.env, input=stdin,
                              capture_output=True, text=True, timeout=60)

    def ok(self, *args: str) -> str:
        done = self(*args)
        assert done.returncode == 0, f"netra {' '.join(args)}: {done.stdout}{done.stderr}"
        return done.stdout

    def login(self, username: str, password: str, totp_secret: str) -> subprocess.CompletedProcess:
        return self("login", "--username", username, "--password-stdin", "--otp", fresh_code(totp_secret),
                    stdin=password + "\n")


def logged_in(stack, folder: Path, username: str, password: str, secret: str) -> Netra:
    netra = Netra(stack, folder / "session.json")
    done = netra.login(username, password, secret)
    assert done.returncode == 0, done.stderr
    return netra


@pytest.fixture(scope="module")
def cli_ketua(stack, tmp_path_factory) -> Netra:
    return logged_in(stack, tmp_path_factory.mktemp("ketua"), "ketua", stack.secrets["dev_team_password"],
                     stack.secrets["dev_team_totp_secret"])


@pytest.fixture(scope="module")
def member(stack):
    return enrol(stack, "cli.anggota", "anggota")


@pytest.fixture(scope="module")
def cli_anggota(stack, tmp_path_factory, member) -> Netra:
    return logged_in(stack, tmp_path_factory.mktemp("anggota"), "cli.anggota", member.password, member.totp_secret)


def new_case(ketua, bus_publisher, **payload) -> dict:
    message = events.complaint_submitted()
    message["payload"].update(payload)
    bus_publisher.publish_event(message)
    return in_queue(ketua, wait_for_case(ketua, case_id_for(message["payload"]["complaint_id"])))


def in_queue(ketua, case: dict) -> dict:
    """Wait for the work queue (a projection, updated just after the case) to hold the case: the CLI
    finds a case number there."""
    def listed():
        page = ketua.get("/api/v1/cases", params={"q": case["case_number"]}).json()
        return case["case_id"] in {item["case_id"] for item in page["items"]}

    eventually(listed, message=f"{case['case_number']} in the work queue")
    return case


def status_of(ketua, case_id: str) -> str:
    return ketua.get(f"/api/v1/cases/{case_id}").json()["status"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- help ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) or "netra" for c in COMMANDS])
def test_every_command_explains_itself(command):
    done = subprocess.run([sys.executable, "-m", "netra_cli.main", *command, "--help"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Pemakaian: netra {' '.join(command)}".rstrip())
    assert "Tampilkan bantuan ini lalu keluar." in done.stdout and "Show this message" not in done.stdout
    summary = done.stdout.split("\n\n")[1].strip()
    assert summary and "\n" not in summary, "a one-line summary under Usage"


def test_the_help_test_covers_every_command_and_every_api_command_has_one(stack):
    listed = {name for name in cli.commands} | {f"{group} {name}" for group in ("export", "users")
                                                 for name in cli.commands[group].commands}
    assert listed == {" ".join(c) for c in COMMANDS if c}
    document = requests.get(f"{stack.settings.url('casework')}/openapi.json", timeout=10).json()
    prefix = "/api/v1/cases/{case_id}/"
    not_commands = ("identity", ".json", ".pdf", "decree", "screenshots")
    api_commands = {path[len(prefix):] for path in document["paths"] if path.startswith(prefix)
                    and "/" not in path[len(prefix):] and not path.endswith(not_commands)}
    assert api_commands == set(vocabulary.CASE_COMMANDS.values())
    # The choices the CLI offers are the words the API accepts.
    schemas = document["components"]["schemas"]
    assert schemas["DismissCommand"]["properties"]["reason"]["enum"] == list(vocabulary.DISMISSAL_REASONS)
    assert schemas["ProposeViolationCommand"]["properties"]["sanction_level"]["enum"] == \
        list(vocabulary.SANCTION_LEVELS)
    assert schemas["RecordSanctionCommand"]["properties"]["sanction_type"]["enum"] == \
        list(vocabulary.SANCTION_TYPES)
    assert schemas["FileCase"]["properties"]["platform"]["enum"] == list(vocabulary.PLATFORMS)
    assert schemas["FileCase"]["properties"]["violation_types"]["items"]["enum"] == \
        list(vocabulary.VIOLATION_TYPES)
    # So are the work queue's filters and page, which the API now refuses rather than ignores.
    query = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/cases"]["get"]["parameters"]}
    assert [query[name]["enum"] for name in ("status", "platform", "violation_type", "kecamatan")] == \
        [list(vocabulary.STATUSES), list(vocabulary.PLATFORMS), list(vocabulary.VIOLATION_TYPES),
         list(vocabulary.KECAMATAN)]
    assert query["sort"]["enum"] == list(vocabulary.SORTS)
    assert (query["limit"]["maximum"], query["offset"]["maximum"]) == (vocabulary.LARGEST_PAGE,
                                                                       vocabulary.LARGEST_OFFSET)


# --- the session --------------------------------------------------------------------------


def test_login_whoami_and_logout_keep_the_token_in_a_private_file_and_end_it(stack, tmp_path):
    netra = Netra(stack, tmp_path / "config" / "netra" / "session.json")
    done = netra.login("ketua", stack.secrets["dev_team_password"], stack.secrets["dev_team_totp_secret"])
    assert done.returncode == 0, done.stderr
    assert "Masuk sebagai ketua" in done.stdout and "WIB" in done.stdout
    assert mode(netra.session_file) == 0o600 and mode(netra.session_file.parent) == 0o700
    stored = json.loads(netra.session_file.read_text())
    assert set(stored) == {"url", "token", "expires_at", "user"}
    assert stored["url"] == stack.settings.url("casework") and stored["user"]["username"] == "ketua"
    me = f"{stack.settings.url('casework')}/api/v1/me"
    assert requests.get(me, headers={"Authorization": f"Bearer {stored['token']}"}, timeout=10).status_code == 200

    shown = netra.ok("whoami")
    assert "ketua" in shown and "Peran" in shown and stack.settings.url("casework") in shown

    assert "Anda telah keluar" in netra.ok("logout")
    assert not netra.session_file.exists()
    assert requests.get(me, headers={"Authorization": f"Bearer {stored['token']}"}, timeout=10).status_code == 401
    after = netra("whoami")
    assert after.returncode == 3 and "Jalankan `netra login`" in after.stderr


def test_a_member_sets_how_they_are_notified(stack, tmp_path):
    account = enrol(stack, "cli.pilih", "anggota", email="cli.pilih@bengkaliskab.go.id")
    netra = Netra(stack, tmp_path / "session.json")
    assert netra.login("cli.pilih", account.password, account.totp_secret).returncode == 0
    assert "langsung" in netra.ok("preferences") and "cli.pilih@bengkaliskab.go.id" in netra.ok("preferences")
    assert "ringkasan harian" in netra.ok("preferences", "--notify-mode", "digest")
    assert account.get("/api/v1/me").json()["notify_mode"] == "digest"
    wrong = netra("preferences", "--notify-mode", "mingguan")
    assert wrong.returncode == 2 and "mingguan" in wrong.stderr


def test_a_member_changes_their_own_password_and_logs_in_with_it(stack, tmp_path):
    account = enrol(stack, "cli.sandi", "anggota")
    netra = Netra(stack, tmp_path / "session.json")
    assert netra.login("cli.sandi", account.password, account.totp_secret).returncode == 0
    new = account.password + "-baru"
    wrong = netra("password", "--stdin", "--otp", spare_code(account.totp_secret),
                  stdin=f"bukan-sandinya-123\n{new}\n")
    assert wrong.returncode == 1 and "Kata sandi saat ini atau kode OTP salah" in wrong.stderr, wrong.stderr
    changed = netra("password", "--stdin", "--otp", fresh_code(account.totp_secret),
                    stdin=f"{account.password}\n{new}\n")
    assert changed.returncode == 0 and "Kata sandi diganti" in changed.stdout, changed.stderr
    assert "cli.sandi" in netra.ok("whoami")  # this session goes on
    assert account.get("/api/v1/me").status_code == 401  # the other session ended
    assert netra.login("cli.sandi", new, account.totp_secret).returncode == 0


def test_a_wrong_code_is_refused_with_the_apis_message_and_no_session_is_kept(stack, tmp_path):
    account = enrol(stack, "cli.salah.kode", "anggota")
    netra = Netra(stack, tmp_path / "session.json")
    stale_code = pyotp.TOTP(account.totp_secret).at(datetime.now(UTC) - timedelta(hours=1))
    done = netra("login", "--username", "cli.salah.kode", "--password-stdin", "--otp", stale_code,
                 stdin=account.password + "\n")
    assert done.returncode == 1
    assert "HTTP 401" in done.stderr and "Nama pengguna, kata sandi, atau kode OTP salah." in done.stderr
    assert not netra.session_file.exists()


def test_accounts_are_listed_for_an_admin_and_a_ketua_and_refused_to_others(stack, tmp_path, cli_ketua, cli_anggota):
    admin = enrol(stack, "cli.admin", "admin")
    listed = logged_in(stack, tmp_path, "cli.admin", admin.password, admin.totp_secret).ok("users")
    assert "cli.admin" in listed and "ketua" in listed and "aktif" in listed
    assert "cli.admin" in cli_ketua.ok("users", "list")
    refused = cli_anggota("users")
    assert refused.returncode == 1 and "HTTP 403" in refused.stderr and "view_accounts" in refused.stderr


# --- reading cases ------------------------------------------------------------------------


def test_list_filters_the_queue_and_prints_a_table_or_the_apis_json(ketua, bus_publisher, cli_ketua):
    unit = f"Dinas Uji CLI {uuid.uuid4().hex[:6]}"
    case = new_case(ketua, bus_publisher, reported={"name": "Andi Wijaya", "work_unit": unit, "kecamatan": "Mandau"})
    page = json.loads(cli_ketua.ok("list", "--work-unit", unit, "--json"))
    assert [item["case_id"] for item in page["items"]] == [case["case_id"]] and page["total"] == 1
    table = cli_ketua.ok("list", "--work-unit", unit, "--status", "opened", "--platform", "instagram")
    assert case["case_number"] in table and "Andi Wijaya" in table and "WIB" in table
    assert table.rstrip().endswith("1 dari 1 kasus")
    assert "(kosong)" in cli_ketua.ok("list", "--work-unit", unit, "--status", "closed")
    found = json.loads(cli_ketua.ok("list", "--search", case["case_number"], "--json"))
    assert case["case_id"] in {item["case_id"] for item in found["items"]}


UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_show_finds_a_case_by_its_number_and_prints_it_in_words_and_wib(ketua, bus_publisher, cli_ketua,
                                                                        cli_anggota):
    case = new_case(ketua, bus_publisher)
    shown = cli_ketua.ok("show", case["case_number"].lower())
    assert shown.startswith(f"Kasus {case['case_number']}\n")
    assert "Dibuka (versi 1)" in shown and "Pengaduan masyarakat (portal)" in shown
    assert "Tugaskan petugas (netra assign); Hentikan kasus (tidak dilanjutkan) (netra dismiss)" in shown
    assert "Riwayat" in shown and "Kasus dibuka" in shown and "Sistem" in shown and "WIB" in shown
    # Words, not codes: no stage, platform, violation or event code, no person's or case's id.
    for code in ("opened", "case_opened", "share", case["case_id"]):
        assert not re.search(rf"\b{code}\b", shown), code
    assert re.search(r"Platform\s+: Instagram\n", shown)  # (its link holds instagram.com, rightly)
    assert not UUID_TEXT.search(shown)
    # An anggota not assigned to the case is offered nothing (each would answer 403).
    assert "Yang boleh Anda jalankan : tidak ada" in cli_anggota.ok("show", case["case_number"])
    # --json keeps the API's codes, for scripts.
    assert json.loads(cli_ketua.ok("show", case["case_number"], "--json")) == \
        ketua.get(f"/api/v1/cases/{case['case_id']}").json()
    missing = cli_ketua("show", "NTR-1999-99999")
    assert missing.returncode == 1 and "tidak ditemukan" in missing.stderr


# --- the case's path ----------------------------------------------------------------------


def test_a_case_walks_to_bkppd_through_the_cli(ketua, bus_publisher, cli_ketua, cli_anggota, member):
    case = new_case(ketua, bus_publisher)
    number, case_id = case["case_number"], case["case_id"]

    assigned = cli_ketua("assign", number, "--to", member.user["user_id"])
    assert assigned.returncode == 0, assigned.stderr
    assert "Tanpa --expected-version: memakai versi kasus saat ini, 1" in assigned.stderr
    assert "Berhasil: Tugaskan petugas" in assigned.stdout and "Ditugaskan (versi 2)" in assigned.stdout
    assert status_of(ketua, case_id) == "assigned"

    started = cli_anggota.ok("start-verification", number, "--expected-version", "2")
    assert status_of(ketua, case_id) == "under_verification"
    assert "Perintah yang boleh berikutnya: Minta klarifikasi pelapor (netra request-clarification); " \
           "Usulkan pelanggaran (netra propose-violation); Hentikan kasus (tidak dilanjutkan) (netra dismiss)" \
           in started
    proposed = cli_anggota.ok("propose-violation", number, "--finding", FINDING["finding"], "--legal-basis",
                              FINDING["legal_basis"], "--sanction-level", FINDING["sanction_level"])
    assert status_of(ketua, case_id) == "violation_proposed"
    # The proposer is not offered the second member's half of the two-person rule.
    offered = proposed.split("Perintah yang boleh berikutnya:")[1]
    assert "Konfirmasi pelanggaran" not in offered and "Tolak usulan" not in offered
    assert "Konfirmasi pelanggaran (netra confirm-violation)" in cli_ketua.ok("show", number)

    # The two-person rule holds through the CLI as well.
    own = cli_anggota("confirm-violation", number)
    assert own.returncode == 1 and "HTTP 422" in own.stderr and "second_member_required" in own.stderr

    cli_ketua.ok("confirm-violation", case_id)
    assert status_of(ketua, case_id) == "violation_confirmed"
    forwarded = cli_ketua.ok("forward", number)
    assert "Diteruskan ke BKPPD" in forwarded and "Perintah yang boleh berikutnya: tidak ada" in forwarded
    final = ketua.get(f"/api/v1/cases/{case_id}").json()
    assert final["status"] == "forwarded_to_bkppd" and final["finding"]["legal_basis"] == FINDING["legal_basis"]
    assert final["assignee"]["id"] == member.user["user_id"]


def test_a_refused_transition_and_a_stale_version_end_non_zero_with_the_apis_message(ketua, bus_publisher,
                                                                                     cli_ketua):
    case = new_case(ketua, bus_publisher)
    number = case["case_number"]
    expected = ketua.command(case["case_id"], "forward_to_bkppd", 1).json()["error"]["message"]

    refused = cli_ketua("forward", number, "--expected-version", "1")
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"Galat dari server (HTTP 409, transition_not_allowed): {expected}")

    stale = cli_ketua("assign", number, "--to", "me", "--expected-version", "5")
    assert stale.returncode == 1
    assert "HTTP 409, stale_version" in stale.stderr and "Kasus telah diubah orang lain" in stale.stderr
    assert "Versi kasus saat ini: 1" in stale.stderr and f"`netra show {number}`" in stale.stderr
    unchanged = ketua.get(f"/api/v1/cases/{case['case_id']}").json()
    assert (unchanged["status"], unchanged["version"]) == ("opened", 1)


def test_the_team_files_a_case_from_a_json_file(ketua, cli_ketua, tmp_path):
    document = tmp_path / "kasus.json"
    document.write_text(json.dumps({
        "reported": {"name": "Rudi Hartono", "work_unit": "Dinas Kesehatan", "kecamatan": "Bantan"},
        "platform": "tiktok", "post_urls": ["https://www.tiktok.com/@rudi/video/1"],
        "occurred_at": "2026-10-01T09:30:00+07:00", "violation_types": ["post_support"],
        "description": "Video dukungan kepada pasangan calon, ditemukan tim saat patroli."}))
    filed = cli_ketua.ok("file-case", "--json", str(document))
    assert filed.startswith("Kasus dibuat: NTR-")
    number = filed.split()[2]
    listed = eventually(lambda: ketua.get("/api/v1/cases", params={"q": number}).json()["items"],
                        message=f"{number} in the work queue")
    assert [(c["case_number"], c["source"], c["platform"]) for c in listed] == [(number, "team", "tiktok")]


# --- outputs ------------------------------------------------------------------------------


def test_statistics_charts_and_the_dossier_are_exported_to_files(ketua, anggota, bus_publisher, cli_ketua, tmp_path):
    case = new_case(ketua, bus_publisher)
    to_confirmed(ketua, anggota, case["case_id"], case["version"])
    eventually(lambda: any(r["key"] == "violation_confirmed" for r in
                           ketua.get("/api/v1/statistics").json()["counts"]["status"]),
               message="the confirmed case in the statistics")

    assert "Jumlah kasus:" in cli_ketua.ok("stats") and "Waktu di tiap tahap" in cli_ketua.ok("stats")
    assert json.loads(cli_ketua.ok("stats", "--json"))["total_cases"] >= 1

    cli_ketua.ok("export", "stats", "--output", str(tmp_path / "statistik.csv"))
    rows = list(csv.reader(io.StringIO((tmp_path / "statistik.csv").read_text())))
    assert rows[0] == ["section", "key", "count", "average_hours", "median_hours", "cases_in_stage_now"]
    assert ["status", "violation_confirmed"] in [r[:2] for r in rows]

    cli_ketua.ok("export", "chart", "platform", "-o", str(tmp_path / "platform.svg"))
    chart = ET.parse(tmp_path / "platform.svg").getroot()
    assert chart.tag == "{http://www.w3.org/2000/svg}svg"
    assert chart.find("{http://www.w3.org/2000/svg}title").text == "Kasus menurut platform"

    cli_ketua.ok("export", "dossier", case["case_number"], "--format", "pdf", "-o", str(tmp_path / "berkas.pdf"))
    assert (tmp_path / "berkas.pdf").read_bytes().startswith(b"%PDF") and mode(tmp_path / "berkas.pdf") == 0o600
    cli_ketua.ok("export", "dossier", case["case_id"], "--format", "json", "-o", str(tmp_path / "berkas.json"))
    dossier = json.loads((tmp_path / "berkas.json").read_text())
    assert dossier["case_number"] == case["case_number"] and dossier["finding"]["legal_basis"] == \
        FINDING["legal_basis"]

    early = new_case(ketua, bus_publisher)
    refused = cli_ketua("export", "dossier", early["case_number"], "-o", str(tmp_path / "dini.pdf"))
    assert refused.returncode == 1 and "no_finding" in refused.stderr and not (tmp_path / "dini.pdf").exists()


@pytest.fixture(scope="module")
def identified(stack, stack_db, ketua):
    """A complaint with a named reporter and one screenshot, as a case with its evidence."""
    intake = stack.settings.url("intake")
    filed = complaints.file(intake, complaints.complaint(reporter=IDENTITY),
                            [("bukti.png", complaints.png(seed=4242))]).json()
    case = in_queue(ketua, wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])),
                                         screenshots=1))
    return eventually(lambda: (c := ketua.get(f"/api/v1/cases/{case['case_id']}").json())["evidence"] and c,
                      message="the screenshot on the case")


def test_screenshots_are_granted_and_downloaded_with_their_hash_checked(identified, cli_ketua, tmp_path):
    evidence = identified["evidence"][0]
    granted = cli_ketua.ok("grant", identified["case_number"], evidence["evidence_id"], "--purpose",
                           "memeriksa keaslian tangkapan layar")
    assert "Authorization: Grant" in granted and f"/api/v1/evidence/{evidence['evidence_id']}/sanitized" in granted

    def clean(name: str):
        return cli_ketua("evidence", identified["case_number"], evidence["evidence_id"], "--purpose",
                         "memeriksa isi tangkapan layar", "--output", str(tmp_path / name))

    # The file holds the format its name says: evidence serves WebP, the CLI converts.
    for name, magic in (("bersih.png", b"\x89PNG\r\n\x1a\n"), ("bersih.jpg", b"\xff\xd8\xff"),
                        ("bersih.webp", b"RIFF")):
        done = clean(name)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / name).read_bytes().startswith(magic), name
        assert mode(tmp_path / name) == 0o600
    unnamed = clean("bersih.bin")
    assert unnamed.returncode == 2 and "akhiran '.bin'" in unnamed.stderr and not (tmp_path / "bersih.bin").exists()

    as_jpeg = cli_ketua("evidence", identified["case_id"], evidence["evidence_id"], "--original", "--purpose",
                        "memeriksa unggahan asli", "--output", str(tmp_path / "asli.jpg"))
    assert as_jpeg.returncode == 1 and "berformat PNG" in as_jpeg.stderr and ".png" in as_jpeg.stderr
    assert not (tmp_path / "asli.jpg").exists()
    original = cli_ketua("evidence", identified["case_id"], evidence["evidence_id"], "--original", "--purpose",
                         "memeriksa unggahan asli", "--output", str(tmp_path / "asli.png"))
    assert original.returncode == 0, original.stderr
    assert hashlib.sha256((tmp_path / "asli.png").read_bytes()).hexdigest() == evidence["sha256"]
    assert "SHA-256 cocok dengan catatan kasus." in original.stderr


def test_the_identity_reaches_only_the_named_persons_screen_and_never_show(stack, identified, cli_ketua,
                                                                          cli_anggota, member, ketua):
    def leaks(text: str) -> list[str]:
        return [p for p in PLAINTEXT if p in text]

    number = identified["case_number"]
    shown = cli_ketua.ok("show", number)
    assert "anonim: tidak, identitas tersegel: ya" in shown and leaks(shown) == []
    assert leaks(cli_ketua.ok("show", number, "--json")) == []

    cli_ketua.ok("assign", number, "--to", member.user["user_id"])
    own = cli_anggota("request-disclosure", number, "--to", member.user["user_id"], "--reason",
                      "Pelapor perlu dimintai keterangan tambahan sebagai saksi pemeriksaan.")
    assert own.returncode == 1 and "tiga orang berbeda" in own.stderr  # never oneself
    asked = cli_ketua("request-disclosure", number, "--to", member.user["user_id"], "--reason",
                      "Pelapor perlu dimintai keterangan tambahan sebagai saksi pemeriksaan.")
    assert asked.returncode == 0, asked.stderr
    request_id = json.loads(cli_ketua.ok("show", number, "--json"))["disclosures"][0]["request_id"]
    approver = enrol(stack, "cli.ketua.penyetuju", "ketua", work_unit="Diskominfo")
    approved = approver.command(identified["case_id"], "approve_disclosure",
                                approver.get(f"/api/v1/cases/{identified['case_id']}").json()["version"],
                                request_id=request_id, valid_for_hours=1)
    assert approved.status_code == 200, approved.text

    read = cli_anggota.ok("read-identity", number)
    assert read.startswith("*** Rahasia.") and read.rstrip().endswith("***")
    assert IDENTITY["name"] in read and IDENTITY["nik"] in read and IDENTITY["email"] in read

    # Others are refused; the file still shows who may read and how often, never what.
    refused = cli_ketua("read-identity", number)
    assert refused.returncode == 1 and "HTTP 403" in refused.stderr and leaks(refused.stderr) == []
    after = cli_ketua.ok("show", number)
    assert leaks(after) == []  # the approval on the timeline, the reading in the access log, in words
    assert "Pengungkapan identitas pelapor disetujui" in after and "Identitas pelapor dibaca oleh penerima" in after
    for folder in {cli_ketua.session_file.parent, cli_anggota.session_file.parent}:
        for path in folder.rglob("*"):
            assert leaks(path.read_text(errors="replace")) == [], f"identity written to {path}"
