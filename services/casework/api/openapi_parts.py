"""The pieces casework's OpenAPI document is made of: the words for every answer, the shapes shared
by many operations, and `operation()`, which lists every answer an operation can give
(docs/decisions/0007). Used by openapi.py (cases, statistics) and openapi_accounts.py."""

from __future__ import annotations

from netra_common.inputs import MAX_JSON_BYTES
from services.casework.api.schemas import COMMAND_BODIES, UUID
from services.casework.domain.permissions import PERMISSIONS

BEARER = [{"bearer": []}]
WORDS = {
    400: "The request cannot be read (its path, a query parameter, a header or the JSON body), or a field "
         "breaks this document: `details` names it.",
    401: "Not logged in, or the session has ended (`details.reason`: idle, lifetime, logout, account).",
    403: "Not for your role, or not for you on this case (recused, not its assignee, no disclosure for you), "
         "or your account awaits a ketua's confirmation.",
    404: "No such case or item (or not visible to you).",
    409: "What it acts on is not in a state for it: someone changed the case (or account) since the version "
         "you sent (`stale_version`), or its stage does not allow the command (`transition_not_allowed`), or "
         "the username is taken. Reload and decide again.",
    413: f"The body is larger than {MAX_JSON_BYTES // 1024} KB.",
    415: "The body is not JSON (Content-Type: application/json).",
    422: "The body fits this document but a rule refuses it; `code` names the rule (e.g. "
         "`second_member_required`, `invalid_command`, `refused` with `details.field`).",
    429: "Too many failed logins with this name from this client, or logins take turns across the system "
         "now: wait `Retry-After` seconds.",
    503: "The database is briefly unreachable; nothing was done. Send it again after `Retry-After` seconds. "
         "Or (`signing_not_configured`, where a signature is made) casework lacks a signing key or "
         "certificate: `details.setting` names what its operator must set.",
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


def who(action: str) -> str:
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
