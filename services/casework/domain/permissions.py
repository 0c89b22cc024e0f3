"""Who may do what: the permission matrix, as data. docs/permissions.md shows the same table
(a test keeps the two equal) and a test checks every cell against the running API. The rows of
the team's case commands come from the table of commands (commands.py)."""

from __future__ import annotations

from services.casework.domain.commands import ASSIGNEE_ONLY_FOR_ANGGOTA, TEAM_COMMANDS
from services.casework.domain.roles import LEADS, ROLES, TEAM

__all__ = ["ASSIGNEE_ONLY_FOR_ANGGOTA", "LEADS", "PERMISSIONS", "ROLES", "TEAM", "may"]

PERMISSIONS: dict[str, tuple[str, ...]] = {
    # views
    "view_cases": (*TEAM, "bkppd"),  # BKPPD: only cases forwarded to it
    "search_cases": TEAM,
    "view_statistics": TEAM,
    "export_statistics": TEAM,
    "view_dossier": (*LEADS, "bkppd"),
    "view_evidence": (*TEAM, "bkppd"),
    "view_original_evidence": (*LEADS, "bkppd"),
    "view_decree": (*TEAM, "bkppd"),  # an anggota only on a case assigned to them (usecases/decrees.py)
    "read_identity": (*TEAM, "bkppd"),  # and only the recipient an approved disclosure names
    "view_team": TEAM,  # names and roles: whom to assign, whom a disclosure may name
    # commands
    "file_case": TEAM,
    # screenshots of the team's own, kept by evidence (docs/decisions/0025); an anggota only on a case
    # assigned to them or filed by them
    "add_screenshot": TEAM,
    **{command.name: command.roles for command in TEAM_COMMANDS},
    # accounts: managing them is not disclosing (docs/permissions.md)
    "manage_accounts": ("admin",),  # make, change role or e-mail, deactivate, reset enrolment
    "view_accounts": ("ketua", "admin"),  # the list of accounts and their states, never a secret
    "confirm_accounts": ("ketua",),  # never their own; only then does an account count
    "view_account_audit": ("ketua",),  # who did what to which account
    "grant_vault": ("ketua",),  # a ketua holding the identity vault gives it to another (decision 0017)
}


def may(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, ())
