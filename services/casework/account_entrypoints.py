"""casework's entrypoints for accounts: logging in, sessions, enrolment, managing and confirming
accounts, and their audit log. A base class of the service (nameko finds inherited entrypoints),
kept apart from the cases' entrypoints in service.py."""

from __future__ import annotations

from netra_common import inputs
from netra_common.bus.rpc import rpc
from netra_common.clients import client_address, trusted_networks
from netra_common.errors import ApiError, PerLanguage
from netra_common.http import api
from netra_common.http_answers import json_response
from services.casework.api.access_api import AccessApi
from services.casework.api.accounts_api import AccountsApi

NO_STORE = {"Cache-Control": "no-store"}


def token_of(request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def body_of(request):
    """The JSON body, read at the door's limits ({} when there is none: the schema says what is missing)."""
    try:
        body = inputs.read_json(request)
    except inputs.UnreadableJson as exc:
        raise ApiError(400, "invalid_body", exc.message, details=PerLanguage({
            lang: {p.path or "body": [inputs.WORDS[p.code][lang]] for p in exc.problems}
            for lang in ("id", "en")})) from None
    return {} if body is None else body


class AccountEntrypoints:
    """Needs the service's `db` and `config`."""

    @property
    def access(self) -> AccessApi:
        return AccessApi(self.db, self.config)

    @property
    def accounts(self) -> AccountsApi:
        return AccountsApi(self.db, self.config)

    def _client(self, request) -> str:
        trusted = trusted_networks(str(self.config.get("NETRA_TRUSTED_PROXIES") or ""))
        return client_address(request.remote_addr, request.headers.get("X-Forwarded-For"), trusted)

    # --- HTTP: one's own account --------------------------------------------------------------

    @api("POST", "/api/v1/auth/login")
    def login(self, request):
        return json_response(self.access.login(body_of(request), self._client(request)), headers=NO_STORE)

    @api("POST", "/api/v1/auth/logout")
    def logout(self, request):
        return json_response(self.access.logout(token_of(request)))

    @api("GET", "/api/v1/auth/session")
    def session(self, request):
        return json_response(self.access.session(token_of(request)), headers=NO_STORE)

    @api("GET", "/api/v1/me")
    def me(self, request):
        return json_response(self.access.me(token_of(request)))

    @api("POST", "/api/v1/me/preferences")
    def set_preferences(self, request):
        return json_response(self.access.set_preferences(token_of(request), body_of(request)))

    @api("POST", "/api/v1/me/password")
    def change_own_password(self, request):
        return json_response(self.access.change_password(token_of(request), body_of(request)), headers=NO_STORE)

    @api("POST", "/api/v1/me/totp")
    def start_own_totp_change(self, request):
        return json_response(self.access.start_totp_change(token_of(request)), headers=NO_STORE)

    @api("POST", "/api/v1/me/totp/confirm")
    def change_own_totp(self, request):
        return json_response(self.access.change_totp(token_of(request), body_of(request)), headers=NO_STORE)

    @api("POST", "/api/v1/enrolment/open")
    def open_enrolment(self, request):
        return json_response(self.access.open_enrolment(body_of(request)), headers=NO_STORE)

    @api("POST", "/api/v1/enrolment/complete")
    def complete_enrolment(self, request):
        return json_response(self.access.complete_enrolment(body_of(request)), headers=NO_STORE)

    # --- HTTP: managing and confirming accounts -----------------------------------------------

    @api("GET", "/api/v1/users")
    def list_accounts(self, request):
        return json_response(self.accounts.list(token_of(request), request.args.to_dict()))

    @api("POST", "/api/v1/users")
    def create_account(self, request):
        return json_response(self.accounts.create(token_of(request), body_of(request)), status=201)

    @api("POST", "/api/v1/users/<user_id>/role")
    def change_role(self, request, user_id):
        return json_response(self.accounts.change_role(token_of(request), user_id, body_of(request)))

    @api("POST", "/api/v1/users/<user_id>/email")
    def change_email(self, request, user_id):
        return json_response(self.accounts.change_email(token_of(request), user_id, body_of(request)))

    @api("POST", "/api/v1/users/<user_id>/deactivate")
    def deactivate_account(self, request, user_id):
        return json_response(self.accounts.deactivate(token_of(request), user_id))

    @api("POST", "/api/v1/users/<user_id>/reset-enrolment")
    def reset_enrolment(self, request, user_id):
        return json_response(self.accounts.reset_enrolment(token_of(request), user_id))

    @api("POST", "/api/v1/users/<user_id>/confirm")
    def confirm_account(self, request, user_id):
        return json_response(self.accounts.confirm(token_of(request), user_id, body_of(request)))

    @api("POST", "/api/v1/users/<user_id>/vault-grant")
    def grant_vault(self, request, user_id):
        return json_response(self.accounts.grant_vault(token_of(request), user_id))

    @api("GET", "/api/v1/audit/accounts")
    def account_audit(self, request):
        return json_response(self.accounts.audit(token_of(request), request.args.to_dict()))

    # --- RPC: the same, except enrolment (a code and a new password stay off the bus) ---------

    @rpc
    def rpc_login(self, body):
        return self.access.login(body, "rpc")

    @rpc
    def rpc_logout(self, token):
        return self.access.logout(token)

    @rpc
    def rpc_me(self, token):
        return self.access.me(token)

    @rpc
    def rpc_set_preferences(self, token, body):
        return self.access.set_preferences(token, body)

    @rpc
    def rpc_accounts(self, token, query=None):
        return self.accounts.list(token, query or {})

    @rpc
    def rpc_create_account(self, token, body):
        return self.accounts.create(token, body)

    @rpc
    def rpc_change_role(self, token, user_id, body):
        return self.accounts.change_role(token, user_id, body)

    @rpc
    def rpc_change_email(self, token, user_id, body):
        return self.accounts.change_email(token, user_id, body)

    @rpc
    def rpc_deactivate_account(self, token, user_id):
        return self.accounts.deactivate(token, user_id)

    @rpc
    def rpc_reset_enrolment(self, token, user_id):
        return self.accounts.reset_enrolment(token, user_id)

    @rpc
    def rpc_confirm_account(self, token, user_id, body):
        return self.accounts.confirm(token, user_id, body)

    @rpc
    def rpc_grant_vault(self, token, user_id):
        return self.accounts.grant_vault(token, user_id)

    @rpc
    def rpc_account_audit(self, token, query=None):
        return self.accounts.audit(token, query or {})
