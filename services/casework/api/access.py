"""Who is asking: the bearer token's live session, its account's state, and the permission matrix.

Every team request passes here. A session ends after `NETRA_SESSION_IDLE_MINUTES` without use and
at `NETRA_SESSION_MAX_HOURS` whatever happens; use moves the idle end on. An account awaiting a
ketua's confirmation may log in and see its own account, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from netra_common.errors import ApiError
from services.casework.adapters import sessions
from services.casework.adapters.sessions import Ended, Session, SessionTimes
from services.casework.domain.accounts import ACTIVE, AWAITING_CONFIRMATION, TeamMember
from services.casework.domain.permissions import may

UNAUTHENTICATED = ApiError(401, "unauthenticated", {
    "id": "Silakan masuk terlebih dahulu (token tidak ada, salah, atau kedaluwarsa).",
    "en": "Please log in (the token is missing, wrong or expired).",
}, headers={"WWW-Authenticate": "Bearer"})

_ENDED = {
    "idle": ("Sesi Anda berakhir karena tidak dipakai selama {idle} menit. Silakan masuk kembali.",
             "Your session ended after {idle} minutes without use. Please log in again."),
    "lifetime": ("Sesi Anda telah mencapai batas {hours} jam. Silakan masuk kembali.",
                 "Your session reached its limit of {hours} hours. Please log in again."),
    "account": ("Sesi Anda diakhiri karena akun Anda diubah (peran, kata sandi, TOTP, e-mail, atau "
                "dinonaktifkan). Silakan masuk kembali.",
                "Your session was ended because your account changed (role, password, TOTP, e-mail, or "
                "deactivated). Please log in again."),
    "logout": ("Sesi ini sudah diakhiri (keluar). Silakan masuk kembali.",
               "This session was ended (logged out). Please log in again."),
}


def forbidden(action: str) -> ApiError:
    return ApiError(403, "forbidden", {"id": f"Peran Anda tidak diizinkan menjalankan '{action}'.",
                                       "en": f"Your role may not perform '{action}'."})


AWAITING = ApiError(403, "awaiting_confirmation", {
    "id": "Akun Anda menunggu konfirmasi ketua. Sampai dikonfirmasi, Anda hanya dapat melihat akun Anda sendiri.",
    "en": "Your account awaits a ketua's confirmation. Until then you can only see your own account."})


def session_ended(reason: str, times: SessionTimes) -> ApiError:
    kind = reason if reason in ("idle", "lifetime", "logout") else "account"
    words = {"idle": int(times.idle.total_seconds() // 60), "hours": int(times.lifetime.total_seconds() // 3600)}
    message_id, message_en = _ENDED[kind]
    return ApiError(401, "unauthenticated", {"id": message_id.format(**words), "en": message_en.format(**words)},
                    details={"reason": kind}, headers={"WWW-Authenticate": "Bearer"})


def session_times(config: dict) -> SessionTimes:
    return SessionTimes(idle=timedelta(minutes=float(config.get("NETRA_SESSION_IDLE_MINUTES", 30))),
                        lifetime=timedelta(hours=float(config.get("NETRA_SESSION_MAX_HOURS", 12))))


def session_answer(session: Session, times: SessionTimes) -> dict:
    """When the session ends: after `idle_minutes` without use (idle_expires_at, moved on by use),
    and at expires_at whatever happens."""
    return {"expires_at": session.expires_at, "idle_expires_at": session.idle_expires_at,
            "idle_minutes": times.idle.total_seconds() / 60}


@dataclass
class Gate:
    db: object
    config: dict

    @property
    def times(self) -> SessionTimes:
        return session_times(self.config)

    def session(self, token: str | None) -> Session:
        """The live session of a token, its idle end moved on by this use; 401 saying why otherwise."""
        if not token:
            raise UNAUTHENTICATED
        now, times = datetime.now(UTC), self.times
        with self.db.read() as conn:
            found = sessions.find(conn, token, now)
        if found is None:
            raise UNAUTHENTICATED
        if isinstance(found, Ended):
            with self.db.engine.begin() as conn:
                sessions.drop_key(conn, token)
            raise session_ended(found.reason, times)
        if sessions.needs_renewal(found, times, now):
            with self.db.engine.begin() as conn:
                renewed = sessions.renew(conn, found, times, now)
            found = Session(found.member, found.token_hash, found.expires_at, renewed)
        return found

    def signed_in(self, token: str | None) -> TeamMember:
        """The member a live token belongs to, whatever the account's state (their own account)."""
        return self.session(token).member

    def member(self, token: str | None, action: str) -> TeamMember:
        """The member, if their role may do `action` and their account counts (enrolled, confirmed)."""
        member = self.signed_in(token)
        if not may(member.role, action):
            raise forbidden(action)
        if member.state == AWAITING_CONFIRMATION:
            raise AWAITING
        if member.state != ACTIVE:
            raise UNAUTHENTICATED
        return member


@dataclass
class SignedDoor:
    """A door of the team API: its database, its settings, and the gate every request passes."""

    db: object
    config: dict

    @property
    def gate(self) -> Gate:
        return Gate(self.db, self.config)
