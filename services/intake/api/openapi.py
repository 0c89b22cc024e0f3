"""The public API described as OpenAPI 3, generated from the marshmallow schemas (apispec),
and a readable HTML page of it."""

from __future__ import annotations

import html
from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields
from werkzeug.wrappers import Response

from netra_common.contracts.reference import KECAMATAN, PLATFORMS, VIOLATION_TYPES
from netra_common.readiness import READINESS_RESPONSES
from services.intake.api.schemas import ComplaintSchema, ReplySchema, ReporterSchema, SignedProofBody, non_blank_pattern
from services.intake.domain.idempotency import DEFAULT_LIFETIME as IDEMPOTENCY_LIFETIME
from services.intake.domain.idempotency import PATTERN as IDEMPOTENCY_PATTERN
from services.intake.domain.uploads import MAX_FILE_BYTES, MAX_FILES, MAX_FILES_PER_COMPLAINT, MAX_TOTAL_BYTES

ACCEPTED_TYPES = ["image/png", "image/jpeg", "image/webp"]
IDEMPOTENCY_HOURS = int(IDEMPOTENCY_LIFETIME.total_seconds() // 3600)


# --- response shapes -----------------------------------------------------------------


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "For people, in id or en."})
    details = fields.Raw(metadata={"description": "Per-field problems, or other facts."})


class Error(Schema):
    error = fields.Nested(ErrorBody, required=True)


class ScreenshotReceipt(Schema):
    filename = fields.String(allow_none=True)
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)


class ComplaintCreated(Schema):
    tracking_code = fields.String(required=True, metadata={"example": "K7QM-3XTA-9PRW"})
    receipt = fields.String(required=True, metadata={
        "description": "Shown once; only its Argon2id hash is kept. Needed to follow the complaint."})
    submitted_at = fields.DateTime(required=True)
    status_url = fields.String(required=True)
    screenshots = fields.List(fields.Nested(ScreenshotReceipt), required=True)
    proof = fields.Nested(SignedProofBody, required=True)


class Stage(Schema):
    status = fields.String(required=True)
    label = fields.String(required=True)
    at = fields.DateTime(required=True)


class ConversationMessage(Schema):
    message_id = fields.UUID(required=True)
    author = fields.String(required=True, metadata={"enum": ["team", "reporter"]})
    kind = fields.String(required=True, metadata={"enum": ["clarification", "note", "reply"]})
    body = fields.String(required=True)
    at = fields.DateTime(required=True)


class ContactState(Schema):
    can_erase = fields.Boolean(required=True)
    erased_at = fields.DateTime(allow_none=True)


class ScreenshotState(Schema):
    filename = fields.String(allow_none=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True, allow_none=True, metadata={"description": "None once purged."})
    received_at = fields.DateTime(required=True)
    message_id = fields.UUID(allow_none=True)
    state = fields.String(required=True, metadata={"enum": ["pending", "accepted", "rejected"]})
    state_label = fields.String(required=True)
    reason_code = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


class Disclosure(Schema):
    disclosed_to = fields.String(required=True)
    at = fields.DateTime(required=True)
    label = fields.String(required=True)


class NextStep(Schema):
    label = fields.String(required=True, metadata={"description": "What happens next, in words."})
    due_at = fields.DateTime(allow_none=True, metadata={
        "description": "By when (the stage's working-day deadline); null where the stage has none."})


class StatusPage(Schema):
    tracking_code = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    submitted_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    next_step = fields.Nested(NextStep, required=True)
    timeline = fields.List(fields.Nested(Stage), required=True)
    messages = fields.List(fields.Nested(ConversationMessage), required=True)
    identity_disclosures = fields.List(fields.Nested(Disclosure), required=True, metadata={
        "description": "If the reporter's identity was disclosed, to which body and when."})
    screenshots = fields.List(fields.Nested(ScreenshotState), required=True)
    contact = fields.Nested(ContactState, required=True, metadata={
        "description": "Whether the reporter may still erase their contact details, and when they did."})


class ContactErased(Schema):
    contact_erased_at = fields.DateTime(required=True)


class ReplySent(Schema):
    message_id = fields.UUID(required=True)
    at = fields.DateTime(required=True)
    screenshots = fields.List(fields.Nested(ScreenshotReceipt), required=True)


class ProofKey(Schema):
    algorithm = fields.String(required=True)
    key_id = fields.String(required=True)
    public_key = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["current", "retired"]})


class PublicKey(Schema):
    algorithm = fields.String(required=True)
    key_id = fields.String(required=True, metadata={"description": "The key new proofs are signed with."})
    public_key = fields.String(required=True)
    keys = fields.List(fields.Nested(ProofKey), required=True, metadata={
        "description": "Every key a proof may name in `signature.key_id`, retired ones included."})


class Verification(Schema):
    valid = fields.Boolean(required=True)


class Labelled(Schema):
    code = fields.String(required=True)
    label = fields.Dict(required=True, metadata={"description": "{\"id\": ..., \"en\": ...}"})


class WorkUnit(Schema):
    name = fields.String(required=True)
    group = fields.String(required=True)


class Limits(Schema):
    max_files = fields.Integer(required=True, metadata={"description": "Screenshots in one request."})
    max_files_per_complaint = fields.Integer(required=True, metadata={
        "description": "Screenshots one complaint may gather, with those sent in replies."})
    max_file_bytes = fields.Integer(required=True)
    max_total_bytes = fields.Integer(required=True)
    accepted_types = fields.List(fields.String(), required=True)


class Reference(Schema):
    platforms = fields.List(fields.Nested(Labelled), required=True)
    violation_types = fields.List(fields.Nested(Labelled), required=True)
    kecamatan = fields.List(fields.String(), required=True)
    work_units = fields.List(fields.Nested(WorkUnit), required=True)
    limits = fields.Nested(Limits, required=True)


class Health(Schema):
    status = fields.String(required=True)
    service = fields.String(required=True)


def reference_lists(units) -> dict:
    return {
        "platforms": [{"code": c, "label": label} for c, label in PLATFORMS.items()],
        "violation_types": [{"code": c, "label": label} for c, label in VIOLATION_TYPES.items()],
        "kecamatan": list(KECAMATAN),
        "work_units": [{"name": u.name, "group": u.group_name} for u in units],
        "limits": {"max_files": MAX_FILES, "max_files_per_complaint": MAX_FILES_PER_COMPLAINT,
                   "max_file_bytes": MAX_FILE_BYTES,
                   "max_total_bytes": MAX_TOTAL_BYTES, "accepted_types": ACCEPTED_TYPES},
    }


# --- the document --------------------------------------------------------------------

def _json(schema: str) -> dict:
    return {"application/json": {"schema": schema}}


RETRY_AFTER = {"Retry-After": {"required": True, "description": "Seconds to wait before trying again.",
                               "schema": {"type": "integer", "minimum": 1}}}
WORDS = {
    400: "The request cannot be read (its path, a header, the form or the JSON), or a field breaks this "
         "document; `details` names each field.",
    404: "Unknown tracking code or wrong receipt (the two are indistinguishable).",
    409: "A request with the same Idempotency-Key is still being filed; send it again after `Retry-After` "
         "seconds.",
    413: "The body is too large (26 MB for a form, 256 KB for JSON); the connection is closed with this answer.",
    415: "The body is not JSON (Content-Type: application/json).",
    422: "Everything fits this document, but a rule it cannot state refuses it (a NIP or NIK whose dates are "
         "not real, an event in the future or before 2000, a text of only spaces, no link and no screenshot, "
         "a file that is not an image; an Idempotency-Key that is repetitive, or already used for a different "
         "request); `details` names each field.",
    429: "Too many attempts; wait `Retry-After` seconds.",
    503: "The database or the file store is briefly unreachable: nothing was kept (`service_unavailable`), or, "
         "with `outcome_unknown`, the connection was lost while saving and the request may have been kept. Send "
         "it again after `Retry-After` seconds, with the same Idempotency-Key if it had one.",
}


def _errors(*codes: int) -> dict:
    """The refusals an operation can give: 400 always (a request no route can read), and `codes`."""
    return {str(c): {"description": WORDS[c], "content": _json("Error"),
                     **({"headers": RETRY_AFTER} if c in (409, 429, 503) else {})} for c in sorted({400, *codes})}


TRACKING_CODE = {"name": "tracking_code", "in": "path", "required": True,
                 "schema": {"type": "string", "pattern": "^[0-9A-Za-z -]{1,64}$"}, "description": "e.g. K7QM-3XTA-9PRW"}
RECEIPT = {"name": "X-Receipt", "in": "header", "required": True, "schema": {"type": "string"},
           "description": "The receipt given when the complaint was filed."}
LANGUAGE = {"name": "Accept-Language", "in": "header", "required": False,
            "schema": {"type": "string"}, "description": "`en` for English; Indonesian otherwise."}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "pattern": IDEMPOTENCY_PATTERN, "minLength": 32, "maxLength": 128},
    "description": "Makes the request safe to send again when its answer was lost. A random value "
                   "of at least 128 bits, made once per submission (a UUID v4, or 24+ random bytes "
                   "in base64url); a key of the wrong form is refused (400), one that fits it but is "
                   "repetitive (422). A retry with "
                   f"the same key and the same request within {IDEMPOTENCY_HOURS} hours (the "
                   "default) gets the "
                   "original answer, tracking code, receipt and proof included (201, with "
                   "`Idempotent-Replayed: true`), and nothing is filed twice. The same key with a "
                   "different request is refused (422); while the first request with the key is still "
                   "being filed, a second waits for it or gets 409 with `Retry-After`. Only a filed "
                   "request is remembered: after a refusal the same key may be used again. The "
                   "answer is kept sealed under a key derived from this one, which is never stored."}
REPLAYED = {"Idempotent-Replayed": {"required": False, "schema": {"type": "string", "enum": ["true"]},
                                    "description": "This is the answer kept for an earlier request "
                                                   "with the same Idempotency-Key."}}
UPLOAD = {"type": "array", "maxItems": MAX_FILES, "items": {"type": "string", "format": "binary"},
          "description": f"PNG, JPEG or WebP; at most {MAX_FILES} files, 10 MB each, 25 MB in all."}
# Where a filed complaint can be followed, with the receipt that opens it.
FOLLOW = {"parameters": {"tracking_code": "$response.body#/tracking_code", "X-Receipt": "$response.body#/receipt"}}
FILED_LINKS = {"FollowComplaint": {"operationId": "complaint_status", **FOLLOW},
               "ProofAgain": {"operationId": "proof", **FOLLOW},
               "Reply": {"operationId": "reply", **FOLLOW}}

PATHS = {
    "/api/v1/complaints": {"post": {
        "summary": "File a complaint", "operationId": "submit_complaint",
        "description": "multipart/form-data: a `complaint` part (JSON) and 0-5 `screenshots` parts. "
                       "A post URL or a screenshot is required.",
        "parameters": [LANGUAGE, IDEMPOTENCY_KEY],
        "requestBody": {"required": True, "content": {"multipart/form-data": {
            "schema": {"type": "object", "required": ["complaint"],
                       "properties": {"complaint": {"$ref": "#/components/schemas/Complaint"},
                                      "screenshots": UPLOAD}},
            "encoding": {"complaint": {"contentType": "application/json"}}}}},
        "responses": {"201": {"description": "Filed (or, for a retry, filed before).",
                              "content": _json("ComplaintCreated"), "headers": REPLAYED, "links": FILED_LINKS},
                      **_errors(409, 413, 422, 429, 503)}}},
    "/api/v1/complaints/{tracking_code}": {"get": {
        "summary": "Follow a complaint", "operationId": "complaint_status",
        "parameters": [TRACKING_CODE, RECEIPT, LANGUAGE],
        "responses": {"200": {"description": "Status, timeline, messages, screenshots.",
                              "content": _json("StatusPage")}, **_errors(404, 429, 503)}}},
    "/api/v1/complaints/{tracking_code}/proof": {"get": {
        "summary": "Download the signed proof of submission again", "operationId": "proof",
        "parameters": [TRACKING_CODE, RECEIPT],
        "responses": {"200": {"description": "The signed proof.", "content": _json("SignedProof")},
                      **_errors(404, 429, 503)}}},
    "/api/v1/complaints/{tracking_code}/contact": {"delete": {
        "summary": "Withdraw consent to be contacted and erase the reporter's contact details",
        "operationId": "erase_contact",
        "description": "The complaint itself stays. Asking again answers with the first erasure's time.",
        "parameters": [TRACKING_CODE, RECEIPT, LANGUAGE],
        "responses": {"200": {"description": "Erased.", "content": _json("ContactErased")},
                      "409": {"description": "The complaint holds no contact details (filed anonymously, or "
                                             "purged).", "content": _json("Error")},
                      **_errors(404, 429, 503)}}},
    "/api/v1/complaints/{tracking_code}/messages": {"post": {
        "summary": "Reply to the team, with more screenshots if needed", "operationId": "reply",
        "parameters": [TRACKING_CODE, RECEIPT, LANGUAGE, IDEMPOTENCY_KEY],
        "requestBody": {"required": True, "content": {
            "multipart/form-data": {"schema": {"type": "object", "required": ["message"],
                                               "properties": {"message": {"$ref": "#/components/schemas/Reply/"
                                                                                  "properties/message"},
                                                              "screenshots": UPLOAD}}},
            "application/json": {"schema": "Reply"}}},
        "responses": {"201": {"description": "Sent (or, for a retry, sent before).",
                              "content": _json("ReplySent"), "headers": REPLAYED},
                      **_errors(404, 409, 413, 422, 429, 503)}}},
    "/api/v1/proof/public-key": {"get": {
        "summary": "The keys that sign proofs of submission: the current one and retired ones",
        "operationId": "proof_public_key",
        "responses": {"200": {"description": "Ed25519 public keys.", "content": _json("PublicKey")},
                      **_errors()}}},
    "/api/v1/proof/verify": {"post": {
        "summary": "Check a proof of submission", "operationId": "verify_proof",
        "requestBody": {"required": True, "content": _json("SignedProof")},
        "responses": {"200": {"description": "Whether Netra signed it, unchanged.",
                              "content": _json("Verification")}, **_errors(413, 415)}}},
    "/api/v1/reference": {"get": {
        "summary": "The closed lists: platforms, violation types, kecamatan, work units; limits",
        "operationId": "reference",
        "responses": {"200": {"description": "Reference data.", "content": _json("Reference")},
                      **_errors(503)}}},
    "/healthz": {"get": {"summary": "Is intake up?", "operationId": "health",
                         "responses": {"200": {"description": "Up.", "content": _json("Health")}, **_errors()}}},
    "/readyz": {"get": {"summary": "Can intake work now (database, broker, object store)?", "operationId": "ready",
                        "responses": {**READINESS_RESPONSES, **_errors()}}},
}

# Nested schemas before the ones that nest them: apispec names nested ones itself.
SCHEMAS = {"Complaint": ComplaintSchema, "Reply": ReplySchema, "Error": Error,
           "SignedProof": SignedProofBody, "ComplaintCreated": ComplaintCreated, "StatusPage": StatusPage,
           "ReplySent": ReplySent, "ContactErased": ContactErased, "PublicKey": PublicKey, "Verification": Verification,
           "Reference": Reference, "Health": Health}


def _reporter_choice(schemas: dict) -> None:
    """The reporter is one of two shapes; marshmallow says so in code, OpenAPI in `oneOf`."""
    generated = schemas["Reporter"]["properties"]
    identity = ("name", "email", "phone", "nik")
    fields = ReporterSchema().fields
    absent = {k: {"type": "string", "nullable": True, "pattern": f"^{fields[k].absent}$",
                  "description": "Leave out when anonymous."} for k in identity}
    given = {k: {"type": "string", "not": {"pattern": f"^{fields[k].absent}$"}} for k in ("email", "phone")}
    schemas["Reporter"] = {"oneOf": [
        {"type": "object", "title": "Anonymous reporter", "additionalProperties": False,
         "required": ["anonymous"],
         "properties": {"anonymous": {"type": "boolean", "enum": [True]},
                        "consent_contact": generated["consent_contact"], **absent}},
        {"type": "object", "title": "Identified reporter", "additionalProperties": False,
         "required": ["anonymous", "name"],
         "anyOf": [{"required": [k], "properties": {k: given[k]}} for k in ("email", "phone")],
         "description": "Sealed for the vault before it is stored; never shown to the team.",
         "properties": {**generated, "anonymous": {"type": "boolean", "enum": [False]},
                        "name": {**generated["name"], "pattern": non_blank_pattern(False), "nullable": False}}},
    ]}


def _others_need_words(schemas: dict) -> None:
    """"other" as a platform or a violation type needs words: `platform_other`, `violation_other`.
    ("contains" is not in OpenAPI 3.0: a list holds "other" unless every item is something else.)"""
    def words_for(name: str, multiline: bool) -> dict:
        return {"required": [name], "properties": {name: {"type": "string", "pattern": non_blank_pattern(multiline)}}}

    schemas["Complaint"]["allOf"] = [
        {"anyOf": [{"properties": {"platform": {"not": {"enum": ["other"]}}}}, words_for("platform_other", False)]},
        {"anyOf": [{"properties": {"violation_types": {"items": {"not": {"enum": ["other"]}}}}},
                   words_for("violation_other", True)]},
    ]


@lru_cache(maxsize=1)
def spec_dict() -> dict:
    spec = APISpec(
        title="Netra public API", version="1.0.0", openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "File and follow complaints about ASN political neutrality on "
                             "social media (Diskominfo Kabupaten Bengkalis). Messages are in "
                             "Bahasa Indonesia unless the request asks for English. Texts refuse control "
                             "characters (line breaks only where a text has lines), text-direction "
                             "overrides, and zero-width characters in single-line texts; JSON strings may "
                             "not hold NUL or a lone surrogate."},
    )
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema=schema)
    for path, operations in PATHS.items():
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    _reporter_choice(document["components"]["schemas"])
    _others_need_words(document["components"]["schemas"])
    return document


# --- the readable page ---------------------------------------------------------------

def _schema_rows(schema: dict) -> str:
    rows = []
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        kind = prop.get("type") or prop.get("$ref", "").rsplit("/", 1)[-1] or "object"
        if kind == "array":
            items = prop.get("items", {})
            kind = f"list of {items.get('type') or items.get('$ref', '').rsplit('/', 1)[-1]}"
        notes = prop.get("description", "")
        if "enum" in prop:
            notes = f"one of: {', '.join(map(str, prop['enum']))}. {notes}"
        rows.append(f"<tr><td><code>{html.escape(name)}</code></td><td>{html.escape(kind)}</td>"
                    f"<td>{'yes' if name in required else ''}</td><td>{html.escape(notes)}</td></tr>")
    return "".join(rows)


def _scrolling(label: str, table: str) -> str:
    """A table that may be wider than a phone scrolls inside itself, reachable by keyboard."""
    return f"<div class='scroll' role='region' tabindex='0' aria-label='{html.escape(label)}'>{table}</div>"


def docs_html() -> str:
    spec = spec_dict()
    parts = [f"<h1>{html.escape(spec['info']['title'])}</h1>",
             f"<p>{html.escape(spec['info']['description'])}</p>",
             '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p>', "<h2>Endpoints</h2>"]
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            parts.append(f"<section><h3><code>{method.upper()} {html.escape(path)}</code></h3>"
                         f"<p>{html.escape(op.get('summary', ''))}. "
                         f"{html.escape(op.get('description', ''))}</p>")
            params = op.get("parameters", [])
            if params:
                parts.append(_scrolling(f"Parameters of {method.upper()} {path}", (
                    "<table><caption>Parameters</caption><tr><th>name</th><th>in</th>"
                    "<th>required</th><th>notes</th></tr>" + "".join(
                        f"<tr><td><code>{html.escape(p['name'])}</code></td><td>{p['in']}</td>"
                        f"<td>{'yes' if p.get('required') else ''}</td>"
                        f"<td>{html.escape(p.get('description', ''))}</td></tr>" for p in params)
                    + "</table>")))
            responses = ", ".join(f"{code} {html.escape(r['description'])}"
                                  for code, r in op["responses"].items())
            parts.append(f"<p><strong>Responses:</strong> {responses}</p></section>")
    parts.append("<h2>Schemas</h2>")
    for name, schema in spec["components"]["schemas"].items():
        table = (f"<table><tr><th>field</th><th>type</th><th>required</th><th>notes</th></tr>"
                 f"{_schema_rows(schema)}</table>")
        parts.append(f"<section><h3 id='{name}'>{name}</h3>{_scrolling(f'Schema {name}', table)}</section>")
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>Netra public API</title><link rel='stylesheet' href='/static/docs.css'></head>"
            f"<body><main>{''.join(parts)}</main></body></html>")


def docs_page() -> Response:
    from services.intake.api.portal import SECURITY_HEADERS

    return Response(docs_html(), content_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)
