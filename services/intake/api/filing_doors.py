"""The HTTP side of filing and replying: the Idempotency-Key header and the answer (the same
document again for a retry with the key). What can stop a filing is answered by api_errors.py."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from werkzeug.wrappers import Response

from netra_common.http_answers import json_response
from netra_common.offload import by_size
from services.intake.adapters.idempotency import Idempotent
from services.intake.domain import idempotency as rules
from services.intake.usecases import filing


def key_of(request) -> str | None:
    """The request's Idempotency-Key, None without one; InvalidKey for one that will not do."""
    return rules.checked_key(request.headers.get(rules.HEADER))


def idempotent(key: str | None, salt: bytes, kind: str, fields, files: list[tuple[str, bytes]],
               lifetime: timedelta) -> Idempotent | None:
    if key is None:
        return None
    digests = [(name, by_size(len(data), lambda d=data: hashlib.sha256(d).hexdigest())) for name, data in files]
    return Idempotent.derive(key, salt, rules.request_fingerprint(kind, fields, digests), lifetime)


def answer(filed: filing.Answer) -> Response:
    headers = {"Cache-Control": "no-store"}
    if filed.replayed:
        headers["Idempotent-Replayed"] = "true"
    return json_response(filed.body, status=201, headers=headers)
