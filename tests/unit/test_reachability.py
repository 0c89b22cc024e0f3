"""A dependency being away is told apart from a handler failing (netra_common/bus/reachability)."""

from __future__ import annotations

import socket

import psycopg2
import pytest
import requests
import urllib3
from minio import Minio
from minio.error import S3Error, ServerError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from netra_common.bus.reachability import POSTGRESQL, S3, Probes, unreachable_dependency


class FakePgError(psycopg2.OperationalError):
    """psycopg2's errors take their SQLSTATE from the server; this one is told it."""

    def __init__(self, message: str, pgcode: str | None):
        super().__init__(message)
        self._code = pgcode

    @property
    def pgcode(self):
        return self._code


def wrapped(orig, kind=OperationalError, invalidated=False):
    return kind("SELECT 1", {}, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize("exc", [
    wrapped(psycopg2.OperationalError('connection to server at "127.0.0.1" failed: Connection refused')),
    wrapped(psycopg2.OperationalError("server closed the connection unexpectedly"), invalidated=True),
    wrapped(psycopg2.InterfaceError("connection already closed"), kind=InterfaceError),
    wrapped(FakePgError("terminating connection due to administrator command", "57P01")),
    wrapped(FakePgError("the database system is starting up", "57P03")),
    wrapped(FakePgError("sorry, too many clients already", "53300")),
])
def test_a_lost_or_refused_database_connection_is_postgresql_away(exc):
    assert unreachable_dependency(exc) == POSTGRESQL


@pytest.mark.parametrize("exc", [
    wrapped(FakePgError("deadlock detected", "40P01")),
    wrapped(FakePgError("canceling statement due to statement timeout", "57014")),
    wrapped(psycopg2.IntegrityError("duplicate key"), kind=IntegrityError),
    RuntimeError("a bug"),
    KeyError("payload"),
])
def test_a_failing_statement_or_a_bug_is_the_handlers_own_failure(exc):
    assert unreachable_dependency(exc) is None


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_object_store_is_s3_away_even_when_wrapped():
    client = Minio(f"127.0.0.1:{closed_port()}", secure=False, region="us-east-1",
                   http_client=urllib3.PoolManager(retries=urllib3.Retry(total=1, backoff_factor=0)))
    try:
        try:
            client.stat_object("quarantine", "x")
        except urllib3.exceptions.HTTPError as exc:
            raise RuntimeError("could not read the upload") from exc
    except RuntimeError as outer:
        assert unreachable_dependency(outer) == S3
    assert unreachable_dependency(ServerError("unavailable", 503)) == S3


def test_another_http_server_being_away_is_not_s3_away():
    """notify's webhook to BKPPD goes through urllib3 as well: its failure is notify's to retry."""
    with pytest.raises(requests.ConnectionError) as refused:
        requests.get(f"http://127.0.0.1:{closed_port()}/webhook", timeout=2)
    assert unreachable_dependency(refused.value) is None
    assert unreachable_dependency(urllib3.exceptions.ProtocolError("Connection aborted.")) is None


def test_an_s3_refusal_with_an_error_code_is_a_failure_not_an_outage():
    assert unreachable_dependency(ServerError("internal", 500)) is None
    denied = S3Error("AccessDenied", "Access Denied", "/quarantine/x", "req", "host", None)
    assert unreachable_dependency(denied) is None


def test_probes_say_no_while_nothing_listens_and_yes_once_an_s3_server_answers():
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from threading import Thread

    free = closed_port()
    probes = Probes({"NETRA_S3_ENDPOINT": f"127.0.0.1:{free}",
                     "NETRA_DB_URL": f"postgresql+psycopg2://postgres@127.0.0.1:{free}/x"})
    assert probes.check(S3) is False
    assert probes.check(POSTGRESQL) is False

    class Forbidden(BaseHTTPRequestHandler):
        def do_GET(self):  # an S3 server refuses an unsigned request, and so answers
            self.send_response(403)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", free), Forbidden)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert probes.check(S3) is True
    finally:
        server.shutdown()
        server.server_close()
