"""JSON answers over HTTP, and the one mapping from an exception to what the caller sees.

Errors carry their message in Bahasa Indonesia and English; the answer uses Indonesian unless the
request asks for English (Accept-Language: en, or ?lang=en). A dependency that is away (PostgreSQL,
S3) is a 503 with Retry-After; anything else unexpected is a 500 without the server's words.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from minio.error import ServerError as S3ServerError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from urllib3.exceptions import HTTPError as Urllib3Error
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Request, Response

from netra_common.errors import ApiError, PerLanguage
from netra_common.logging import log_event

log = logging.getLogger(__name__)


def language(request: Request) -> str:
    if request.args.get("lang") in ("en", "id"):
        return request.args["lang"]
    accepted = request.headers.get("Accept-Language", "")
    return "en" if accepted.lower().startswith("en") else "id"


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        json.dumps(data, default=_default, ensure_ascii=False),
        status=status,
        headers=headers,
        content_type="application/json; charset=utf-8",
    )


def error_body(code: str, message: str, details=None) -> dict:
    body = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    return body


GENERIC_MESSAGES = {
    400: {"id": "Permintaan tidak dapat dibaca.", "en": "The request could not be read."},
    404: {"id": "Alamat tidak ditemukan.", "en": "Not found."},
    405: {"id": "Metode tidak diizinkan untuk alamat ini.", "en": "Method not allowed here."},
    413: {"id": "Kiriman terlalu besar.", "en": "The request is too large."},
    500: {"id": "Terjadi kesalahan pada server. Silakan coba lagi nanti.",
          "en": "Something went wrong on the server. Please try again later."},
    503: {"id": "Layanan sedang tidak tersedia untuk sementara. Permintaan ini belum diproses; "
                "silakan kirim ulang dalam beberapa menit.",
          "en": "The service is briefly unavailable. This request was not processed; "
                "please send it again in a few minutes."},
}
RETRY_AFTER_SECONDS = 30


def dependency_unavailable(exc: Exception) -> bool:
    """PostgreSQL or S3 cannot be reached (a restart, a network cut): the caller should try
    again, and the unit of work that failed has left nothing behind."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (OperationalError, InterfaceError, PoolTimeout, Urllib3Error, S3ServerError,
                            ConnectionError))


def _closing(status: int, headers: dict) -> dict:
    """A body too large is not read: the connection ends with the answer (ClosingProtocol)."""
    return {**headers, "Connection": "close"} if status == 413 else headers


def error_response(exc: Exception, request: Request | None) -> Response:
    """The one mapping from an exception to what the caller sees."""
    lang = language(request) if request is not None else "id"
    if isinstance(exc, ApiError):
        details = exc.details.in_language(lang) if isinstance(exc.details, PerLanguage) else exc.details
        return json_response(
            error_body(exc.code, exc.message[lang], details), exc.status, _closing(exc.status, exc.headers)
        )
    if isinstance(exc, HTTPException) and exc.code and exc.code < 500:
        message = GENERIC_MESSAGES.get(exc.code, GENERIC_MESSAGES[400])
        code = exc.name.lower().replace(" ", "_")
        headers = {"Allow": ", ".join(exc.valid_methods)} if isinstance(exc, MethodNotAllowed) and \
            exc.valid_methods else {}
        return json_response(error_body(code, message[lang]), exc.code, _closing(exc.code, headers))
    if dependency_unavailable(exc):
        log_event(log, "http.dependency_unavailable", logging.WARNING, error=type(exc).__name__)
        return json_response(error_body("service_unavailable", GENERIC_MESSAGES[503][lang]), 503,
                             {"Retry-After": str(RETRY_AFTER_SECONDS)})
    log_event(log, "http.unhandled_error", logging.ERROR, error=type(exc).__name__)
    return json_response(error_body("internal_error", GENERIC_MESSAGES[500][lang]), 500)
