"""Who may do what: the permission matrix, as data. docs/permissions.md shows the same table
(a test keeps the two equal) and a test checks every cell against the running API."""

from __future__ import annotations

TEAM = ("ketua", "sekretaris", "anggota")
LEADS = ("ketua", "sekretaris")
ROLES = ("ketua", "sekretaris", "anggota", "bkppd", "admin")

PERMISSIONS: dict[str, tuple[str, ...]] = {
    # views
    "view_cases": (*TEAM, "bkppd"),  # BKPPD: only cases forwarded to it
    "search_cases": TEAM,
    "view_statistics": TEAM,
    "export_statistics": TEAM,
    "view_dossier": (*LEADS, "bkppd"),
    "view_evidence": (*TEAM, "bkppd"),
    "view_original_evidence": (*LEADS, "bkppd"),
    "read_identity": (*TEAM, "bkppd"),  # and only the recipient an approved disclosure names
    "view_team": TEAM,  # names and roles: whom to assign, whom a disclosure may name
    # commands
    "file_case": TEAM,
    "assign": LEADS,
    "start_verification": TEAM,  # an anggota only on a case assigned to them
    "request_clarification": TEAM,  # likewise
    "resume_verification": TEAM,  # likewise
    "propose_violation": TEAM,  # likewise
    "confirm_violation": TEAM,  # a member other than the one who proposed
    "reject_proposal": TEAM,  # likewise
    "dismiss": TEAM,  # an anggota only on a case assigned to them
    "forward_to_bkppd": ("ketua",),
    "record_sanction": ("bkppd",),
    "close": ("ketua",),
    "reopen": ("ketua",),
    "request_disclosure": TEAM,
    "approve_disclosure": ("ketua",),  # never the member who requested it
    "deny_disclosure": ("ketua",),
    # accounts: managing them is not disclosing (docs/permissions.md)
    "manage_accounts": ("admin",),  # make, change role or e-mail, deactivate, reset enrolment
    "view_accounts": ("ketua", "admin"),  # the list of accounts and their states, never a secret
    "confirm_accounts": ("ketua",),  # never their own; only then does an account count
    "view_account_audit": ("ketua",),  # who did what to which account
}

# Commands an anggota may run only on a case assigned to them.
ASSIGNEE_ONLY_FOR_ANGGOTA = ("start_verification", "request_clarification", "resume_verification",
                             "propose_violation", "dismiss")
# Statuses in which a case counts as forwarded (what BKPPD may see).
SEEN_BY_BKPPD = "ever_forwarded"


def may(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, ())
