"""Team accounts as the rules see them: the states an account passes through, who may confirm
one, which changes undo a confirmation, and what a password must be. Pure: no database.

Managing accounts is not disclosing (docs/permissions.md, docs/decisions/0005): an admin makes
and changes accounts; the person sets their own password and TOTP (enrolment); and an account
that could request, approve or receive a disclosure counts only once an active ketua, who is not
its holder, has confirmed who it belongs to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from netra_common.text import has_unwanted_characters
from services.casework.domain.errors import DomainError

# The roles that can request, approve or receive a disclosure: a ketua confirms each such account.
DISCLOSURE_ROLES = ("ketua", "sekretaris", "anggota", "bkppd")

INVITED = "invited"  # made by an admin; the person has not enrolled yet
AWAITING_CONFIRMATION = "awaiting_confirmation"  # enrolled; a ketua has not confirmed it yet
ACTIVE = "active"
INACTIVE = "inactive"  # deactivated
STATES = (INVITED, AWAITING_CONFIRMATION, ACTIVE, INACTIVE)

PASSWORD_MIN, PASSWORD_MAX = 12, 256


@dataclass(frozen=True)
class TeamMember:
    """An account: who it names, and how far it has come (enrolled, confirmed, deactivated)."""

    user_id: uuid.UUID
    username: str
    full_name: str
    role: str
    work_unit: str | None
    email: str | None = None
    active: bool = True  # False once deactivated
    notify_mode: str = "immediate"
    enrolled: bool = True
    confirmed: bool = True
    version: int = 1

    @property
    def state(self) -> str:
        if not self.active:
            return INACTIVE
        if not self.enrolled:
            return INVITED
        if self.role in DISCLOSURE_ROLES and not self.confirmed:
            return AWAITING_CONFIRMATION
        return ACTIVE

    def as_actor(self) -> dict:
        return {"id": str(self.user_id), "role": self.role, "work_unit": self.work_unit}

    def facts(self) -> dict:
        """What a ketua confirms: who the account names, its role, work unit and e-mail."""
        return {"full_name": self.full_name, "role": self.role, "work_unit": self.work_unit, "email": self.email}

    def public(self) -> dict:
        return {"user_id": self.user_id, "username": self.username, "full_name": self.full_name,
                "role": self.role, "work_unit": self.work_unit, "active": self.active, "state": self.state}

    def own(self) -> dict:
        """What a member sees of their own account: also where and how they are notified."""
        return {**self.public(), "email": self.email, "notify_mode": self.notify_mode}

    def listed(self) -> dict:
        """What an admin or a ketua sees in the list of accounts (never a secret)."""
        return {**self.own(), "version": self.version}


# --- refusals -------------------------------------------------------------------------------


class AccountRefused(DomainError):
    """An account change the rules refuse."""

    code = "account_refused"


class UsernameTaken(AccountRefused):
    code = "username_taken"

    def __init__(self, username: str):
        super().__init__({"id": f"Nama pengguna '{username}' sudah dipakai; tidak ada yang diubah.",
                          "en": f"The username '{username}' is taken; nothing was changed."}, field="username")


class OwnAccount(AccountRefused):
    code = "own_account"

    def __init__(self, what_id: str, what_en: str):
        super().__init__({"id": f"Anda tidak dapat {what_id} akun Anda sendiri.",
                          "en": f"You cannot {what_en} your own account."})


class AccountInactive(AccountRefused):
    code = "account_inactive"

    def __init__(self):
        super().__init__({"id": "Akun ini sudah dinonaktifkan dan tidak dapat diubah lagi; buat akun baru bila "
                                "orangnya kembali bertugas.",
                          "en": "This account is deactivated and cannot be changed; make a new one if the "
                                "person returns."})


class NothingToChange(AccountRefused):
    code = "nothing_to_change"

    def __init__(self, field: str):
        super().__init__({"id": "Nilai itu sudah tercatat pada akun ini; tidak ada yang diubah.",
                          "en": "The account already has that value; nothing was changed."}, field=field)


class NotAwaitingConfirmation(AccountRefused):
    code = "not_awaiting_confirmation"

    def __init__(self, state: str):
        super().__init__({"id": f"Akun ini tidak sedang menunggu konfirmasi ketua (keadaannya: {state}).",
                          "en": f"This account is not awaiting a ketua's confirmation (it is {state})."},
                         state=state)


class AccountChanged(AccountRefused):
    code = "account_changed"

    def __init__(self, expected: int, current: int):
        super().__init__({"id": "Akun ini telah diubah sejak Anda melihatnya. Muat ulang, periksa lagi, lalu "
                                "konfirmasi.",
                          "en": "The account changed since you looked at it. Reload, check again, then confirm."},
                         expected_version=expected, current_version=current)


class WeakPassword(AccountRefused):
    code = "weak_password"

    def __init__(self, message: dict[str, str]):
        super().__init__(message, field="password")


# --- rules ----------------------------------------------------------------------------------


def require_changeable(account: TeamMember, actor: TeamMember | None, what_id: str, what_en: str) -> None:
    """An admin changes other people's accounts, and only accounts still in use."""
    if actor is not None and actor.user_id == account.user_id:
        raise OwnAccount(what_id, what_en)
    if not account.active:
        raise AccountInactive()


def require_may_confirm(confirmer: TeamMember, account: TeamMember, expected_version: int) -> None:
    """An active ketua confirms an account awaiting it, as it was when they looked, never their own."""
    if confirmer.user_id == account.user_id:
        raise OwnAccount("mengonfirmasi", "confirm")
    if account.state != AWAITING_CONFIRMATION:
        raise NotAwaitingConfirmation(account.state)
    if expected_version != account.version:
        raise AccountChanged(expected_version, account.version)


def undoes_confirmation(before: TeamMember, after: TeamMember) -> bool:
    """Whether a change leaves the account's confirmation behind: a ketua confirmed who it names,
    its role, work unit and e-mail (a new e-mail is where a reset's enrolment code would go)."""
    return before.facts() != after.facts()


def require_good_password(password: str, username: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise WeakPassword({"id": f"Kata sandi harus {PASSWORD_MIN} sampai {PASSWORD_MAX} karakter.",
                            "en": f"The password must have {PASSWORD_MIN} to {PASSWORD_MAX} characters."})
    if has_unwanted_characters(password):
        raise WeakPassword({"id": "Kata sandi memuat karakter kendali; ketik ulang.",
                            "en": "The password holds control characters; type it again."})
    if username.casefold() in password.casefold():
        raise WeakPassword({"id": "Kata sandi tidak boleh memuat nama pengguna.",
                            "en": "The password must not contain the username."})
    if len(set(password)) < 4:
        raise WeakPassword({"id": "Kata sandi terlalu mudah ditebak; pakai campuran huruf, angka, atau kata.",
                            "en": "The password is too easy to guess; mix letters, digits or words."})
