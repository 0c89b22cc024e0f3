"""Enrolment: the holder of an account sets their own password and TOTP with the one-time code that
reached them by e-mail, so no one else (the admin who made the account included) ever knows either.
An account that can take part in a disclosure then waits for a ketua's confirmation.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.casework.adapters import accounts, credentials, enrolments, member_keys, sessions
from services.casework.adapters.account_audit import Actor
from services.casework.adapters.authenticator import otpauth_uri
from services.casework.domain import accounts as rules
from services.casework.domain.accounts import DISCLOSURE_ROLES, TeamMember
from services.casework.usecases.account_management import announce


class EnrolmentCodeInvalid(rules.AccountRefused):
    code = "enrolment_code_invalid"

    def __init__(self):
        super().__init__({"id": "Kode pendaftaran tidak berlaku: salah, sudah dipakai, sudah diganti, atau "
                                "kedaluwarsa. Minta admin mengirim kode baru.",
                          "en": "The enrolment code is not valid: wrong, used, replaced or expired. Ask an "
                                "admin for a new one."}, field="code")


class OtpMismatch(rules.AccountRefused):
    code = "otp_mismatch"

    def __init__(self):
        super().__init__({"id": "Kode OTP tidak cocok dengan kunci autentikator ini. Periksa kunci yang "
                                "dimasukkan dan jam ponsel, lalu pakai kode berikutnya.",
                          "en": "The one-time code does not match this authenticator key. Check the key and "
                                "the phone's clock, then use the next code."}, field="otp")


def _open(conn, code: str, now: datetime, *, lock: bool):
    enrolment = enrolments.find_open(conn, code, now, lock=lock)
    member = accounts.find_member(conn, enrolment.user_id, lock=lock) if enrolment else None
    if member is None or not member.active:
        raise EnrolmentCodeInvalid()
    return enrolment, member


def open_enrolment(db, code: str) -> dict:
    """Who the code is for, and the TOTP secret to put in an authenticator app (the same one each
    time the code is opened, until it is used): for the holder's eyes only."""
    now = datetime.now(UTC)
    with db.unit_of_work() as uow:
        enrolment, member = _open(uow.connection, code, now, lock=True)
        secret = enrolments.totp_secret_for(uow.connection, enrolment)
    return {"username": member.username, "full_name": member.full_name, "role": member.role,
            "work_unit": member.work_unit, "email": member.email, "expires_at": enrolment.expires_at,
            "needs_confirmation": member.role in DISCLOSURE_ROLES,
            "totp_secret": secret, "totp_uri": otpauth_uri(member.username, secret)}


def complete(db, code: str, password: str, otp: str) -> TeamMember:
    """Set the password and TOTP; the code is used up. The first code from the new authenticator
    proves it was set up right, and cannot log in afterwards."""
    now = datetime.now(UTC)
    with db.unit_of_work() as uow:
        accounts.lock_accounts(uow.connection)
        enrolment, member = _open(uow.connection, code, now, lock=True)
        rules.require_good_password(password, member.username)
        secret = enrolment.totp_secret or enrolments.totp_secret_for(uow.connection, enrolment)
        step = credentials.otp_step(secret, otp, None, now)
        if step is None:
            raise OtpMismatch()
        after = accounts.update_account(uow.connection, member.user_id,
                                        password_hash=credentials.hash_password(password), totp_secret=secret,
                                        totp_last_step=step, enrolled_at=now)
        if member.role in DISCLOSURE_ROLES:  # their key pair, locked under the password only they know
            member_keys.make(uow.connection, member.user_id, password)
        enrolments.use(uow.connection, enrolment, now)
        sessions.end_all(uow.connection, after.user_id, "enrolled")
        announce(uow, Actor.holder(after), "enrolled", after)
    return after
