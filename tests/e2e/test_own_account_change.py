"""Issue 15, item 6 ("Akun saya"), through the running API: a member changes their own password
and their authenticator, proving the current password and a code. A ketua who holds the identity
vault keeps it across a new password (their key is locked again under it, docs/decisions/0024):
they log in with the new password and approve a disclosure that its recipient reads. Each change
ends the member's other sessions, is in the account audit log and is mailed to the member."""

from __future__ import annotations

import pyotp
import pytest
import requests
from sqlalchemy import text

from tests.conftest import enrol
from tests.support import complaints
from tests.support.accounts import TeamClient, log_in, new_password
from tests.support.casework import case_id_for, complaint_id_of, wait_for_case
from tests.support.enrolling import mails_to, subject_of
from tests.support.totp import fresh_code, spare_code
from tests.support.waiting import eventually

REASON = "Pelapor diperlukan sebagai saksi dalam pemeriksaan disiplin yang mendesak."
KETUA_MAIL = "sandi.ketua@example.id"


@pytest.fixture(scope="module")
def people(stack):
    return {
        "ketua": enrol(stack, "sandi.ketua", "ketua", work_unit="Diskominfo", email=KETUA_MAIL),
        "requester": enrol(stack, "sandi.sekretaris", "sekretaris", work_unit="Diskominfo"),
        "recipient": enrol(stack, "sandi.anggota", "anggota", work_unit="Bappeda", email="sandi.anggota@example.id"),
    }


def locked_key(stack_db, user_id: str) -> tuple[str, str, str]:
    with stack_db.connect() as conn:
        return tuple(conn.execute(text("SELECT public_key, salt, locked_private_key FROM casework.member_keys "
                                       "WHERE user_id = :u"), {"u": user_id}).one())


def refused_login(stack, username: str, password: str, secret: str) -> requests.Response:
    """A login the test expects refused: its code is not used up (spare_code)."""
    return requests.post(f"{stack.settings.url('casework')}/api/v1/auth/login", timeout=30, json={
        "username": username, "password": password, "otp": spare_code(secret)})


def change_password(client: TeamClient, current: str, new: str, refused: bool = False) -> requests.Response:
    code = spare_code(client.totp_secret) if refused else fresh_code(client.totp_secret)
    return client.post("/api/v1/me/password", {"current_password": current, "otp": code, "new_password": new})


def test_a_ketua_changes_the_password_and_keeps_the_vault(stack, stack_db, ketua, people):
    chair = people["ketua"]
    user_id = chair.user["user_id"]
    before = locked_key(stack_db, user_id)
    elsewhere = log_in(stack, "sandi.ketua", chair.password, chair.totp_secret)  # another device
    new = new_password()

    wrong = change_password(chair, "bukan-kata-sandinya-123", new, refused=True)
    assert wrong.status_code == 422, wrong.text
    assert wrong.json()["error"]["code"] == "current_credentials_wrong"
    assert "Kata sandi saat ini atau kode OTP salah" in wrong.text  # in Indonesian
    assert locked_key(stack_db, user_id) == before
    assert elsewhere.get("/api/v1/me").status_code == 200  # nothing changed, no session ended
    weak = change_password(chair, chair.password, "pendek", refused=True)
    assert weak.status_code == 422 and weak.json()["error"]["code"] == "weak_password", weak.text

    changed = change_password(chair, chair.password, new)
    assert changed.status_code == 200, changed.text
    after = locked_key(stack_db, user_id)
    assert after[0] == before[0] and after[1:] != before[1:]  # the same key pair, locked again (a new salt)
    assert chair.get("/api/v1/me").status_code == 200  # the session that changed it goes on
    ended = elsewhere.get("/api/v1/me")
    assert ended.status_code == 401 and ended.json()["error"]["details"]["reason"] == "account", ended.text
    assert refused_login(stack, "sandi.ketua", chair.password, chair.totp_secret).status_code == 401
    chair.password = new
    chair.log_in_again()

    # With the new password the ketua still holds the vault: approving re-seals for the recipient.
    filed = complaints.file(stack.settings.url("intake"),
                            complaints.complaint(reporter=complaints.IDENTIFIED_REPORTER), []).json()
    case_id = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))["case_id"]
    requester, recipient = people["requester"], people["recipient"]
    at = requester.get(f"/api/v1/cases/{case_id}").json()["version"]
    asked = requester.command(case_id, "request_disclosure", at, recipient_id=recipient.user["user_id"], reason=REASON)
    assert asked.status_code == 200, asked.text
    request_id = requester.get(f"/api/v1/cases/{case_id}").json()["disclosures"][-1]["request_id"]
    approved = chair.command(case_id, "approve_disclosure", chair.get(f"/api/v1/cases/{case_id}").json()["version"],
                             request_id=request_id, valid_for_hours=1)
    assert approved.status_code == 200, approved.text
    read = recipient.post(f"/api/v1/cases/{case_id}/identity")
    assert read.status_code == 200, read.text
    assert read.json()["identity"]["name"] == complaints.IDENTIFIED_REPORTER["name"]

    audit = ketua.get("/api/v1/audit/accounts", params={"account_id": user_id}).json()["items"]
    entry = next(e for e in audit if e["action"] == "password_changed")
    assert entry["actor_role"] == "self" and entry["details"]["other_sessions_ended"] == 1, entry
    eventually(lambda: [m for m in mails_to(stack, KETUA_MAIL) if "Kata sandi akun diganti" in subject_of(m)],
               message="the password-change notice to the ketua")


def test_a_member_replaces_the_authenticator_and_the_old_one_stops_working(stack, stack_db, ketua, people):
    member = people["recipient"]
    started = member.post("/api/v1/me/totp")
    assert started.status_code == 200, started.text
    secret, ticket = started.json()["totp_secret"], started.json()["ticket"]
    assert started.headers["Cache-Control"] == "no-store"

    def confirm(client: TeamClient, new_code: str, password: str | None = None, old_code: str | None = None):
        return client.post("/api/v1/me/totp/confirm", {
            "new_totp_secret": secret, "ticket": ticket, "new_otp": new_code,
            "password": password or member.password, "otp": old_code or fresh_code(member.totp_secret)})

    other_session = log_in(stack, "sandi.anggota", member.password, member.totp_secret)
    wrong_code = confirm(member, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111",
                         old_code=spare_code(member.totp_secret))
    assert wrong_code.status_code == 422, wrong_code.text
    assert wrong_code.json()["error"]["details"]["field"] == "new_otp"
    wrong_password = confirm(member, "123456", password="bukan-kata-sandinya-123", old_code="123456")
    assert wrong_password.status_code == 422, wrong_password.text
    # The ticket is this session's: another session of the same member cannot complete it.
    foreign = confirm(other_session, "123456", old_code="123456")
    assert foreign.status_code == 422 and foreign.json()["error"]["code"] == "totp_ticket_invalid", foreign.text
    assert other_session.get("/api/v1/me").status_code == 200  # refused: nothing changed

    old_code = fresh_code(member.totp_secret)  # first: it may wait for a step, and the new code must be fresh
    done = confirm(member, fresh_code(secret), old_code=old_code)
    assert done.status_code == 200, done.text
    assert other_session.get("/api/v1/me").status_code == 401
    assert refused_login(stack, "sandi.anggota", member.password, member.totp_secret).status_code == 401
    member.totp_secret = secret
    member.log_in_again()
    audit = ketua.get("/api/v1/audit/accounts", params={"account_id": member.user["user_id"]}).json()["items"]
    assert "totp_changed" in [e["action"] for e in audit]
    eventually(lambda: [m for m in mails_to(stack, "sandi.anggota@example.id")
                        if "Autentikator akun diganti" in subject_of(m)],
               message="the authenticator-change notice to the member")
