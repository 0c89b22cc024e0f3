"""Accounts with the `netra` tool, run as the team runs it: an admin makes an account, its holder
enrols from the terminal with the mailed code (never an argument), a ketua confirms it after seeing
what it names, and reads the audit log."""

from __future__ import annotations

import json

import requests

from tests.conftest import enrol
from tests.e2e.test_netra_cli import Netra, logged_in
from tests.support.accounts import new_password
from tests.support.enrolling import wait_for_code
from tests.support.totp import fresh_code


def test_an_account_is_made_enrolled_confirmed_and_audited_from_the_terminal(stack, tmp_path):
    admin = enrol(stack, "cli.admin.akun", "admin")
    (tmp_path / "admin").mkdir()
    cli_admin = logged_in(stack, tmp_path / "admin", "cli.admin.akun", admin.password, admin.totp_secret)
    made = cli_admin.ok("users", "create", "--username", "cli.anggota.baru", "--full-name", "Rina Marlina",
                        "--role", "anggota", "--email", "rina.cli@example.id", "--work-unit", "Bappeda")
    assert "Kode pendaftaran dikirim ke rina.cli@example.id" in made

    code = wait_for_code(stack, "rina.cli@example.id")
    secret = requests.post(f"{stack.settings.url('casework')}/api/v1/enrolment/open", json={"code": code},
                           timeout=10).json()["totp_secret"]
    holder = Netra(stack, tmp_path / "holder.json")
    password = new_password()
    enrolled = holder("enrol", "--stdin", "--otp", fresh_code(secret), stdin=f"{code}\n{password}\n")
    assert enrolled.returncode == 0, enrolled.stderr
    assert secret in enrolled.stdout and "menunggu konfirmasi ketua" in enrolled.stdout
    assert code not in enrolled.stdout
    assert holder.login("cli.anggota.baru", password, secret).returncode == 0
    waiting = holder("list")
    assert waiting.returncode == 1 and "awaiting_confirmation" in waiting.stderr

    ketua = enrol(stack, "cli.ketua.akun", "ketua")
    (tmp_path / "ketua").mkdir()
    cli_ketua = logged_in(stack, tmp_path / "ketua", "cli.ketua.akun", ketua.password, ketua.totp_secret)
    declined = cli_ketua("users", "confirm", "cli.anggota.baru", stdin="n\n")
    assert declined.returncode != 0 and "Rina Marlina" in declined.stdout and "Bappeda" in declined.stdout
    assert "menunggu konfirmasi ketua" in cli_ketua.ok("users", "list", "--state", "awaiting_confirmation")
    confirmed = cli_ketua("users", "confirm", "cli.anggota.baru", stdin="y\n")
    assert confirmed.returncode == 0 and "dikonfirmasi (aktif)" in confirmed.stdout
    assert holder("list").returncode == 0

    log = json.loads(cli_ketua.ok("audit", "--account", "cli.anggota.baru", "--json"))
    assert [e["action"] for e in reversed(log["items"])] == ["created", "enrolled", "confirmed"]
    told = cli_ketua.ok("audit")
    assert "Dikonfirmasi ketua" in told and "Akun dibuat" in told  # the actions in words, not codes

    # A ketua who holds the identity vault gives it to another ketua from the terminal (audited).
    other = enrol(stack, "cli.ketua.kedua", "ketua")
    assert "kini memegang akses brankas identitas" in cli_ketua.ok("users", "grant-vault", "cli.ketua.kedua")
    granted = json.loads(cli_ketua.ok("audit", "--account", "cli.ketua.kedua", "--json"))["items"][0]
    assert (granted["action"], granted["actor_name"]) == ("vault_granted", ketua.user["full_name"])
    assert other.user["username"] == "cli.ketua.kedua"
