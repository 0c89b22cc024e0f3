"""The team's API described as OpenAPI 3, generated from casework's marshmallow schemas.

Every answer an operation can give is listed with it (docs/decisions/0007): 400 for a request that
cannot be read or breaks this document, 401/403/404 for who may see what, 409 for a case that is
not in a state for the command, 413/415 for a body too large or not JSON, 422 for a body that fits
the document but a rule refuses, 503 when the database is briefly away. The links let a client (and
schemathesis' stateful phase) go from a filed case to what can be done with it.
"""

from __future__ import annotations

from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from netra_common.inputs import MAX_JSON_BYTES
from services.casework import statistics
from services.casework.domain.permissions import PERMISSIONS
from services.casework.schemas import (
    COMMAND_BODIES,
    UUID,
    FileCaseBody,
    GrantRequestBody,
    LoginBody,
    NewAccountBody,
    PreferencesBody,
    QueueQuery,
)

BEARER = [{"bearer": []}]
WORDS = {
    400: "The request cannot be read (its path, a query parameter, a header or the JSON body), or a field "
         "breaks this document: `details` names it.",
    401: "Not logged in, or the session has ended.",
    403: "Not for your role, or not for you on this case (recused, not its assignee, no disclosure for you).",
    404: "No such case or item (or not visible to you).",
    409: "The case is not in a state for it: someone changed it since the version you sent (`stale_version`), "
         "or its stage does not allow the command (`transition_not_allowed`). Reload and decide again.",
    413: f"The body is larger than {MAX_JSON_BYTES // 1024} KB.",
    415: "The body is not JSON (Content-Type: application/json).",
    422: "The body fits this document but a rule refuses it; `code` names the rule (e.g. "
         "`second_member_required`, `invalid_command`, `refused` with `details.field`).",
    429: "Too many failed logins: locked for a while.",
    503: "The database is briefly unreachable; nothing was done. Send it again after `Retry-After` seconds.",
}
RETRY_AFTER = {"Retry-After": {"required": True, "schema": {"type": "integer", "minimum": 1}}}
ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
OBJECT = {"application/json": {"schema": {"type": "object"}}}
ERROR_SCHEMA = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string", "description": "For people, in id or en."},
                   "details": {"description": "Per-field problems, or other facts."}}}}}
MEMBERS = {"application/json": {"schema": {"type": "array", "items": {"type": "object", "properties": {
    "user_id": {"type": "string", "format": "uuid"}, "full_name": {"type": "string"}, "role": {"type": "string"},
    "work_unit": {"type": "string", "nullable": True}}, "required": ["user_id", "full_name", "role"]}}}}
CASE_FILED = {"application/json": {"schema": {"type": "object", "required": ["case_id", "version", "status"],
                                              "properties": {"case_id": {"type": "string", "format": "uuid"},
                                                             "case_number": {"type": "string"},
                                                             "version": {"type": "integer"},
                                                             "status": {"type": "string"}}}}}
ID = {"type": "string", "format": "uuid", "pattern": f"^{UUID}$"}
CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": ID}
# What can be done with a case once its id is known (schemathesis follows these in its stateful phase).
CASE_LINKS = {"GetCase": {"operationId": "get_case", "parameters": {"case_id": "$response.body#/case_id"}},
              **{f"Command_{c}": {"operationId": f"command_{c}", "parameters": {"case_id": "$response.body#/case_id"}}
                 for c in COMMAND_BODIES}}


def _who(action: str) -> str:
    return f"Roles: {', '.join(PERMISSIONS[action])}."


def operation(summary: str, operation_id: str, *, ok: str = "Done.", status: int = 200, content=OBJECT,
              secured: bool = True, body: str | None = None, parameters=(), errors=(), database: bool = True,
              **extra) -> dict:
    """One operation with every answer it can give: those all operations share, and `errors`."""
    codes = {400, *errors, *((503,) if database else ())}
    if secured:
        codes.add(401)
    if body:
        codes |= {413, 415}
    if any(p["in"] == "path" for p in parameters if isinstance(p, dict) and "name" in p):
        codes.add(404)
    answers = {str(status): {"description": ok, "content": content, **extra.pop("answer", {})}}
    for code in sorted(codes):
        answers[str(code)] = {"description": WORDS[code], "content": ERROR,
                              **({"headers": RETRY_AFTER} if code == 503 else {})}
    return {"summary": summary, "operationId": operation_id, "responses": answers,
            **({"security": BEARER} if secured else {}), **({"parameters": list(parameters)} if parameters else {}),
            **({"requestBody": {"required": True, "content": {"application/json": {"schema": body}}}} if body else {}),
            **extra}


def _commands(spec: APISpec) -> None:
    named: dict[type, str] = {}  # one component per schema class, however many commands share it
    for command, schema in COMMAND_BODIES.items():
        if schema not in named:
            named[schema] = "".join(part.title() for part in command.split("_")) + "Command"
            spec.components.schema(named[schema], schema=schema)
        spec.path(path=f"/api/v1/cases/{{case_id}}/{command}", operations={"post": operation(
            command.replace("_", " "), f"command_{command}", description=_who(command), body=named[schema],
            parameters=[CASE_ID], errors=(403, 409, 422),
            ok="The case's new version, status and allowed commands.",
            answer={"links": CASE_LINKS})})


def _cases(spec: APISpec) -> None:
    spec.path(path="/api/v1/cases", operations={
        "get": operation("The work queue", "list_cases", description=_who("view_cases") + " Searching (q): "
                         + _who("search_cases"), parameters=[{"in": "query", "schema": QueueQuery}],
                         errors=(403,), ok="A page of cases."),
        "post": operation("File a case from the team's own monitoring", "file_case", description=_who("file_case"),
                          body="FileCase", errors=(403, 422), status=201, ok="The new case.", content=CASE_FILED,
                          answer={"links": CASE_LINKS})})
    spec.path(path="/api/v1/cases/{case_id}", operations={"get": operation(
        "The case file with its whole timeline", "get_case", description=_who("view_cases"),
        parameters=[CASE_ID], errors=(403,), ok="The case.")})
    _commands(spec)
    spec.path(path="/api/v1/cases/{case_id}/identity", operations={"post": operation(
        "Read the reporter's identity (only the recipient of an approved disclosure)", "read_identity",
        parameters=[CASE_ID], errors=(403,), ok="The identity; the reading is recorded on the case.")})
    spec.path(path="/api/v1/cases/{case_id}/evidence/{evidence_id}/grants", operations={"post": operation(
        "A short-lived grant to view one screenshot", "grant_evidence_view", body="GrantRequest",
        parameters=[CASE_ID, {"name": "evidence_id", "in": "path", "required": True, "schema": ID}],
        errors=(403,), ok="The grant and where to use it.")})
    for kind, media in (("json", "application/json"), ("pdf", "application/pdf")):
        spec.path(path=f"/api/v1/cases/{{case_id}}/dossier.{kind}", operations={"get": operation(
            f"The dossier for BKPPD ({kind.upper()})", f"dossier_{kind}", description=_who("view_dossier"),
            parameters=[CASE_ID], errors=(403, 409), ok="The dossier.",
            content=OBJECT if kind == "json" else {media: {"schema": {"type": "string", "format": "binary"}}})})


def _accounts_and_statistics(spec: APISpec) -> None:
    spec.path(path="/api/v1/auth/login", operations={"post": operation(
        "Log in (password and TOTP code)", "login", secured=False, body="Login", errors=(401, 429),
        ok="A bearer token.")})
    spec.path(path="/api/v1/auth/logout", operations={"post": operation("End this token", "logout",
                                                                        ok="Logged out.")})
    spec.path(path="/api/v1/me", operations={"get": operation(
        "My account, with my e-mail and how I am notified", "me", ok="The account.")})
    spec.path(path="/api/v1/me/preferences", operations={"post": operation(
        "Choose immediate messages or one daily digest (notify_mode)", "set_preferences", body="Preferences",
        ok="The account.")})
    spec.path(path="/api/v1/statistics", operations={"get": operation(
        "Counts and time in each stage (no names)", "statistics", errors=(403,), ok="Statistics.")})
    spec.path(path="/api/v1/statistics.csv", operations={"get": operation(
        "The same, as CSV", "statistics_csv", errors=(403,), ok="CSV.",
        content={"text/csv": {"schema": {"type": "string"}}})})
    spec.path(path="/api/v1/statistics/{dimension}.svg", operations={"get": operation(
        "A bar chart of one dimension", "statistics_chart", errors=(403,), ok="SVG.",
        parameters=[{"name": "dimension", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": list(statistics.DIMENSIONS)}}],
        content={"image/svg+xml": {"schema": {"type": "string"}}})})
    spec.path(path="/api/v1/team", operations={"get": operation(
        "Active team and BKPPD accounts (name, role, work unit): whom to assign or disclose to", "team",
        description=_who("view_team"), errors=(403,), ok="Members.", content=MEMBERS)})
    spec.path(path="/api/v1/users", operations={
        "get": operation("Accounts", "list_accounts", description=_who("manage_accounts"), errors=(403,),
                         ok="Accounts."),
        "post": operation("Create or reset an account (shows its TOTP secret once)", "create_account",
                          description=_who("manage_accounts"), body="NewAccount", errors=(403,), status=201,
                          ok="The account.")})
    spec.path(path="/api/v1/users/{user_id}/deactivate", operations={"post": operation(
        "Deactivate an account (its tokens end)", "deactivate_account", description=_who("manage_accounts"),
        parameters=[{"name": "user_id", "in": "path", "required": True, "schema": ID}], errors=(403,),
        ok="The account.")})


@lru_cache(maxsize=1)
def spec_dict() -> dict:
    spec = APISpec(title="Netra team API (casework)", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "The monitoring team's and BKPPD's API. Log in with password "
                                        "and TOTP code; send the token as `Authorization: Bearer`. "
                                        "Every command carries the `expected_version` it was decided on. "
                                        "Messages are in Bahasa Indonesia unless the request asks for "
                                        "English (`Accept-Language: en`). Texts refuse control characters "
                                        "(line breaks only where a text has lines), text-direction "
                                        "overrides, and zero-width characters in single-line texts; JSON "
                                        "strings may not hold NUL or a lone surrogate."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", ERROR_SCHEMA)
    for name, schema in (("Login", LoginBody), ("FileCase", FileCaseBody), ("GrantRequest", GrantRequestBody),
                         ("NewAccount", NewAccountBody), ("Preferences", PreferencesBody)):
        spec.components.schema(name, schema=schema)
    _accounts_and_statistics(spec)
    _cases(spec)
    spec.path(path="/healthz", operations={"get": operation("Is casework up?", "health", secured=False,
                                                            database=False, ok="Up.")})
    return spec.to_dict()
