"""What is done to team accounts: an admin makes and changes them, a ketua confirms them, the
server's operator makes the first ketua. Each change is one unit of work with its audit entry and
the events notify needs: the account list it writes to, the notice every ketua gets, and (for a
new or reset enrolment) the one-time code sealed for notify alone.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from netra_common.logging import log_event
from netra_common.sealing import seal, sealed_box
from services.casework.adapters import account_audit, accounts, enrolments, member_keys, sessions, vault
from services.casework.adapters.account_audit import Actor
from services.casework.domain import accounts as rules
from services.casework.domain.accounts import DISCLOSURE_ROLES, TeamMember
from services.casework.usecases.account_integration import member_changed_payload

log = logging.getLogger(__name__)


class AccountNotFound(Exception):
    pass


class NoAddress(rules.AccountRefused):
    code = "no_email"

    def __init__(self):
        super().__init__({"id": "Akun ini belum punya alamat e-mail; kode pendaftaran dikirim lewat e-mail. "
                                "Isi alamatnya dulu.",
                          "en": "This account has no e-mail address; the enrolment code goes by e-mail. "
                                "Give it an address first."}, field="email")


@dataclass(frozen=True)
class EnrolmentSettings:
    valid_for: timedelta
    notify_public_key: str  # enrolment codes are sealed for notify, which mails them


# --- what every change does -------------------------------------------------------------------


def changed_payload(entry: dict, member: TeamMember, changes: dict, previous_email: str | None) -> dict:
    return {"audit_id": entry["audit_id"], "action": entry["action"], "at": entry["at"].isoformat(),
            "actor_name": entry["actor_name"], "actor_role": entry["actor_role"],
            "user_id": str(member.user_id), "username": member.username, "full_name": member.full_name,
            "role": member.role, "work_unit": member.work_unit, "email": member.email, "state": member.state,
            "changes": changes, "previous_email": previous_email}


def announce(uow, actor: Actor, action: str, member: TeamMember, changes: dict | None = None,
             previous_email: str | None = None) -> dict:
    """The audit entry, notify's copy of the account, and the notice to every ketua."""
    changes = changes or {}
    entry = account_audit.record(uow.connection, actor, action, member, {**changes, "state": member.state})
    uow.emit("team_member_changed", member_changed_payload(member))
    uow.emit("account_changed", changed_payload(entry, member, changes, previous_email))
    log_event(log, f"account.{action}", account=member.user_id, actor=actor.user_id, actor_role=actor.role)
    return entry


def issue_enrolment(uow, member: TeamMember, settings: EnrolmentSettings, now: datetime) -> datetime:
    """A new one-time code, sealed with the address for notify: in no table, outbox row, message
    or log in the clear. When it expires."""
    if not member.email:
        raise NoAddress()
    box = sealed_box(settings.notify_public_key, "NETRA_NOTIFY_PUBLIC_KEY")
    code, expires_at = enrolments.issue(uow.connection, member.user_id, settings.valid_for, now)
    uow.emit("enrolment_issued", {"user_id": str(member.user_id), "full_name": member.full_name,
                                  "expires_at": expires_at.isoformat(),
                                  "sealed_invitation": seal(box, {"email": member.email, "code": code})})
    return expires_at


def _change(a: TeamMember, b: TeamMember, *fields: str) -> dict:
    return {f: {"from": getattr(a, f), "to": getattr(b, f)} for f in fields if getattr(a, f) != getattr(b, f)}


def _unconfirmed_if_changed(before: TeamMember, after: TeamMember, conn) -> TeamMember:
    if after.confirmed and rules.undoes_confirmation(before, after):
        return accounts.update_account(conn, after.user_id, confirmed_at=None, confirmed_by=None)
    return after


def _forget_keys(conn, user_id) -> bool:
    """The member's key pair, vault grant and disclosed identities are gone (deactivated, or their
    password with the enrolment): a ketua must grant the vault again. Whether a grant was lost."""
    member_keys.forget(conn, user_id)
    return vault.revoke(conn, user_id)


def _account(conn, user_id) -> TeamMember:
    accounts.lock_accounts(conn)
    member = accounts.find_member(conn, user_id, lock=True)
    if member is None:
        raise AccountNotFound(user_id)
    return member


# --- an admin's changes ---------------------------------------------------------------------


def create(db, settings: EnrolmentSettings, admin: TeamMember, fields: dict) -> tuple[TeamMember, datetime]:
    """A new account, waiting for its holder's enrolment (the code goes to them by e-mail)."""
    now = datetime.now(UTC)
    with db.unit_of_work() as uow:
        accounts.lock_accounts(uow.connection)
        if accounts.find_by_username(uow.connection, fields["username"]) is not None:
            raise rules.UsernameTaken(fields["username"])
        member = accounts.insert_account(uow.connection, **fields)
        expires_at = issue_enrolment(uow, member, settings, now)
        announce(uow, Actor.member(admin), "created", member,
                 {"role": member.role, "work_unit": member.work_unit, "email": member.email})
    return member, expires_at


def _change_fact(uow, admin: TeamMember, user_id, field: str, value: str, what_id: str,
                 what_en: str) -> tuple[TeamMember, TeamMember]:
    """One of what a ketua confirmed, changed: the confirmation goes, and every session ends."""
    before = _account(uow.connection, user_id)
    rules.require_changeable(before, admin, what_id, what_en)
    if getattr(before, field) == value:
        raise rules.NothingToChange(field)
    after = accounts.update_account(uow.connection, before.user_id, **{field: value})
    after = _unconfirmed_if_changed(before, after, uow.connection)
    sessions.end_all(uow.connection, after.user_id, f"{field}_changed")
    return before, after


def change_role(db, admin: TeamMember, user_id, role: str) -> TeamMember:
    with db.unit_of_work() as uow:
        before, after = _change_fact(uow, admin, user_id, "role", role, "mengubah peran", "change the role of")
        lost = vault.revoke(uow.connection, after.user_id) if after.role != "ketua" else False
        if after.role not in DISCLOSURE_ROLES:
            member_keys.forget(uow.connection, after.user_id)
        announce(uow, Actor.member(admin), "role_changed", after,
                 {**_change(before, after, "role"), **({"vault_grant_lost": True} if lost else {})})
    return after


def change_email(db, settings: EnrolmentSettings, admin: TeamMember, user_id, email: str) -> TeamMember:
    """A new address; an account not yet enrolled gets a new code there (the old one is withdrawn)."""
    with db.unit_of_work() as uow:
        before, after = _change_fact(uow, admin, user_id, "email", email, "mengubah e-mail", "change the e-mail of")
        if not after.enrolled:
            issue_enrolment(uow, after, settings, datetime.now(UTC))
        announce(uow, Actor.member(admin), "email_changed", after, _change(before, after, "email"),
                 previous_email=before.email)
    return after


def deactivate(db, admin: TeamMember, user_id) -> TeamMember:
    with db.unit_of_work() as uow:
        before = _account(uow.connection, user_id)
        rules.require_changeable(before, admin, "menonaktifkan", "deactivate")
        after = accounts.update_account(uow.connection, before.user_id, active=False)
        sessions.end_all(uow.connection, after.user_id, "deactivated")
        lost = _forget_keys(uow.connection, after.user_id)
        enrolments.withdraw(uow.connection, after.user_id, datetime.now(UTC))
        announce(uow, Actor.member(admin), "deactivated", after, {"vault_grant_lost": True} if lost else None)
    return after


def reset_enrolment(db, settings: EnrolmentSettings, admin: TeamMember, user_id) -> tuple[TeamMember, datetime]:
    """Password and TOTP are gone; the holder enrols again from a new code, and a ketua confirms again."""
    now = datetime.now(UTC)
    with db.unit_of_work() as uow:
        before = _account(uow.connection, user_id)
        rules.require_changeable(before, admin, "mengatur ulang pendaftaran", "reset the enrolment of")
        after = accounts.update_account(uow.connection, before.user_id, password_hash=None, totp_secret=None,
                                        totp_last_step=None, enrolled_at=None, confirmed_at=None,
                                        confirmed_by=None)
        sessions.end_all(uow.connection, after.user_id, "enrolment_reset")
        lost = _forget_keys(uow.connection, after.user_id)
        expires_at = issue_enrolment(uow, after, settings, now)
        announce(uow, Actor.member(admin), "enrolment_reset", after, {"vault_grant_lost": True} if lost else None)
    return after, expires_at


# --- a ketua's confirmation -------------------------------------------------------------------


def confirm(db, ketua: TeamMember, user_id, expected_version: int) -> TeamMember:
    """The account counts from now on: the ketua vouched for who it names, its role, work unit and
    e-mail, as they saw them (expected_version). The audit entry keeps what was confirmed."""
    with db.unit_of_work() as uow:
        before = _account(uow.connection, user_id)
        rules.require_may_confirm(ketua, before, expected_version)
        after = accounts.update_account(uow.connection, before.user_id,
                                        **accounts.confirmation_values(before, ketua.user_id))
        announce(uow, Actor.member(ketua), "confirmed", after, {"confirmed": before.facts()})
    return after


def account_id(raw) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise AccountNotFound(raw) from None
