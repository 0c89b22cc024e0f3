"""JSON over HTTP for nameko services: one place that turns errors into responses.

Errors carry their message in Bahasa Indonesia and English; the response uses
Indonesian unless the request asks for English (Accept-Language: en, or ?lang=en).
Access logs leave out the client's address: a reporter's IP is identifying. An entrypoint
may let named other origins read its answers (CORS: the team console reading evidence).
"""

from __future__ import annotations

import json
import logging
import re
import socket
import time
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from http import HTTPStatus
from urllib.parse import urlsplit
from uuid import UUID

from eventlet import wsgi
from eventlet.event import Event
from minio.error import ServerError as S3ServerError
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import HttpOnlyProtocol, WebServer, WsgiApp
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from urllib3.exceptions import HTTPError as Urllib3Error
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Request, Response

from netra_common import forms, inputs
from netra_common.error_table import NO_ERRORS, table_of
from netra_common.errors import ApiError, PerLanguage
from netra_common.logging import log_event

log = logging.getLogger(__name__)

ACCESS_LOG_FORMAT = 'http.request request="%(request_line)s" status=%(status_code)s ' \
    'bytes=%(body_length)s seconds=%(wall_seconds).3f'
# Path segments that are words of the API ("api", "v1", "complaints", "dossier.pdf") stay;
# anything else (a tracking code, a case id, a file name) is not the log's business.
_ROUTE_WORD = re.compile(r"^(v\d+|[a-z][a-z_-]*(\.[a-z]+)?)$")
_REQUEST_LINE = re.compile(r'request="(\S+) (\S+)( [^"]*)?"')


def route_only(path: str) -> str:
    """The request path with its ids and query left out: /api/v1/complaints/:id/messages."""
    segments = path.split("?", 1)[0].split("/")
    return "/".join(s if not s or _ROUTE_WORD.match(s) else ":id" for s in segments)


class RouteOnlyAccessLog(logging.Filter):
    """The access log names the route, never the tracking code or id it was asked about: a
    tracking code is half of what lets someone read a reporter's complaint."""

    def filter(self, record: logging.LogRecord) -> bool:
        line = record.getMessage()
        record.msg = _REQUEST_LINE.sub(lambda m: f'request="{m[1]} {route_only(m[2])}{m[3] or ""}"', line, count=1)
        record.args = None
        return True


ACCESS_LOG = logging.getLogger("netra.http.access")
ACCESS_LOG.addFilter(RouteOnlyAccessLog())


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


class DoorRequest(Request):
    """A request as every entrypoint reads it: multipart text parts keep broken UTF-8 visible."""

    form_data_parser_class = forms.FormParser


class JsonWsgiApp(WsgiApp):
    """Unknown paths and wrong methods answer in JSON too (a 405 says which methods are allowed),
    and a path, query or header that no route could read is refused before any route sees it."""

    def __call__(self, environ, start_response):
        request = DoorRequest(environ, shallow=True)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            inputs.check_address(environ)
            provider, values = adapter.match()
            request.path_values = values
            response = provider.handle_request(request)
        except (HTTPException, ApiError) as exc:
            response = error_response(exc, request)
        return response(environ, start_response)


HEADERS_TOO_LARGE = {"id": "Header permintaan terlalu besar (paling besar 8 KB per baris).",
                     "en": "The request headers are too large (at most 8 KB a line)."}
UNREADABLE_REQUEST = {"id": "Permintaan HTTP tidak dapat dibaca.", "en": "The HTTP request cannot be read."}
FRAMING = {"id": "Panjang isi permintaan (Content-Length/Transfer-Encoding) tidak sah.",
           "en": "The request's body length (Content-Length/Transfer-Encoding) is not valid."}
URL_TOO_LONG = ("Alamat permintaan terlalu panjang (paling banyak 8 KB). / "
                "The request's address is too long (at most 8 KB).")


def _raw_json_answer(status: int, code: str, message: str) -> bytes:
    body = json.dumps(error_body(code, message), ensure_ascii=False).encode()
    reason = HTTPStatus(status).phrase.encode()
    return b"HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\n" \
           b"Connection: close\r\n\r\n%s" % (status, reason, len(body), body)


def _framing_problem(headers) -> dict[str, str] | None:
    length = headers.get("Content-Length")
    if length is not None and not (length.strip().isdigit() and length.strip().isascii()):
        return FRAMING
    if length is not None and headers.get("Transfer-Encoding") is not None:
        return FRAMING  # request smuggling's favourite ambiguity
    return None


# eventlet answers a request line it will not read (over 8 KB) itself, before the headers (so
# before the language is known): in JSON too, in both languages.
wsgi.RESPONSE_414 = _raw_json_answer(414, "uri_too_long", URL_TOO_LONG)


class ClosingProtocol(HttpOnlyProtocol):
    """An answer with `Connection: close` ends the connection with it.

    eventlet keeps an HTTP/1.1 connection alive and, to find the next request, first reads
    whatever is left of the body to the end: a refused 300 MB upload was taken in full after
    its 413. Instead the answer is sent, the connection is half-closed (the client sees the
    answer end) and what the client still sends is read for a moment at most, so it reads
    the answer rather than a reset; then the connection closes.
    """

    LINGER_SECONDS = 2.0
    LINGER_BYTES = 1024 * 1024

    # --- requests refused before any route sees them, answered in JSON like the rest ---
    # Each ends the connection with the answer, and lingers like a 413: what the client is still
    # sending would otherwise turn the close into a reset that can swallow the answer.

    def handle_one_request(self):
        super().handle_one_request()
        if len(getattr(self, "raw_requestline", b"") or b"") >= self.server.url_length_limit:
            self.linger = True  # eventlet answered 414 and read no further

    def parse_request(self):
        try:
            if not super().parse_request():
                return False
        except (wsgi.HeaderLineTooLong, wsgi.HeadersTooLarge):
            return self._refuse(431, "headers_too_large", HEADERS_TOO_LARGE)
        framing = _framing_problem(self.headers)
        if framing:
            return self._refuse(400, "bad_request", framing)
        return True

    def send_error(self, code, message=None, explain=None):
        # http.server's own refusals (a malformed request line, too many headers), as JSON; an HTTP
        # version it does not speak is the client's mistake, so it is a 400 too, never a 5xx.
        self._refuse(code if code < 500 else 400, "bad_request", UNREADABLE_REQUEST)

    def _refuse(self, status: int, code: str, words: dict[str, str]) -> bool:
        headers = getattr(self, "headers", None)  # None while the request line itself is unread
        lang = "en" if headers and headers.get("Accept-Language", "").lower().startswith("en") else "id"
        self.close_connection = 1
        self.linger = True
        self.wfile.write(_raw_json_answer(status, code, words[lang]))
        return False

    def handle_one_response(self):
        application = self.application

        def closing(environ, start_response):
            def start(status, headers, exc_info=None):
                if any(k.lower() == "connection" and v.lower() == "close" for k, v in headers):
                    self.close_connection = 1  # eventlet then writes the header itself
                    headers = [(k, v) for k, v in headers if k.lower() != "connection"]
                    self.linger = True
                return start_response(status, headers, exc_info)
            return application(environ, start)

        self.application = closing
        try:
            super().handle_one_response()
        finally:
            self.application = application

    def finish(self):
        if getattr(self, "linger", False):
            self._linger()
        super().finish()

    def _linger(self) -> None:
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(0.5)
            deadline, taken = time.monotonic() + self.LINGER_SECONDS, 0
            while taken < self.LINGER_BYTES and time.monotonic() < deadline:
                chunk = self.connection.recv(64 * 1024)
                if not chunk:
                    break
                taken += len(chunk)
        except OSError:
            pass  # the client has gone, or waits too long: close all the same


class PrivateWebServer(WebServer):
    """nameko's web server with JSON errors, minus client addresses in the access log."""

    def get_wsgi_app(self):
        return JsonWsgiApp(self)

    def get_wsgi_server(self, sock, wsgi_app, protocol=ClosingProtocol, debug=False):
        return wsgi.Server(
            sock,
            sock.getsockname(),
            wsgi_app,
            protocol=protocol,
            debug=False,
            log=ACCESS_LOG,
            log_format=ACCESS_LOG_FORMAT,
            log_x_forwarded_for=False,
        )


# --- reads from other origins (CORS) ------------------------------------------------------

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin_of(url: str | None) -> str | None:
    """`scheme://host[:port]` of a URL (lower-case, default port left out); None if it has none."""
    parts = urlsplit((url or "").strip())
    netloc = parts.netloc.lower()
    if parts.scheme not in _DEFAULT_PORTS or not netloc or "@" in netloc:
        return None
    host, _, port = netloc.rpartition(":") if not netloc.endswith("]") else (netloc, "", "")
    if port == _DEFAULT_PORTS[parts.scheme]:
        netloc = host
    return f"{parts.scheme}://{netloc}"


def parse_origins(setting: str | None) -> frozenset[str]:
    """A comma-separated list of origins; anything else (e.g. `*`) is a mistake, not a wildcard."""
    origins = set()
    for item in (setting or "").split(","):
        if item.strip():
            origin = origin_of(item)
            if origin is None:
                raise ValueError(f"{item.strip()!r} is not an origin (scheme://host[:port])")
            origins.add(origin)
    return frozenset(origins)


def cors_headers(request: Request, allowed: frozenset[str]) -> dict[str, str]:
    """Access-Control-Allow-Origin for an allowed Origin only; the answer varies by Origin."""
    headers = {"Vary": "Origin"}
    if origin_of(request.headers.get("Origin")) in allowed:
        headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
    return headers


ORIGIN_REFUSED = ApiError(403, "origin_not_allowed", {
    "id": "Alamat asal permintaan ini tidak diizinkan membaca layanan ini.",
    "en": "Requests from this origin may not read this service."})


def preflight(request: Request, allowed: frozenset[str], methods=("GET",), headers=("Authorization",),
              max_age: int = 600) -> Response:
    """The answer to a browser's OPTIONS preflight: which methods and headers an allowed origin may
    use; any other origin is refused, without Access-Control-Allow-Origin."""
    cors = cors_headers(request, allowed)
    if "Access-Control-Allow-Origin" not in cors:
        response = error_response(ORIGIN_REFUSED, request)
        response.headers.update(cors)
        return response
    return Response(status=204, headers={**cors, "Access-Control-Allow-Methods": ", ".join(methods),
                                         "Access-Control-Allow-Headers": ", ".join(headers),
                                         "Access-Control-Max-Age": str(max_age)})


class JsonHttp(HttpRequestHandler):
    """`@api("POST", "/api/v1/...")`: like nameko's @http, with JSON errors.

    An exception the worker raised is looked up in the service's error table first. `cors="SETTING"`
    names the config setting that lists the other origins allowed to read this entrypoint's answers,
    its refusals included (a browser shows those in words too)."""

    server = PrivateWebServer()

    def __init__(self, method, url, cors: str | None = None, **kwargs):
        # An ApiError is an answer, not a fault: nameko logs it without a traceback.
        kwargs.setdefault("expected_exceptions", (ApiError,))
        self.cors = cors
        self.allowed_origins: frozenset[str] = frozenset()
        self.errors = NO_ERRORS
        super().__init__(method, url, **kwargs)

    def setup(self):
        if self.cors:
            self.allowed_origins = parse_origins(self.container.config.get(self.cors))
        self.errors = table_of(self.container.service_cls)
        # The table's exceptions are refusals, not faults: logged without a traceback.
        self.expected_exceptions = (*self.expected_exceptions, *self.errors.kinds)
        super().setup()

    def handle_request(self, request):
        response = self._answer(request)
        if self.cors:
            response.headers.update(cors_headers(request, self.allowed_origins))
        return response

    def _answer(self, request):
        # nameko's version, except that the error mapping sees the request (for its language).
        request.shallow = False
        try:
            context_data = self.server.context_data_from_headers(request)
            args, kwargs = self.get_entrypoint_parameters(request)
            self.check_signature(args, kwargs)
            done = Event()
            self.container.spawn_worker(self, args, kwargs, context_data=context_data,
                                        handle_result=partial(self.handle_result, done))
            result = done.wait()
            return self.response_from_result(result)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a JSON answer
            return error_response(self.errors.translate(exc), request)


api = JsonHttp.decorator


class HealthCheck:
    """Every service answers GET /healthz (a base class: nameko finds inherited entrypoints)."""

    name = "netra"

    @api("GET", "/healthz")
    def health(self, request):
        return json_response({"status": "ok", "service": self.name})
