"""Issue 13, items 2–4, through the running API and the operator's commands: the approved recipient
reads the identity with their own session and nobody else does (every other role, an admin, a
token that ended); a new ketua gets the vault only from a ketua who holds it, and a departed one
loses it; the office's recovery key grants it again, audited and mailed to every ketua
(docs/decisions/0017)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from tests.conftest import enrol
from tests.support import complaints
from tests.support.accounts import grant_vault
from tests.support.casework import case_id_for, complaint_id_of, wait_for_case
from tests.support.enrolling import mails_to, subject_of
from tests.support.waiting import eventually

REASON = "Pelapor diperlukan sebagai saksi dalam pemeriksaan disiplin yang mendesak."
IDENTITY = complaints.IDENTIFIED_REPORTER


@pytest.fixture(scope="module")
def people(stack):
    return {
        "requester": enrol(stack, "vault.sekretaris", "sekretaris", work_unit="Diskominfo"),
        "approver": enrol(stack, "vault.ketua", "ketua", work_unit="Diskominfo", email="vault.ketua@example.id"),
        "recipient": enrol(stack, "vault.anggota", "anggota", work_unit="Bappeda"),
        "other_anggota": enrol(stack, "vault.anggota.lain", "anggota", work_unit="Bappeda"),
        "bkppd": enrol(stack, "vault.bkppd", "bkppd", work_unit="BKPPD"),
        "admin": enrol(stack, "vault.admin", "admin"),
    }


def open_case(stack, stack_db, ketua) -> dict:
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(reporter=IDENTITY), []).json()
    return wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))


def version(client, case_id: str) -> int:
    return client.get(f"/api/v1/cases/{case_id}").json()["version"]


def ask(requester, case_id: str, recipient) -> str:
    asked = requester.command(case_id, "request_disclosure", version(requester, case_id),
                              recipient_id=recipient.user["user_id"], reason=REASON)
    assert asked.status_code == 200, asked.text
    return requester.get(f"/api/v1/cases/{case_id}").json()["disclosures"][-1]["request_id"]


def approve(ketua, case_id: str, request_id: str):
    return ketua.command(case_id, "approve_disclosure", version(ketua, case_id), request_id=request_id,
                         valid_for_hours=1)


def operator(stack, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "services.casework.admin", *args], input=stdin, text=True,
                          env=stack.service_env("casework"), capture_output=True)


def read(client, case_id: str):
    return client.post(f"/api/v1/cases/{case_id}/identity")


def test_the_recipient_reads_it_and_nobody_else_not_even_with_an_ended_token(stack, stack_db, ketua, people):
    case_id = open_case(stack, stack_db, ketua)["case_id"]
    request_id = ask(people["requester"], case_id, people["recipient"])
    approved = approve(people["approver"], case_id, request_id)
    assert approved.status_code == 200, approved.text
    with stack_db.connect() as conn:
        sealed_to = conn.execute(text("SELECT recipient_id::text FROM casework.disclosed_identities "
                                      "WHERE request_id = :r"), {"r": request_id}).scalar_one()
    assert sealed_to == people["recipient"].user["user_id"]

    answer = read(people["recipient"], case_id)
    assert answer.status_code == 200, answer.text
    assert answer.json()["identity"] == {k: IDENTITY[k] for k in ("name", "email", "phone", "nik")}
    for who in ("requester", "approver", "other_anggota", "admin"):
        refused = read(people[who], case_id)
        assert refused.status_code == 403, (who, refused.text)
    assert read(people["bkppd"], case_id).status_code == 404  # BKPPD does not learn an unforwarded case exists
    assert read(ketua, case_id).status_code == 403

    # A token that has ended opens nothing, and its session no longer holds the key.
    recipient = people["recipient"]
    stolen = recipient.token
    with stack_db.begin() as conn:  # as if its idle time had passed
        conn.execute(text("UPDATE casework.sessions SET idle_expires_at = now() - interval '1 minute' "
                          "WHERE token_hash = encode(sha256(convert_to(:t, 'UTF8')), 'hex')"), {"t": stolen})
    assert read(recipient, case_id).status_code == 401
    with stack_db.connect() as conn:
        kept = conn.execute(text("SELECT wrapped_member_key FROM casework.sessions "
                                 "WHERE token_hash = encode(sha256(convert_to(:t, 'UTF8')), 'hex')"),
                            {"t": stolen}).scalar_one()
    assert kept is None
    # Logged in again, the recipient reads it again (within the approved hour), and logging out ends it.
    recipient.log_in_again()
    assert read(recipient, case_id).status_code == 200
    assert recipient.post("/api/v1/auth/logout").status_code == 200
    assert read(recipient, case_id).status_code == 401
    recipient.log_in_again()


def test_a_new_ketua_gets_the_vault_only_from_a_ketua_who_holds_it_and_a_departed_one_loses_it(
        stack, stack_db, ketua, people):
    newcomer = enrol(stack, "vault.ketua.baru", "ketua", work_unit="Diskominfo", email="vault.ketua.baru@example.id")
    # enrol() had the first ketua grant it; take it away to start from a ketua without it.
    with stack_db.begin() as conn:
        conn.execute(text("DELETE FROM casework.vault_grants WHERE user_id = :u"), {"u": newcomer.user["user_id"]})
    case_id = open_case(stack, stack_db, ketua)["case_id"]
    request_id = ask(people["requester"], case_id, people["recipient"])

    closed = approve(newcomer, case_id, request_id)
    assert (closed.status_code, closed.json()["error"]["code"]) == (409, "vault_closed"), closed.text
    # Neither an admin, nor a ketua without it, nor anyone for themself or a non-ketua, can grant it.
    assert people["admin"].post(f"/api/v1/users/{newcomer.user['user_id']}/vault-grant").status_code == 403
    lacking = newcomer.post(f"/api/v1/users/{people['approver'].user['user_id']}/vault-grant")
    assert (lacking.status_code, lacking.json()["error"]["code"]) == (409, "vault_closed"), lacking.text
    for not_for in ("approver", "recipient"):  # oneself; not a ketua
        refused = people["approver"].post(f"/api/v1/users/{people[not_for].user['user_id']}/vault-grant")
        assert refused.status_code == 422, refused.text

    grant_vault(people["approver"], newcomer.user["user_id"])
    assert approve(newcomer, case_id, request_id).status_code == 200
    assert read(people["recipient"], case_id).status_code == 200
    audit = ketua.get("/api/v1/audit/accounts", params={"account_id": newcomer.user["user_id"]}).json()["items"]
    assert "vault_granted" in [entry["action"] for entry in audit]

    # Departed: deactivated, the grant and the key pair are gone, and the old token opens nothing.
    gone = people["admin"].post(f"/api/v1/users/{newcomer.user['user_id']}/deactivate")
    assert gone.status_code == 200, gone.text
    with stack_db.connect() as conn:
        left = conn.execute(text("SELECT (SELECT count(*) FROM casework.vault_grants WHERE user_id = :u) + "
                                 "(SELECT count(*) FROM casework.member_keys WHERE user_id = :u)"),
                            {"u": newcomer.user["user_id"]}).scalar_one()
    assert left == 0
    assert newcomer.post(f"/api/v1/users/{people['approver'].user['user_id']}/vault-grant").status_code == 401


def test_the_recovery_key_grants_the_vault_again_audited_and_told_to_every_ketua(stack, stack_db, ketua, people):
    forgetful = enrol(stack, "vault.ketua.lupa", "ketua", work_unit="Diskominfo", email="vault.ketua.lupa@example.id")
    with stack_db.begin() as conn:  # every grant it had is lost (as after a reset)
        conn.execute(text("DELETE FROM casework.vault_grants WHERE user_id = :u"), {"u": forgetful.user["user_id"]})

    wrong = operator(stack, "vault-recover", "--ketua", "vault.ketua.lupa",
                     stdin="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
    assert wrong.returncode != 0 and "does not open the vault" in wrong.stderr
    recovered = operator(stack, "vault-recover", "--ketua", "vault.ketua.lupa",
                         "--recovery-key-file", str(stack.recovery_key_file))
    assert recovered.returncode == 0, recovered.stderr

    case_id = open_case(stack, stack_db, ketua)["case_id"]
    request_id = ask(people["requester"], case_id, people["recipient"])
    assert approve(forgetful, case_id, request_id).status_code == 200
    assert read(people["recipient"], case_id).status_code == 200

    audit = ketua.get("/api/v1/audit/accounts", params={"account_id": forgetful.user["user_id"]}).json()["items"]
    used = [entry for entry in audit if entry["action"] == "vault_recovered"]
    assert used and used[0]["actor_role"] == "server", audit
    for address in ("vault.ketua@example.id", "vault.ketua.lupa@example.id"):  # every ketua with an address
        eventually(lambda address=address: [m for m in mails_to(stack, address)
                                            if "Kunci pemulihan brankas dipakai" in subject_of(m)],
                   message=f"the recovery notice to {address}")
