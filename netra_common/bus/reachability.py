"""Is a handler's exception a dependency being away, or the handler failing?

A handler that cannot reach PostgreSQL or S3 has not failed: retrying it on a timer spends its
attempts and parks a good message. These functions say which exceptions mean "away" (the
connection was refused, reset, closed or timed out) and check, with a short probe, whether the
dependency answers again. Everything else (a constraint violated, a deadlock, an S3 refusal
with an error code, a bug) stays a failure of the handler.
"""

from __future__ import annotations

import psycopg2
import urllib3
from minio.error import ServerError
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

POSTGRESQL = "PostgreSQL"
S3 = "S3"

# PostgreSQL error classes that mean the server, not the statement, is the trouble:
# 08 connection exception, 57P admin/crash shutdown and "cannot connect now", 53300 too many
# connections. A statement timeout (57014) or a deadlock (40P01) is the handler's own failure.
_AWAY_SQLSTATE_PREFIXES = ("08", "57P", "53300")

# S3 answers that mean the server (or the gateway in front of it) is not serving now.
_AWAY_HTTP_STATUSES = {502, 503, 504}

PROBE_TIMEOUT_SECONDS = 3


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _postgres_away(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or _postgres_away(exc.orig)
    if isinstance(exc, psycopg2.InterfaceError):  # "connection already closed"
        return True
    if isinstance(exc, psycopg2.OperationalError):
        # No SQLSTATE: the client library itself lost or never got the connection.
        return exc.pgcode is None or exc.pgcode.startswith(_AWAY_SQLSTATE_PREFIXES)
    return False


def _raised_through_minio(exc: BaseException) -> bool:
    """Did `exc` travel up through the minio SDK? notify's webhooks use urllib3 too (through
    requests), and a BKPPD endpoint being away is a delivery failure, not S3 being away."""
    frame = exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_globals.get("__name__", "").startswith("minio"):
            return True
        frame = frame.tb_next
    return False


def _s3_away(exc: BaseException) -> bool:
    if isinstance(exc, urllib3.exceptions.HTTPError):  # refused, reset, timed out, retries spent
        return _raised_through_minio(exc)
    return isinstance(exc, ServerError) and exc.status_code in _AWAY_HTTP_STATUSES


def unreachable_dependency(exc: BaseException) -> str | None:
    """The name of the dependency `exc` (or what caused it) says is away, or None."""
    for link in _chain(exc):
        if _postgres_away(link):
            return POSTGRESQL
        if _s3_away(link):
            return S3
    return None


class Probes:
    """Cheap checks that a dependency answers, built from a service's config."""

    def __init__(self, config: dict):
        self.config = config
        self._engine = None

    def check(self, dependency: str) -> bool:
        try:
            if dependency == POSTGRESQL:
                self._postgres()
            else:
                self._s3()
        except Exception:  # noqa: BLE001 - any failure: still away
            return False
        return True

    def _postgres(self) -> None:
        if self._engine is None:
            # Its own connection each time: the service's pool may hold connections that died.
            self._engine = create_engine(
                self.config["NETRA_DB_URL"], poolclass=NullPool,
                connect_args={"connect_timeout": PROBE_TIMEOUT_SECONDS, "application_name": "netra-probe"})
        with self._engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def _s3(self) -> None:
        """Any HTTP answer (even 403 to an unsigned request) means the server is serving."""
        secure = str(self.config.get("NETRA_S3_SECURE", "false")).lower() in ("1", "true", "yes")
        scheme = "https" if secure else "http"
        endpoint = self.config["NETRA_S3_ENDPOINT"]
        response = urllib3.request("GET", f"{scheme}://{endpoint}/", retries=False,
                                   timeout=PROBE_TIMEOUT_SECONDS)
        if response.status in _AWAY_HTTP_STATUSES:
            raise ConnectionError(f"S3 answered {response.status}")
