"""The team's API described as OpenAPI 3, generated from casework's marshmallow schemas."""

from __future__ import annotations

from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.casework.domain.accounts import STATES
from services.casework.domain.commands import TEAM_COMMANDS
from services.casework.domain.permissions import PERMISSIONS
from services.casework.schemas import (
    COMMAND_BODIES,
    ConfirmAccountBody,
    EmailBody,
    EnrolmentBody,
    EnrolmentCodeBody,
    FileCaseBody,
    GrantRequestBody,
    LoginBody,
    NewAccountBody,
    PreferencesBody,
    RoleBody,
)

BEARER = [{"bearer": []}]
ERROR = {"application/json": {"schema": {"type": "object", "properties": {"error": {
    "type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                     "details": {}}}}}}}
JSON = {"application/json": {"schema": {"type": "object"}}}
MEMBERS = {"application/json": {"schema": {"type": "array", "items": {"type": "object", "properties": {
    "user_id": {"type": "string", "format": "uuid"}, "full_name": {"type": "string"}, "role": {"type": "string"},
    "work_unit": {"type": "string", "nullable": True}}, "required": ["user_id", "full_name", "role"]}}}}


def _responses(ok: str, *errors: int, status: int = 200, media: str | None = None, content=None) -> dict:
    words = {400: "A field is missing or wrong.", 401: "Not logged in, or the session ended (details.reason: "
             "idle, lifetime, logout, account).", 403: "Not allowed for this role, recused, the two-person rule, "
             "or the account awaits a ketua's confirmation.", 404: "Not found (or not visible to you).",
             409: "A conflict with the current state: a stale version, a stage that does not allow it, an account "
             "that changed or is not in the state it needs.",
             422: "A rule refuses it (the error's code and message say which).",
             429: "Too many failed logins with this name from this client, or logins take turns across the "
             "system now: wait Retry-After seconds."}
    return {str(status): {"description": ok, "content": content or ({media: {}} if media else JSON)},
            **{str(c): {"description": words[c], "content": ERROR} for c in errors}}


def _case_param() -> dict:
    return {"name": "case_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}


def _who(action: str) -> str:
    return f"Roles: {', '.join(PERMISSIONS[action])}."


@lru_cache(maxsize=1)
def spec_dict() -> dict:
    spec = APISpec(title="Netra team API (casework)", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "The monitoring team's and BKPPD's API. Log in with password "
                                        "and TOTP code; send the token as `Authorization: Bearer`. "
                                        "Every command carries the `expected_version` it was decided on."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name, schema in (("Login", LoginBody), ("FileCase", FileCaseBody), ("GrantRequest", GrantRequestBody),
                         ("NewAccount", NewAccountBody), ("Preferences", PreferencesBody), ("Role", RoleBody),
                         ("Email", EmailBody), ("ConfirmAccount", ConfirmAccountBody),
                         ("EnrolmentCode", EnrolmentCodeBody), ("Enrolment", EnrolmentBody)):
        spec.components.schema(name, schema=schema)
    own_account_paths(spec)
    accounts_paths(spec)
    spec.path(path="/api/v1/cases", operations={
        "get": {"summary": "The work queue", "security": BEARER, "description": _who("view_cases") +
                " Filters: status, assignee (id or `me`), platform, violation_type, work_unit, kecamatan, "
                "overdue, q (full-text, Indonesian); sort (opened_at, updated_at, due_at, case_number, "
                "relevance), order, limit, offset.", "responses": _responses("A page of cases.", 401, 403)},
        "post": {"summary": "File a case from the team's own monitoring", "security": BEARER,
                 "description": _who("file_case"),
                 "requestBody": {"content": {"application/json": {"schema": "FileCase"}}},
                 "responses": _responses("The new case.", 400, 401, 403, status=201)}})
    spec.path(path="/api/v1/cases/{case_id}", operations={"get": {
        "summary": "The case file with its whole timeline", "security": BEARER, "parameters": [_case_param()],
        "description": _who("view_cases"), "responses": _responses("The case.", 401, 403, 404)}})
    named: dict[type, str] = {}  # one component per schema class, however many commands share it
    for command in TEAM_COMMANDS:
        schema = COMMAND_BODIES[command.name]
        if schema not in named:
            named[schema] = "".join(part.title() for part in command.name.split("_")) + "Command"
            spec.components.schema(named[schema], schema=schema)
        name = named[schema]
        spec.path(path=f"/api/v1/cases/{{case_id}}/{command.name}", operations={"post": {
            "summary": command.name.replace("_", " "), "security": BEARER, "parameters": [_case_param()],
            "description": _who(command.name), "requestBody": {"content": {"application/json": {"schema": name}}},
            "responses": _responses("The case's new version, status and allowed commands.",
                                    400, 401, 403, 404, 409, 422)}})
    spec.path(path="/api/v1/cases/{case_id}/identity", operations={"post": {
        "summary": "Read the reporter's identity (only the recipient of an approved disclosure)",
        "security": BEARER, "parameters": [_case_param()],
        "responses": _responses("The identity; the reading is recorded on the case.", 401, 403, 404)}})
    spec.path(path="/api/v1/cases/{case_id}/evidence/{evidence_id}/grants", operations={"post": {
        "summary": "A short-lived grant to view one screenshot", "security": BEARER,
        "parameters": [_case_param(), {"name": "evidence_id", "in": "path", "required": True,
                                       "schema": {"type": "string", "format": "uuid"}}],
        "requestBody": {"content": {"application/json": {"schema": "GrantRequest"}}},
        "responses": _responses("The grant and where to use it.", 400, 401, 403, 404)}})
    for kind, media in (("json", "application/json"), ("pdf", "application/pdf")):
        spec.path(path=f"/api/v1/cases/{{case_id}}/dossier.{kind}", operations={"get": {
            "summary": f"The dossier for BKPPD ({kind.upper()})", "security": BEARER,
            "parameters": [_case_param()], "description": _who("view_dossier"),
            "responses": _responses("The dossier.", 401, 403, 404, 409, media=media)}})
    spec.path(path="/api/v1/statistics", operations={"get": {
        "summary": "Counts and time in each stage (no names)", "security": BEARER,
        "responses": _responses("Statistics.", 401, 403)}})
    spec.path(path="/api/v1/statistics.csv", operations={"get": {
        "summary": "The same, as CSV", "security": BEARER,
        "responses": _responses("CSV.", 401, 403, media="text/csv")}})
    spec.path(path="/api/v1/statistics/{dimension}.svg", operations={"get": {
        "summary": "A bar chart (status, platform, violation_type, work_unit, week)", "security": BEARER,
        "parameters": [{"name": "dimension", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": _responses("SVG.", 401, 403, 404, media="image/svg+xml")}})
    spec.path(path="/api/v1/team", operations={"get": {
        "summary": "Active team and BKPPD accounts (name, role, work unit): whom to assign or disclose to",
        "security": BEARER, "description": _who("view_team"),
        "responses": _responses("Members.", 401, 403, content=MEMBERS)}})
    return spec.to_dict()


def _body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def own_account_paths(spec: APISpec) -> None:
    """Logging in and out, the session, one's own account, and enrolling (no token: the code)."""
    spec.path(path="/api/v1/auth/login", operations={"post": {
        "summary": "Log in (password and TOTP code)", "description": "Failures are counted per (username as "
        "typed, client address): an unknown name and a wrong password are answered alike.",
        "requestBody": _body("Login"), "responses": _responses("A bearer token and when its session ends.",
                                                                 400, 401, 429)}})
    spec.path(path="/api/v1/auth/logout", operations={"post": {
        "summary": "End this token", "security": BEARER, "responses": _responses("Logged out.", 401)}})
    spec.path(path="/api/v1/auth/session", operations={"get": {
        "summary": "When this session ends (idle_expires_at, moved on by use; expires_at, its lifetime)",
        "security": BEARER, "responses": _responses("The session's ends and its member.", 401)}})
    spec.path(path="/api/v1/me", operations={"get": {
        "summary": "My account, with my e-mail, how I am notified and its state", "security": BEARER,
        "responses": _responses("The account.", 401)}})
    spec.path(path="/api/v1/me/preferences", operations={"post": {
        "summary": "Choose immediate messages or one daily digest (notify_mode)", "security": BEARER,
        "requestBody": _body("Preferences"), "responses": _responses("The account.", 400, 401)}})
    spec.path(path="/api/v1/enrolment/open", operations={"post": {
        "summary": "Open a one-time enrolment code: whose account, and the TOTP secret to set up",
        "description": "For the account's holder only (the code came to them by e-mail); the same secret each "
        "time until the code is used.", "requestBody": _body("EnrolmentCode"),
        "responses": _responses("The account and its TOTP secret and otpauth URI.", 400, 404)}})
    spec.path(path="/api/v1/enrolment/complete", operations={"post": {
        "summary": "Set one's own password and TOTP with the code; the code is used up",
        "requestBody": _body("Enrolment"), "responses": _responses("The account (awaiting a ketua's confirmation "
                                                                     "if its role needs one).", 400, 404, 422)}})


def _user_path(action: str) -> str:
    return f"/api/v1/users/{{user_id}}/{action}"


USER_ID = {"name": "user_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}


def accounts_paths(spec: APISpec) -> None:
    """Managing accounts (admin), confirming them (ketua), and their audit log (ketua)."""
    spec.path(path="/api/v1/users", operations={
        "get": {"summary": "Accounts and their states (never a secret)", "security": BEARER,
                "description": _who("view_accounts"),
                "parameters": [{"name": "state", "in": "query", "required": False,
                                "schema": {"type": "string", "enum": list(STATES)}}],
                "responses": _responses("Accounts.", 400, 401, 403)},
        "post": {"summary": "Make an account; its holder gets a one-time enrolment code by e-mail", "security": BEARER,
                 "description": _who("manage_accounts") + " An existing username is refused (409), nothing changed.",
                 "requestBody": _body("NewAccount"),
                 "responses": _responses("The account (invited), and when its code expires.", 400, 401, 403, 409,
                                         422, status=201)}})
    changes = {"role": ("Change an account's role (its sessions end; a ketua confirms it again)", "Role"),
               "email": ("Change an account's e-mail (its sessions end; a ketua confirms it again)", "Email"),
               "deactivate": ("Deactivate an account for good (its sessions end)", None),
               "reset-enrolment": ("Reset an account's password and TOTP: a new code goes to its holder", None)}
    for action, (summary, schema) in changes.items():
        operation = {"summary": summary, "security": BEARER, "description": _who("manage_accounts"),
                     "parameters": [USER_ID], "responses": _responses("The account.", 400, 401, 403, 404, 409, 422)}
        if schema:
            operation["requestBody"] = _body(schema)
        spec.path(path=_user_path(action), operations={"post": operation})
    spec.path(path=_user_path("confirm"), operations={"post": {
        "summary": "Confirm an account awaiting it, as seen (expected_version); never one's own", "security": BEARER,
        "description": _who("confirm_accounts"), "parameters": [USER_ID], "requestBody": _body("ConfirmAccount"),
        "responses": _responses("The account, and what was confirmed.", 400, 401, 403, 404, 409, 422)}})
    spec.path(path="/api/v1/audit/accounts", operations={"get": {
        "summary": "The account audit log, newest first", "security": BEARER, "description": _who("view_account_audit"),
        "parameters": [{"name": "account_id", "in": "query", "required": False,
                        "schema": {"type": "string", "format": "uuid"}},
                       {"name": "limit", "in": "query", "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                       {"name": "offset", "in": "query", "required": False,
                        "schema": {"type": "integer", "minimum": 0}}],
        "responses": _responses("A page of entries.", 400, 401, 403, 404)}})
