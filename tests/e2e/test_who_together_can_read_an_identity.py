"""The smallest set of people who together could read a reporter's identity, proved for every pair
of roles through the real API: the two people, with every account they can make (an admin's,
enrolled from the mail sent to an address the admin holds, and confirmed by the pair's ketua if
there is one), try every requester, approver and recipient among what they hold. Only the pairs
docs/permissions.md names succeed."""

from __future__ import annotations

import re
from itertools import combinations_with_replacement
from pathlib import Path

import pytest

from tests.conftest import enrol
from tests.support import complaints
from tests.support.accounts import TeamClient
from tests.support.casework import case_id_for, complaint_id_of, to_forwarded, wait_for_case
from tests.support.enrolling import enrol_with_code, wait_for_code

ROLES = ("admin", "ketua", "sekretaris", "anggota", "bkppd")
PAIRS = list(combinations_with_replacement(ROLES, 2))
DISCLOSURE_ROLES = ("ketua", "sekretaris", "anggota", "anggota", "bkppd")  # what an admin makes
REASON = "Pelapor diperlukan sebagai saksi dalam pemeriksaan disiplin yang mendesak."
PERMISSIONS_DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def documented_pairs() -> dict[tuple[str, str], bool]:
    """The table in docs/permissions.md: `| admin + ketua | yes | ... |`."""
    rows = re.findall(r"^\| (\w+) \+ (\w+) \| (yes|no) \|", PERMISSIONS_DOC.read_text(), re.MULTILINE)
    return {tuple(sorted((a, b), key=ROLES.index)): answer == "yes" for a, b, answer in rows}


def test_the_document_answers_for_every_pair_and_names_the_smallest_set():
    documented = documented_pairs()
    assert set(documented) == set(PAIRS)
    assert [pair for pair, can in documented.items() if can] == [("admin", "ketua")]


@pytest.fixture(scope="module")
def people(stack):
    """Two people of each role, each an ordinary active account (confirmed by the first ketua)."""
    units = {"bkppd": "BKPPD", "admin": None}
    return {role: [enrol(stack, f"pasangan.{role}.{n}", role, work_unit=units.get(role, "Diskominfo"),
                         full_name=f"Orang {role} {n}") for n in range(2)] for role in ROLES}


@pytest.fixture(scope="module")
def case(stack, stack_db, ketua, anggota):
    """A forwarded case (BKPPD sees it) whose reporter gave their identity."""
    filed = complaints.file(stack.settings.url("intake"),
                            complaints.complaint(reporter=complaints.IDENTIFIED_REPORTER), []).json()
    found = wait_for_case(ketua, case_id_for(complaint_id_of(stack_db, filed["tracking_code"])))
    to_forwarded(ketua, anggota, found["case_id"], found["version"])
    return found["case_id"]


def made_by_admin(stack, admin: TeamClient, tag: str) -> list[TeamClient]:
    """Every kind of account an admin can make, each enrolled with the code mailed to an address the
    admin holds (so the admin knows its password and TOTP)."""
    made = []
    for n, role in enumerate(DISCLOSURE_ROLES):
        username = f"buatan.{tag}.{role}.{n}"
        address = f"{username}@kotak-admin.example"
        created = admin.post("/api/v1/users", {"username": username, "full_name": f"Buatan {username}", "role": role,
                                               "email": address, "work_unit": "BKPPD" if role == "bkppd" else None})
        assert created.status_code == 201, created.text
        made.append(enrol_with_code(stack, wait_for_code(stack, address)))
    return made


def confirm_what_they_can(ketuas: list[TeamClient], accounts: list[TeamClient]) -> None:
    wanted = {account.user["user_id"] for account in accounts}
    for ketua in ketuas:
        listed = ketua.get("/api/v1/users", params={"state": "awaiting_confirmation"})
        if listed.status_code != 200:
            continue  # this ketua cannot confirm anything
        for waiting in listed.json():
            if waiting["user_id"] in wanted:
                ketua.post(f"/api/v1/users/{waiting['user_id']}/confirm", {"expected_version": waiting["version"]})


def identity_read(observer: TeamClient, case_id: str, held: list[TeamClient]) -> dict | None:
    """Every requester, approver and recipient among the accounts held; the identity if one reads it."""
    def version() -> int:
        return observer.get(f"/api/v1/cases/{case_id}").json()["version"]

    for requester in held:
        for recipient in held:
            asked = requester.command(case_id, "request_disclosure", version(), recipient_id=recipient.user["user_id"],
                                      reason=REASON)
            if asked.status_code != 200:
                continue
            request_id = observer.get(f"/api/v1/cases/{case_id}").json()["disclosures"][-1]["request_id"]
            for approver in held:
                approved = approver.command(case_id, "approve_disclosure", version(), request_id=request_id,
                                            valid_for_hours=1)
                if approved.status_code == 200:
                    read = recipient.post(f"/api/v1/cases/{case_id}/identity")
                    if read.status_code == 200:
                        return read.json()["identity"]
    return None


class MadeByAdmins:
    """What each admin made: made once and kept for the admin's next pair while no ketua has
    confirmed any of it (unconfirmed, it grants nothing a fresh set would not). A pair whose
    ketua confirmed them spends them: they are deactivated and the admin's next pair gets a new set."""

    def __init__(self, stack):
        self.stack, self.made = stack, 0
        self.sets: dict[str, tuple[TeamClient, list[TeamClient]]] = {}

    def of(self, admin: TeamClient) -> list[TeamClient]:
        key = admin.user["user_id"]
        if key not in self.sets:
            self.made += 1
            self.sets[key] = (admin, made_by_admin(self.stack, admin, f"set{self.made}"))
        return self.sets[key][1]

    def spend(self, admin: TeamClient) -> None:
        _, accounts = self.sets.pop(admin.user["user_id"], (admin, []))
        for account in accounts:
            admin.post(f"/api/v1/users/{account.user['user_id']}/deactivate")

    def spend_all(self) -> None:
        for admin, _ in list(self.sets.values()):
            self.spend(admin)


@pytest.fixture(scope="module")
def made_by_admins(stack):
    made = MadeByAdmins(stack)
    yield made
    made.spend_all()  # what the pairs made counts for no later test


# Building an admin's accounts (five enrolments by mail) is most of this module's time: the pairs
# whose ketua confirms them run last, so the other admin pairs share one set per admin.
ORDERED = sorted(PAIRS, key=lambda pair: "ketua" in pair)


@pytest.mark.parametrize("pair", ORDERED, ids=[" + ".join(p) for p in ORDERED])
def test_only_the_documented_pairs_get_an_identity_read(stack, people, case, ketua, made_by_admins, pair):
    first, second = (people[pair[0]][0], people[pair[1]][0 if pair[0] != pair[1] else 1])
    held = [first, second]
    admins = [p for p in held if p.user["role"] == "admin"]
    ketuas = [p for p in held if p.user["role"] == "ketua"]
    made = [account for admin in admins for account in made_by_admins.of(admin)]
    confirm_what_they_can(ketuas, made)
    try:
        read = identity_read(ketua, case, held + made)
    finally:
        if ketuas:  # confirmed, what they made would count for a later pair
            for admin in admins:
                made_by_admins.spend(admin)
    assert (read is not None) is documented_pairs()[pair], read
    if read is not None:
        assert read["name"] == complaints.IDENTIFIED_REPORTER["name"]
