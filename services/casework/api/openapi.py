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

from netra_common.readiness import READINESS_RESPONSES
from services.casework.api.openapi_accounts import accounts_paths, own_account_paths
from services.casework.api.openapi_parts import (
    CASE_FILED,
    CASE_ID,
    CASE_LINKS,
    ERROR,
    ERROR_SCHEMA,
    ID,
    MEMBERS,
    OBJECT,
    WORDS,
    operation,
    who,
)
from services.casework.api.schemas import (
    COMMAND_BODIES,
    ConfirmAccountBody,
    EmailBody,
    EnrolmentBody,
    EnrolmentCodeBody,
    FileCaseBody,
    GrantRequestBody,
    LoginBody,
    NewAccountBody,
    OwnPasswordBody,
    OwnTotpBody,
    PreferencesBody,
    QueueQuery,
    RoleBody,
)
from services.casework.reports import statistics


def _commands(spec: APISpec) -> None:
    named: dict[type, str] = {}  # one component per schema class, however many commands share it
    for command, schema in COMMAND_BODIES.items():
        if schema not in named:
            named[schema] = "".join(part.title() for part in command.split("_")) + "Command"
            spec.components.schema(named[schema], schema=schema)
        spec.path(path=f"/api/v1/cases/{{case_id}}/{command}", operations={"post": operation(
            command.replace("_", " "), f"command_{command}", description=who(command), body=named[schema],
            parameters=[CASE_ID], errors=(403, 409, 422),
            ok="The case's new version, status and allowed commands.",
            answer={"links": CASE_LINKS})})


def _cases(spec: APISpec) -> None:
    spec.path(path="/api/v1/cases", operations={
        "get": operation("The work queue", "list_cases", description=who("view_cases") + " Searching (q): "
                         + who("search_cases"), parameters=[{"in": "query", "schema": QueueQuery}],
                         errors=(403,), ok="A page of cases."),
        "post": operation("File a case from the team's own monitoring", "file_case", description=who("file_case"),
                          body="FileCase", errors=(403, 422), status=201, ok="The new case.", content=CASE_FILED,
                          answer={"links": CASE_LINKS})})
    spec.path(path="/api/v1/cases/{case_id}", operations={"get": operation(
        "The case file with its whole timeline", "get_case", description=who("view_cases"),
        parameters=[CASE_ID], errors=(403,), ok="The case.")})
    _commands(spec)
    spec.path(path="/api/v1/cases/{case_id}/identity", operations={"post": operation(
        "Read the reporter's identity (only the recipient of an approved disclosure)", "read_identity",
        parameters=[CASE_ID], errors=(403,), ok="The identity; the reading is recorded on the case.")})
    spec.path(path="/api/v1/cases/{case_id}/evidence/{evidence_id}/grants", operations={"post": operation(
        "A short-lived grant to view one screenshot", "grant_evidence_view", body="GrantRequest",
        parameters=[CASE_ID, {"name": "evidence_id", "in": "path", "required": True, "schema": ID}],
        errors=(403,), ok="The grant and where to use it.")})
    decree = operation(
        "Hand in BKPPD's decree (SK) as a PDF: evidence keeps it under custody, the case records its digest",
        "attach_decree", description=who("record_sanction") + " While the decision is awaited or once it is "
        "recorded. Only a plain PDF (no JavaScript, no embedded files, no password), at most 10 MB.",
        parameters=[CASE_ID], errors=(403, 409, 413, 415, 422), status=201,
        ok="The case's new version and the decree's digest.")
    decree["requestBody"] = {"required": True, "content": {"application/pdf": {
        "schema": {"type": "string", "format": "binary"}}}}
    spec.path(path="/api/v1/cases/{case_id}/decree", operations={"post": decree})
    shots = operation(
        "Hand in screenshots for a case: evidence keeps them as it keeps a reporter's, the case records each",
        "add_screenshots", description=who("add_screenshot") + " An anggota only on a case assigned to them or "
        "filed by them; until a finding is proposed. multipart/form-data with 1-5 `screenshots` parts: PNG, "
        "JPEG or WebP, at most 10 MB each, 25 MB in all, checked by evidence as a reporter's are. Kept all or "
        "none: one file refused (`screenshot_*`, `details.file` names it), nothing is kept.",
        parameters=[CASE_ID], errors=(403, 409, 413, 415, 422), status=201,
        ok="The case's new version and each screenshot's digest.")
    shots["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["screenshots"], "properties": {"screenshots": {
            "type": "array", "minItems": 1, "maxItems": 5, "items": {"type": "string", "format": "binary"}}}}}}}
    spec.path(path="/api/v1/cases/{case_id}/screenshots", operations={"post": shots})
    spec.path(path="/api/v1/cases/{case_id}/decrees/{decree_id}.pdf", operations={"get": operation(
        "Open a kept decree (SK) again, to defend the decision: the exact file handed in", "decree_pdf",
        description=who("view_decree") + " An anggota only on a case assigned to them. Each opening is "
        "logged in evidence's custody log and on the case (`decree_viewed`).",
        parameters=[CASE_ID, {"name": "decree_id", "in": "path", "required": True, "schema": ID}],
        errors=(403,), ok="The PDF, byte for byte as kept (its SHA-256 is the case's).",
        content={"application/pdf": {"schema": {"type": "string", "format": "binary"}}})})
    for kind, media in (("json", "application/json"), ("pdf", "application/pdf")):
        spec.path(path=f"/api/v1/cases/{{case_id}}/dossier.{kind}", operations={"get": operation(
            f"The dossier for BKPPD ({kind.upper()})", f"dossier_{kind}", description=who("view_dossier"),
            parameters=[CASE_ID], errors=(403, 409), ok="The dossier.",
            content=OBJECT if kind == "json" else {media: {"schema": {"type": "string", "format": "binary"}}})})


def _statistics_and_team(spec: APISpec) -> None:
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
        description=who("view_team"), errors=(403,), ok="Members.", content=MEMBERS)})


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
                         ("NewAccount", NewAccountBody), ("Preferences", PreferencesBody), ("Role", RoleBody),
                         ("Email", EmailBody), ("ConfirmAccount", ConfirmAccountBody),
                         ("EnrolmentCode", EnrolmentCodeBody), ("Enrolment", EnrolmentBody),
                         ("OwnPassword", OwnPasswordBody), ("OwnTotp", OwnTotpBody)):
        spec.components.schema(name, schema=schema)
    own_account_paths(spec)
    accounts_paths(spec)
    _statistics_and_team(spec)
    _cases(spec)
    spec.path(path="/api/v1/dossier/public-key", operations={"get": operation(
        "The public key every JSON dossier's seal is checked with (docs/dossier.md)", "dossier_public_key",
        secured=False, database=False, errors=(503,), ok="The Ed25519 public key, base64, and its key id.")})
    spec.path(path="/api/v1/checkpoints/public-key", operations={"get": operation(
        "The public keys the log's checkpoints are signed with (current and retired)", "checkpoint_public_key",
        secured=False, database=False, ok="Ed25519 public keys, base64, by key id.")})
    spec.path(path="/healthz", operations={"get": operation("Is casework up?", "health", secured=False,
                                                            database=False, ok="Up.")})
    spec.path(path="/readyz", operations={"get": {
        "summary": "Can casework work now (database, broker)?", "operationId": "ready",
        "responses": {**READINESS_RESPONSES, "400": {"description": WORDS[400], "content": ERROR}}}})
    return spec.to_dict()
