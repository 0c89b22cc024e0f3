"""Reading a filing's or a reply's parts off the request: the complaint's JSON document (a form
field or a file), a reply as JSON or as a multipart form with screenshots. A document that cannot
be read is an InvalidInput like any other problem (answered by api_errors.py)."""

from __future__ import annotations

from netra_common import inputs
from services.intake.usecases.validation import InvalidInput


def _door_problems(exc: inputs.UnreadableJson, document: str) -> InvalidInput:
    """A JSON document the door could not read, as the field errors messages.py words."""
    return InvalidInput({p.path or document: [p.code] for p in exc.problems}, document)


def json_part(request, name: str):
    """The JSON document in the form part `name` (a field or a file), or None if there is none."""
    raw = request.form.get(name)
    if raw is None and name in request.files:
        raw = request.files[name].read(inputs.MAX_JSON_BYTES + 1)
        if len(raw) > inputs.MAX_JSON_BYTES:
            raise inputs.too_large(inputs.MAX_JSON_BYTES)
    if raw is None:
        return None
    try:
        return inputs.parse(raw)
    except inputs.UnreadableJson as exc:
        raise _door_problems(exc, name) from None


def screenshots(request) -> list[tuple[str, bytes]]:
    return [(f.filename or "", f.read()) for f in request.files.getlist("screenshots")]


def reply_parts(request) -> tuple[dict, list]:
    """A reply's fields and screenshots: JSON (no screenshots) or a multipart form."""
    if request.mimetype == "application/json":
        try:
            fields = inputs.read_json(request)
        except inputs.UnreadableJson as exc:
            raise _door_problems(exc, "reply") from None
        return (fields if isinstance(fields, dict) else {"message": None}), []
    return {"message": request.form.get("message")}, screenshots(request)
