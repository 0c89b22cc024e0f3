"""A member changes their own password or authenticator ("Akun saya"), proving both factors again.

The member's key pair (docs/decisions/0017) is locked under the password: a new password locks
the same private key again in the same transaction as the new hash, so the vault grant and what
was disclosed to them stay theirs. The session that made the change goes on (it just proved the
password and a code); every other session of the account ends. Each change is an account event:
audited, and mailed to every ketua and to the member (docs/decisions/0024).

A new TOTP secret is made by the server and shown to the member alone; it is kept nowhere until
confirmed: the console holds it with a ticket the server signs under a key only this session's
token gives, valid for TOTP_TICKET_MINUTES, so no other session (nor a copy of the database)
can complete the change.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pyotp

from netra_common.hashing import slow_hash_matches
from services.casework.adapters import accounts, credentials, member_keys, sessions
from services.casework.adapters.account_audit import Actor
from services.casework.adapters.authenticator import otpauth_uri
from services.casework.adapters.tables import users
from services.casework.domain import accounts as rules
from services.casework.domain.accounts import DISCLOSURE_ROLES, TeamMember
from services.casework.usecases import logins
from services.casework.usecases.account_management import announce

TOTP_TICKET_MINUTES = 15
TICKET_PERSON = b"netra-totp-chg"  # BLAKE2b's personalisation: a key apart from the session's key box


class CurrentCredentialsWrong(rules.AccountRefused):
    code = "current_credentials_wrong"

    def __init__(self):
        super().__init__({"id": "Kata sandi saat ini atau kode OTP salah; tidak ada yang diubah.",
                          "en": "The current password or the one-time code is wrong; nothing was changed."},
                         field="current_password")


class SamePassword(rules.AccountRefused):
    code = "same_password"

    def __init__(self):
        super().__init__({"id": "Kata sandi baru sama dengan yang sekarang; pilih yang lain.",
                          "en": "The new password is the current one; choose another."}, field="new_password")


class TotpTicketInvalid(rules.AccountRefused):
    code = "totp_ticket_invalid"

    def __init__(self):
        super().__init__({"id": f"Kunci autentikator baru ini sudah tidak berlaku (lebih dari {TOTP_TICKET_MINUTES} "
                                "menit, atau dibuat di sesi lain). Mulai lagi dari awal.",
                          "en": "This new authenticator key is no longer valid (too old, or made in another "
                                "session). Start again."})


class NewOtpMismatch(rules.AccountRefused):
    code = "otp_mismatch"

    def __init__(self):
        super().__init__({"id": "Kode dari autentikator baru tidak cocok dengan kunci barunya. Periksa kunci yang "
                                "dimasukkan dan jam ponsel, lalu pakai kode berikutnya.",
                          "en": "The code from the new authenticator does not match its new key. Check the key "
                                "and the phone's clock, then use the next code."}, field="new_otp")


def _counted(db, limits: logins.LoginLimits, member: TeamMember) -> str:
    """Guessing the current password through a stolen session is counted like a login."""
    key = limits.key(member.username, "own-account")
    logins.count_attempt(db, key, limits, datetime.now(UTC))
    return key


def _prove(conn, member: TeamMember, password: str, otp: str, now: datetime):
    """The account's row, if the current password and an unused code are right; the code is used."""
    row = conn.execute(users.select().where(users.c.user_id == member.user_id).with_for_update()).one()
    password_ok = slow_hash_matches(row.password_hash, password)
    step = credentials.otp_step(row.totp_secret or "", otp, row.totp_last_step, now) if row.totp_secret else None
    if not password_ok or step is None:
        raise CurrentCredentialsWrong()
    return row, step


def _forgive(db, key: str) -> None:
    with db.engine.begin() as conn:
        logins.COUNTERS.write(conn, key, None)


def change_password(db, limits: logins.LoginLimits, member: TeamMember, token: str, current: str, otp: str,
                    new: str) -> TeamMember:
    key = _counted(db, limits, member)
    now = datetime.now(UTC)
    with db.unit_of_work() as uow:
        conn = uow.connection
        accounts.lock_accounts(conn)
        _, step = _prove(conn, member, current, otp, now)
        rules.require_good_password(new, member.username)
        if new == current:
            raise SamePassword()
        after = accounts.update_account(conn, member.user_id, password_hash=credentials.hash_password(new),
                                        totp_last_step=step)
        if after.role in DISCLOSURE_ROLES:
            private = member_keys.relock(conn, after.user_id, current, new)
            if private is not None:
                member_keys.keep_for_session(conn, token, private)
        ended = sessions.end_others(conn, after.user_id, token, "password_changed")
        announce(uow, Actor.holder(after), "password_changed", after, {"other_sessions_ended": ended})
    _forgive(db, key)
    return after


def _ticket(token: str, secret: str, until: int) -> str:
    key = hashlib.blake2b(token.encode(), digest_size=32, person=TICKET_PERSON).digest()
    return hmac.new(key, f"{secret}\n{until}".encode(), hashlib.sha256).hexdigest()


def start_totp_change(member: TeamMember, token: str) -> dict:
    """A new secret for the member's authenticator, and the ticket that lets this session confirm it."""
    secret = pyotp.random_base32(32)
    until = int((datetime.now(UTC) + timedelta(minutes=TOTP_TICKET_MINUTES)).timestamp())
    return {"totp_secret": secret, "totp_uri": otpauth_uri(member.username, secret),
            "ticket": f"{until}.{_ticket(token, secret, until)}", "valid_minutes": TOTP_TICKET_MINUTES}


def _require_ticket(token: str, secret: str, ticket: str) -> None:
    until, _, mac = ticket.partition(".")
    if not until.isdigit() or int(until) < datetime.now(UTC).timestamp() \
            or not hmac.compare_digest(mac, _ticket(token, secret, int(until))):
        raise TotpTicketInvalid()


def change_totp(db, limits: logins.LoginLimits, member: TeamMember, token: str, fields: dict) -> TeamMember:
    """The new authenticator replaces the old one, once a code from it proves it was set up right
    (that code cannot log in afterwards) and the current password and a code from the old one
    prove who asks."""
    _require_ticket(token, fields["new_totp_secret"], fields["ticket"])
    key = _counted(db, limits, member)
    now = datetime.now(UTC)
    with db.unit_of_work() as uow:
        conn = uow.connection
        accounts.lock_accounts(conn)
        _prove(conn, member, fields["password"], fields["otp"], now)
        new_step = credentials.otp_step(fields["new_totp_secret"], fields["new_otp"], None, now)
        if new_step is None:
            raise NewOtpMismatch()
        after = accounts.update_account(conn, member.user_id, totp_secret=fields["new_totp_secret"],
                                        totp_last_step=new_step)
        ended = sessions.end_others(conn, after.user_id, token, "totp_changed")
        announce(uow, Actor.holder(after), "totp_changed", after, {"other_sessions_ended": ended})
    _forgive(db, key)
    return after
