"""The accounts part of casework's OpenAPI document: logging in, the session, one's own account,
enrolling (no token: the one-time code), managing accounts (admin), confirming them and reading
their audit log (ketua)."""

from __future__ import annotations

from apispec import APISpec

from services.casework.api.openapi_parts import ID, operation, who
from services.casework.api.schemas import AccountsQuery, AuditQuery

USER_ID = {"name": "user_id", "in": "path", "required": True, "schema": ID}


def own_account_paths(spec: APISpec) -> None:
    spec.path(path="/api/v1/auth/login", operations={"post": operation(
        "Log in (password and TOTP code)", "login", secured=False, body="Login", errors=(401, 429),
        description="Failures are counted per (username as typed, client address): an unknown name and a "
        "wrong password are answered alike.", ok="A bearer token and when its session ends.")})
    spec.path(path="/api/v1/auth/logout", operations={"post": operation("End this token", "logout",
                                                                        ok="Logged out.")})
    spec.path(path="/api/v1/auth/session", operations={"get": operation(
        "When this session ends (idle_expires_at, moved on by use; expires_at, its lifetime)", "session",
        ok="The session's ends and its member.")})
    spec.path(path="/api/v1/me", operations={"get": operation(
        "My account, with my e-mail, how I am notified and its state", "me", ok="The account.")})
    spec.path(path="/api/v1/me/preferences", operations={"post": operation(
        "Choose immediate messages or one daily digest (notify_mode)", "set_preferences", body="Preferences",
        ok="The account.")})
    spec.path(path="/api/v1/me/password", operations={"post": operation(
        "Change my own password (the current one and a TOTP code prove who asks)", "change_own_password",
        body="OwnPassword", errors=(422, 429),
        description="My key pair is locked again under the new password (the vault grant and what was "
        "disclosed to me stay mine); my other sessions end; an account event, mailed to me and every ketua.",
        ok="The account.")})
    spec.path(path="/api/v1/me/totp", operations={"post": operation(
        "Start changing my authenticator: a new TOTP secret for my eyes only, and a ticket for this session",
        "start_own_totp_change", ok="The new secret, its otpauth URI and the ticket (valid 15 minutes).")})
    spec.path(path="/api/v1/me/totp/confirm", operations={"post": operation(
        "Replace my authenticator: a code from the new one, my password and a code from the old one",
        "change_own_totp", body="OwnTotp", errors=(422, 429),
        description="My other sessions end; an account event, mailed to me and every ketua.",
        ok="The account.")})
    spec.path(path="/api/v1/enrolment/open", operations={"post": operation(
        "Open a one-time enrolment code: whose account, and the TOTP secret to set up", "enrolment_open",
        secured=False, body="EnrolmentCode", errors=(404,),
        description="For the account's holder only (the code came to them by e-mail); the same secret each "
        "time until the code is used.", ok="The account and its TOTP secret and otpauth URI.")})
    spec.path(path="/api/v1/enrolment/complete", operations={"post": operation(
        "Set one's own password and TOTP with the code; the code is used up", "enrolment_complete",
        secured=False, body="Enrolment", errors=(404, 422),
        ok="The account (awaiting a ketua's confirmation if its role needs one).")})


def _user_path(action: str) -> str:
    return f"/api/v1/users/{{user_id}}/{action}"


def accounts_paths(spec: APISpec) -> None:
    spec.path(path="/api/v1/users", operations={
        "get": operation("Accounts and their states (never a secret)", "list_accounts",
                         description=who("view_accounts"), parameters=[{"in": "query", "schema": AccountsQuery}],
                         errors=(403,), ok="Accounts."),
        "post": operation("Make an account; its holder gets a one-time enrolment code by e-mail", "create_account",
                          description=who("manage_accounts") + " An existing username is refused (409), nothing "
                          "changed.", body="NewAccount", errors=(403, 409, 422), status=201,
                          ok="The account (invited), and when its code expires.")})
    changes = {"role": ("Change an account's role (its sessions end; a ketua confirms it again)", "Role"),
               "email": ("Change an account's e-mail (its sessions end; a ketua confirms it again)", "Email"),
               "deactivate": ("Deactivate an account for good (its sessions end)", None),
               "reset-enrolment": ("Reset an account's password and TOTP: a new code goes to its holder", None)}
    for action, (summary, schema) in changes.items():
        spec.path(path=_user_path(action), operations={"post": operation(
            summary, f"account_{action.replace('-', '_')}", description=who("manage_accounts"), body=schema,
            parameters=[USER_ID], errors=(403, 409, 422), ok="The account.")})
    spec.path(path=_user_path("confirm"), operations={"post": operation(
        "Confirm an account awaiting it, as seen (expected_version); never one's own", "account_confirm",
        description=who("confirm_accounts"), body="ConfirmAccount", parameters=[USER_ID], errors=(403, 409, 422),
        ok="The account, and what was confirmed.")})
    spec.path(path=_user_path("vault-grant"), operations={"post": operation(
        "Grant the identity vault to another active ketua (the caller must hold it, logged in)", "account_vault_grant",
        description=who("grant_vault") + " The vault's key is sealed to that ketua's own key (docs/decisions/0017); "
        "audited and mailed to every ketua.", parameters=[USER_ID], errors=(403, 404, 409, 422),
        ok="The account, now holding the vault.")})
    spec.path(path="/api/v1/audit/accounts", operations={"get": operation(
        "The account audit log, newest first", "account_audit", description=who("view_account_audit"),
        parameters=[{"in": "query", "schema": AuditQuery}], errors=(403, 404), ok="A page of entries.")})
