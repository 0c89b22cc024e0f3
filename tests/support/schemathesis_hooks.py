"""schemathesis hooks for the contract tests (loaded by path through SCHEMATHESIS_HOOKS).

BKPPD's decree door takes the file's own bytes as `application/pdf`; schemathesis sends such a body
as it sends any binary one."""

import schemathesis

schemathesis.serializer.alias("application/pdf", "application/octet-stream")


def _unstorable(value) -> bool:
    """A NUL or a lone UTF-16 half anywhere in a body (keys included)."""
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(item) for item in value)
    return False


@schemathesis.hook
def filter_body(context, body) -> bool:
    """Both documents say in words that JSON strings may not hold NUL or a lone surrogate (OpenAPI 3.0
    has no way to say it in a schema); a body holding one is not schema-valid, so it is not sent as
    one. The hostile sweeps (tests/support/hostile.py) send such bodies and expect a 400."""
    return not _unstorable(body)
