"""The web server under every service's HTTP entrypoints: nameko's, with requests no route could
read refused in JSON before any route sees them, and a connection that ends with an answer that
says `Connection: close` (a refused upload is not read to its end)."""

from __future__ import annotations

import json
import socket
import time
from http import HTTPStatus

from eventlet import wsgi
from nameko.web.server import HttpOnlyProtocol, WebServer, WsgiApp
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request

from netra_common import forms, inputs
from netra_common.errors import ApiError
from netra_common.http_access_log import ACCESS_LOG, ACCESS_LOG_FORMAT
from netra_common.http_answers import error_body, error_response
from netra_common.metrics import HTTP_REQUESTS, HTTP_SECONDS, UNROUTED

# A method nobody routes is counted as "other": a label value a client cannot invent.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class DoorRequest(Request):
    """A request as every entrypoint reads it: multipart text parts keep broken UTF-8 visible."""

    form_data_parser_class = forms.FormParser


class JsonWsgiApp(WsgiApp):
    """Unknown paths and wrong methods answer in JSON too (a 405 says which methods are allowed),
    and a path, query or header that no route could read is refused before any route sees it."""

    def __call__(self, environ, start_response):
        started = time.monotonic()
        request = DoorRequest(environ, shallow=True)
        adapter = self.url_map.bind_to_environ(environ)
        route = UNROUTED
        try:
            inputs.check_address(environ)
            rule, values = adapter.match(return_rule=True)
            route = rule.rule  # the template, never the ids in the path
            request.path_values = values
            response = rule.endpoint.handle_request(request)
        except (HTTPException, ApiError) as exc:
            response = error_response(exc, request)
        method = request.method if request.method in KNOWN_METHODS else "other"
        HTTP_REQUESTS.labels(route, method, str(response.status_code)).inc()
        HTTP_SECONDS.labels(route, method).observe(time.monotonic() - started)
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

    def setup(self):
        # No Nagle: eventlet sends an answer's headers (from its 16 KB write buffer) and a body
        # larger than that buffer in two writes; the body's last part, smaller than a segment,
        # then waited for the client's delayed ACK of the headers, about 40 ms, for every answer
        # of 16 to 64 KB (a page of the team's queue). Measured in decision 0026.
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # not a TCP socket (a test's socket pair): nothing to wait for

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
