"""JSON over HTTP for nameko services: the `@api` entrypoint, GET /healthz and GET /readyz.

An exception a worker raised is looked up in its service's error table (netra_common.error_table)
and answered by http_answers.error_response; the server beneath is http_server.py, reads from
other origins cors.py.
"""

from __future__ import annotations

from functools import partial

from eventlet.event import Event
from nameko.web.handlers import HttpRequestHandler

from netra_common.cors import cors_headers, parse_origins
from netra_common.error_table import NO_ERRORS, table_of
from netra_common.errors import ApiError
from netra_common.http_answers import error_response, json_response
from netra_common.http_server import PrivateWebServer
from netra_common.readiness import Operability


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
    """Every service answers GET /healthz (alive: nothing checked) and GET /readyz (its database,
    broker and object store answer; 503 naming what is missing), and serves /metrics on its private
    metrics address (a base class: nameko finds inherited entrypoints and dependencies)."""

    name = "netra"
    operability = Operability()

    @api("GET", "/healthz")
    def health(self, request):
        return json_response({"status": "ok", "service": self.name})

    @api("GET", "/readyz")
    def ready(self, request):
        readiness = self.operability.check()
        return json_response(readiness.body(self.name), status=200 if readiness.ready else 503)
