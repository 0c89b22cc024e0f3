"""The team's API described as OpenAPI 3, generated from casework's marshmallow schemas."""

from __future__ import annotations

from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.casework.domain.permissions import PERMISSIONS
from services.casework.schemas import (
    COMMAND_BODIES,
    FileCaseBody,
    GrantRequestBody,
    LoginBody,
    NewAccountBody,
    PreferencesBody,
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
    words = {400: "A field is missing or wrong.", 401: "Not logged in.", 403: "Not allowed for this role, "
             "recused, or the two-person rule.", 404: "No such case (or not visible to you).",
             409: "Stale version, or not allowed in the case's current stage.", 429: "Locked out."}
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
                         ("NewAccount", NewAccountBody), ("Preferences", PreferencesBody)):
        spec.components.schema(name, schema=schema)
    spec.path(path="/api/v1/auth/login", operations={"post": {
        "summary": "Log in (password and TOTP code)", "requestBody": {"content": {
            "application/json": {"schema": "Login"}}}, "responses": _responses("A bearer token.", 400, 401, 429)}})
    spec.path(path="/api/v1/auth/logout", operations={"post": {
        "summary": "End this token", "security": BEARER, "responses": _responses("Logged out.", 401)}})
    spec.path(path="/api/v1/me", operations={"get": {
        "summary": "My account, with my e-mail and how I am notified", "security": BEARER,
        "responses": _responses("The account.", 401)}})
    spec.path(path="/api/v1/me/preferences", operations={"post": {
        "summary": "Choose immediate messages or one daily digest (notify_mode)", "security": BEARER,
        "requestBody": {"content": {"application/json": {"schema": "Preferences"}}},
        "responses": _responses("The account.", 400, 401)}})
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
    for command, schema in COMMAND_BODIES.items():
        if schema not in named:
            named[schema] = "".join(part.title() for part in command.split("_")) + "Command"
            spec.components.schema(named[schema], schema=schema)
        name = named[schema]
        spec.path(path=f"/api/v1/cases/{{case_id}}/{command}", operations={"post": {
            "summary": command.replace("_", " "), "security": BEARER, "parameters": [_case_param()],
            "description": _who(command), "requestBody": {"content": {"application/json": {"schema": name}}},
            "responses": _responses("The case's new version, status and allowed commands.",
                                    400, 401, 403, 404, 409)}})
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
    spec.path(path="/api/v1/users", operations={
        "get": {"summary": "Accounts", "security": BEARER, "description": _who("manage_accounts"),
                "responses": _responses("Accounts.", 401, 403)},
        "post": {"summary": "Create or reset an account (shows its TOTP secret once)", "security": BEARER,
                 "description": _who("manage_accounts"),
                 "requestBody": {"content": {"application/json": {"schema": "NewAccount"}}},
                 "responses": _responses("The account.", 400, 401, 403, status=201)}})
    spec.path(path="/api/v1/users/{user_id}/deactivate", operations={"post": {
        "summary": "Deactivate an account (its tokens end)", "security": BEARER,
        "description": _who("manage_accounts"),
        "parameters": [{"name": "user_id", "in": "path", "required": True, "schema": {"type": "string",
                                                                                      "format": "uuid"}}],
        "responses": _responses("The account.", 401, 403, 404)}})
    return spec.to_dict()
