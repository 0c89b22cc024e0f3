"""Who may do what, over HTTP: two-factor login, the permission matrix cell by cell, BKPPD seeing
only forwarded cases, recusal. (Accounts: test_accounts.py; logins: test_logins.py.)"""

from __future__ import annotations

import pytest
import requests

from services.casework.domain.permissions import PERMISSIONS, ROLES
from tests.conftest import enrol
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of, to_forwarded, wait_for_case
from tests.support.totp import fresh_code

BIG_VERSION = 999_999  # a command that passes the permission gate then fails on the version, changing nothing
NO_ONE = "00000000-0000-4000-8000-000000000000"  # an account that does not exist


@pytest.fixture(scope="module")
def team(stack, ketua, anggota):
    return {"ketua": ketua, "anggota": anggota,
            "sekretaris": enrol(stack, "sekretaris.uji", "sekretaris", work_unit="Diskominfo"),
            "bkppd": enrol(stack, "bkppd.uji", "bkppd", work_unit="BKPPD"),
            "admin": enrol(stack, "admin.uji", "admin")}


@pytest.fixture(scope="module")
def forwarded_case(stack, stack_db, ketua, anggota):
    filed = complaints.file(stack.settings.url("intake"), complaints.complaint(),
                            [("izin.png", complaints.png(seed=606))]).json()
    complaint_id = complaint_id_of(stack_db, filed["tracking_code"])
    case = wait_for_case(ketua, case_id_for(complaint_id), screenshots=1)
    to_forwarded(ketua, anggota, case["case_id"], case["version"])
    return ketua.get(f"/api/v1/cases/{case['case_id']}").json()


def attempt(client, action: str, case: dict):
    """One request that needs exactly `action`; the answer tells whether the gate let it through."""
    case_id, evidence_id = case["case_id"], case["evidence"][0]["evidence_id"]
    if action == "view_cases":
        return client.get("/api/v1/cases")
    if action == "search_cases":
        return client.get("/api/v1/cases", params={"q": "kampanye"})
    if action == "view_statistics":
        return client.get("/api/v1/statistics")
    if action == "export_statistics":
        return client.get("/api/v1/statistics.csv")
    if action == "view_dossier":
        return client.get(f"/api/v1/cases/{case_id}/dossier.json")
    if action in ("view_evidence", "view_original_evidence"):
        copy = "original" if action == "view_original_evidence" else "sanitized"
        return client.post(f"/api/v1/cases/{case_id}/evidence/{evidence_id}/grants",
                           {"copy": copy, "purpose": "memeriksa hak akses"})
    if action == "view_decree":  # passes the gate, then finds no such decree on the case
        return client.get(f"/api/v1/cases/{case_id}/decrees/{NO_ONE}.pdf")
    if action == "read_identity":
        return client.post(f"/api/v1/cases/{case_id}/identity")
    if action == "file_case":
        return client.post("/api/v1/cases", {"reported": {"name": "Uji Hak"}, "platform": "x",
                                             "occurred_at": "2026-11-01T10:00:00+07:00",
                                             "violation_types": ["share"],
                                             "description": "Berkas uji hak akses tim."})
    if action == "add_screenshot":  # passes the gate, then the forwarded case takes none (409)
        return client.session.post(f"{client.base_url}/api/v1/cases/{case_id}/screenshots", timeout=30,
                                   files=[("screenshots", ("bukan.txt", b"bukan gambar", "text/plain"))])
    if action == "view_team":
        return client.get("/api/v1/team")
    if action == "view_accounts":
        return client.get("/api/v1/users")
    if action == "manage_accounts":  # passes the gate, then finds no such account: nothing changes
        return client.post(f"/api/v1/users/{NO_ONE}/deactivate")
    if action == "confirm_accounts":
        return client.post(f"/api/v1/users/{NO_ONE}/confirm", {"expected_version": 1})
    if action == "view_account_audit":
        return client.get("/api/v1/audit/accounts")
    if action == "grant_vault":  # passes the gate, then finds no such account
        return client.post(f"/api/v1/users/{NO_ONE}/vault-grant")
    return client.command(case_id, action, BIG_VERSION)


CELLS = [(action, role) for action in PERMISSIONS for role in ROLES]


@pytest.mark.parametrize("action, role", CELLS, ids=[f"{a}-{r}" for a, r in CELLS])
def test_each_cell_of_the_permission_matrix_holds(team, forwarded_case, action, role):
    response = attempt(team[role], action, forwarded_case)
    refused = response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert refused is (role not in PERMISSIONS[action]), (response.status_code, response.text[:300])


@pytest.fixture(scope="module")
def waiting(stack):
    """A ketua whose account a ketua has not confirmed yet."""
    return enrol(stack, "ketua.belum.dikonfirmasi", "ketua", work_unit="Diskominfo", confirmed=False)


@pytest.mark.parametrize("action", list(PERMISSIONS))
def test_an_account_awaiting_confirmation_may_do_nothing_of_the_matrix(waiting, forwarded_case, action):
    response = attempt(waiting, action, forwarded_case)
    expected = "awaiting_confirmation" if "ketua" in PERMISSIONS[action] else "forbidden"
    assert (response.status_code, response.json()["error"]["code"]) == (403, expected), response.text[:300]
    assert waiting.get("/api/v1/me").json()["state"] == "awaiting_confirmation"


def test_bkppd_sees_only_cases_forwarded_to_it(stack, stack_db, team, forwarded_case, ketua):
    other = complaints.file(stack.settings.url("intake"), complaints.complaint(), []).json()
    not_forwarded = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, other["tracking_code"])))
    bkppd = team["bkppd"]
    listed = {c["case_id"] for c in bkppd.get("/api/v1/cases", params={"limit": 200}).json()["items"]}
    assert forwarded_case["case_id"] in listed and not_forwarded["case_id"] not in listed
    assert all(c["status"] in ("forwarded_to_bkppd", "sanction_decided", "closed")
               for c in bkppd.get("/api/v1/cases", params={"limit": 200}).json()["items"])
    assert bkppd.get(f"/api/v1/cases/{not_forwarded['case_id']}").status_code == 404
    assert bkppd.get(f"/api/v1/cases/{forwarded_case['case_id']}").status_code == 200


def test_a_member_of_the_reported_asns_work_unit_neither_sees_nor_touches_the_case(stack, forwarded_case):
    colleague = enrol(stack, "anggota.pendidikan", "anggota", work_unit="Dinas Pendidikan")
    assert forwarded_case["reported"]["work_unit"] == "Dinas Pendidikan"
    listed = {c["case_id"] for c in colleague.get("/api/v1/cases", params={"limit": 200}).json()["items"]}
    assert forwarded_case["case_id"] not in listed
    seen = colleague.get(f"/api/v1/cases/{forwarded_case['case_id']}")
    assert seen.status_code == 403 and seen.json()["error"]["code"] == "recused"


def test_login_needs_the_password_and_the_current_totp_code(stack, team):
    base = stack.settings.url("casework")
    member = team["sekretaris"]
    good = {"username": "sekretaris.uji", "password": member.password,
            "otp": fresh_code(member.totp_secret)}
    assert requests.post(f"{base}/api/v1/auth/login", json=good, timeout=10).status_code == 200
    for wrong in ({**good, "otp": "000000" if good["otp"] != "000000" else "111111"},
                  {**good, "password": "salah-sekali-123"}, {**good, "username": "tidak.ada"}):
        refused = requests.post(f"{base}/api/v1/auth/login", json=wrong, timeout=10)
        assert refused.status_code == 401
        assert refused.json()["error"]["message"] == "Nama pengguna, kata sandi, atau kode OTP salah."
    missing = requests.post(f"{base}/api/v1/auth/login", json={k: v for k, v in good.items() if k != "otp"},
                            timeout=10)
    assert missing.status_code == 400


def test_a_one_time_code_logs_in_once(stack, team):
    """A code seen over a shoulder, or replayed from a captured request, is worth nothing after use."""
    base, member = stack.settings.url("casework"), team["anggota"]
    login = {"username": member.user["username"], "password": member.password, "otp": fresh_code(member.totp_secret)}
    assert requests.post(f"{base}/api/v1/auth/login", json=login, timeout=10).status_code == 200
    replayed = requests.post(f"{base}/api/v1/auth/login", json=login, timeout=10)
    assert replayed.status_code == 401
    login["otp"] = fresh_code(member.totp_secret)
    assert requests.post(f"{base}/api/v1/auth/login", json=login, timeout=10).status_code == 200


def test_a_token_ends_at_logout(stack):
    member = enrol(stack, "anggota.keluar", "anggota")
    assert member.get("/api/v1/me").status_code == 200
    assert member.post("/api/v1/auth/logout").status_code == 200
    assert member.get("/api/v1/me").status_code == 401
    assert member.get("/api/v1/cases").status_code == 401
