"""Accounts made on the server (`netra-casework ensure-user`): server access is the bootstrap trust.

While no active ketua exists, the ketua made here is active at once (the first ketua of a fresh
installation). Any other account made or reset here awaits a ketua's confirmation like one an
admin made. An existing account is never overwritten without `reset`, and every change is in the
audit log and in every ketua's mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.casework.adapters import accounts, enrolments, member_keys, sessions, vault
from services.casework.adapters.account_audit import Actor
from services.casework.adapters.credentials import hash_password
from services.casework.domain import accounts as rules
from services.casework.domain.accounts import DISCLOSURE_ROLES, TeamMember
from services.casework.usecases.account_management import announce


class AccountExists(Exception):
    """The account exists with other credentials, and `reset` was not asked for."""


@dataclass(frozen=True)
class Ensured:
    member: TeamMember
    outcome: str  # created, reset, unchanged
    bootstrap: bool = False


@dataclass(frozen=True)
class ServerAccount:
    username: str
    full_name: str
    role: str
    password: str
    totp_secret: str
    work_unit: str | None = None
    email: str | None = None  # None on a reset: the address it has is kept
    notify_mode: str | None = None  # likewise


def _same_credentials(row, wanted: ServerAccount) -> bool:
    if row.password_hash is None or row.totp_secret != wanted.totp_secret:
        return False
    try:
        return PasswordHasher().verify(row.password_hash, wanted.password)
    except (VerificationError, InvalidHashError):
        return False


def ensure_user(uow, wanted: ServerAccount, *, reset: bool, operator: str) -> Ensured:
    conn, now = uow.connection, datetime.now(UTC)
    accounts.lock_accounts(conn)
    row = accounts.find_by_username(conn, wanted.username, lock=True)
    if row is not None and not reset:
        if _same_credentials(row, wanted):
            if row.role in DISCLOSURE_ROLES and member_keys.public_key_of(conn, row.user_id) is None:
                member_keys.make(conn, row.user_id, wanted.password)  # enrolled before members had keys
            return Ensured(accounts.member_of(row), "unchanged")
        raise AccountExists(wanted.username)
    rules.require_good_password(wanted.password, wanted.username)
    bootstrap = wanted.role == "ketua" and not accounts.active_ketua_exists(
        conn, other_than=row.user_id if row is not None else None)
    values: dict[str, Any] = {"full_name": wanted.full_name, "role": wanted.role, "work_unit": wanted.work_unit,
              "password_hash": hash_password(wanted.password), "totp_secret": wanted.totp_secret,
              "totp_last_step": None, "enrolled_at": now, "active": True,
              "confirmed_at": now if bootstrap else None, "confirmed_by": None}
    for optional in ("email", "notify_mode"):
        if getattr(wanted, optional) is not None:
            values[optional] = getattr(wanted, optional)
    if row is None:
        member = accounts.insert_account(conn, username=wanted.username, **{
            "email": None, "notify_mode": "immediate", **values})
    else:
        member = accounts.update_account(conn, row.user_id, **values)
        sessions.end_all(conn, member.user_id, "reset_on_server")
        enrolments.withdraw(conn, member.user_id, now)
    lost_grant = vault.revoke(conn, member.user_id) if row is not None else False
    if member.role in DISCLOSURE_ROLES:  # a new key pair under the new password: the old one is lost
        member_keys.make(conn, member.user_id, wanted.password)
    else:
        member_keys.forget(conn, member.user_id)
    action = "reset_on_server" if row is not None else ("bootstrap_ketua" if bootstrap else "created_on_server")
    announce(uow, Actor.server(operator), action, member,
             {"role": member.role, "work_unit": member.work_unit, "email": member.email, "bootstrap": bootstrap,
              **({"vault_grant_lost": True} if lost_grant else {})})
    return Ensured(member, "created" if row is None else "reset", bootstrap)
