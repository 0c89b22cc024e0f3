"""Hostile values for every place a request carries input, built from an OpenAPI document, and the
one thing every answer to them must be: below 500, and a refusal in JSON with a code and words.

A JSON body is written as text, so values Python cannot hold as such (1e400, NaN, a lone surrogate,
a hundred thousand `[`) reach the server exactly as an attacker would send them.
"""

from __future__ import annotations

import copy
import json
import uuid
from urllib.parse import quote

# For the path, the query and headers: what a person could type, and what only a tool sends.
TEXT = {
    "nul": "a\x00b", "escape": "\x1b[2J", "newline": "a\nb", "c1": "a\x85b", "bidi": "\u202egnp.exe",
    "zero_width": "ad\u200bmin", "bom": "\ufeffx", "long": "A" * 5000, "huge_number": "9" * 500,
    "overflowing": "1e400", "negative": "-1", "beyond_int": str(2**31), "beyond_bigint": str(2**63),
    "traversal": "../../../etc/passwd", "percent": "%00%ff", "html": "<script>alert(1)</script>",
    "sql": "' OR 1=1 --", "empty": "",
}
BYTES = {"invalid_utf8": b"\xff\xfe\xc0\xaf", "encoded_surrogate": b"\xed\xa0\x80", "overlong_slash": b"\xc0\xaf"}
# For a JSON field: raw JSON text put where the field's value goes.
JSON_VALUES = {
    "nul": '"a\\u0000b"', "lone_surrogate": '"\\ud800"', "bidi": '"\\u202egnp.exe"', "zero_width": '"ad\\u200bmin"',
    "escape": '"\\u001b[2J"', "overflowing": "1e400", "overflowing_negative": "-1e400", "huge": "1" + "0" * 400,
    "huge_digits": "9" * 5000, "minus_one": "-1", "zero": "0", "beyond_int": str(2**31),
    "beyond_bigint": str(2**63), "fraction": "0.5", "nan": "NaN", "infinity": "Infinity", "true": "true",
    "null": "null", "list": "[]", "object": "{}", "long_text": json.dumps("x" * 100_000),
    "deep": "[" * 5000 + "]" * 5000, "wide": json.dumps({f"k{i}": i for i in range(5000)}),
    "bad_moment": '"2024-13-45T99:99:99+99:99"', "ancient_moment": '"0001-01-01T00:00:00+23:59"',
}
# Whole bodies (bytes) for an operation that takes JSON.
JSON_BODIES = {
    "deep": b"[" * 100_000, "deep_object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "invalid_utf8": b'{"a": "\xff\xfe"}', "not_json": b"{not json", "nan": b"NaN", "string": b'"text"',
    "list": b"[]", "null": b"null", "duplicate_keys": b'{"expected_version": 1, "expected_version": 2}',
    "many_keys": json.dumps({f"k{i}": 1 for i in range(20_000)}).encode(), "too_large": b" " * 300_000,
    "nul_key": b'{"\\u0000": 1}', "bom": "\ufeff{}".encode(),
}
SENTINEL = "\u2603hostile\u2603"


def resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        target = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _string(schema: dict):
    if "enum" in schema:
        return schema["enum"][0]
    return {"uuid": str(uuid.UUID(int=1)), "date": "2026-01-02", "date-time": "2026-01-02T10:00:00+07:00"}.get(
        schema.get("format"), "x" * max(schema.get("minLength", 1), 1))


def base_value(schema: dict, document: dict):
    """A plausible value for `schema` (it need not be accepted: it is the place hostile values go)."""
    schema = resolve(schema, document)
    for combined in ("oneOf", "anyOf", "allOf"):
        if combined in schema and "properties" not in schema:
            return base_value(schema[combined][0], document)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: base_value(properties[name], document)
                for name in schema.get("required", []) if name in properties}
    if kind == "array":
        return [base_value(schema.get("items", {}), document)] * max(schema.get("minItems", 0), 1)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return _string(schema)


def field_paths(schema: dict, document: dict, prefix: tuple = (), depth: int = 0) -> list[tuple]:
    """Every property path of an object schema, nested objects and list items included."""
    schema = resolve(schema, document)
    if depth > 4:
        return []
    for combined in ("oneOf", "anyOf"):
        if combined in schema and "properties" not in schema:
            return sorted({p for option in schema[combined] for p in field_paths(option, document, prefix, depth)})
    paths = []
    for name, inner in schema.get("properties", {}).items():
        paths.append((*prefix, name))
        inner = resolve(inner, document)
        if inner.get("type") == "array":
            paths.append((*prefix, name, 0))
            paths += field_paths(inner.get("items", {}), document, (*prefix, name, 0), depth + 1)
        else:
            paths += field_paths(inner, document, (*prefix, name), depth + 1)
    return paths


def _slot(document, path: tuple):
    """The container and key where `path` ends in `document`, made along the way if missing."""
    target = document
    for step, following in zip(path, path[1:], strict=False):
        kind = list if isinstance(following, int) else dict
        if isinstance(step, int):
            target.extend([None] * (step + 1 - len(target)))
        if not isinstance(target[step] if isinstance(step, int) else target.get(step), kind):
            target[step] = kind()
        target = target[step]
    if isinstance(path[-1], int):
        target.extend([None] * (path[-1] + 1 - len(target)))
    return target, path[-1]


def with_raw(base, path: tuple, raw_json: str) -> bytes:
    """`base` as JSON text with the value at `path` replaced by `raw_json` (created if missing)."""
    document = copy.deepcopy(base)
    holder, key = _slot(document, path)
    holder[key] = SENTINEL
    text = json.dumps(document, ensure_ascii=False)
    return text.replace(json.dumps(SENTINEL, ensure_ascii=False), raw_json).encode()


def in_path(value: str | bytes) -> str:
    return quote(value, safe="") if isinstance(value, (str, bytes)) else str(value)


def problem_with(response) -> str | None:
    """Why `response` is not a proper answer to a hostile request, or None if it is."""
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code < 400:
        return None
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return f"{response.status_code} without a JSON error body: {response.text[:120]!r}"
    if not (isinstance(error.get("code"), str) and error["code"] and isinstance(error.get("message"), str)
            and error["message"].strip()):
        return f"{response.status_code} error without a code and words: {error!r}"[:300]
    return None
