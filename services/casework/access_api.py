"""The doors to one's own account: logging in and out, the session, my account, and enrolment.

One implementation for HTTP (service.py) and, except enrolment, nameko RPC: an enrolment code and
a new password never travel over the bus.
"""

from __future__ import annotations

from netra_common.http import ApiError
from services.casework import enrolment, logins
from services.casework.access import SignedDoor, session_answer
from services.casework.adapters import accounts, sessions
from services.casework.domain.errors import DomainError
from services.casework.schemas import EnrolmentBody, EnrolmentCodeBody, LoginBody, PreferencesBody
from services.casework.team_api import domain_error, load

LOGIN_FAILED = ApiError(401, "login_failed", {"id": "Nama pengguna, kata sandi, atau kode OTP salah.",
                                              "en": "Wrong username, password or one-time code."})


def _too_many(exc: logins.TooManyAttempts) -> ApiError:
    if isinstance(exc, logins.Busy):
        message = {"id": f"Terlalu banyak percobaan masuk di seluruh sistem saat ini. Coba lagi dalam "
                         f"{exc.retry_after} detik.",
                   "en": f"Too many login attempts across the system just now. Try again in "
                         f"{exc.retry_after} seconds."}
        code = "login_busy"
    else:
        message = {"id": f"Terlalu banyak percobaan masuk yang gagal dengan nama ini dari tempat Anda. Coba lagi "
                         f"dalam {exc.retry_after} detik.",
                   "en": f"Too many failed logins with this name from where you are. Try again in "
                         f"{exc.retry_after} seconds."}
        code = "too_many_attempts"
    return ApiError(429, code, message, details={"retry_after": exc.retry_after},
                    headers={"Retry-After": str(exc.retry_after)})


class AccessApi(SignedDoor):
    def login(self, body, client: str) -> dict:
        """A token, or the same refusal for any wrong name, password or code; 429 while this client
        must wait for this name, or while logins take turns across the system."""
        fields = load(LoginBody, body)
        try:
            started = logins.log_in(self.db, logins.LoginLimits.from_config(self.config), self.gate.times,
                                    fields["username"], fields["password"], fields["otp"], client)
        except logins.TooManyAttempts as exc:
            raise _too_many(exc) from None
        if started is None:
            raise LOGIN_FAILED
        token, session = started
        return {"token": token, "token_type": "bearer", **session_answer(session, self.gate.times),
                "user": session.member.public()}

    def logout(self, token: str) -> dict:
        self.gate.signed_in(token)
        with self.db.engine.begin() as conn:
            sessions.end(conn, token, "logout")
        return {"logged_out": True}

    def session(self, token: str) -> dict:
        """When this session ends; asking renews it like any use (the console asks while its member
        is at work)."""
        gate = self.gate
        found = gate.session(token)
        return {**session_answer(found, gate.times), "user": found.member.public()}

    def me(self, token: str) -> dict:
        return self.gate.signed_in(token).own()

    def set_preferences(self, token: str, body) -> dict:
        """Each member chooses for themself: every message at once, or one digest a day."""
        chosen = load(PreferencesBody, body)
        member = self.gate.signed_in(token)
        with self.db.unit_of_work() as uow:
            member = accounts.set_notify_mode(uow.connection, member.user_id, chosen["notify_mode"])
            uow.emit("team_member_changed", accounts.member_changed_payload(member))
        return member.own()

    # --- enrolment (no token: the one-time code is the proof) ------------------------------

    def open_enrolment(self, body) -> dict:
        fields = load(EnrolmentCodeBody, body)
        try:
            return enrolment.open_enrolment(self.db, fields["code"])
        except DomainError as exc:
            raise domain_error(exc) from None

    def complete_enrolment(self, body) -> dict:
        fields = load(EnrolmentBody, body)
        try:
            member = enrolment.complete(self.db, fields["code"], fields["password"], fields["otp"])
        except DomainError as exc:
            raise domain_error(exc) from None
        waiting = member.state != "active"
        return {**member.public(), "message": {
            True: "Pendaftaran selesai. Akun Anda menunggu konfirmasi ketua; Anda sudah dapat masuk dan "
                  "melihat akun Anda sendiri.",
            False: "Pendaftaran selesai. Silakan masuk dengan nama pengguna, kata sandi, dan kode OTP Anda."}[waiting]}
