"""The doors to one's own account: logging in and out, the session, my account, and enrolment.

One implementation for HTTP (service.py) and, except enrolment, nameko RPC: an enrolment code and
a new password never travel over the bus.
"""

from __future__ import annotations

from netra_common.errors import ApiError
from services.casework.adapters import accounts, sessions
from services.casework.api.access import SignedDoor, session_answer
from services.casework.api.schemas import (
    EnrolmentBody,
    EnrolmentCodeBody,
    LoginBody,
    OwnPasswordBody,
    OwnTotpBody,
    PreferencesBody,
)
from services.casework.api.team_api import load
from services.casework.usecases import enrolment, logins, own_account
from services.casework.usecases.account_integration import member_changed_payload

LOGIN_FAILED = ApiError(401, "login_failed", {"id": "Nama pengguna, kata sandi, atau kode OTP salah.",
                                              "en": "Wrong username, password or one-time code."})


class AccessApi(SignedDoor):
    def login(self, body, client: str) -> dict:
        """A token, or the same refusal for any wrong name, password or code; 429 while this client
        must wait for this name, or while logins take turns across the system."""
        fields = load(LoginBody, body)
        started = logins.log_in(self.db, logins.LoginLimits.from_config(self.config), self.gate.times,
                                fields["username"], fields["password"], fields["otp"], client)
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
            uow.emit("team_member_changed", member_changed_payload(member))
        return member.own()

    # --- one's own password and authenticator (HTTP only: a password stays off the bus) -------

    def change_password(self, token: str, body) -> dict:
        fields = load(OwnPasswordBody, body)
        member = self.gate.signed_in(token)
        after = own_account.change_password(self.db, logins.LoginLimits.from_config(self.config), member, token,
                                            fields["current_password"], fields["otp"], fields["new_password"])
        return {**after.own(), "message": "Kata sandi diganti. Sesi Anda yang lain sudah diakhiri; masuk "
                                          "berikutnya dengan kata sandi baru."}

    def start_totp_change(self, token: str) -> dict:
        return own_account.start_totp_change(self.gate.signed_in(token), token)

    def change_totp(self, token: str, body) -> dict:
        fields = load(OwnTotpBody, body)
        member = self.gate.signed_in(token)
        after = own_account.change_totp(self.db, logins.LoginLimits.from_config(self.config), member, token,
                                        fields)
        return {**after.own(), "message": "Autentikator diganti. Sesi Anda yang lain sudah diakhiri; masuk "
                                          "berikutnya dengan kode dari autentikator baru."}

    # --- enrolment (no token: the one-time code is the proof) ------------------------------

    def open_enrolment(self, body) -> dict:
        fields = load(EnrolmentCodeBody, body)
        return enrolment.open_enrolment(self.db, fields["code"])

    def complete_enrolment(self, body) -> dict:
        fields = load(EnrolmentBody, body)
        member = enrolment.complete(self.db, fields["code"], fields["password"], fields["otp"])
        waiting = member.state != "active"
        return {**member.public(), "message": {
            True: "Pendaftaran selesai. Akun Anda menunggu konfirmasi ketua; Anda sudah dapat masuk dan "
                  "melihat akun Anda sendiri.",
            False: "Pendaftaran selesai. Silakan masuk dengan nama pengguna, kata sandi, dan kode OTP Anda."}[waiting]}
