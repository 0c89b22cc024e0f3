"""Managing accounts is not disclosing, over HTTP: an admin makes an account and never learns its
secrets; its holder enrols with the code notify mailed them; a ketua confirms it before it counts;
changes undo the confirmation and end every session; every step is in the audit log and in every
ketua's mail."""

from __future__ import annotations

import uuid

import pytest
import requests
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.conftest import enrol
from tests.e2e.test_identity_disclosure import everything_stored
from tests.support import complaints
from tests.support.accounts import confirm, log_in
from tests.support.casework import case_id_for, complaint_id_of, wait_for_case
from tests.support.enrolling import (
    complete,
    enrol_with_code,
    mails_to,
    open_code,
    subject_of,
    text_of,
    wait_for_code,
)
from tests.support.totp import fresh_code
from tests.support.waiting import eventually

KETUA_MAIL = "ketua.akun@bengkaliskab.go.id"


@pytest.fixture(scope="module")
def admin(stack):
    return enrol(stack, "admin.akun", "admin", email="admin.akun@bengkaliskab.go.id")


@pytest.fixture(scope="module")
def ketua_with_mail(stack):
    """A second active ketua who reads mail: every account change reaches them."""
    return enrol(stack, "ketua.akun", "ketua", email=KETUA_MAIL, full_name="Ketua Penerima Surat Akun")


def new_account(admin, username: str, role: str = "anggota", **extra) -> requests.Response:
    return admin.post("/api/v1/users", {"username": username, "full_name": f"Orang {username}", "role": role,
                                        "email": f"{username}@example.id", "work_unit": "Diskominfo", **extra})


def audit_of(client, user_id: str) -> list[dict]:
    page = client.get("/api/v1/audit/accounts", params={"account_id": user_id})
    assert page.status_code == 200, page.text
    return page.json()["items"]


def account(client, user_id: str) -> dict:
    return next(a for a in client.get("/api/v1/users").json() if a["user_id"] == user_id)


def test_an_admin_makes_an_account_its_holder_enrols_and_a_ketua_confirms_it(stack, stack_db, admin,
                                                                            ketua_with_mail, ketua):
    made = new_account(admin, "anggota.diundang")
    assert made.status_code == 201, made.text
    created = made.json()
    assert created["state"] == "invited" and created["email"] == "anggota.diundang@example.id"
    assert not {"password", "totp_secret", "totp_uri", "code"} & set(created)

    code = wait_for_code(stack, "anggota.diundang@example.id")
    assert code not in made.text
    opened = open_code(stack, code)
    assert opened.status_code == 200 and opened.headers["Cache-Control"] == "no-store"
    assert opened.json()["username"] == "anggota.diundang" and opened.json()["needs_confirmation"] is True
    assert open_code(stack, code).json()["totp_secret"] == opened.json()["totp_secret"]  # a reload shows the same
    holder = enrol_with_code(stack, code)
    assert open_code(stack, code).status_code == 404  # used once

    # Enrolled, not yet confirmed: it sees its own account and nothing else.
    me = holder.get("/api/v1/me").json()
    assert me["state"] == "awaiting_confirmation"
    refused = holder.get("/api/v1/cases")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "awaiting_confirmation"
    assert refused.json()["error"]["message"].startswith("Akun Anda menunggu konfirmasi ketua")
    assert holder.user["user_id"] not in {m["user_id"] for m in ketua.get("/api/v1/team").json()}

    before = account(ketua, holder.user["user_id"])
    confirmed = ketua_with_mail.post(f"/api/v1/users/{holder.user['user_id']}/confirm",
                                     {"expected_version": before["version"]})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["confirmed"] == {"full_name": "Orang anggota.diundang", "role": "anggota",
                                             "work_unit": "Diskominfo", "email": "anggota.diundang@example.id"}
    assert holder.get("/api/v1/cases").status_code == 200
    assert holder.user["user_id"] in {m["user_id"] for m in ketua.get("/api/v1/team").json()}

    entries = audit_of(ketua, holder.user["user_id"])
    assert [(e["action"], e["actor_role"]) for e in reversed(entries)] == [
        ("created", "admin"), ("enrolled", "self"), ("confirmed", "ketua")]
    assert entries[0]["details"]["confirmed"]["email"] == "anggota.diundang@example.id"

    # The code was in the mail and nowhere else: no table (outboxes included), no log.
    assert [row for row in everything_stored(stack) if code in row] == []
    for log in stack.settings.log_dir.glob("*.log"):
        assert code not in log.read_text(errors="replace"), log.name
    subjects = eventually(lambda: (lambda s: s if len(s) >= 3 else None)(
        [subject_of(m) for m in mails_to(stack, KETUA_MAIL) if "anggota.diundang" in subject_of(m)]),
        message="the ketua's mail about each step")
    assert subjects[:3] == ["[Netra] Akun baru: Orang anggota.diundang (anggota.diundang)",
                            "[Netra] Pendaftaran akun selesai: Orang anggota.diundang (anggota.diundang)",
                            "[Netra] Akun dikonfirmasi: Orang anggota.diundang (anggota.diundang)"]


def test_an_admin_never_reads_a_secret_nor_the_audit_log(stack, admin):
    listed = admin.get("/api/v1/users")
    assert listed.status_code == 200
    assert not any({"password_hash", "totp_secret", "code"} & set(a) for a in listed.json())
    assert admin.get("/api/v1/audit/accounts").status_code == 403
    assert admin.post(f"/api/v1/users/{admin.user['user_id']}/deactivate").json()["error"]["code"] == "own_account"


def test_an_existing_username_is_refused_with_409_and_nothing_changes(stack, admin, ketua):
    before = account(ketua, admin.user["user_id"])
    again = admin.post("/api/v1/users", {"username": "admin.akun", "full_name": "Penyusup", "role": "ketua",
                                         "email": "penyusup@example.id"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "username_taken"
    assert account(ketua, admin.user["user_id"]) == before
    assert admin.get("/api/v1/me").status_code == 200  # its session did not end either


def test_changes_undo_the_confirmation_and_end_every_session_at_once(stack, admin, ketua_with_mail, ketua):
    member = enrol(stack, "anggota.berubah", "anggota", email="anggota.berubah@example.id", work_unit="Bappeda")
    second = log_in(stack, "anggota.berubah", member.password, member.totp_secret)
    user_id = member.user["user_id"]

    assert admin.post(f"/api/v1/users/{user_id}/role", {"role": "sekretaris"}).json()["state"] == \
        "awaiting_confirmation"
    for session in (member, second):
        ended = session.get("/api/v1/me")
        assert ended.status_code == 401 and ended.json()["error"]["details"]["reason"] == "account"
    member.log_in_again()
    assert member.get("/api/v1/cases").json()["error"]["code"] == "awaiting_confirmation"
    confirm(ketua, user_id)

    moved = admin.post(f"/api/v1/users/{user_id}/email", {"email": "pindah@example.id"})
    assert moved.status_code == 200 and moved.json()["state"] == "awaiting_confirmation"
    assert member.get("/api/v1/me").status_code == 401
    told = eventually(lambda: [m for m in mails_to(stack, "anggota.berubah@example.id")
                               if "E-mail akun diubah" in subject_of(m)], message="a notice at the old address")
    assert "pindah@example.id" in text_of(told[0])
    confirm(ketua, user_id)

    codes_before = len([m for m in mails_to(stack, "pindah@example.id") if "Pendaftaran" in subject_of(m)])
    reset = admin.post(f"/api/v1/users/{user_id}/reset-enrolment")
    assert reset.status_code == 200 and reset.json()["state"] == "invited"
    login = requests.post(f"{stack.settings.url('casework')}/api/v1/auth/login", timeout=30, json={
        "username": "anggota.berubah", "password": member.password, "otp": fresh_code(member.totp_secret)})
    assert login.status_code == 401
    again = enrol_with_code(stack, wait_for_code(stack, "pindah@example.id", already=codes_before))
    assert again.get("/api/v1/me").json()["state"] == "awaiting_confirmation"

    assert admin.post(f"/api/v1/users/{user_id}/deactivate").json()["state"] == "inactive"
    assert again.get("/api/v1/me").status_code == 401
    assert admin.post(f"/api/v1/users/{user_id}/role", {"role": "anggota"}).status_code == 409
    actions = [e["action"] for e in reversed(audit_of(ketua_with_mail, user_id))]
    assert actions == ["created_on_server", "confirmed", "role_changed", "confirmed", "email_changed", "confirmed",
                       "enrolment_reset", "enrolled", "deactivated"]


def test_a_ketua_confirms_the_account_as_they_saw_it(stack, admin, ketua):
    member = enrol(stack, "anggota.dilihat", "anggota", email="anggota.dilihat@example.id", confirmed=False)
    seen = account(ketua, member.user["user_id"])
    admin.post(f"/api/v1/users/{member.user['user_id']}/email", {"email": "lain.dilihat@example.id"})
    stale = ketua.post(f"/api/v1/users/{member.user['user_id']}/confirm", {"expected_version": seen["version"]})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "account_changed"
    assert account(ketua, member.user["user_id"])["state"] == "awaiting_confirmation"
    confirm(ketua, member.user["user_id"])
    done = ketua.post(f"/api/v1/users/{member.user['user_id']}/confirm", {"expected_version": 99})
    assert done.status_code == 409 and done.json()["error"]["code"] == "not_awaiting_confirmation"


def test_an_account_that_awaits_confirmation_cannot_be_assigned_nor_confirm_itself(stack, stack_db, admin, ketua):
    waiting = enrol(stack, "ketua.menunggu", "ketua", email="ketua.menunggu@example.id", confirmed=False)
    own = waiting.post(f"/api/v1/users/{waiting.user['user_id']}/confirm",
                       {"expected_version": account(ketua, waiting.user["user_id"])["version"]})
    assert own.status_code == 403 and own.json()["error"]["code"] == "awaiting_confirmation"
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(), []).json()
    case = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    refused = ketua.command(case["case_id"], "assign", case["version"], assignee_id=waiting.user["user_id"])
    assert refused.status_code in (400, 422) and "dikonfirmasi ketua" in refused.json()["error"]["message"]


def test_a_wrong_or_made_up_enrolment_code_opens_nothing(stack):
    for code in ("x" * 43, uuid.uuid4().hex + uuid.uuid4().hex[:11]):
        refused = open_code(stack, code)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "enrolment_code_invalid"
        assert complete(stack, code, "kuda-laut-berenang-7", "123456").status_code == 404
    assert open_code(stack, "pendek").status_code == 400


def test_the_account_audit_log_is_append_only(stack_db):
    for statement in ("UPDATE casework.account_audit SET actor_name = 'x'", "DELETE FROM casework.account_audit",
                      "TRUNCATE casework.account_audit"):
        with pytest.raises(DBAPIError, match="append-only"), stack_db.begin() as conn:
            conn.execute(text(statement))
