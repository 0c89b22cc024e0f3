"""Managing team accounts (admin), confirming them (ketua) and reading their audit log (ketua).

One implementation for HTTP (service.py) and nameko RPC. No answer ever holds a password, an
enrolment code, a TOTP secret or a token: the holder alone learns those, by enrolling.
"""

from __future__ import annotations

from datetime import timedelta

from services.casework.adapters import account_audit, accounts
from services.casework.api.access import SignedDoor
from services.casework.api.schemas import (
    AccountsQuery,
    AuditQuery,
    ConfirmAccountBody,
    EmailBody,
    NewAccountBody,
    RoleBody,
)
from services.casework.api.team_api import load, load_query
from services.casework.usecases import account_management as manage
from services.casework.usecases import vault_access


class AccountsApi(SignedDoor):
    @property
    def enrolment(self) -> manage.EnrolmentSettings:
        return manage.EnrolmentSettings(
            valid_for=timedelta(hours=float(self.config.get("NETRA_ENROLMENT_HOURS", 72))),
            notify_public_key=self.config.get("NETRA_NOTIFY_PUBLIC_KEY") or "")

    # --- reading ------------------------------------------------------------------------------

    def list(self, token: str, query: dict | None = None) -> list[dict]:
        """Every account with its state (an admin's work list; a ketua's list to confirm from)."""
        self.gate.member(token, "view_accounts")
        state = load_query(AccountsQuery, query).get("state")
        with self.db.read() as conn:
            members = accounts.all_members(conn)
        return [m.listed() for m in members if not state or m.state == state]

    def audit(self, token: str, query: dict | None = None) -> dict:
        self.gate.member(token, "view_account_audit")
        asked = load_query(AuditQuery, query)
        account_id = self._id(asked["account_id"]) if asked.get("account_id") else None
        with self.db.read() as conn:
            return account_audit.entries(conn, account_id=account_id, limit=asked["limit"], offset=asked["offset"])

    # --- an admin's changes -------------------------------------------------------------------

    def create(self, token: str, body) -> dict:
        admin = self.gate.member(token, "manage_accounts")
        fields = load(NewAccountBody, body)
        member, expires_at = manage.create(self.db, self.enrolment, admin, fields)
        return {**member.listed(), "enrolment_expires_at": expires_at}

    def change_role(self, token: str, user_id, body) -> dict:
        admin = self.gate.member(token, "manage_accounts")
        fields = load(RoleBody, body)
        return manage.change_role(self.db, admin, self._id(user_id), fields["role"]).listed()

    def change_email(self, token: str, user_id, body) -> dict:
        admin = self.gate.member(token, "manage_accounts")
        fields = load(EmailBody, body)
        return manage.change_email(self.db, self.enrolment, admin, self._id(user_id), fields["email"]).listed()

    def deactivate(self, token: str, user_id) -> dict:
        admin = self.gate.member(token, "manage_accounts")
        return manage.deactivate(self.db, admin, self._id(user_id)).listed()

    def reset_enrolment(self, token: str, user_id) -> dict:
        admin = self.gate.member(token, "manage_accounts")
        member, expires_at = manage.reset_enrolment(self.db, self.enrolment, admin, self._id(user_id))
        return {**member.listed(), "enrolment_expires_at": expires_at}

    # --- a ketua's confirmation ---------------------------------------------------------------

    def confirm(self, token: str, user_id, body) -> dict:
        """What was confirmed, as the ketua saw it: name, role, work unit and e-mail."""
        ketua = self.gate.member(token, "confirm_accounts")
        fields = load(ConfirmAccountBody, body)
        member = manage.confirm(self.db, ketua, self._id(user_id), fields["expected_version"])
        return {**member.listed(), "confirmed": member.facts()}

    def grant_vault(self, token: str, user_id) -> dict:
        """A ketua holding the identity vault gives it to another active ketua (docs/decisions/0017)."""
        ketua = self.gate.member(token, "grant_vault")
        member = vault_access.grant(self.db, ketua, token, self._id(user_id))
        return {**member.listed(), "vault_granted": True}

    @staticmethod
    def _id(raw):
        return manage.account_id(raw)
